/** core::thread_rates: per-thread CPU between two readings, PID reuse, and its bound. */
#include "core/threads.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::core {
namespace {

procfs::pid_stat task(int tid, std::uint64_t utime, std::uint64_t stime, char state = 'S',
                      std::uint64_t start = 500) {
    procfs::pid_stat s;
    s.pid = tid;
    s.comm = "t" + std::to_string(tid);
    s.state = state;
    s.utime = utime;
    s.stime = stime;
    s.starttime = start;
    return s;
}

constexpr std::int64_t second = 1000000000;

BOOST_AUTO_TEST_SUITE(thread_rates_tests)

BOOST_AUTO_TEST_CASE(cpu_percent_over_the_gap_between_calls, *boost::unit_test::tolerance(1e-9)) {
    thread_rates r(100);
    auto first = r.update(42, {task(42, 100, 50), task(43, 0, 0, 'R', 600)}, 10 * second, 1000);
    BOOST_TEST(first.key.pid == 42);
    BOOST_TEST(first.key.start_ticks == 500u); // the main thread's start
    BOOST_TEST(first.count == 2u);
    BOOST_TEST(!first.gap_seconds.has_value());
    BOOST_TEST(!first.threads[0].cpu_percent.has_value());
    BOOST_TEST(first.threads[0].cpu_user == 1.0);
    BOOST_TEST(first.threads[0].cpu_system == 0.5);
    BOOST_TEST(std::string(first.threads[1].status) == "running");

    // Two seconds later: 42 used 50 ticks (25 %), 43 used 300 (150 %: more than one core is
    // impossible for one thread, but the figure is what the counters say), 44 is new.
    auto second_read =
        r.update(42, {task(44, 10, 0, 'S', 700), task(42, 130, 70), task(43, 200, 100, 'R', 600)},
                 12 * second, 1000);
    BOOST_TEST(*second_read.gap_seconds == 2.0);
    BOOST_TEST_REQUIRE(second_read.threads.size() == 3u);
    BOOST_TEST(second_read.threads[0].tid == 42); // sorted by tid
    BOOST_TEST(*second_read.threads[0].cpu_percent == 25.0);
    BOOST_TEST(*second_read.threads[1].cpu_percent == 150.0);
    BOOST_TEST(!second_read.threads[2].cpu_percent.has_value()); // no earlier reading of 44
}

BOOST_AUTO_TEST_CASE(a_reused_pid_starts_afresh) {
    thread_rates r(100);
    r.update(42, {task(42, 100, 0)}, 1 * second, 1000);
    auto other = r.update(42, {task(42, 150, 0, 'S', 9000)}, 2 * second, 1000);
    BOOST_TEST(other.key.start_ticks == 9000u);
    BOOST_TEST(!other.gap_seconds.has_value());
    BOOST_TEST(!other.threads[0].cpu_percent.has_value());
}

BOOST_AUTO_TEST_CASE(the_list_is_bounded_and_so_is_the_memory) {
    thread_rates r(100, 3);
    std::vector<procfs::pid_stat> many;
    for (int t = 1; t <= 50; ++t)
        many.push_back(task(t, 0, 0, 'S', 500));
    auto rep = r.update(1, many, second, 10);
    BOOST_TEST(rep.threads.size() == 10u);
    BOOST_TEST(rep.count == 50u);
    for (int pid = 100; pid < 110; ++pid)
        r.update(pid, {task(pid, 0, 0)}, second, 10);
    BOOST_TEST(r.tracked() == 3u);
    // The least recently asked went first: 1 is forgotten, its next reading has no rate.
    auto again = r.update(1, many, 2 * second, 10);
    BOOST_TEST(!again.gap_seconds.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
