// Threads and open files of a live process over REST, the system record's devices, and a
// database from before the disk and network columns, against the real server.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <ctime>
#include <fstream>
#include <set>

using namespace procpulse::test;
namespace json = boost::json;

namespace {

/** Polls f every 50 ms until it holds or 10 s passed. */
template <class F> bool eventually(F f) {
    auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        if (f()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return f();
}

} // namespace

BOOST_AUTO_TEST_CASE(threads_and_open_files_of_a_child_with_three_threads) {
    temp_dir dir;
    const auto known = dir.path / "known-file.log";
    std::ofstream(known) << "x";
    // Python: the main thread and two more, the known file open; it lives until killed.
    child_process child({"/usr/bin/python3", "-c",
                         "import threading,sys,time\n"
                         "f=open(sys.argv[1])\n"
                         "e=threading.Event()\n"
                         "for _ in range(2): threading.Thread(target=e.wait,daemon=True).start()\n"
                         "time.sleep(600)\n",
                         known.string()});
    server_process srv(quick_server_args());
    const std::string base = "/api/processes/" + std::to_string(child.pid());
    http_reply t;
    BOOST_TEST_REQUIRE(eventually([&] {
        t = http_request(srv.port(), "GET", base + "/threads");
        return t.status == 200 && t.json.at("count").as_int64() == 3;
    }));
    const auto& threads = t.json.at("threads").as_array();
    BOOST_TEST(threads.size() == 3u);
    BOOST_TEST(threads[0].at("tid").as_int64() == child.pid());
    BOOST_TEST(t.json.at("fd_count").as_int64() >= 4); // stdio and the known file
    // The second request measures CPU per thread over the gap since the first.
    auto t2 = http_request(srv.port(), "GET", base + "/threads");
    BOOST_TEST(t2.json.at("interval").is_number());
    BOOST_TEST(t2.json.at("threads").as_array()[1].at("cpu_percent").is_number());

    auto f = http_request(srv.port(), "GET", base + "/fds");
    BOOST_TEST_REQUIRE(f.status == 200u);
    std::set<std::string> targets;
    for (const auto& e : f.json.at("fds").as_array())
        targets.insert(std::string(e.at("target").as_string()));
    BOOST_TEST(targets.count(known.string()) == 1u);
    BOOST_TEST(f.json.at("total").as_int64() == t.json.at("fd_count").as_int64());
    auto one = http_request(srv.port(), "GET", base + "/fds?limit=1");
    BOOST_TEST(one.json.at("fds").as_array().size() == 1u);
    BOOST_TEST(one.json.at("truncated").as_bool());

    const int pid = child.pid();
    child.kill_and_wait();
    auto gone =
        http_request(srv.port(), "GET", "/api/processes/" + std::to_string(pid) + "/threads");
    BOOST_TEST(gone.status == 404u);
    BOOST_TEST(gone.json.at("error").as_string() == "no such process");
    BOOST_TEST(
        http_request(srv.port(), "GET", "/api/processes/" + std::to_string(pid) + "/fds").status ==
        404u);

    // The system record lists lo among the interfaces and has the totals, with rates after a sweep.
    http_reply sys;
    BOOST_TEST_REQUIRE(eventually([&] {
        sys = http_request(srv.port(), "GET", "/api/system");
        return sys.status == 200 &&
               sys.json.at("system").at("io").at("net_rx_bytes_per_sec").is_number();
    }));
    BOOST_TEST(sys.json.at("system").at("net").as_object().contains("lo"));
    BOOST_TEST(sys.json.at("system").at("filesystems").is_object());
    auto h = http_request(srv.port(), "GET", "/api/system/history?metrics=cpu_percent_per_core");
    const auto& cores = h.json.at("series").at("cpu_percent_per_core").as_array();
    BOOST_TEST(cores.size() == sys.json.at("system").at("cpu").at("count").as_int64());
}

BOOST_AUTO_TEST_CASE(a_database_from_before_the_device_columns_gets_them) {
    temp_dir dir;
    const auto db = dir.path / "old.db";
    const std::string old_t = std::to_string(static_cast<long long>(::time(nullptr)) - 100);
    {
        sqlite3* h = nullptr;
        BOOST_REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
        // Schema 1 as the previous release made it: seven system columns.
        const std::string sql =
            "PRAGMA application_id=1886415987; PRAGMA user_version=1;"
            "CREATE TABLE sys_history(step INTEGER NOT NULL, t REAL NOT NULL,"
            " cpu_percent REAL, mem_used REAL, mem_percent REAL, swap_used REAL,"
            " load1 REAL, minor_faults_per_sec REAL, major_faults_per_sec REAL,"
            " PRIMARY KEY(step, t)) WITHOUT ROWID;"
            "INSERT INTO sys_history(step, t, cpu_percent) VALUES(1000, " +
            old_t + ", 5);";
        sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(h);
    }
    {
        server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms", "--log-level", "warn",
                            "--db", db.string(), "--flush-interval", "300ms"});
        BOOST_TEST_REQUIRE(eventually([&] {
            auto r = http_request(srv.port(), "GET", "/api/system/history?from=0");
            return r.status == 200 && r.json.at("series").at("t").as_array().size() >= 3;
        }));
        auto r = http_request(srv.port(), "GET",
                              "/api/system/history?from=" + old_t + "&to=" + old_t + ".5");
        BOOST_TEST(r.json.at("series").at("cpu_percent").as_array().size() == 1u); // the old point
        BOOST_TEST(r.json.at("series").at("disk_read_bytes_per_sec").as_array()[0].is_null());
        BOOST_TEST(srv.terminate(10s) == 0);
    }
    sqlite3* h = nullptr;
    BOOST_REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    std::set<std::string> cols;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, "PRAGMA table_info(sys_history)", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
        cols.insert(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    sqlite3_finalize(s);
    sqlite3_close(h);
    for (const char* c : {"disk_read_bytes_per_sec", "disk_write_bytes_per_sec",
                          "net_rx_bytes_per_sec", "net_tx_bytes_per_sec"})
        BOOST_TEST(cols.count(c) == 1u, c);
}
