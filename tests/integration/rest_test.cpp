// The seed's REST API, drop-in: paths, JSON shapes, success flags, error texts and codes.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

using namespace procpulse::test;
namespace json = boost::json;

namespace {
std::vector<std::string> fast() {
    return quick_server_args();
}
std::string str(const json::value& v, const char* k) {
    return std::string(v.at(k).as_string());
}
} // namespace

BOOST_AUTO_TEST_CASE(rest_endpoints_keep_the_seed_shapes) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "602"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    const std::string pid = std::to_string(child.pid());
    std::this_thread::sleep_for(500ms); // at least one sweep after the child started

    auto list = http_request(srv.port(), "GET", "/api/processes/list");
    BOOST_TEST(list.status == 200u);
    BOOST_TEST(list.json.at("success").as_bool());
    const auto& procs = list.json.at("processes").as_array();
    BOOST_TEST(procs.size() <= 50u);
    BOOST_REQUIRE(!procs.empty());
    for (const char* k : {"pid", "name", "status", "memory_percent"})
        BOOST_TEST(procs[0].as_object().contains(k));
    for (std::size_t i = 1; i < procs.size(); ++i) // top by memory
        BOOST_TEST(procs[i - 1].at("memory_percent").to_number<double>() >=
                   procs[i].at("memory_percent").to_number<double>());
    auto list3 = http_request(srv.port(), "GET", "/api/processes/list?limit=3&sort=pid");
    BOOST_TEST(list3.json.at("processes").as_array().size() == 3u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/list?limit=-1").status == 400u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/list?sort=colour").status == 400u);

    auto search = http_request(srv.port(), "GET", "/api/processes/search?name=SLEEP");
    BOOST_TEST(search.status == 200u);
    bool found = false;
    for (const auto& p : search.json.at("processes").as_array())
        found = found || p.at("pid").as_int64() == child.pid();
    BOOST_TEST(found);
    auto nosearch = http_request(srv.port(), "GET", "/api/processes/search");
    BOOST_TEST(nosearch.status == 400u);
    BOOST_TEST(str(nosearch.json, "error") == "Name parameter required");
    BOOST_TEST(nosearch.json.at("success").as_bool() == false);

    auto add =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pid + "}");
    BOOST_TEST(add.status == 200u);
    BOOST_TEST(add.json.at("success").as_bool());
    BOOST_TEST(str(add.json, "message") == "Process " + pid + " added");
    auto add_missing =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":999999})");
    BOOST_TEST(add_missing.json.at("success").as_bool() == false);
    BOOST_TEST(str(add_missing.json, "message") == "Failed to add process");
    for (const char* body : {"{}", R"({"pid":0})", R"({"pid":null})"}) {
        auto r = http_request(srv.port(), "POST", "/api/processes/monitor/add", body);
        BOOST_TEST(r.status == 400u, body);
        BOOST_TEST(str(r.json, "error") == "PID required", body);
    }
    for (const char* body : {R"({"pid":-5})", R"({"pid":"abc"})", "not json", R"({"pid":1.5})"}) {
        auto r = http_request(srv.port(), "POST", "/api/processes/monitor/add", body);
        BOOST_TEST(r.status == 400u, body);
        BOOST_TEST(r.json.at("success").as_bool() == false, body);
    }
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/monitor/add").status == 405u);

    auto metrics = http_request(srv.port(), "GET", "/api/processes/metrics");
    BOOST_TEST(metrics.status == 200u);
    BOOST_TEST(metrics.json.at("count").as_int64() == 1);
    const auto& m = metrics.json.at("processes").at(pid).as_object();
    for (const char* k : {"pid", "name", "status", "cpu_percent", "rss", "vms", "rss_mb", "vms_mb",
                          "shared", "shared_mb", "memory_percent", "num_threads", "timestamp",
                          "page_faults_total", "page_faults_delta"})
        BOOST_TEST(m.contains(k), k);
    BOOST_TEST(m.at("rss_mb").to_number<double>() ==
                   std::round(m.at("rss").to_number<double>() / 1048576.0 * 100) / 100,
               boost::test_tools::tolerance(1e-9));
    for (const char* k :
         {"total", "available", "used", "free", "percent", "total_gb", "swap_percent"})
        BOOST_TEST(metrics.json.at("system_memory").as_object().contains(k), k);

    auto one = http_request(srv.port(), "GET", "/api/processes/metrics/" + pid);
    BOOST_TEST(one.status == 200u);
    BOOST_TEST(one.json.at("process").at("pid").as_int64() == child.pid());
    auto none = http_request(srv.port(), "GET", "/api/processes/metrics/999999");
    BOOST_TEST(none.status == 404u);
    BOOST_TEST(str(none.json, "error") == "Process not found or inaccessible");
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/metrics/abc").status == 400u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/metrics/-3").status == 400u);

    auto mem = http_request(srv.port(), "GET", "/api/system/memory");
    BOOST_TEST(mem.status == 200u);
    for (const char* k :
         {"total", "available", "used", "free", "percent", "total_gb", "available_gb", "used_gb",
          "swap_total", "swap_used", "swap_percent", "swap_total_gb", "swap_used_gb"})
        BOOST_TEST(mem.json.at("memory").as_object().contains(k), k);

    auto rem =
        http_request(srv.port(), "POST", "/api/processes/monitor/remove", R"({"pid":)" + pid + "}");
    BOOST_TEST(rem.json.at("success").as_bool());
    BOOST_TEST(str(rem.json, "message") == "Process " + pid + " removed");
    auto rem2 =
        http_request(srv.port(), "POST", "/api/processes/monitor/remove", R"({"pid":)" + pid + "}");
    BOOST_TEST(rem2.json.at("success").as_bool() == false);
    BOOST_TEST(str(rem2.json, "message") == "Process not found");

    // Process history and system history.
    auto hist = http_request(srv.port(), "GET",
                             "/api/processes/" + pid + "/history?metrics=rss,cpu_percent");
    BOOST_TEST(hist.status == 200u);
    const auto& series = hist.json.at("series").as_object();
    BOOST_TEST(series.at("t").as_array().size() >= 1u);
    BOOST_TEST(series.at("rss").as_array().size() == series.at("t").as_array().size());
    BOOST_TEST(!series.contains("vms"));
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/" + pid + "/history?metrics=colour")
                   .status == 400u);
    BOOST_TEST(
        http_request(srv.port(), "GET", "/api/processes/" + pid + "/history?from=10&to=5").status ==
        400u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/processes/999999/history").status == 404u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system/history")
                   .json.at("series")
                   .as_object()
                   .contains("cpu_percent"));

    auto health = http_request(srv.port(), "GET", "/healthz");
    BOOST_TEST(health.status == 200u);
    BOOST_TEST(str(health.json, "status") == "ok");
    BOOST_TEST(http_request(srv.port(), "GET", "/api/nothing-here").status == 404u);

    auto prom = http_request(srv.port(), "GET", "/metrics");
    BOOST_TEST(prom.status == 200u);
    BOOST_TEST(prom.body.find("procpulse_memory_bytes{kind=\"total\"}") != std::string::npos);

    // Pages (the embedded app, or the placeholder in a build without it), with the embed policy.
    auto page = http_request(srv.port(), "GET", "/");
    BOOST_TEST(page.status == 200u);
    BOOST_TEST(page.header("Content-Security-Policy") == "frame-ancestors 'self'");
    BOOST_TEST(http_request(srv.port(), "GET", "/../../etc/passwd").status == 404u);
}

BOOST_AUTO_TEST_CASE(huge_body_and_cross_site_post_are_refused) {
    server_process srv(fast());
    auto big =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", std::string(200000, ' '));
    BOOST_TEST(big.status == 413u);
    auto csrf = http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":1})",
                             {{"Origin", "http://evil.example"}});
    BOOST_TEST(csrf.status == 403u);
    // The server is still fine.
    BOOST_TEST(http_request(srv.port(), "GET", "/healthz").status == 200u);
}
