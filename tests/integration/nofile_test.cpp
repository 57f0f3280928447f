// The real server under a low RLIMIT_NOFILE (as `prlimit --nofile=256`): kept /proc files stay
// within the budget and every process is served; connections that take every descriptor pause
// accepting (logged once), and accepting resumes when they close.
#include "harness.hpp"

#include <boost/asio/connect.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace procpulse::test;
namespace json = boost::json;
namespace net = boost::asio;

namespace {

std::vector<std::string> args(std::vector<std::string> extra) {
    std::vector<std::string> a{"--listen",    "127.0.0.1:0", "--interval", "200ms",
                               "--log-level", "warn",        "--db",       ":memory:"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

/** Pids in the server's full process list (a sweep's view). */
std::set<std::int64_t> listed(unsigned short port) {
    std::set<std::int64_t> pids;
    auto r = http_request(port, "GET", "/api/processes/list?sort=pid&limit=100000");
    if (r.status != 200) return pids;
    for (const auto& p : r.json.at("processes").as_array())
        pids.insert(p.at("pid").as_int64());
    return pids;
}

/** Lines of `text` that contain `what`. */
std::size_t lines_with(const std::string& text, const std::string& what) {
    std::istringstream in(text);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        n += line.find(what) != std::string::npos ? 1 : 0;
    return n;
}

/** utime + stime of a process, in clock ticks. */
long cpu_ticks(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::istringstream rest(s.substr(s.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) { // (3) state … (14) utime (15) stime
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
    }
    return utime + stime;
}

/** The end of a server log, for a failure message. */
std::string tail(const std::string& log) {
    return log.size() > 1500 ? log.substr(log.size() - 1500) : log;
}

/** A gauge's value in a /metrics text (-1 when absent). */
double gauge(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    return -1;
}

} // namespace

BOOST_AUTO_TEST_CASE(nofile_256_serves_300_children_over_rest_and_websocket) {
    // 256 descriptors, 64 connections: a budget of 256 - 2 * 64 - 64 = 64 kept files (10
    // processes' worth); every other process is read with open/read/close.
    server_process srv(args({"--max-connections", "64"}), 256);
    std::vector<std::unique_ptr<child_process>> children;
    for (int i = 0; i < 300; ++i)
        children.push_back(
            std::make_unique<child_process>(std::vector<std::string>{"/bin/sleep", "600"}));
    auto all_listed = [&] {
        auto pids = listed(srv.port());
        for (const auto& c : children)
            if (!pids.count(c->pid())) return false;
        return true;
    };
    BOOST_REQUIRE(wait_until(all_listed, 15s));

    auto sys = http_request(srv.port(), "GET", "/api/system");
    BOOST_TEST(sys.status == 200u);
    const auto& files = sys.json.at("proc_files");
    BOOST_TEST(files.at("budget").as_int64() == 64);
    BOOST_TEST(files.at("open").as_int64() <= 64);
    BOOST_TEST(files.at("kept_processes").as_int64() <= 10);
    auto metrics = http_request(srv.port(), "GET", "/metrics");
    BOOST_TEST(metrics.status == 200u);
    BOOST_TEST(gauge(metrics.body, "procpulse_proc_files_budget") == 64.0);
    const double open = gauge(metrics.body, "procpulse_proc_files_open");
    BOOST_TEST(open >= 0.0);
    BOOST_TEST(open <= 64.0);

    // A WebSocket client gets hello, then a snapshot of the children it subscribes to.
    ws_client ws(srv.port());
    auto hello = ws.next();
    BOOST_REQUIRE(hello);
    BOOST_TEST(hello->at("type").as_string() == "hello");
    const std::string a = std::to_string(children[0]->pid()),
                      b = std::to_string(children[299]->pid());
    ws.send(R"({"type":"subscribe","id":1,"pids":[)" + a + "," + b + "]}");
    auto snap = ws.next_of("snapshot");
    BOOST_REQUIRE(snap);
    const auto& procs = snap->at("state").at("processes").as_object();
    BOOST_TEST(procs.contains(a));
    BOOST_TEST(procs.contains(b));
    // Subscribed processes keep their files first, and the list still holds everyone.
    BOOST_TEST(wait_until(all_listed, 5s));
    BOOST_TEST(lines_with(srv.log(), "Too many open files") == 0u);
    BOOST_TEST(srv.terminate(5s) == 0, tail(srv.log()));
}

BOOST_AUTO_TEST_CASE(accept_pauses_when_connections_take_every_descriptor_and_recovers) {
    // The connection limits are above what 256 descriptors allow (pending requests included:
    // else each new idle connection would evict the oldest): connections run the server out of
    // descriptors (accept fails with EMFILE) before the limiter refuses any.
    server_process srv(args({"--max-connections", "1000", "--max-connections-per-ip", "1000",
                             "--max-pending-per-ip", "1000", "--interval", "1s"}),
                       256);
    net::io_context ioc;
    std::vector<std::unique_ptr<net::ip::tcp::socket>> held;
    const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), srv.port());
    for (int i = 0; i < 300; ++i) { // the kernel completes these whether or not accept runs
        auto s = std::make_unique<net::ip::tcp::socket>(ioc);
        s->connect(ep);
        held.push_back(std::move(s));
    }
    BOOST_REQUIRE(
        wait_until([&] { return lines_with(srv.log(), "accept: Too many open files") > 0; }, 10s));

    // A measurement window (not a wait for a condition): a listener that retried at once would
    // log and spin here at full speed. Paused, it retries twice a second.
    const long before = cpu_ticks(srv.pid());
    std::this_thread::sleep_for(1s);
    const long spent = cpu_ticks(srv.pid()) - before;
    BOOST_TEST(spent < 30, "server CPU ticks in 1 s while out of descriptors: " << spent);
    BOOST_TEST(lines_with(srv.log(), "accept:") == 1u);

    // Others close: a new connection is served again (within the backoff's pause).
    held.clear();
    BOOST_TEST(wait_until(
        [&] {
            try {
                return http_request(srv.port(), "GET", "/api/system").status == 200u;
            } catch (const std::exception&) {
                return false;
            }
        },
        10s));
    ws_client ws(srv.port());
    auto hello = ws.next();
    BOOST_REQUIRE(hello);
    BOOST_TEST(hello->at("type").as_string() == "hello");
    const std::string log = srv.log();
    BOOST_TEST(lines_with(log, "accept:") == 1u, log.substr(0, 2000));
    BOOST_TEST(srv.terminate(5s) == 0, tail(srv.log()));
}
