// History and alerts end to end: SQLite persistence across restarts and kill -9, refusal of foreign
// or corrupt database files, history of exited processes, alert rules and events.
#include "harness.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace procpulse::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> with_db(const fs::path& db) {
    return {"--listen",         "127.0.0.1:0", "--interval",  "200ms",
            "--log-level",      "warn",        "--db",        db.string(),
            "--flush-interval", "300ms",       "--retention", "200ms:1h,1s:24h"};
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

double now_s() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() / 1000.0;
}

/** Points of a process's stored+memory history between from and to. */
std::size_t history_points(unsigned short port, int pid, double from, double to) {
    auto r = http_request(port, "GET",
                          "/api/processes/" + std::to_string(pid) + "/history?from=" +
                              std::to_string(from) + "&to=" + std::to_string(to));
    if (r.status != 200) return 0;
    return r.json.at("series").at("t").as_array().size();
}

} // namespace

BOOST_AUTO_TEST_CASE(restart_keeps_watch_list_history_and_rules) {
    temp_dir tmp;
    fs::path db = tmp.path / "pp.db";
    child_process child({"/bin/sleep", "603"});
    const std::string pid = std::to_string(child.pid());
    double before;
    {
        server_process srv(with_db(db));
        BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
        auto add = http_request(srv.port(), "POST", "/api/processes/monitor/add",
                                R"({"pid":)" + pid + "}");
        BOOST_TEST(add.json.at("success").as_bool());
        auto rule = http_request(
            srv.port(), "POST", "/api/alerts/rules",
            R"({"metric":"rss","op":">","threshold":1e15,"scope":"any","name":"huge"})");
        BOOST_TEST(rule.status == 201u);
        std::this_thread::sleep_for(1500ms); // several flushes
        before = now_s();
        BOOST_TEST(srv.terminate(3s) == 0);
    }
    server_process srv(with_db(db));
    auto metrics = http_request(srv.port(), "GET", "/api/processes/metrics");
    BOOST_TEST(metrics.json.at("count").as_int64() == 1);
    BOOST_TEST(metrics.json.at("processes").as_object().contains(pid));
    auto rules = http_request(srv.port(), "GET", "/api/alerts/rules");
    BOOST_REQUIRE(rules.json.at("rules").as_array().size() == 1u);
    BOOST_TEST(rules.json.at("rules").at(0).at("name").as_string() == "huge");
    // The points from before the restart come from the database.
    BOOST_TEST(history_points(srv.port(), child.pid(), before - 60, before) >= 3u);
    auto sys = http_request(srv.port(), "GET",
                            "/api/system/history?from=" + std::to_string(before - 60) +
                                "&to=" + std::to_string(before));
    BOOST_TEST(sys.json.at("series").at("t").as_array().size() >= 3u);
}

BOOST_AUTO_TEST_CASE(kill_minus_9_loses_at_most_the_last_flush) {
    temp_dir tmp;
    fs::path db = tmp.path / "pp.db";
    child_process child({"/bin/sleep", "604"});
    double killed;
    {
        server_process srv(with_db(db));
        BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
        http_request(srv.port(), "POST", "/api/processes/monitor/add",
                     R"({"pid":)" + std::to_string(child.pid()) + "}");
        std::this_thread::sleep_for(2s);
        killed = now_s();
        srv.kill9();
    }
    // The file opens cleanly and passes an integrity check.
    sqlite3* h = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr);
    BOOST_REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok");
    sqlite3_finalize(st);
    sqlite3_close(h);

    server_process srv(with_db(db));
    BOOST_TEST(
        http_request(srv.port(), "GET", "/api/processes/metrics").json.at("count").as_int64() == 1);
    // Everything up to the last flush (300 ms flush + 200 ms bucket before the kill) is there.
    auto r = http_request(srv.port(), "GET",
                          "/api/processes/" + std::to_string(child.pid()) + "/history?from=" +
                              std::to_string(killed - 60) + "&to=" + std::to_string(killed));
    BOOST_REQUIRE(r.status == 200u);
    const auto& t = r.json.at("series").at("t").as_array();
    BOOST_REQUIRE(!t.empty());
    BOOST_TEST(t.back().to_number<double>() >= killed - 1.0);
}

BOOST_AUTO_TEST_CASE(a_foreign_or_corrupt_file_is_refused_and_left_untouched) {
    temp_dir tmp;
    fs::path junk = tmp.path / "junk.db";
    {
        std::ofstream out(junk, std::ios::binary);
        for (int i = 0; i < 5000; ++i)
            out.put(static_cast<char>((i * 7919) & 0xff));
    }
    std::string before = read_all(junk);
    auto [status, text] = run_server_to_exit(with_db(junk), 10s);
    BOOST_TEST(status == 1);
    BOOST_TEST(text.find(junk.string()) != std::string::npos, text);
    BOOST_TEST(text.find("--db") != std::string::npos, text);
    BOOST_TEST(read_all(junk) == before);

    // A valid SQLite database of another application.
    fs::path other = tmp.path / "other.db";
    sqlite3* h = nullptr;
    BOOST_REQUIRE(sqlite3_open(other.c_str(), &h) == SQLITE_OK);
    sqlite3_exec(h,
                 "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices "
                 "VALUES(1, 9.5);",
                 nullptr, nullptr, nullptr);
    sqlite3_close(h);
    std::string other_before = read_all(other);
    auto [status2, text2] = run_server_to_exit(with_db(other), 10s);
    BOOST_TEST(status2 == 1);
    BOOST_TEST(text2.find("not a procpulse database") != std::string::npos, text2);
    BOOST_TEST(read_all(other) == other_before);
    BOOST_TEST(!fs::exists(other.string() + "-wal"));

    // Another application's database in WAL mode: refused, and no -wal or -shm appears beside it.
    fs::path wal = tmp.path / "wal.db";
    BOOST_REQUIRE(sqlite3_open(wal.c_str(), &h) == SQLITE_OK);
    sqlite3_exec(h, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr,
                 nullptr, nullptr);
    sqlite3_close(h);
    BOOST_REQUIRE(!fs::exists(wal.string() + "-wal"));
    std::string wal_before = read_all(wal);
    auto [status3, text3] = run_server_to_exit(with_db(wal), 10s);
    BOOST_TEST(status3 == 1);
    BOOST_TEST(text3.find("left untouched") != std::string::npos, text3);
    BOOST_TEST(read_all(wal) == wal_before);
    BOOST_TEST(!fs::exists(wal.string() + "-wal"));
    BOOST_TEST(!fs::exists(wal.string() + "-shm"));
}

BOOST_AUTO_TEST_CASE(a_database_path_with_uri_characters_reopens) {
    // The check before opening uses a file: URI; ?, # and % in the name must not change the file.
    temp_dir tmp;
    fs::path db = tmp.path / "odd?name#50%.db";
    for (int run = 0; run < 2; ++run) {
        server_process srv(with_db(db));
        BOOST_TEST(http_request(srv.port(), "GET", "/api/system").status == 200u);
    }
    BOOST_TEST(fs::exists(db));
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(tmp.path))
        files += e.path().filename().string().rfind("odd?name#50%.db", 0) == 0 ? 1 : 0;
    BOOST_TEST(files >= 1u);
}

BOOST_AUTO_TEST_CASE(history_of_an_exited_process_stays_queryable) {
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms", "--log-level", "warn",
                        "--db", ":memory:"});
    child_process child({"/bin/sleep", "605"});
    const int pid = child.pid();
    BOOST_REQUIRE(wait_seen(srv.port(), pid));
    std::this_thread::sleep_for(600ms);
    child.kill_and_wait();
    std::this_thread::sleep_for(500ms);
    BOOST_TEST(
        http_request(srv.port(), "GET", "/api/processes/metrics/" + std::to_string(pid)).status ==
        404u);
    auto r = http_request(srv.port(), "GET", "/api/processes/" + std::to_string(pid) + "/history");
    BOOST_REQUIRE(r.status == 200u);
    BOOST_TEST(r.json.at("series").at("t").as_array().size() >= 3u);
    BOOST_TEST(r.json.at("series").at("rss").at(0).as_int64() > 0);
    BOOST_TEST(r.json.at("name").as_string() == "sleep"); // described after it exited
    BOOST_TEST(r.json.at("cmdline").as_string() == "/bin/sleep 605");
    BOOST_TEST(r.json.at("start").as_int64() > 0);
    // Downsampling on request: one point per bucket.
    auto coarse = http_request(srv.port(), "GET",
                               "/api/processes/" + std::to_string(pid) + "/history?step=3600");
    BOOST_TEST(coarse.json.at("series").at("t").as_array().size() <= 2u);
    // And over the WebSocket.
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    c.send(R"({"type":"history","id":5,"pid":)" + std::to_string(pid) + "}");
    auto h = c.next_of("history");
    BOOST_REQUIRE(h);
    BOOST_TEST(h->at("ref").as_int64() == 5);
    BOOST_TEST(h->at("series").at("t").as_array().size() >= 3u);
}

BOOST_AUTO_TEST_CASE(alert_rules_fire_and_resolve_live) {
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms", "--log-level", "warn",
                        "--db", ":memory:"});
    child_process child({"/bin/sleep", "606"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    // Validation.
    auto bad = http_request(srv.port(), "POST", "/api/alerts/rules",
                            R"({"metric":"colour","threshold":1})");
    BOOST_TEST(bad.status == 400u);
    BOOST_TEST(std::string(bad.json.at("error").as_string()).find("unknown process metric") !=
               std::string::npos);
    BOOST_TEST(
        http_request(srv.port(), "POST", "/api/alerts/rules", R"({"metric":"rss","threshold":"x"})")
            .status == 400u);
    BOOST_TEST(http_request(srv.port(), "POST", "/api/alerts/rules", "nope").status == 400u);

    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    c.send(R"({"type":"subscribe","topic":"alerts"})");
    BOOST_REQUIRE(c.next_of("snapshot"));
    auto rule = http_request(
        srv.port(), "POST", "/api/alerts/rules",
        R"({"metric":"num_threads","op":">=","threshold":1,"for":0.4,"scope":"pid","pid":)" +
            std::to_string(child.pid()) + "}");
    BOOST_REQUIRE(rule.status == 201u);
    auto fired = c.next_of("alert", 5s);
    BOOST_REQUIRE(fired);
    BOOST_TEST(fired->at("event").at("state").as_string() == "firing");
    BOOST_TEST(fired->at("event").at("pid").as_int64() == child.pid());
    BOOST_TEST(fired->at("event").at("time").to_number<double>() -
                   fired->at("event").at("since").to_number<double>() >=
               0.39);
    auto overview = http_request(srv.port(), "GET", "/api/alerts");
    BOOST_TEST(overview.json.at("active").as_array().size() == 1u);
    const pid_t pid = child.pid();
    child.kill_and_wait();
    auto resolved = c.next_of("alert", 5s);
    BOOST_REQUIRE(resolved);
    BOOST_TEST(resolved->at("event").at("state").as_string() == "resolved");
    BOOST_TEST(resolved->at("event").at("reason").as_string() == "exited");
    BOOST_TEST(resolved->at("event").at("pid").as_int64() == pid);
    overview = http_request(srv.port(), "GET", "/api/alerts");
    BOOST_TEST(overview.json.at("active").as_array().empty());
    BOOST_TEST(overview.json.at("recent").as_array().size() == 2u);
    auto id = rule.json.at("rule").at("id").as_int64();
    BOOST_TEST(
        http_request(srv.port(), "DELETE", "/api/alerts/rules/" + std::to_string(id)).status ==
        200u);
    BOOST_TEST(
        http_request(srv.port(), "DELETE", "/api/alerts/rules/" + std::to_string(id)).status ==
        404u);
}
