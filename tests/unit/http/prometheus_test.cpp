// Prometheus text exposition: well-formed lines, one HELP/TYPE per family, system gauges, and
// per-process series for watched PIDs only, with escaped labels.
#include "support.hpp"

#include "http/prometheus.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace procpulse::http {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

bool has_line(const std::string& text, const std::string& line) {
    for (const auto& l : lines_of(text))
        if (l == line) return true;
    return false;
}

std::size_t count_prefix(const std::string& text, const std::string& prefix) {
    std::size_t n = 0;
    for (const auto& l : lines_of(text))
        n += l.rfind(prefix, 0) == 0;
    return n;
}

core::snapshot_ptr box() {
    core::process_sample odd = test::process(77, 5, "we\"ird\\na\nme", "x");
    odd.cpu_percent.reset();
    odd.minor_faults_per_sec.reset();
    return test::snapshot(
        3, 1795690000.0,
        {test::process(4242, 88123, "a) b", "x"), odd, test::process(9, 9, "unwatched", "x")});
}

const server_stats stats{4, 12, 65536, 0.0125};

BOOST_AUTO_TEST_SUITE(prometheus)

BOOST_AUTO_TEST_CASE(every_line_is_well_formed_and_every_family_declared_once) {
    std::string text = prometheus_text(*box(), {4242, 77}, stats);
    BOOST_TEST_REQUIRE(!text.empty());
    BOOST_TEST(text.back() == '\n');
    const std::regex help(R"(# HELP ([a-z_]+) \S.*)");
    const std::regex type(R"(# TYPE ([a-z_]+) (gauge|counter))");
    const std::regex sample(
        R"(([a-z_]+)(\{[a-z_]+="(?:[^"\\\n]|\\["\\n])*"(?:,[a-z_]+="(?:[^"\\\n]|\\["\\n])*")*\})? )"
        R"((-?[0-9.e+-]+|NaN|[+-]Inf))");
    std::map<std::string, int> helps, types;
    std::string current;
    for (const auto& l : lines_of(text)) {
        std::smatch m;
        if (std::regex_match(l, m, help)) {
            ++helps[m[1]];
        } else if (std::regex_match(l, m, type)) {
            ++types[m[1]];
            current = m[1];
        } else {
            BOOST_TEST_REQUIRE(std::regex_match(l, m, sample), "malformed line: " << l);
            BOOST_TEST(m[1].str() == current, "sample outside its family: " << l);
        }
    }
    for (const auto& [name, n] : types) {
        BOOST_TEST(n == 1, name);
        BOOST_TEST(helps[name] == 1, name);
    }
    BOOST_TEST(types.size() >= 10u);
}

BOOST_AUTO_TEST_CASE(system_gauges) {
    std::string text = prometheus_text(*box(), {}, stats);
    BOOST_TEST(has_line(text, "# TYPE procpulse_memory_bytes gauge"));
    // Byte counts are exact, however many digits they have.
    BOOST_TEST(has_line(text, R"(procpulse_memory_bytes{kind="total"} 25276502016)"));
    BOOST_TEST(has_line(text, R"(procpulse_memory_bytes{kind="free"} 24538382336)"));
    BOOST_TEST(has_line(text, R"(procpulse_memory_bytes{kind="used"} 319475712)"));
    BOOST_TEST(has_line(text, R"(procpulse_memory_bytes{kind="buffers"} 13123584)"));
    BOOST_TEST(has_line(text, R"(procpulse_swap_bytes{kind="total"} 0)"));
    BOOST_TEST(has_line(text, "procpulse_cpu_percent 18.04"));
    BOOST_TEST(has_line(text, R"(procpulse_load_average{period="1m"} 0.46)"));
    BOOST_TEST(has_line(text, R"(procpulse_load_average{period="15m"} 0.05)"));
    BOOST_TEST(has_line(text, R"(procpulse_processes{kind="threads"} 78)"));
    BOOST_TEST(has_line(text, R"(procpulse_page_faults_per_second{kind="minor"} 37000.2)"));
    BOOST_TEST(has_line(text, "procpulse_connections 4"));
    BOOST_TEST(has_line(text, "procpulse_history_bytes 65536"));
    BOOST_TEST(has_line(text, "procpulse_sweep_seconds 0.0125"));
    BOOST_TEST(count_prefix(text, "procpulse_process_") == 0u); // nothing watched
}

BOOST_AUTO_TEST_CASE(kept_proc_files_and_their_budget) {
    auto snap = std::make_shared<core::snapshot>(*box());
    snap->proc_files = core::proc_file_usage{96, 100, 16};
    std::string text = prometheus_text(*snap, {}, stats);
    BOOST_TEST(has_line(text, "# TYPE procpulse_proc_files_open gauge"));
    BOOST_TEST(has_line(text, "procpulse_proc_files_open 96"));
    BOOST_TEST(has_line(text, "procpulse_proc_files_budget 100"));
    BOOST_TEST(has_line(text, "procpulse_proc_files_kept_processes 16"));
}

BOOST_AUTO_TEST_CASE(first_sample_leaves_out_rates_it_does_not_have) {
    core::system_sample s = test::system();
    s.cpu_percent.reset();
    s.minor_faults_per_sec.reset();
    std::string text = prometheus_text(*test::snapshot(1, 1.0, {}, s), {}, stats);
    BOOST_TEST(count_prefix(text, "procpulse_cpu_percent") == 0u);
    BOOST_TEST(text.find("procpulse_page_faults_per_second") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(watched_processes_only_with_escaped_names) {
    std::string text = prometheus_text(*box(), {4242, 77, 31337}, stats);
    BOOST_TEST(has_line(text, R"(procpulse_process_rss_bytes{pid="4242",name="a) b"} 10485760)"));
    BOOST_TEST(has_line(text, R"(procpulse_process_vms_bytes{pid="4242",name="a) b"} 104857600)"));
    BOOST_TEST(has_line(text, R"(procpulse_process_cpu_percent{pid="4242",name="a) b"} 12.5)"));
    BOOST_TEST(
        has_line(text, R"(procpulse_process_page_faults_per_second{pid="4242",name="a) b"} 128)"));
    BOOST_TEST(has_line(text, R"(procpulse_process_threads{pid="4242",name="a) b"} 3)"));
    const std::string odd = R"({pid="77",name="we\"ird\\na\nme"})";
    BOOST_TEST(has_line(text, "procpulse_process_rss_bytes" + odd + " 10485760"));
    // 77 has no cpu or fault rates yet: those series are left out, not 0.
    BOOST_TEST(text.find("procpulse_process_cpu_percent" + odd) == std::string::npos);
    BOOST_TEST(text.find("procpulse_process_page_faults_per_second" + odd) == std::string::npos);
    BOOST_TEST(text.find("unwatched") == std::string::npos);
    BOOST_TEST(text.find("31337") == std::string::npos);
    BOOST_TEST(count_prefix(text, "procpulse_process_rss_bytes{") == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::http
