#include "protocol/records.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <string>

namespace procpulse::protocol {
namespace {

namespace json = boost::json;

core::process_sample first_sample() {
    core::process_sample p;
    p.key = {1201, 123456};
    p.ppid = 1;
    p.name = "python3";
    p.cmdline = std::make_shared<const std::string>("python3 -m http.server 8000");
    p.username = std::make_shared<const std::string>("alice");
    p.uid = 1000;
    p.state = 'S';
    p.status = "sleeping";
    p.create_time = 1700001234.56789;
    p.nice = 5;
    p.num_threads = 3;
    p.cpu_user = 2.5;
    p.cpu_system = 0.754;
    p.rss = 10485760;
    p.vms = 26214400;
    p.shared = 5242880;
    p.text = 2867200;
    p.data = 7372800;
    p.memory_percent = 0.0625;
    p.minor_faults = 5100;
    p.major_faults = 12;
    p.ctx_switches_voluntary = 842;
    p.ctx_switches_involuntary = 17;
    p.unavailable = core::unavailable_io; // read_bytes … stay absent
    return p;
}

BOOST_AUTO_TEST_SUITE(records_tests)

BOOST_AUTO_TEST_CASE(absent_values_are_null_never_zero) {
    json::object o = process_record(first_sample());
    for (const char* key : {"cpu_percent", "minor_faults_per_sec", "major_faults_per_sec",
                            "read_bytes", "write_bytes", "read_chars", "write_chars", "read_count",
                            "write_count", "read_bytes_per_sec", "write_bytes_per_sec"}) {
        BOOST_TEST_CONTEXT(key) {
            BOOST_TEST_REQUIRE(o.contains(key));
            BOOST_TEST(o.at(key).is_null());
        }
    }
    BOOST_TEST(json::serialize(o.at("unavailable")) == R"(["io"])");

    core::process_sample no_status = first_sample();
    no_status.username.reset();
    no_status.uid.reset();
    no_status.ctx_switches_voluntary.reset();
    no_status.unavailable = core::unavailable_status;
    json::object n = process_record(no_status);
    BOOST_TEST(n.at("username").is_null());
    BOOST_TEST(n.at("uid").is_null());
    BOOST_TEST(n.at("ctx_switches_voluntary").is_null());
    BOOST_TEST(json::serialize(n.at("unavailable")) == R"(["status"])");
}

BOOST_AUTO_TEST_CASE(present_values_and_rounding) {
    core::process_sample p = first_sample();
    p.cpu_percent = 12.36;
    p.minor_faults_per_sec = 1000.04;
    p.read_bytes = 0; // a real zero stays a number
    p.read_bytes_per_sec = 2048.0;
    p.unavailable = 0;
    json::object o = process_record(p);
    BOOST_TEST(o.at("pid").as_int64() == 1201);
    BOOST_TEST(o.at("start").as_uint64() == 123456u);
    BOOST_TEST(o.at("name").as_string() == "python3");
    BOOST_TEST(o.at("cmdline").as_string() == "python3 -m http.server 8000");
    BOOST_TEST(o.at("username").as_string() == "alice");
    BOOST_TEST(o.at("status").as_string() == "sleeping");
    BOOST_TEST(o.at("cpu_percent").as_double() == 12.4); // 0.1 of a percent
    BOOST_TEST(o.at("minor_faults_per_sec").as_double() == 1000.0);
    BOOST_TEST(o.at("read_bytes").as_uint64() == 0u);
    BOOST_TEST(o.at("read_bytes_per_sec").as_double() == 2048.0);
    BOOST_TEST(o.at("create_time").as_double() == 1700001234.57);
    BOOST_TEST(o.at("cpu_system").as_double() == 0.75);
    BOOST_TEST(o.at("memory_percent").as_double() == 0.06);
    BOOST_TEST(o.at("rss").as_uint64() == 10485760u);
    BOOST_TEST(o.at("shared").as_uint64() == 5242880u);
    BOOST_TEST(o.at("kernel_thread").as_bool() == false);
    BOOST_TEST(o.at("zombie").as_bool() == false);
    BOOST_TEST(json::serialize(o.at("unavailable")) == "[]");

    p.cpu_percent = 12.34;
    BOOST_TEST(process_record(p).at("cpu_percent").as_double() == 12.3);
    p.cpu_percent = 250.0; // several cores
    BOOST_TEST(process_record(p).at("cpu_percent").as_double() == 250.0);
}

BOOST_AUTO_TEST_CASE(round_to_digits) {
    BOOST_TEST(round_to(12.36, 1) == 12.4);
    BOOST_TEST(round_to(12.34, 1) == 12.3);
    BOOST_TEST(round_to(0.0625, 2) == 0.06);
    BOOST_TEST(round_to(2.5, 0) == 3.0);
    BOOST_TEST(round_to(1.23456, 3) == 1.235);
    double z = round_to(-0.04, 1); // no "-0" in the JSON
    BOOST_TEST(z == 0.0);
    BOOST_TEST(!std::signbit(z));
    BOOST_TEST(json::serialize(json::value(round_to(-0.04, 1))) ==
               json::serialize(json::value(0.0)));
}

BOOST_AUTO_TEST_CASE(system_record_fields) {
    core::system_sample s;
    s.mem_total = 16777216000;
    s.mem_available = 12582912000;
    s.mem_percent = 25.04;
    s.swap_percent = 24.96;
    s.cpu_count = 2;
    s.cpu_percent_per_core = {std::nullopt, 12.34};
    s.load1 = 0.521;
    s.uptime = 12345.67;
    s.ctx_switches_per_sec = 3000.0;
    json::object o = system_record(s, 1700050000.12345);
    BOOST_TEST(o.at("timestamp").as_double() == 1700050000.123);
    BOOST_TEST(o.at("memory").at("total").as_uint64() == 16777216000u);
    BOOST_TEST(o.at("memory").at("available").as_uint64() == 12582912000u);
    BOOST_TEST(o.at("memory").at("percent").as_double() == 25.0);
    BOOST_TEST(o.at("swap").at("percent").as_double() == 25.0);
    BOOST_TEST(o.at("swap").at("in_pages_per_sec").is_null());
    BOOST_TEST(o.at("cpu").at("count").as_uint64() == 2u);
    BOOST_TEST(o.at("cpu").at("percent").is_null()); // first sweep
    const json::array& per_core = o.at("cpu").at("per_core").as_array();
    BOOST_TEST_REQUIRE(per_core.size() == 2u);
    BOOST_TEST(per_core.at(0).is_null()); // a core without a previous reading
    BOOST_TEST(per_core.at(1).as_double() == 12.3);
    BOOST_TEST(o.at("load").as_array().at(0).as_double() == 0.52);
    BOOST_TEST(o.at("uptime").as_double() == 12346.0);
    BOOST_TEST(o.at("ctx_switches_per_sec").as_double() == 3000.0);
    BOOST_TEST(o.at("minor_faults_per_sec").is_null());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::protocol
