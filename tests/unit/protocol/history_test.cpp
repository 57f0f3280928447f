// core::history: the sliding window, gaps, exited processes, PID reuse, time ranges, and memory
// that stops growing once the window is full.
#include "support.hpp"

#include "core/history.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace procpulse::core {
namespace {

constexpr double t0 = 1795670000.0;
constexpr long page = 4096;

process_sample proc(int pid, std::uint64_t rss_pages, std::optional<double> cpu = 1.5,
                    std::uint64_t start = 100) {
    process_sample p = test::process(pid, start, "p", "p");
    p.rss = rss_pages * page;
    p.cpu_percent = cpu;
    return p;
}

/** Appends sweep n (at t0 + n) with these processes. */
void sweep(history& h, int n, std::vector<process_sample> ps, system_sample s = test::system()) {
    h.append(*test::snapshot(static_cast<std::uint64_t>(n + 1), t0 + n, std::move(ps), s));
}

series all(const history& h, int pid, std::uint64_t start = 100) {
    auto s = h.process({pid, start}, 0, 1e18);
    BOOST_TEST_REQUIRE(s.has_value());
    return *s;
}

std::vector<double> times(int from, int to) {
    std::vector<double> t;
    for (int i = from; i <= to; ++i)
        t.push_back(t0 + i);
    return t;
}

/** A column as text ("[40960,null]"), so that a failure shows it. */
std::string show(const std::vector<std::optional<double>>& col) {
    std::string out = "[";
    for (const auto& v : col) {
        if (out.size() > 1) out += ',';
        out += v ? std::to_string(*v) : "null";
    }
    return out + "]";
}

BOOST_AUTO_TEST_SUITE(history_tests)

BOOST_AUTO_TEST_CASE(columns_in_documented_order) {
    history h(10, page);
    sweep(h, 0, {proc(1, 3)});
    series s = all(h, 1);
    BOOST_TEST_REQUIRE(s.values.size() == process_column_count);
    BOOST_TEST(*s.values[0][0] == 3.0 * page);  // rss
    BOOST_TEST(*s.values[1][0] == 104857600.0); // vms
    BOOST_TEST(*s.values[2][0] == 2097152.0);   // shared
    BOOST_TEST(*s.values[3][0] == 1.5);         // cpu_percent
    BOOST_TEST(*s.values[4][0] == 128.0);       // minor_faults_per_sec
    BOOST_TEST(*s.values[5][0] == 0.0);         // major_faults_per_sec
    BOOST_TEST(*s.values[6][0] == 3.0);         // num_threads
    BOOST_TEST(!s.values[7][0].has_value());    // read_bytes_per_sec (io unreadable)
    BOOST_TEST(!s.values[8][0].has_value());    // write_bytes_per_sec
    BOOST_TEST(std::string(process_columns[3]) == "cpu_percent");

    series sys = h.system(0, 1e18);
    BOOST_TEST_REQUIRE(sys.values.size() == system_column_count);
    BOOST_TEST(*sys.values[1][0] == 319475712.0);          // mem_used
    BOOST_TEST(std::abs(*sys.values[4][0] - 0.46) < 1e-6); // load1
}

BOOST_AUTO_TEST_CASE(system_keeps_per_core_cpu_and_device_totals) {
    history h(3, page);
    system_sample s = test::system();
    s.cpu_percent_per_core = {10.0, std::nullopt};
    sweep(h, 0, {}, s);
    s.cpu_percent_per_core = {12.5, 50.0, 99.0}; // a third core came online
    s.disk_write_bytes_per_sec = 4096.0;
    sweep(h, 1, {}, s);
    series sys = h.system(0, 1e18);
    BOOST_TEST_REQUIRE(sys.per_core.size() == 3u);
    BOOST_TEST(show(sys.per_core[0]) == "[10.000000,12.500000]");
    BOOST_TEST(show(sys.per_core[1]) == "[null,50.000000]");
    BOOST_TEST(show(sys.per_core[2]) == "[null,99.000000]"); // a gap before it existed
    BOOST_TEST(std::string(system_columns[8]) == "disk_write_bytes_per_sec");
    BOOST_TEST(show(sys.values[8]) == "[524288.000000,4096.000000]");
    BOOST_TEST(show(sys.values[9]) == "[150000.000000,150000.000000]"); // net_rx_bytes_per_sec
    // The window slides the per-core ring with the rest, and its bytes are counted.
    for (int n = 2; n < 6; ++n)
        sweep(h, n, {}, s);
    BOOST_TEST(h.system(0, 1e18).per_core[0].size() == 3u);
    BOOST_TEST(h.memory_bytes() == h.count_memory_bytes());
}

BOOST_AUTO_TEST_CASE(window_keeps_the_last_capacity_sweeps) {
    history h(3, page);
    for (int n = 0; n < 5; ++n)
        sweep(h, n, {proc(1, 10 + static_cast<std::uint64_t>(n))});
    BOOST_TEST(h.system(0, 1e18).t == times(2, 4), boost::test_tools::per_element());
    series s = all(h, 1);
    BOOST_TEST(s.t == times(2, 4), boost::test_tools::per_element());
    BOOST_TEST(*s.values[0].front() == 12.0 * page);
    BOOST_TEST(*s.values[0].back() == 14.0 * page);
}

BOOST_AUTO_TEST_CASE(window_slides_across_many_blocks) {
    history h(100, page);
    for (int n = 0; n < 1000; ++n)
        sweep(h, n, {proc(1, static_cast<std::uint64_t>(n % 7))});
    series s = all(h, 1);
    BOOST_TEST_REQUIRE(s.t.size() == 100u);
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        int n = 900 + static_cast<int>(i);
        BOOST_TEST(s.t[i] == t0 + n);
        BOOST_TEST(*s.values[0][i] == static_cast<double>(n % 7) * page);
    }
}

BOOST_AUTO_TEST_CASE(constant_columns_read_back_after_compaction) {
    // 200 points: constant rss (collapsed blocks), a cpu that alternates (kept raw).
    history h(1000, page);
    for (int n = 0; n < 200; ++n)
        sweep(h, n, {proc(1, 42, n % 2 ? 3.0 : std::optional<double>())});
    series s = all(h, 1);
    BOOST_TEST_REQUIRE(s.t.size() == 200u);
    for (std::size_t i = 0; i < 200; ++i) {
        BOOST_TEST(*s.values[0][i] == 42.0 * page);
        BOOST_TEST(s.values[3][i].has_value() == (i % 2 == 1));
    }
}

BOOST_AUTO_TEST_CASE(sweeps_that_missed_a_process_are_nulls) {
    history h(10, page);
    sweep(h, 0, {proc(1, 10), proc(2, 5)});
    sweep(h, 1, {proc(2, 5)}); // 1 could not be read this time
    sweep(h, 2, {proc(2, 5)});
    sweep(h, 3, {proc(1, 13), proc(2, 5)});
    series s = all(h, 1);
    BOOST_TEST(s.t == times(0, 3), boost::test_tools::per_element());
    std::vector<std::optional<double>> rss{10.0 * page, std::nullopt, std::nullopt, 13.0 * page};
    BOOST_TEST(show(s.values[0]) == show(rss));
    for (std::size_t c = 0; c < process_column_count; ++c) {
        BOOST_TEST(!s.values[c][1].has_value(), process_columns[c]);
        BOOST_TEST(!s.values[c][2].has_value(), process_columns[c]);
    }
}

BOOST_AUTO_TEST_CASE(gaps_inside_a_long_history) {
    // Missed every 50th sweep, across block boundaries; seen again in the last sweep.
    history h(500, page);
    for (int n = 0; n < 310; ++n) {
        std::vector<process_sample> ps{proc(2, 5)};
        if (n % 50 != 49) ps.push_back(proc(1, 10 + static_cast<std::uint64_t>(n % 3)));
        sweep(h, n, ps);
    }
    series s = all(h, 1);
    BOOST_TEST_REQUIRE(s.t.size() == 310u);
    for (std::size_t i = 0; i < 310; ++i) {
        BOOST_TEST(s.values[0][i].has_value() == (i % 50 != 49), i);
        if (s.values[0][i])
            BOOST_TEST(*s.values[0][i] == (10.0 + static_cast<double>(i % 3)) * page);
    }
}

BOOST_AUTO_TEST_CASE(exited_process_stays_until_it_leaves_the_window) {
    history h(3, page);
    sweep(h, 0, {proc(1, 10), proc(2, 5)});
    sweep(h, 1, {proc(2, 5)});
    sweep(h, 2, {proc(2, 5)});
    BOOST_TEST(h.process_count() == 2u);
    BOOST_TEST(all(h, 1).t == times(0, 0), boost::test_tools::per_element());
    BOOST_TEST(h.latest_key(1).has_value());
    sweep(h, 3, {proc(2, 5)});
    BOOST_TEST(!h.process({1, 100}, 0, 1e18).has_value());
    BOOST_TEST(!h.latest_key(1).has_value());
    BOOST_TEST(h.process_count() == 1u);
}

BOOST_AUTO_TEST_CASE(latest_key_follows_pid_reuse) {
    history h(4, page);
    sweep(h, 0, {proc(1, 10, 1.0, 100)});
    sweep(h, 1, {proc(1, 10, 1.0, 100)});
    sweep(h, 2, {proc(1, 20, 1.0, 200)}); // pid 1 is another process now
    BOOST_TEST((h.latest_key(1) == process_key{1, 200}));
    BOOST_TEST(all(h, 1, 100).t == times(0, 1), boost::test_tools::per_element());
    BOOST_TEST(all(h, 1, 200).t == times(2, 2), boost::test_tools::per_element());
    sweep(h, 3, {proc(1, 20, 1.0, 200)});
    sweep(h, 4, {proc(1, 20, 1.0, 200)});
    sweep(h, 5, {});
    // The old process left the window; the newer one is still the latest.
    BOOST_TEST(!h.process({1, 100}, 0, 1e18).has_value());
    BOOST_TEST((h.latest_key(1) == process_key{1, 200}));
    BOOST_TEST(!h.latest_key(2).has_value());
}

BOOST_AUTO_TEST_CASE(time_range_is_inclusive_and_clipped_to_the_process) {
    history h(100, page);
    for (int n = 0; n < 10; ++n) {
        std::vector<process_sample> ps;
        if (n >= 3) ps.push_back(proc(1, static_cast<std::uint64_t>(n)));
        sweep(h, n, ps);
    }
    BOOST_TEST(h.process({1, 100}, t0 + 4, t0 + 6)->t == times(4, 6),
               boost::test_tools::per_element());
    BOOST_TEST(h.process({1, 100}, t0 + 4.5, t0 + 6.5)->t == times(5, 6),
               boost::test_tools::per_element());
    BOOST_TEST(h.process({1, 100}, 0, t0 + 4)->t == times(3, 4), boost::test_tools::per_element());
    BOOST_TEST(h.process({1, 100}, t0 + 20, t0 + 30)->t.empty());
    BOOST_TEST(h.process({1, 100}, t0 + 6, t0 + 5)->t.empty());
    BOOST_TEST(h.process({1, 100}, t0 + 1, t0 + 2)->t.empty()); // before it started
    BOOST_TEST(h.system(t0 + 8, 1e18).t == times(8, 9), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unavailable_values_are_null) {
    history h(10, page);
    process_sample p = proc(1, 10, std::nullopt);
    p.shared.reset();
    p.read_bytes_per_sec = 1024.0;
    system_sample s = test::system();
    s.cpu_percent.reset();
    sweep(h, 0, {p}, s);
    series ps = all(h, 1);
    BOOST_TEST(!ps.values[2][0].has_value()); // shared
    BOOST_TEST(!ps.values[3][0].has_value()); // cpu_percent
    BOOST_TEST(*ps.values[7][0] == 1024.0);
    BOOST_TEST(!h.system(0, 1e18).values[0][0].has_value());
}

BOOST_AUTO_TEST_CASE(memory_grows_then_plateaus) {
    for (bool busy : {false, true}) {
        BOOST_TEST_CONTEXT((busy ? "busy" : "idle") << " processes") {
            history h(256, page);
            std::vector<std::size_t> bytes;
            for (int n = 0; n < 2000; ++n) {
                std::vector<process_sample> ps;
                for (int pid = 1; pid <= 20; ++pid)
                    ps.push_back(proc(pid, busy ? static_cast<std::uint64_t>(n * pid) : 7,
                                      busy ? n % 10 : 0.0));
                sweep(h, n, ps);
                bytes.push_back(h.memory_bytes());
            }
            BOOST_TEST(bytes[300] > bytes[0]);
            auto peak = [&](int a, int b) {
                return *std::max_element(bytes.begin() + a, bytes.begin() + b);
            };
            // Once the window is full, memory cycles with the blocks and grows no more.
            BOOST_TEST(peak(1500, 2000) == peak(500, 1000));
            BOOST_TEST(peak(0, 2000) == peak(500, 1000));
        }
    }
    // Idle processes cost less than busy ones (constant columns collapse).
    history idle(640, page), busy(640, page);
    for (int n = 0; n < 640; ++n) {
        sweep(idle, n, {proc(1, 7, 0.0)});
        sweep(busy, n, {proc(1, static_cast<std::uint64_t>(n), n % 10)});
    }
    BOOST_TEST(idle.memory_bytes() < busy.memory_bytes());
}

BOOST_AUTO_TEST_CASE(running_byte_count_matches_a_recount_through_churn) {
    // Processes start, exit (partial blocks sealed), miss sweeps (gaps), are reused and leave the
    // window; after every sweep the O(1) figure /metrics reads must equal a full walk.
    history h(150, page);
    std::size_t mismatches = 0, max_bytes = 0;
    for (int n = 0; n < 700; ++n) {
        std::vector<process_sample> ps;
        for (int pid = 1; pid <= 30; ++pid) {
            if (pid % 7 == 0 && n % 90 > 60) continue; // exits for a while, then comes back
            if (pid % 5 == 0 && n % 13 == 0) continue; // a missed sweep: a gap
            auto p = proc(pid, static_cast<std::uint64_t>(pid % 3 == 0 ? n * pid : 9), n % 4);
            if (pid % 7 == 0) p.key.start_ticks = 100 + static_cast<std::uint64_t>(n / 90); // reuse
            ps.push_back(p);
        }
        sweep(h, n, ps);
        if (h.memory_bytes() != h.count_memory_bytes()) ++mismatches;
        max_bytes = std::max(max_bytes, h.memory_bytes());
    }
    BOOST_TEST(mismatches == 0u);
    BOOST_TEST(max_bytes > 0u);
    // Every process leaves the window: only the time and system rings remain counted.
    for (int n = 700; n < 860; ++n)
        sweep(h, n, {});
    BOOST_TEST(h.process_count() == 0u);
    BOOST_TEST(h.memory_bytes() == h.count_memory_bytes());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
