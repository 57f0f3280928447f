/** System-wide figures with psutil 5.9's definitions, on the fixture and on stepped trees. */
#include "core/collector.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace procpulse::core {
namespace {

constexpr std::uint64_t kib = 1024;

/** The system figures of one sweep over a tree holding only these system files. */
system_sample first_sweep(const test::fake_system& sys) {
    test::proc_tree t;
    t.write(sys);
    collector c(t.path(), test::tree_options(), nullptr);
    return c.sweep(test::at_seconds(0)).snap->system;
}

BOOST_AUTO_TEST_SUITE(collector_system_tests)

BOOST_AUTO_TEST_CASE(fixture_figures, *boost::unit_test::tolerance(1e-9)) {
    collector c(test::fixture_path("proc"), test::tree_options(), nullptr);
    auto r = c.sweep(test::at_seconds(1));
    const system_sample& s = r.snap->system;
    // virtual_memory()
    BOOST_TEST(s.mem_total == 16384000 * kib);
    BOOST_TEST(s.mem_free == 8192000 * kib);
    BOOST_TEST(s.mem_available == 12288000 * kib);
    BOOST_TEST(s.mem_buffers == 204800 * kib);
    BOOST_TEST(s.mem_cached == (3072000 + 409600) * kib); // Cached + SReclaimable
    BOOST_TEST(s.mem_shared == 102400 * kib);
    // used = total - free - cached - buffers
    BOOST_TEST(s.mem_used == (16384000 - 8192000 - 3481600 - 204800) * kib);
    // percent = (total - available) / total
    BOOST_TEST(s.mem_percent == 25.0);
    // swap_memory()
    BOOST_TEST(s.swap_total == 2097152 * kib);
    BOOST_TEST(s.swap_free == 1572864 * kib);
    BOOST_TEST(s.swap_used == 524288 * kib);
    BOOST_TEST(s.swap_percent == 25.0);
    BOOST_TEST(s.load1 == 0.52);
    BOOST_TEST(s.load5 == 0.34);
    BOOST_TEST(s.load15 == 0.21);
    BOOST_TEST(s.uptime == 12345.67);
    BOOST_TEST(s.boot_time == 1700000000.0);
    BOOST_TEST(s.cpu_count == 2u);
    BOOST_TEST(s.procs_running == 2u);
    BOOST_TEST(s.procs_blocked == 1u);
    BOOST_TEST(s.process_count == 7u);
    BOOST_TEST(s.thread_count == 10u); // 1+1+1+1+2+1+3
    // First sweep: no rates.
    BOOST_TEST(!s.cpu_percent.has_value());
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core.size() == 2u);
    BOOST_TEST(!s.cpu_percent_per_core[0].has_value());
    BOOST_TEST(!s.cpu_percent_per_core[1].has_value());
    BOOST_TEST(!s.ctx_switches_per_sec.has_value());
    BOOST_TEST(!s.minor_faults_per_sec.has_value());
    BOOST_TEST(!s.major_faults_per_sec.has_value());
    BOOST_TEST(!s.swap_in_pages_per_sec.has_value());
    BOOST_TEST(!s.swap_out_pages_per_sec.has_value());
}

BOOST_AUTO_TEST_CASE(rates_between_two_sweeps, *boost::unit_test::tolerance(1e-9)) {
    test::proc_tree t;
    test::fake_system sys;
    //        user nice system idle iowait irq softirq steal guest guest_nice
    sys.cpu = {1000, 0, 500, 8000, 500, 0, 0, 0, 300, 0};
    sys.cpus = {{500, 0, 250, 4000, 250, 0, 0, 0, 150, 0},
                {500, 0, 250, 4000, 250, 0, 0, 0, 150, 0}};
    sys.ctxt = 10000;
    sys.pgfault = 50000;
    sys.pgmajfault = 100;
    sys.pswpin = 10;
    sys.pswpout = 20;
    t.write(sys);
    collector c(t.path(), test::tree_options(), nullptr);
    c.sweep(test::at_seconds(5));

    // 2.0 s later. Overall: user +300 (of which guest +200), system +100, idle +500, iowait +100.
    // Guest time is inside user already, so the total is 1000 ticks, busy 400: 40 % (counting
    // guest twice would give 33.3 %).
    sys.cpu = {1300, 0, 600, 8500, 600, 0, 0, 0, 500, 0};
    // cpu0: user +250 (guest +200), system +50, idle +150, iowait +50 -> 300 of 500: 60 %
    // cpu1: user +50, system +50, idle +350, iowait +50                -> 100 of 500: 20 %
    sys.cpus = {{750, 0, 300, 4150, 300, 0, 0, 0, 350, 0},
                {550, 0, 300, 4350, 300, 0, 0, 0, 150, 0}};
    sys.ctxt += 6000;
    sys.pgfault += 10400; // all faults, major ones included
    sys.pgmajfault += 400;
    sys.pswpin += 40;
    sys.pswpout += 100;
    t.write(sys);
    auto r = c.sweep(test::at_seconds(7));
    const system_sample& s = r.snap->system;
    BOOST_TEST_REQUIRE(s.cpu_percent.has_value());
    BOOST_TEST(*s.cpu_percent == 40.0);
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core.size() == 2u);
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core[0].has_value());
    BOOST_TEST(*s.cpu_percent_per_core[0] == 60.0);
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core[1].has_value());
    BOOST_TEST(*s.cpu_percent_per_core[1] == 20.0);
    BOOST_TEST_REQUIRE(s.ctx_switches_per_sec.has_value());
    BOOST_TEST(*s.ctx_switches_per_sec == 3000.0);
    BOOST_TEST_REQUIRE(s.minor_faults_per_sec.has_value());
    BOOST_TEST(*s.minor_faults_per_sec == 5000.0); // (10400 - 400) / 2
    BOOST_TEST_REQUIRE(s.major_faults_per_sec.has_value());
    BOOST_TEST(*s.major_faults_per_sec == 200.0);
    BOOST_TEST_REQUIRE(s.swap_in_pages_per_sec.has_value());
    BOOST_TEST(*s.swap_in_pages_per_sec == 20.0);
    BOOST_TEST_REQUIRE(s.swap_out_pages_per_sec.has_value());
    BOOST_TEST(*s.swap_out_pages_per_sec == 50.0);
}

BOOST_AUTO_TEST_CASE(a_core_that_appears_has_no_rate_yet, *boost::unit_test::tolerance(1e-9)) {
    test::proc_tree t;
    test::fake_system sys;
    sys.cpu = {100, 0, 0, 100, 0, 0, 0, 0, 0, 0};
    sys.cpus = {sys.cpu};
    t.write(sys);
    collector c(t.path(), test::tree_options(), nullptr);
    c.sweep(test::at_seconds(0));
    sys.cpu = {200, 0, 0, 300, 0, 0, 0, 0, 0, 0};
    sys.cpus = {{150, 0, 0, 150, 0, 0, 0, 0, 0, 0}, {50, 0, 0, 150, 0, 0, 0, 0, 0, 0}};
    t.write(sys);
    auto r = c.sweep(test::at_seconds(1));
    const system_sample& s = r.snap->system;
    BOOST_TEST(s.cpu_count == 2u);
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core.size() == 2u);
    BOOST_TEST_REQUIRE(s.cpu_percent_per_core[0].has_value());
    BOOST_TEST(*s.cpu_percent_per_core[0] == 50.0);
    BOOST_TEST(!s.cpu_percent_per_core[1].has_value());
}

BOOST_AUTO_TEST_CASE(used_memory_in_a_container_falls_back_to_total_minus_free) {
    // psutil: when total - free - cached - buffers is negative (LXC), used = total - free.
    test::fake_system sys;
    sys.mem_total_kb = 1000000;
    sys.mem_free_kb = 200000;
    sys.cached_kb = 900000;
    sys.sreclaimable_kb = 50000;
    sys.buffers_kb = 10000;
    sys.mem_available_kb = 600000;
    const system_sample s = first_sweep(sys);
    BOOST_TEST(s.mem_used == 800000 * kib);
    BOOST_TEST(s.mem_cached == 950000 * kib);
    BOOST_TEST(s.mem_percent == 40.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(available_above_total_is_taken_as_free) {
    // psutil 5.9: MemAvailable > MemTotal (LXC) -> available = free.
    test::fake_system sys;
    sys.mem_total_kb = 1000000;
    sys.mem_free_kb = 300000;
    sys.mem_available_kb = 5000000;
    const system_sample s = first_sweep(sys);
    BOOST_TEST(s.mem_available == 300000 * kib);
    BOOST_TEST(s.mem_percent == 70.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(no_swap_is_zero_percent) {
    test::fake_system sys; // SwapTotal 0
    const system_sample s = first_sweep(sys);
    BOOST_TEST(s.swap_total == 0u);
    BOOST_TEST(s.swap_used == 0u);
    BOOST_TEST(s.swap_percent == 0.0);
}

BOOST_AUTO_TEST_CASE(missing_system_files_leave_zeros_and_absent_rates) {
    test::proc_tree t; // no system files at all, one process
    test::fake_process p;
    p.pid = 7;
    t.write(p);
    collector c(t.path(), test::tree_options(), nullptr);
    c.sweep(test::at_seconds(0));
    auto r = c.sweep(test::at_seconds(1));
    const system_sample& s = r.snap->system;
    BOOST_TEST(s.mem_total == 0u);
    BOOST_TEST(!s.cpu_percent.has_value());
    BOOST_TEST(s.cpu_percent_per_core.empty());
    BOOST_TEST(!s.ctx_switches_per_sec.has_value());
    BOOST_TEST_REQUIRE(r.snap->processes.size() == 1u);
    BOOST_TEST(r.snap->processes[0].memory_percent == 0.0); // no MemTotal: not a division by 0
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
