// What the web app's state relies on (issue 17): rule changes reach the alerts topic as
// rule_added/rule_deleted, whoever made them; the history of a process that exited names its last
// live facts (not its zombie's) and the exit time its `gone` message carried.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

using namespace procpulse::test;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(app_state)

BOOST_AUTO_TEST_CASE(rule_changes_by_rest_reach_alerts_subscribers) {
    server_process srv(quick_server_args());
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    c.send(R"({"type":"subscribe","topic":"alerts"})");
    BOOST_REQUIRE(c.next_of("snapshot"));
    auto rule = http_request(srv.port(), "POST", "/api/alerts/rules",
                             R"({"metric":"cpu_percent","op":">","threshold":99,"scope":"any"})");
    BOOST_REQUIRE(rule.status == 201u);
    const auto id = rule.json.at("rule").at("id").as_int64();
    auto added = c.next_of("rule_added", 5s);
    BOOST_REQUIRE(added);
    BOOST_TEST(added->at("rule").at("id").as_int64() == id);
    BOOST_TEST(added->at("rule").at("metric").as_string() == "cpu_percent");
    BOOST_TEST(added->contains("seq"));
    BOOST_TEST(added->contains("epoch"));
    BOOST_REQUIRE(
        http_request(srv.port(), "DELETE", "/api/alerts/rules/" + std::to_string(id)).status ==
        200u);
    auto deleted = c.next_of("rule_deleted", 5s);
    BOOST_REQUIRE(deleted);
    BOOST_TEST(deleted->at("id").as_int64() == id);
    // Without the alerts topic, no rule messages.
    ws_client quiet(srv.port());
    BOOST_REQUIRE(quiet.next_of("hello"));
    BOOST_REQUIRE(http_request(srv.port(), "POST", "/api/alerts/rules",
                               R"({"metric":"rss","threshold":1e15})")
                      .status == 201u);
    BOOST_TEST(!quiet.next_of("rule_added", 1s));
    BOOST_TEST(c.next_of("rule_added", 5s).has_value());
}

BOOST_AUTO_TEST_CASE(history_of_an_exited_zombie_names_its_last_live_facts_and_exit_time) {
    server_process srv(quick_server_args());
    // A child of this test that holds 24 MiB, then exits and stays a zombie until it is reaped.
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        const std::size_t size = 24u << 20;
        void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) std::memset(p, 1, size);
        timespec ts{2, 0};
        nanosleep(&ts, nullptr);
        _exit(0);
    }
    const std::string p = std::to_string(pid);
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    c.send(R"({"type":"subscribe","pids":[)" + p + "]}");
    auto status = [&] {
        auto r = http_request(srv.port(), "GET", "/api/processes/metrics/" + p);
        return r.status == 200u ? std::string(r.json.at("process").at("status").as_string()) : "";
    };
    auto rss = [&] {
        auto r = http_request(srv.port(), "GET", "/api/processes/metrics/" + p);
        return r.status == 200u ? r.json.at("process").at("rss").to_number<double>() : 0.0;
    };
    BOOST_REQUIRE(wait_until([&] { return rss() > 20 << 20; }, 10s));
    BOOST_REQUIRE(wait_until([&] { return status() == "zombie"; }, 10s));
    std::this_thread::sleep_for(600ms); // a few zombie sweeps (RSS 0) reach its history
    int st = 0;
    BOOST_REQUIRE(waitpid(pid, &st, 0) == pid);
    auto gone = c.next_of("gone", 10s);
    BOOST_REQUIRE(gone);
    BOOST_TEST(gone->at("pid").as_int64() == pid);

    auto r = http_request(srv.port(), "GET", "/api/processes/" + p + "/history");
    BOOST_REQUIRE(r.status == 200u);
    const auto& rss_col = r.json.at("series").at("rss").as_array();
    BOOST_REQUIRE(!rss_col.empty());
    BOOST_TEST(rss_col.back().to_number<double>() == 0.0); // the zombie's last points
    const auto& facts = r.json.at("process").as_object();
    BOOST_TEST(facts.at("pid").as_int64() == pid);
    BOOST_TEST(facts.at("rss").to_number<double>() > 20 << 20); // the last live sample's
    BOOST_TEST(facts.at("vms").to_number<double>() > 20 << 20);
    BOOST_TEST(facts.at("ppid").as_int64() == getpid());
    BOOST_TEST(facts.at("username").is_string());
    BOOST_TEST(facts.at("uid").as_int64() == static_cast<std::int64_t>(getuid()));
    BOOST_TEST(facts.at("create_time").to_number<double>() > 1e9);
    BOOST_TEST(facts.contains("cpu_user"));
    BOOST_TEST(facts.contains("cpu_system"));
    BOOST_TEST(!facts.at("cmdline").as_string().empty()); // not the zombie's empty one
    BOOST_TEST(facts.at("live_time").to_number<double>() <
               r.json.at("series").at("t").as_array().back().to_number<double>());
    // One exit time: the one the gone message carried.
    BOOST_TEST(r.json.at("exit_time").to_number<double>() == gone->at("time").to_number<double>());
    BOOST_TEST(facts.at("exit_time").to_number<double>() == gone->at("time").to_number<double>());

    // A running process has no exit time.
    auto self =
        http_request(srv.port(), "GET", "/api/processes/" + std::to_string(srv.pid()) + "/history");
    BOOST_REQUIRE(self.status == 200u);
    BOOST_TEST(self.json.at("exit_time").is_null());
    BOOST_TEST(self.json.at("process").at("rss").to_number<double>() > 0);
}

BOOST_AUTO_TEST_SUITE_END()
