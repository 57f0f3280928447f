// The REST API: the seed's endpoints with their JSON shapes, success flags and error texts, the
// history and system extensions, and request targets (path, query, percent-decoding).
#include "support.hpp"

#include "http/api.hpp"
#include "protocol/records.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <mutex>
#include <thread>

namespace procpulse::http {
namespace {

namespace json = boost::json;
using test::parse;

constexpr double wall = 1795680000.25;

core::process_sample named(int pid, std::string name, std::uint64_t rss, double mem_percent) {
    core::process_sample p = test::process(pid, 1000, std::move(name), "/bin/x");
    p.rss = rss;
    p.memory_percent = mem_percent;
    return p;
}

core::snapshot_ptr box() {
    return test::snapshot(7, wall,
                          {named(1, "systemd", 8192, 0.5), test::kernel_thread(2, 2, "kthreadd"),
                           named(17, "chrome", 300000000, 1.2),
                           named(5151, "Chrome", 200000000, 0.8),
                           test::process(4242, 88123, "a) b", "/usr/bin/a) b --serve")});
}

/** An API over box() and a watch list, with history of pid 4242 at wall-2 .. wall. */
struct api {
    watch_list watched;
    core::history hist{100, 4096};
    api_context ctx{box(), watched, wall + 0.5, 1.0, nullptr, nullptr};

    api() {
        for (int i = 2; i >= 0; --i) {
            auto p = test::process(4242, 88123, "a) b", "x");
            p.rss = static_cast<std::uint64_t>(10 - i) * 4096;
            hist.append(*test::snapshot(1, wall - i, {p}));
        }
        ctx.history = [this](int pid, std::optional<std::uint64_t> start, double from,
                             double to) -> std::optional<core::series> {
            auto key = start ? std::optional(core::process_key{pid, *start}) : hist.latest_key(pid);
            if (!key) return std::nullopt;
            return hist.process(*key, from, to);
        };
        ctx.system_history = [this](double from, double to) { return hist.system(from, to); };
    }

    api_response call(std::string_view method, std::string_view target,
                      std::string_view body = "") {
        auto r = handle_api(method, target, body, ctx);
        BOOST_TEST_REQUIRE(r.has_value(), target << " not handled");
        BOOST_TEST(r->content_type == "application/json");
        return *r;
    }
    json::value get(std::string_view target, unsigned status = 200) {
        auto r = call("GET", target);
        BOOST_TEST(r.status == status, target << ": " << r.body);
        return parse(r.body);
    }
    json::value post(std::string_view target, std::string_view body, unsigned status = 200) {
        auto r = call("POST", target, body);
        BOOST_TEST(r.status == status, target << " " << body << ": " << r.body);
        return parse(r.body);
    }
};

json::value failure(std::string_view error) {
    return json::object{{"success", false}, {"error", error}};
}

std::vector<int> pids_in(const json::value& list) {
    std::vector<int> out;
    for (const auto& p : list.as_array())
        out.push_back(static_cast<int>(p.at("pid").as_int64()));
    return out;
}

BOOST_AUTO_TEST_SUITE(api_tests)

BOOST_AUTO_TEST_CASE(healthz_reports_sample_age) {
    api a;
    BOOST_TEST(a.get("/healthz") == parse(R"({"status":"ok","seq":7,"sample_age_ms":500})"));
    a.ctx.now = wall + 10;
    BOOST_TEST(a.get("/healthz", 503).at("status") == json::value("stale"));
    a.ctx.latest = nullptr;
    BOOST_TEST(a.get("/healthz", 503) == parse(R"({"status":"starting"})"));
}

BOOST_AUTO_TEST_CASE(other_paths_are_not_the_apis) {
    api a;
    for (const char* t : {"/", "/index.html", "/apis", "/api", "/ws", "/metrics"})
        BOOST_TEST(!handle_api("GET", t, "", a.ctx).has_value(), t);
}

BOOST_AUTO_TEST_CASE(unknown_api_paths_and_methods) {
    api a;
    BOOST_TEST(a.get("/api/nope", 404) == failure("Not found"));
    auto r = a.call("DELETE", "/api/processes/list");
    BOOST_TEST(r.status == 405u);
    BOOST_TEST(parse(r.body) == failure("Method not allowed"));
    BOOST_TEST(a.post("/api/system/memory", "{}", 405) == failure("Method not allowed"));
    BOOST_TEST(a.call("GET", "/api/processes/monitor/add").status == 405u);
    BOOST_TEST(a.call("HEAD", "/api/processes/list").status == 200u);
}

BOOST_AUTO_TEST_CASE(list_is_top_50_by_memory_with_table_rows) {
    api a;
    json::value r = a.get("/api/processes/list");
    BOOST_TEST(r.at("success") == json::value(true));
    BOOST_TEST(pids_in(r.at("processes")) == (std::vector<int>{17, 5151, 1, 4242, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(r.at("processes").at(0) == json::value(protocol::table_row(box()->processes[2])));

    json::value small = a.get("/api/processes/list?limit=2&sort=rss&order=asc");
    BOOST_TEST(pids_in(small.at("processes")) == (std::vector<int>{2, 1}),
               boost::test_tools::per_element());
    BOOST_TEST(a.get("/api/processes/list?limit=0", 400) ==
               failure("limit must be a positive integer"));
    BOOST_TEST(a.get("/api/processes/list?limit=ten", 400) ==
               failure("limit must be a positive integer"));
    BOOST_TEST(a.get("/api/processes/list?sort=colour", 400) == failure("unknown sort key colour"));
}

BOOST_AUTO_TEST_CASE(endpoints_that_need_a_sample_say_so) {
    api a;
    a.ctx.latest = nullptr;
    for (const char* t :
         {"/api/processes/list", "/api/processes/search?name=x", "/api/processes/metrics",
          "/api/processes/metrics/1", "/api/system/memory", "/api/system"})
        BOOST_TEST(a.get(t, 503) == failure("No sample yet, try again in a second"), t);
}

BOOST_AUTO_TEST_CASE(search_by_name_is_case_insensitive) {
    api a;
    BOOST_TEST(a.get("/api/processes/search?name=CHR") ==
               parse(R"({"success":true,"processes":[{"pid":17,"name":"chrome"},)"
                     R"({"pid":5151,"name":"Chrome"}]})"));
    BOOST_TEST(pids_in(a.get("/api/processes/search?name=a%29%20b").at("processes")) ==
                   std::vector<int>{4242},
               boost::test_tools::per_element());
    BOOST_TEST(pids_in(a.get("/api/processes/search?name=a)+b").at("processes")) ==
                   std::vector<int>{4242},
               boost::test_tools::per_element());
    BOOST_TEST(a.get("/api/processes/search?name=zzz").at("processes").as_array().empty());
    BOOST_TEST(a.get("/api/processes/search", 400) == failure("Name parameter required"));
    BOOST_TEST(a.get("/api/processes/search?name=", 400) == failure("Name parameter required"));
    BOOST_TEST(a.get("/api/processes/search?other=chrome", 400) ==
               failure("Name parameter required"));
}

BOOST_AUTO_TEST_CASE(monitor_add_and_remove) {
    api a;
    std::vector<std::vector<int>> changes;
    a.watched.on_change = [&](const std::vector<int>& now) -> std::optional<std::string> {
        changes.push_back(now);
        return std::nullopt;
    };
    BOOST_TEST(a.post("/api/processes/monitor/add", R"({"pid":4242})") ==
               parse(R"({"success":true,"message":"Process 4242 added"})"));
    BOOST_TEST(a.post("/api/processes/monitor/add", R"({"pid":"17"})") ==
               parse(R"({"success":true,"message":"Process 17 added"})"));
    BOOST_TEST(a.post("/api/processes/monitor/add", R"({"pid":99999})") ==
               parse(R"({"success":false,"message":"Failed to add process"})"));
    BOOST_TEST(a.watched.pids() == (std::vector<int>{17, 4242}), boost::test_tools::per_element());

    BOOST_TEST(a.post("/api/processes/monitor/remove", R"({"pid":4242})") ==
               parse(R"({"success":true,"message":"Process 4242 removed"})"));
    BOOST_TEST(a.post("/api/processes/monitor/remove", R"({"pid":4242})") ==
               parse(R"({"success":false,"message":"Process not found"})"));
    BOOST_TEST(a.watched.pids() == std::vector<int>{17}, boost::test_tools::per_element());
    BOOST_TEST(changes.size() == 3u); // two adds and one removal changed the list
    // A list that cannot be saved (disk full): an error, never success, and nothing changed.
    a.watched.on_change = [&](const std::vector<int>&) -> std::optional<std::string> {
        return std::string("database or disk is full");
    };
    BOOST_TEST(a.post("/api/processes/monitor/add", R"({"pid":4242})", 500) ==
               parse(R"({"success":false,"message":"Failed to add process: database or disk is full"})"));
    BOOST_TEST(a.post("/api/processes/monitor/remove", R"({"pid":17})", 500) ==
               parse(R"({"success":false,"message":"Failed to remove process: database or disk is full"})"));
    BOOST_TEST(a.watched.pids() == std::vector<int>{17}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(monitor_bodies_that_are_refused) {
    api a;
    for (const char* body : {R"({})", R"({"pid":null})", R"({"pid":0})", R"({"pid":""})",
                             R"({"pid":false})", R"({"process":4242})"})
        BOOST_TEST(a.post("/api/processes/monitor/add", body, 400) == failure("PID required"),
                   body);
    for (const char* body : {R"({"pid":-3})", R"({"pid":"abc"})", R"({"pid":1.5})",
                             R"({"pid":"12x"})", R"({"pid":[1]})", R"({"pid":true})"})
        BOOST_TEST(a.post("/api/processes/monitor/remove", body, 400) ==
                       failure("PID must be a positive integer"),
                   body);
    for (const char* body : {"", "pid=1", "[4242]", "4242", "{\"pid\":"})
        BOOST_TEST(a.post("/api/processes/monitor/add", body, 400) ==
                       failure("Body must be a JSON object"),
                   body);
    BOOST_TEST(a.watched.pids().empty());
}

BOOST_AUTO_TEST_CASE(metrics_of_the_watched_processes) {
    api a;
    a.watched.assign({4242, 31337});
    json::value r = a.get("/api/processes/metrics");
    BOOST_TEST(r.at("success") == json::value(true));
    BOOST_TEST(r.at("count") == json::value(1));
    BOOST_TEST(r.at("processes").as_object().size() == 1u);
    const json::value& p = r.at("processes").at("4242");
    BOOST_TEST(p.at("name") == json::value("a) b"));
    BOOST_TEST(p.at("rss_mb") == json::value(10.0));
    BOOST_TEST(r.at("system_memory").at("total_gb") == json::value(23.54));
    // The seed drops processes that ended from the watch list.
    BOOST_TEST(a.watched.pids() == std::vector<int>{4242}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(metrics_of_one_process_carry_the_seed_fields) {
    api a;
    json::value r = a.get("/api/processes/metrics/4242");
    BOOST_TEST(r.at("success") == json::value(true));
    const json::value& p = r.at("process");
    json::object expected = protocol::process_record(*box()->find(4242));
    for (const auto& kv : expected)
        BOOST_TEST(p.at(kv.key()) == kv.value(), kv.key());
    BOOST_TEST(p.at("rss_mb") == json::value(10.0));
    BOOST_TEST(p.at("vms_mb") == json::value(100.0));
    BOOST_TEST(p.at("shared_mb") == json::value(2.0));
    BOOST_TEST(p.at("page_faults_total") == json::value(2563));
    BOOST_TEST(p.at("page_faults_delta") == json::value(128.0));
    // Local time "YYYY-MM-DDTHH:MM:SS.ffffff", as Python's datetime.isoformat() gives.
    std::string ts(p.at("timestamp").as_string());
    BOOST_TEST(ts.size() == 26u);
    BOOST_TEST(ts[10] == 'T');
    BOOST_TEST(ts.substr(19) == ".250000");

    BOOST_TEST(a.get("/api/processes/metrics/99999", 404) ==
               failure("Process not found or inaccessible"));
    for (const char* t : {"/api/processes/metrics/abc", "/api/processes/metrics/-1",
                          "/api/processes/metrics/0", "/api/processes/metrics/",
                          "/api/processes/metrics/12abc", "/api/processes/metrics/99999999999"})
        BOOST_TEST(a.get(t, 400) == failure("PID must be a positive integer"), t);
}

BOOST_AUTO_TEST_CASE(system_memory_with_the_seeds_convenience_fields) {
    api a;
    json::value m = a.get("/api/system/memory");
    BOOST_TEST(m.at("success") == json::value(true));
    const json::value& mem = m.at("memory");
    BOOST_TEST(mem.at("total") == json::value(25276502016));
    BOOST_TEST(mem.at("available") == json::value(24681119744));
    BOOST_TEST(mem.at("used") == json::value(319475712));
    BOOST_TEST(mem.at("percent") == json::value(2.4));
    BOOST_TEST(mem.at("total_gb") == json::value(23.54));
    BOOST_TEST(mem.at("available_gb") == json::value(22.99));
    BOOST_TEST(mem.at("used_gb") == json::value(0.3));
    BOOST_TEST(mem.at("swap_total_gb") == json::value(0.0));
    BOOST_TEST(a.get("/api/system").at("system") ==
               json::value(protocol::system_record(test::system(), wall)));
}

BOOST_AUTO_TEST_CASE(system_shows_the_kept_proc_files) {
    api a;
    auto snap = std::make_shared<core::snapshot>(*a.ctx.latest);
    snap->proc_files = core::proc_file_usage{96, 100, 16};
    a.ctx.latest = snap;
    BOOST_TEST(a.get("/api/system").at("proc_files") ==
               parse(R"({"open":96,"budget":100,"kept_processes":16})"));
}

BOOST_AUTO_TEST_CASE(process_history_with_range_metrics_and_step) {
    api a;
    std::string base = "/api/processes/4242/history?from=" + std::to_string(wall - 2) +
                       "&to=" + std::to_string(wall);
    json::value r = a.get(base);
    BOOST_TEST(r.at("success") == json::value(true));
    BOOST_TEST(r.at("pid") == json::value(4242));
    BOOST_TEST(r.at("series").at("rss") == parse("[32768,36864,40960]"));
    json::value some = a.get(base + "&metrics=rss,cpu_percent");
    BOOST_TEST(some.at("series").as_object().size() == 3u); // t, rss, cpu_percent
    json::value stepped = a.get(base + "&step=2");
    BOOST_TEST(stepped.at("series").at("t").as_array().size() == 2u);
    BOOST_TEST(
        a.get("/api/processes/4242/history?start=88123").at("series").at("t").as_array().size() ==
        3u);
    BOOST_TEST(a.get("/api/processes/4242/history?start=1", 404) ==
               failure("Process not found or inaccessible"));
    BOOST_TEST(a.get("/api/processes/77/history", 404) ==
               failure("Process not found or inaccessible"));
    BOOST_TEST(a.get(base + "&metrics=bogus", 400) == failure("unknown metric \"bogus\""));
    BOOST_TEST(a.get("/api/processes/4242/history?from=5&to=4", 400) ==
               failure("from is after to"));
    BOOST_TEST(a.get("/api/processes/4242/history?from=soon", 400) ==
               failure("from must be a number (seconds since the epoch)"));
    BOOST_TEST(a.get("/api/processes/4242/history?to=", 400) ==
               failure("to must be a number (seconds since the epoch)"));
    BOOST_TEST(a.get("/api/processes/4242/history?step=0", 400) ==
               failure("step must be a positive number of seconds"));
    BOOST_TEST(a.get("/api/processes/4242/history?start=x", 400) ==
               failure("start must be an integer"));
    BOOST_TEST(a.get("/api/processes/x/history", 400) == failure("PID must be a positive integer"));
    a.ctx.history = nullptr;
    BOOST_TEST(a.get("/api/processes/4242/history", 503) == failure("History is not available"));
}

BOOST_AUTO_TEST_CASE(system_history) {
    api a;
    json::value r = a.get("/api/system/history?from=0");
    BOOST_TEST(r.at("series").at("t").as_array().size() == 3u);
    BOOST_TEST(r.at("series").as_object().contains("mem_used"));
    BOOST_TEST(!r.as_object().contains("pid"));
    // Per-core CPU comes as one array per core, aligned with t, and can be picked by name.
    const auto& cores = r.at("series").at("cpu_percent_per_core").as_array();
    BOOST_TEST_REQUIRE(cores.size() == 2u);
    BOOST_TEST(cores[1].as_array().size() == 3u);
    BOOST_TEST(cores[1].as_array()[0] == json::value(20.8));
    json::value picked = a.get("/api/system/history?from=0&metrics=cpu_percent_per_core,"
                               "disk_read_bytes_per_sec&step=1e9");
    BOOST_TEST(picked.at("series").at("cpu_percent_per_core").as_array()[0].as_array().size() ==
               1u);
    BOOST_TEST(picked.at("series").at("disk_read_bytes_per_sec").as_array().size() == 1u);
    BOOST_TEST(!picked.at("series").as_object().contains("mem_used"));
    a.ctx.system_history = nullptr;
    BOOST_TEST(a.get("/api/system/history", 503) == failure("History is not available"));
}

BOOST_AUTO_TEST_CASE(threads_and_open_files) {
    api a;
    BOOST_TEST(a.get("/api/processes/4242/threads", 503) == failure("Threads are not available"));
    BOOST_TEST(a.get("/api/processes/4242/fds", 503) == failure("Open files are not available"));
    procfs::read_status task_status = procfs::read_status::ok;
    procfs::read_status fd_status = procfs::read_status::forbidden;
    a.ctx.threads = [&](int pid) {
        thread_view v;
        v.status = task_status;
        v.report.key = {pid, 88123};
        v.report.count = 2;
        v.report.gap_seconds = 2.0004;
        core::thread_sample t;
        t.tid = pid;
        t.name = "main";
        t.status = "sleeping";
        t.cpu_percent = 12.345;
        t.cpu_user = 1.5;
        v.report.threads.push_back(t);
        v.fd_status = fd_status;
        v.fd_count = 7;
        return v;
    };
    std::size_t asked = 0;
    a.ctx.fds = [&](int, std::size_t limit) {
        asked = limit;
        procfs::fd_list l;
        l.status = fd_status;
        l.total = 3;
        l.files = {{0, "/dev/null"}, {1, "socket:[123]"}};
        return l;
    };
    json::value t = a.get("/api/processes/4242/threads");
    BOOST_TEST(t.at("start") == json::value(88123));
    BOOST_TEST(t.at("count") == json::value(2));
    BOOST_TEST(t.at("interval") == json::value(2.0));
    BOOST_TEST(t.at("threads").at(0).at("cpu_percent") == json::value(12.3));
    BOOST_TEST(t.at("threads").at(0).at("name") == json::value("main"));
    // Another user's descriptors: no count, and why.
    BOOST_TEST(t.at("fd_count").is_null());
    BOOST_TEST(t.at("fd_error") == json::value("permission denied"));
    BOOST_TEST(a.get("/api/processes/4242/fds", 403) == failure("permission denied"));
    fd_status = procfs::read_status::ok;
    BOOST_TEST(a.get("/api/processes/4242/threads").at("fd_count") == json::value(7));
    json::value f = a.get("/api/processes/4242/fds?limit=2");
    BOOST_TEST(asked == 2u);
    BOOST_TEST(f.at("total") == json::value(3));
    BOOST_TEST(f.at("truncated") == json::value(true));
    BOOST_TEST(f.at("fds").at(1).at("target") == json::value("socket:[123]"));
    a.get("/api/processes/4242/fds");
    BOOST_TEST(asked == 1000u); // the default bound
    BOOST_TEST(a.get("/api/processes/4242/fds?limit=0", 400) ==
               failure("limit must be an integer from 1 to 10000"));
    BOOST_TEST(a.get("/api/processes/4242/fds?limit=10001", 400) ==
               failure("limit must be an integer from 1 to 10000"));
    BOOST_TEST(a.get("/api/processes/x/threads", 400) == failure("PID must be a positive integer"));
    task_status = procfs::read_status::gone;
    BOOST_TEST(a.get("/api/processes/4242/threads", 404) == failure("no such process"));
    task_status = procfs::read_status::forbidden;
    BOOST_TEST(a.get("/api/processes/4242/threads", 403) == failure("permission denied"));
    BOOST_TEST(a.call("POST", "/api/processes/4242/threads").status == 405u);
}

BOOST_AUTO_TEST_CASE(alerts_without_an_alert_engine) {
    api a;
    BOOST_TEST(a.get("/api/alerts", 503) == failure("Alerts are not available"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(targets)

BOOST_AUTO_TEST_CASE(path_and_query_are_split_and_decoded) {
    target_parts t = split_target("/api/x%2Fy?name=a%20b&flag&x=1+2&=v&&y=&name=second");
    BOOST_TEST(t.path == "/api/x/y");
    using kv = std::pair<std::string, std::string>;
    std::vector<kv> expected{{"name", "a b"}, {"flag", ""}, {"x", "1 2"},
                             {"", "v"},       {"y", ""},    {"name", "second"}};
    BOOST_TEST_REQUIRE(t.query.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST(t.query[i].first == expected[i].first);
        BOOST_TEST(t.query[i].second == expected[i].second);
    }
    BOOST_TEST(*t.param("name") == "a b"); // the first one
    BOOST_TEST(!t.param("missing").has_value());
}

BOOST_AUTO_TEST_CASE(bad_escapes_stay_as_they_are) {
    BOOST_TEST(split_target("/a%zz").path == "/a%zz");
    BOOST_TEST(split_target("/a%4").path == "/a%4");
    BOOST_TEST(split_target("/a%").path == "/a%");
    BOOST_TEST(split_target("/%41%62").path == "/Ab");
    BOOST_TEST(split_target("/p?").query.empty());
    BOOST_TEST(split_target("").path.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(watch_list_tests)

BOOST_AUTO_TEST_CASE(changes_are_reported_and_assign_is_silent) {
    watch_list w;
    int calls = 0;
    w.on_change = [&](const std::vector<int>&) -> std::optional<std::string> {
        ++calls;
        return std::nullopt;
    };
    BOOST_TEST(w.add(5).changed);
    auto again = w.add(5); // already there: still a success, not a change
    BOOST_TEST(again.ok());
    BOOST_TEST(!again.changed);
    BOOST_TEST(calls == 1);
    BOOST_TEST(w.contains(5));
    BOOST_TEST(!w.remove(6).changed);
    BOOST_TEST(calls == 1);
    w.assign({9, 3, 9});
    BOOST_TEST(calls == 1);
    BOOST_TEST(w.pids() == (std::vector<int>{3, 9}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_change_that_cannot_be_saved_is_undone_and_reported) {
    watch_list w;
    bool full = false;
    w.on_change = [&](const std::vector<int>&) -> std::optional<std::string> {
        if (full) return std::string("database or disk is full");
        return std::nullopt;
    };
    BOOST_TEST(w.add(1).ok());
    full = true;
    auto add = w.add(2);
    BOOST_TEST(!add.ok());
    BOOST_TEST(add.save_error == "database or disk is full");
    BOOST_TEST(!w.contains(2));
    auto rm = w.remove(1);
    BOOST_TEST(!rm.ok());
    BOOST_TEST(w.contains(1)); // still watched, as the database says
}

BOOST_AUTO_TEST_CASE(concurrent_changes_are_saved_in_the_order_they_happen) {
    // The last list saved is always the list as it is: a save never overtakes a later change.
    watch_list w;
    std::mutex m;
    std::vector<int> last_saved;
    w.on_change = [&](const std::vector<int>& now) -> std::optional<std::string> {
        std::this_thread::yield(); // widen the window a lost update needs
        std::lock_guard lock(m);
        last_saved = now;
        return std::nullopt;
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&w, t] {
            for (int i = 0; i < 500; ++i) {
                w.add(t * 1000 + i);
                if (i % 3 == 0) w.remove(t * 1000 + i);
            }
        });
    for (auto& th : threads)
        th.join();
    std::lock_guard lock(m);
    BOOST_TEST(last_saved == w.pids(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::http
