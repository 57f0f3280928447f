// History across a restart: each part of a range comes from the finest tier that holds it, so the
// stored part of the default query has the 1 s tier's resolution (issue: it came from the 10 s tier).
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <unistd.h>

using namespace procpulse::test;
namespace fs = std::filesystem;

namespace {

/** A database file in a temporary directory of the test's own. */
struct temp_db {
    temp_dir dir{"procpulse-stitch"};
    fs::path file = dir.path / "pp.db";
};

std::vector<std::string> args(const fs::path& db) {
    // Default retention tiers (1 s for 1 h, 10 s for 24 h, 1 min for 7 d).
    return {"--listen",    "127.0.0.1:0", "--interval", "500ms",        "--log-level",
            "warn",        "--db",        db.string(),  "--flush-interval", "1s"};
}

std::vector<double> times(const http_reply& r) {
    std::vector<double> out;
    for (const auto& v : r.json.at("series").at("t").as_array())
        out.push_back(v.to_number<double>());
    return out;
}

double now_s() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
}

/** Watches a child for `span` seconds of history, stops the server its way, restarts, checks. */
void watch_restart_and_check(bool graceful) {
    temp_db db;
    child_process child({"/bin/sleep", "640"});
    const std::string pid = std::to_string(child.pid());
    const std::string url = "/api/processes/" + pid + "/history?metrics=rss";
    double first_seen = 0, stopped = 0;
    {
        server_process srv(args(db.file));
        auto add = http_request(srv.port(), "POST", "/api/processes/monitor/add",
                                R"({"pid":)" + pid + "}");
        BOOST_REQUIRE(add.json.at("success").as_bool());
        // Until the memory history spans 12 s (and a flush after that).
        auto until = std::chrono::steady_clock::now() + 30s;
        std::vector<double> t;
        while (std::chrono::steady_clock::now() < until) {
            t = times(http_request(srv.port(), "GET", url));
            if (t.size() >= 2 && t.back() - t.front() >= 13.5) break;
            std::this_thread::sleep_for(200ms);
        }
        BOOST_REQUIRE(t.size() >= 2);
        BOOST_REQUIRE(t.back() - t.front() >= 13.5);
        first_seen = t.front();
        stopped = now_s();
        if (graceful)
            BOOST_REQUIRE(srv.terminate(5s) == 0);
        else
            srv.kill9();
    }
    server_process srv(args(db.file));
    auto r = http_request(srv.port(), "GET", url); // default range: the last hour
    BOOST_REQUIRE(r.status == 200u);
    auto t = times(r);
    std::vector<double> stored;
    for (double x : t)
        if (x < stopped) stored.push_back(x);
    BOOST_REQUIRE(stored.size() >= 2u);
    for (std::size_t i = 1; i < t.size(); ++i)
        BOOST_TEST_REQUIRE(t[i] > t[i - 1]); // no duplicates, no overlap between the parts
    // A kill -9 loses at most the last flush (1 s) and the open buckets: 10 s of the 13.5 remain.
    const double span = std::max(stored.back() - stored.front(), 1e-9);
    const double rate = static_cast<double>(stored.size() - 1) / span;
    BOOST_TEST_MESSAGE((graceful ? "SIGTERM" : "kill -9")
                       << ": " << stored.size() << " stored points over " << span << " s = "
                       << rate << " points/s");
    BOOST_TEST(span >= 10.0);
    BOOST_TEST(rate >= 0.9);
    BOOST_TEST(stored.front() >= first_seen - 1e-6); // no bucket stamped before its first sweep

    // An explicit step downsamples the stitched result: one point per 3 s, never coarser tier rows.
    auto stepped = times(http_request(srv.port(), "GET", url + "&step=3"));
    std::size_t stored_stepped = 0;
    for (double x : stepped)
        stored_stepped += x < stopped ? 1 : 0;
    BOOST_TEST(stored_stepped >= 4u);
    BOOST_TEST(stored_stepped <= 6u);

    // The system history across the restart too.
    auto sys = times(http_request(srv.port(), "GET", "/api/system/history"));
    std::size_t sys_stored = 0;
    for (double x : sys)
        sys_stored += (x < stopped && x >= first_seen) ? 1 : 0;
    BOOST_TEST(sys_stored >= 11u);
}

} // namespace

BOOST_AUTO_TEST_CASE(after_sigterm_the_default_query_has_1_s_points_for_the_stored_part) {
    watch_restart_and_check(true);
}

BOOST_AUTO_TEST_CASE(after_kill_9_the_default_query_has_1_s_points_for_the_stored_part) {
    watch_restart_and_check(false);
}
