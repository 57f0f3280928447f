// The golden messages of shared/fixtures: a scripted session over a real session_state produces
// every server message there (compared as JSON values), and every client message there decodes to
// the request it stands for. PROCPULSE_UPDATE_GOLDEN=1 rewrites the server files from the encoder.
#include "support.hpp"

#include "protocol/session.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace procpulse::protocol {
namespace {

namespace json = boost::json;

// Sweep n of the scripted box happens at t0 + n seconds; the client connects at sweep 2.
constexpr double t0 = 1795652998.0;
constexpr double t1 = t0 + 2, t2 = t0 + 3, t3 = t0 + 4;

core::process_sample chrome(int pid, std::uint64_t start, std::string args, double cpu,
                            std::uint64_t rss, double faults) {
    core::process_sample p =
        test::process(pid, start, "chrome", "/opt/google/chrome/chrome" + args);
    p.cpu_percent = cpu;
    p.rss = rss;
    p.memory_percent = static_cast<double>(rss) * 100.0 / 25276502016.0;
    p.minor_faults_per_sec = faults;
    p.num_threads = 12;
    return p;
}

/**
 * The processes and system of the scripted box at sweep n: 4242 ("a) b", io unreadable) runs
 * until sweep 3; chrome 17 ends after sweep 2; renderer 5151 changes at sweep 3.
 */
core::snapshot_ptr box(int n) {
    std::vector<core::process_sample> ps;
    core::process_sample init = test::process(1, 2, "systemd", "/sbin/init splash");
    init.ppid = 0;
    init.username = std::make_shared<const std::string>("root");
    init.uid = 0;
    ps.push_back(init);
    ps.push_back(test::kernel_thread(2, 2, "kthreadd"));
    if (n <= 2) ps.push_back(chrome(17, 5000, "", 0.5, 157286400, 2.0));
    if (n <= 3) {
        core::process_sample a = test::process(4242, 88123, "a) b", "/usr/bin/a) b --serve");
        if (n == 0) a.cpu_percent = a.minor_faults_per_sec = a.major_faults_per_sec = std::nullopt;
        if (n == 1) a.cpu_percent = 10.0, a.minor_faults_per_sec = 0.0;
        if (n == 3) {
            a.rss = 10489856;
            a.cpu_percent = 3.14;
            a.minor_faults = 2561;
            a.minor_faults_per_sec = 1.0;
        }
        ps.push_back(a);
    }
    ps.push_back(n <= 2 ? chrome(5151, 90001, " --type=renderer", 25.3, 209715200, 850.4)
                        : chrome(5151, 90001, " --type=renderer", 31.7, 213909504, 1024.0));
    ps.push_back(chrome(5152, 90002, " --type=gpu-process", 1.2, 104857600, 0.0));

    core::system_sample s = test::system();
    if (n == 0) {
        s.cpu_percent = std::nullopt;
        s.cpu_percent_per_core = {std::nullopt, std::nullopt};
        s.swap_in_pages_per_sec = s.swap_out_pages_per_sec = std::nullopt;
        s.minor_faults_per_sec = s.major_faults_per_sec = s.ctx_switches_per_sec = std::nullopt;
    }
    if (n == 1) s.cpu_percent = 20.0;
    if (n == 2) s.cpu_percent = 18.0;
    if (n >= 3) {
        s.cpu_percent = 12.5;
        s.disks[0].write_bytes_per_sec = s.disk_write_bytes_per_sec = 8388608.0;
    }
    return test::snapshot(static_cast<std::uint64_t>(n + 1), t0 + n, std::move(ps), s);
}

std::string client_fixture(const std::string& name) {
    std::ifstream in(test::fixture_path("client/" + name), std::ios::binary);
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "missing client fixture " << name);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** Checks each message against its golden file; keeps the messages and the files checked. */
struct script {
    std::vector<json::value> seen;
    std::set<std::string> checked;
    void expect(const std::string& golden, const std::string& message) {
        BOOST_TEST_CONTEXT("golden file " << golden) {
            test::check_golden(golden, message);
            checked.insert(golden);
            seen.push_back(test::parse(message));
        }
    }
    void expect(const std::vector<std::string>& golden, const session_state::out& messages) {
        BOOST_TEST_REQUIRE(messages.size() == golden.size());
        for (std::size_t i = 0; i < golden.size(); ++i)
            expect(golden[i], messages[i]);
    }
};

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(scripted_session_produces_the_golden_server_messages) {
    test::fake_env env;
    for (int n = 0; n <= 2; ++n)
        env.publish(box(n));
    const server_info info = test::server_info();
    const config::limits lim;
    session_state s(env, info, lim);
    script sc;

    sc.expect("hello.json", s.hello(t1));
    sc.expect({"ack.json", "snapshot.json"},
              s.on_message(client_fixture("subscribe_pids.json"), t1));
    sc.expect({"ack_topic.json", "snapshot_system.json"},
              s.on_message(client_fixture("subscribe_system.json"), t1));
    sc.expect({"ack_processes.json", "snapshot_table.json"},
              s.on_message(client_fixture("subscribe_processes.json"), t1));
    // 4242 and renderer 5151 change, chrome 17 ends, the CPU gets quieter.
    sc.expect({"delta.json"}, s.on_tick(*env.publish(box(3))));
    sc.expect({"pong.json"}, s.on_message(client_fixture("ping.json"), t2 + 0.5));
    sc.expect({"error.json"}, s.on_message(R"({"type":"subscribe","id":8,"pids":[0]})", t2 + 0.6));
    sc.expect({"snapshot_full.json"}, s.on_message(client_fixture("resync.json"), t2 + 0.7));
    // 4242 exits.
    sc.expect({"gone.json", "delta_gone.json"}, s.on_tick(*env.publish(box(4))));
    sc.expect({"ack_unsubscribe.json"},
              s.on_message(client_fixture("unsubscribe_processes.json"), t3 + 0.2));
    sc.expect({"delta_unsubscribe.json"}, s.on_tick(*env.publish(box(5))));

    // Whatever the files say, the stream itself must follow the protocol's envelope rules.
    for (std::size_t i = 0; i < sc.seen.size(); ++i) {
        const auto& o = sc.seen[i].as_object();
        BOOST_TEST(o.at("seq") == json::value(i + 1));
        BOOST_TEST(o.at("epoch") == json::value("c0ffee01-0001"));
    }
    BOOST_TEST(s.seq() == sc.seen.size());

    // No golden file is left that the encoder does not produce.
    std::set<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(test::fixture_path("server")))
        files.insert(e.path().filename().string());
    BOOST_TEST(files == sc.checked, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hand_written_golden_fixtures_parse) {
    // A golden file that is not JSON would make every comparison above fail for the wrong reason.
    for (const auto& dir : {"server", "client"})
        for (const auto& e : std::filesystem::directory_iterator(test::fixture_path(dir))) {
            json::value v =
                test::read_fixture(std::string(dir) + "/" + e.path().filename().string());
            BOOST_TEST(v.is_object(), e.path());
            BOOST_TEST(v.as_object().contains("type"), e.path());
        }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_fixtures)

const config::limits lim;

client_message decode_fixture(const std::string& name) {
    auto r = decode_client_message(client_fixture(name), lim);
    if (auto* e = std::get_if<decode_error>(&r))
        BOOST_FAIL(name << " refused: " << to_string(e->code) << ": " << e->message);
    return std::get<client_message>(r);
}

using kind = client_message::kind;

BOOST_AUTO_TEST_CASE(subscribe_pids) {
    auto m = decode_fixture("subscribe_pids.json");
    BOOST_TEST((m.type == kind::subscribe));
    BOOST_TEST((m.id == json::value(7)));
    BOOST_TEST(m.pids == (std::vector<int>{4242, 99999}), boost::test_tools::per_element());
    BOOST_TEST((m.what == topic::none));
}

BOOST_AUTO_TEST_CASE(unsubscribe_pids) {
    auto m = decode_fixture("unsubscribe_pids.json");
    BOOST_TEST((m.type == kind::unsubscribe));
    BOOST_TEST((m.id == json::value(10)));
    BOOST_TEST(m.pids == std::vector<int>{4242}, boost::test_tools::per_element());
    BOOST_TEST((m.what == topic::none));
}

BOOST_AUTO_TEST_CASE(subscribe_system) {
    auto m = decode_fixture("subscribe_system.json");
    BOOST_TEST((m.type == kind::subscribe));
    BOOST_TEST((m.id == json::value("sys")));
    BOOST_TEST((m.what == topic::system));
    BOOST_TEST(m.pids.empty());
}

BOOST_AUTO_TEST_CASE(subscribe_processes) {
    auto m = decode_fixture("subscribe_processes.json");
    BOOST_TEST((m.type == kind::subscribe));
    BOOST_TEST((m.id == json::value(11)));
    BOOST_TEST((m.what == topic::processes));
    BOOST_TEST(m.table.sort == "cpu_percent");
    BOOST_TEST(m.table.descending);
    BOOST_TEST(m.table.limit == 100u);
    BOOST_TEST(m.table.filter == "chrome");
    BOOST_TEST(!m.table.kernel_threads);
}

BOOST_AUTO_TEST_CASE(unsubscribe_processes) {
    auto m = decode_fixture("unsubscribe_processes.json");
    BOOST_TEST((m.type == kind::unsubscribe));
    BOOST_TEST(!m.id.has_value());
    BOOST_TEST((m.what == topic::processes));
}

BOOST_AUTO_TEST_CASE(resync) {
    auto m = decode_fixture("resync.json");
    BOOST_TEST((m.type == kind::resync));
    BOOST_TEST(!m.id.has_value());
}

BOOST_AUTO_TEST_CASE(ping) {
    auto m = decode_fixture("ping.json");
    BOOST_TEST((m.type == kind::ping));
    BOOST_TEST((m.id == json::value(9)));
}

BOOST_AUTO_TEST_CASE(every_client_fixture_has_a_case_here) {
    std::set<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(test::fixture_path("client")))
        files.insert(e.path().filename().string());
    const std::set<std::string> covered{"ping.json",
                                        "resync.json",
                                        "subscribe_pids.json",
                                        "subscribe_processes.json",
                                        "subscribe_system.json",
                                        "unsubscribe_pids.json",
                                        "unsubscribe_processes.json"};
    BOOST_TEST(files == covered, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::protocol
