// A process younger than one sweep exists: REST and WebSocket requests read it on demand.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <fstream>
#include <set>

using namespace procpulse::test;
namespace json = boost::json;

namespace {

/** A long interval: a child started after the server is up stays out of the sweeps for 5 s. */
std::vector<std::string> slow() {
    return quick_server_args("5s");
}

bool lists(const json::value& procs, pid_t pid) {
    for (const auto& p : procs.as_array())
        if (p.at("pid").as_int64() == pid) return true;
    return false;
}

/** Waits (bounded) until the forked child has exec'd: its comm is `name`. */
bool wait_exec(pid_t pid, const std::string& name) {
    auto end = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < end) {
        std::ifstream f("/proc/" + std::to_string(pid) + "/comm");
        std::string comm;
        if (std::getline(f, comm) && comm == name) return true;
        std::this_thread::yield();
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(rest_finds_a_process_started_after_the_last_sweep) {
    server_process srv(slow());
    BOOST_REQUIRE_EQUAL(http_request(srv.port(), "GET", "/healthz").status, 200u);
    child_process child({"/bin/sleep", "611"});
    const std::string pid = std::to_string(child.pid());
    BOOST_REQUIRE(wait_exec(child.pid(), "sleep")); // a few ms old, no sweep since

    auto m = http_request(srv.port(), "GET", "/api/processes/metrics/" + pid);
    BOOST_TEST_REQUIRE(m.status == 200u, m.body);
    const auto& p = m.json.at("process").as_object();
    BOOST_TEST(p.at("pid").as_int64() == child.pid());
    BOOST_TEST(p.at("start").as_int64() > 0);
    BOOST_TEST(p.at("cpu_percent").is_null()); // a first sample: no rate yet
    // The child may still be the forked test process for a moment, then sleep: either is right.
    BOOST_TEST(p.at("rss").as_int64() > 0);

    auto search = http_request(srv.port(), "GET", "/api/processes/search?name=sleep");
    BOOST_TEST(search.status == 200u);
    BOOST_TEST(lists(search.json.at("processes"), child.pid()));

    auto add =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pid + "}");
    BOOST_TEST(add.json.at("success").as_bool(), add.body);
    auto all = http_request(srv.port(), "GET", "/api/processes/metrics");
    BOOST_TEST(all.json.at("processes").as_object().contains(pid), all.body);

    auto hist = http_request(srv.port(), "GET", "/api/processes/" + pid + "/history");
    BOOST_TEST(hist.status == 200u, hist.body); // exists, no points yet

    // Only a PID that /proc does not have is "not found".
    child.kill_and_wait();
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/metrics/" + pid).status == 404u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/" + pid + "/history").status ==
               404u);
}

BOOST_AUTO_TEST_CASE(subscribe_reads_a_new_process_at_once_and_the_sweeps_carry_it_on) {
    auto args = slow();
    args[3] = "1s";
    server_process srv(args);
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    child_process child({"/bin/sleep", "612"});
    const std::string pid = std::to_string(child.pid());
    c.send(R"({"type":"subscribe","id":1,"pids":[)" + pid + "]}");
    auto ack = c.next_of("ack");
    BOOST_REQUIRE(ack);
    BOOST_TEST(ack->at("pids").as_array().size() == 1u);
    BOOST_TEST(ack->at("not_found").as_array().empty());
    auto snap = c.next_of("snapshot");
    BOOST_REQUIRE(snap);
    const auto& rec = snap->at("state").at("processes").at(pid).as_object();
    BOOST_TEST(rec.at("pid").as_int64() == child.pid());
    const auto start = rec.at("start").as_int64();
    // The next sweeps carry it on: deltas, never `gone`, and a CPU rate from the second sweep.
    bool rated = false;
    for (int i = 0; i < 6 && !rated; ++i) {
        auto m = c.next(5s);
        BOOST_REQUIRE(m);
        BOOST_TEST(m->at("type").as_string() != "gone");
        if (m->at("type").as_string() != "delta") continue;
        const auto* procs = m->at("patch").as_object().if_contains("processes");
        if (!procs) continue;
        const auto* d = procs->as_object().if_contains(pid);
        BOOST_REQUIRE(d);
        BOOST_REQUIRE(!d->is_null());
        if (const auto* s = d->as_object().if_contains("start")) BOOST_TEST(s->as_int64() == start);
        if (const auto* cpu = d->as_object().if_contains("cpu_percent"))
            rated = !cpu->is_null();
    }
    BOOST_TEST(rated);

    // A history request for it is answered (no error) and the unknown metric rule holds.
    c.send(R"({"type":"history","id":2,"pid":)" + pid + R"(,"metrics":["rss"]})");
    auto h = c.next_of("history");
    BOOST_REQUIRE(h);
    BOOST_TEST(h->at("series").as_object().size() == 2u); // t and rss
    c.send(R"({"type":"history","id":3,"pid":)" + pid + R"(,"metrics":["rss","x"]})");
    auto e = c.next_of("error");
    BOOST_REQUIRE(e);
    BOOST_TEST(e->at("code").as_string() == "bad_request");
    BOOST_TEST(e->at("message").as_string() == "unknown metric \"x\"");
}

BOOST_AUTO_TEST_CASE(more_new_processes_than_one_message_reads_arrive_with_the_next_tick) {
    auto args = slow();
    args[3] = "1s";
    server_process srv(args);
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    std::vector<std::unique_ptr<child_process>> kids;
    std::string list;
    for (int i = 0; i < 40; ++i) {
        kids.push_back(std::make_unique<child_process>(
            std::vector<std::string>{"/bin/sleep", "613"}));
        list += (i ? "," : "") + std::to_string(kids.back()->pid());
    }
    c.send(R"({"type":"subscribe","id":1,"pids":[)" + list + "]}");
    auto ack = c.next_of("ack");
    BOOST_REQUIRE(ack);
    BOOST_TEST(ack->at("pids").as_array().size() == 40u); // all exist: none is "not found"
    BOOST_TEST(ack->at("not_found").as_array().empty());
    auto snap = c.next_of("snapshot");
    BOOST_REQUIRE(snap);
    std::set<std::string> have;
    for (const auto& kv : snap->at("state").at("processes").as_object())
        have.insert(std::string(kv.key()));
    BOOST_TEST(have.size() >= 32u); // read at once, within the per-message budget
    for (int i = 0; i < 8 && have.size() < 40u; ++i) {
        auto m = c.next_of("delta", 5s);
        BOOST_REQUIRE(m);
        if (const auto* procs = m->at("patch").as_object().if_contains("processes"))
            for (const auto& kv : procs->as_object()) {
                BOOST_TEST(!kv.value().is_null());
                if (kv.value().is_object() && kv.value().as_object().contains("pid"))
                    have.insert(std::string(kv.key()));
            }
    }
    BOOST_TEST(have.size() == 40u);
}

BOOST_AUTO_TEST_CASE(problems_of_the_first_sweep_are_logged) {
    // Fixture pid 555 has no io file: the first sweep (before serving) finds it and says so.
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "5s", "--db", ":memory:",
                        "--proc-root", PROCPULSE_FIXTURES "/proc"});
    BOOST_REQUIRE_EQUAL(http_request(srv.port(), "GET", "/healthz").status, 200u);
    const std::string log = srv.log();
    BOOST_TEST(log.find("pid 555 ") != std::string::npos, log);
    BOOST_TEST(log.find("io ") != std::string::npos, log);
}

BOOST_AUTO_TEST_CASE(an_unwritable_default_database_keeps_history_in_memory_and_says_so) {
    // No --db and a state directory nobody can create (as an unprivileged user's read-only
    // HOME): the server starts, warns, and tells clients their history is not persisted.
    const char* old = std::getenv("XDG_STATE_HOME");
    std::string saved = old ? old : "";
    ::setenv("XDG_STATE_HOME", "/proc/1", 1);
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms"});
    if (old)
        ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_STATE_HOME");
    auto sys = http_request(srv.port(), "GET", "/api/system");
    BOOST_TEST_REQUIRE(sys.status == 200u, srv.log());
    BOOST_TEST(sys.json.at("history_persisted").as_bool() == false);
    ws_client c(srv.port());
    auto hello = c.next_of("hello");
    BOOST_REQUIRE(hello);
    BOOST_TEST(hello->at("history_persisted").as_bool() == false);
    BOOST_TEST(srv.log().find("not persisted") != std::string::npos, srv.log());
    // History still works, from memory.
    auto h = http_request(srv.port(), "GET", "/api/system/history");
    BOOST_TEST(h.status == 200u);
}

BOOST_AUTO_TEST_CASE(a_database_says_history_is_persisted_and_memory_says_not) {
    char dir[] = "/tmp/procpulse-db-XXXXXX";
    BOOST_REQUIRE(::mkdtemp(dir));
    const std::string db = std::string(dir) + "/p.db";
    {
        server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms", "--db", db});
        auto sys = http_request(srv.port(), "GET", "/api/system");
        BOOST_TEST(sys.json.at("history_persisted").as_bool() == true);
    }
    for (const char* ext : {"", "-wal", "-shm"})
        std::remove((db + ext).c_str());
    ::rmdir(dir);
    server_process mem({"--listen", "127.0.0.1:0", "--interval", "200ms", "--db", ":memory:"});
    auto sys = http_request(mem.port(), "GET", "/api/system"); // :memory: keeps nothing
    BOOST_TEST(sys.json.at("history_persisted").as_bool() == false);
}
