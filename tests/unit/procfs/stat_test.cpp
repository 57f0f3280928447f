#include "procfs/stat.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(stat_tests)

BOOST_AUTO_TEST_CASE(fixture_counters) {
    auto s = parse_stat(test::fixture_text("proc/stat"));
    BOOST_TEST_REQUIRE(s.has_value());
    // cpu  10350 40 4620 160300 580 0 110 20 300 0
    BOOST_TEST(s->cpu.user == 10350u);
    BOOST_TEST(s->cpu.nice == 40u);
    BOOST_TEST(s->cpu.system == 4620u);
    BOOST_TEST(s->cpu.idle == 160300u);
    BOOST_TEST(s->cpu.iowait == 580u);
    BOOST_TEST(s->cpu.irq == 0u);
    BOOST_TEST(s->cpu.softirq == 110u);
    BOOST_TEST(s->cpu.steal == 20u);
    BOOST_TEST(s->cpu.guest == 300u);
    BOOST_TEST(s->cpu.guest_nice == 0u);
    BOOST_TEST_REQUIRE(s->cpus.size() == 2u);
    // cpu1 5150 30 2320 79900 390 0 70 12 200 0
    BOOST_TEST(s->cpus[0].user == 5200u);
    BOOST_TEST(s->cpus[1].user == 5150u);
    BOOST_TEST(s->cpus[1].nice == 30u);
    BOOST_TEST(s->cpus[1].system == 2320u);
    BOOST_TEST(s->cpus[1].idle == 79900u);
    BOOST_TEST(s->cpus[1].iowait == 390u);
    BOOST_TEST(s->cpus[1].softirq == 70u);
    BOOST_TEST(s->cpus[1].steal == 12u);
    BOOST_TEST(s->cpus[1].guest == 200u);
    BOOST_TEST(s->ctxt == 4006850u);
    BOOST_TEST(s->btime == 1700000000u);
    BOOST_TEST(s->processes == 57480u);
    BOOST_TEST(s->procs_running == 2u);
    BOOST_TEST(s->procs_blocked == 1u);
}

BOOST_AUTO_TEST_CASE(total_counts_guest_once_and_busy_excludes_idle_and_iowait) {
    auto s = parse_stat(test::fixture_text("proc/stat"));
    BOOST_TEST_REQUIRE(s.has_value());
    // 10350 + 40 + 4620 + 160300 + 580 + 0 + 110 + 20; guest (300) is inside user already
    BOOST_TEST(s->cpu.total() == 176020u);
    BOOST_TEST(s->cpu.busy() == 176020u - 160300u - 580u);
}

BOOST_AUTO_TEST_CASE(old_kernel_with_four_columns) {
    auto s = parse_stat("cpu  100 2 30 400\ncpu0 100 2 30 400\nbtime 1600000000\n");
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->cpu.user == 100u);
    BOOST_TEST(s->cpu.idle == 400u);
    BOOST_TEST(s->cpu.iowait == 0u);
    BOOST_TEST(s->cpu.guest == 0u);
    BOOST_TEST(s->cpu.total() == 532u);
    BOOST_TEST(s->cpus.size() == 1u);
    BOOST_TEST(s->ctxt == 0u);
}

BOOST_AUTO_TEST_CASE(without_cpu_or_btime_is_nullopt) {
    test::check_rejects(
        parse_stat, {"", "cpu  1 2 3 4 5 6 7 8 9 10\nctxt 5\n", "cpu0 1 2 3 4\nbtime 1600000000\n",
                     "cpu  1 2 3\nbtime 1600000000\n", "cpu  1 2 3 4\nbtime soon\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
