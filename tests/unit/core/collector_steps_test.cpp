/**
 * The collector over temporary trees stepped from one sweep to the next: rates over the measured
 * gap, first samples without rates, PID reuse, exits, unreadable files.
 */
#include "core/collector.hpp"
#include "core/history.hpp"
#include "support/printers.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace procpulse::core {
namespace {

namespace bdata = boost::unit_test::data;

/** A tree with a system and one ordinary process (pid 100), and a collector on it. */
struct stepped {
    test::proc_tree tree;
    test::fake_system sys;
    test::fake_process p;
    collector c;

    explicit stepped(bool keep_open = true)
        : c(prepare(), test::tree_options(keep_open), test::user_table{}.lookup()) {}

    /** Writes the tree at t0 (before the collector opens it); returns its path. */
    std::string prepare() {
        sys.cpu = {1000, 0, 500, 8000, 500, 0, 0, 0, 0, 0};
        sys.cpus = {sys.cpu};
        tree.write(sys);
        p.pid = 100;
        p.comm = "server";
        p.uid = 1000;
        p.starttime = 5000;
        p.utime = 100;
        p.stime = 50;
        p.minflt = 1000;
        p.majflt = 5;
        p.io = test::fake_io{50000, 6000, 70, 8, 1000000, 0, 0};
        p.cmdline = {"server", "--port", "80"};
        tree.write(p);
        return tree.path();
    }

    /** Sweeps at `at` seconds; the returned sample lives until the next sweep_find. */
    const process_sample& sweep_find(double at, int pid = 100) {
        last = c.sweep(test::at_seconds(at));
        const process_sample* s = last.snap->find(pid);
        if (!s) throw std::runtime_error("pid " + std::to_string(pid) + " not in the snapshot");
        return *s;
    }

    collector::result last;
};

BOOST_AUTO_TEST_SUITE(collector_step_tests)

BOOST_DATA_TEST_CASE(rates_divide_by_the_measured_gap, bdata::make({true, false}), keep_open) {
    stepped s(keep_open);
    const process_sample& first = s.sweep_find(10.0);
    BOOST_TEST(!first.cpu_percent.has_value());
    BOOST_TEST(!first.minor_faults_per_sec.has_value());
    BOOST_TEST(!first.major_faults_per_sec.has_value());
    BOOST_TEST(!first.read_bytes_per_sec.has_value());
    BOOST_TEST(!first.write_bytes_per_sec.has_value());

    // 150 ticks of CPU (1.5 s at 100 Hz) over a measured gap of 2.0 s, though the nominal
    // interval is 1 s: 75 %, not 150 %.
    s.p.utime += 100;
    s.p.stime += 50;
    s.p.minflt += 2000;
    s.p.majflt += 4;
    s.p.io->read_bytes += 8192000;
    s.p.io->write_bytes += 4096;
    s.tree.write(s.p);
    const process_sample& second = s.sweep_find(12.0);
    BOOST_TEST_REQUIRE(second.cpu_percent.has_value());
    BOOST_TEST(*second.cpu_percent == 75.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST_REQUIRE(second.minor_faults_per_sec.has_value());
    BOOST_TEST(*second.minor_faults_per_sec == 1000.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST_REQUIRE(second.major_faults_per_sec.has_value());
    BOOST_TEST(*second.major_faults_per_sec == 2.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST_REQUIRE(second.read_bytes_per_sec.has_value());
    BOOST_TEST(*second.read_bytes_per_sec == 4096000.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST_REQUIRE(second.write_bytes_per_sec.has_value());
    BOOST_TEST(*second.write_bytes_per_sec == 2048.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(second.cpu_user == 2.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(second.cpu_system == 1.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(second.minor_faults == 3000u);
    BOOST_TEST(*second.read_bytes == 9192000u);
    BOOST_TEST_REQUIRE(s.last.snap->gap_seconds.has_value());
    BOOST_TEST(*s.last.snap->gap_seconds == 2.0, boost::test_tools::tolerance(1e-9));

    // The next gap is measured from this sweep: 0.5 s, 30 ticks -> 60 %.
    s.p.utime += 30;
    s.tree.write(s.p);
    const process_sample& third = s.sweep_find(12.5);
    BOOST_TEST_REQUIRE(third.cpu_percent.has_value());
    BOOST_TEST(*third.cpu_percent == 60.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(*third.minor_faults_per_sec == 0.0);
}

BOOST_AUTO_TEST_CASE(a_wall_clock_set_back_or_forward_never_reorders_history_or_breaks_rates) {
    // An injected clock: steady time goes on 1 s per sweep; the wall clock is set back an hour
    // after the third sweep and forward a day after the sixth.
    stepped s;
    history h(100, 4096);
    const double base = 1700050000.0;
    const double walls[] = {base,          base + 1,     base + 2,    base + 3 - 3600,
                            base + 4 - 3600, base + 5 - 3600, base + 6 + 86400, base + 7 + 86400};
    std::vector<double> stamps;
    for (int i = 0; i < 8; ++i) {
        s.p.utime += 50; // half a core
        s.tree.write(s.p);
        sample_time at{static_cast<std::int64_t>(i) * 1000000000LL, walls[i]};
        s.last = s.c.sweep(at);
        h.append(*s.last.snap);
        stamps.push_back(s.last.snap->at.wall);
        const process_sample* p = s.last.snap->find(100);
        BOOST_TEST_REQUIRE(p);
        if (i > 0) {
            // Rates come from the steady clock: 50 ticks a second is 50 %, whatever the wall says.
            BOOST_TEST_REQUIRE(p->cpu_percent.has_value());
            BOOST_TEST(*p->cpu_percent == 50.0, boost::test_tools::tolerance(1e-9));
        }
    }
    for (std::size_t i = 1; i < stamps.size(); ++i)
        BOOST_TEST(stamps[i] > stamps[i - 1], "sweep " << i);
    // Set back: the stamps go on a second a sweep from the last one; set forward: taken as is.
    BOOST_TEST(stamps[3] == base + 3, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(stamps[5] == base + 5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(stamps[6] == base + 6 + 86400);
    auto series = h.process(process_key{100, 5000}, 0, 1e12);
    BOOST_TEST_REQUIRE(series.has_value());
    BOOST_TEST(series->t.size() == 8u);
    for (std::size_t i = 1; i < series->t.size(); ++i)
        BOOST_TEST(series->t[i] > series->t[i - 1]);
}

BOOST_AUTO_TEST_CASE(cpu_percent_may_exceed_one_core) {
    stepped s;
    s.sweep_find(0.0);
    s.p.utime += 300; // three threads busy for one second
    s.p.stime += 50;
    s.p.num_threads = 4;
    s.tree.write(s.p);
    const process_sample& p = s.sweep_find(1.0);
    BOOST_TEST_REQUIRE(p.cpu_percent.has_value());
    BOOST_TEST(*p.cpu_percent == 350.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(p.num_threads == 4);
}

BOOST_AUTO_TEST_CASE(a_new_process_has_no_rates_while_the_old_one_has) {
    stepped s;
    s.sweep_find(0.0);
    test::fake_process q;
    q.pid = 200;
    q.starttime = 9000;
    q.utime = 500;
    s.tree.write(q);
    s.p.utime += 10;
    s.tree.write(s.p);
    s.sweep_find(1.0);
    const process_sample* old_one = s.last.snap->find(100);
    const process_sample* new_one = s.last.snap->find(200);
    BOOST_TEST_REQUIRE(old_one != nullptr);
    BOOST_TEST_REQUIRE(new_one != nullptr);
    BOOST_TEST_REQUIRE(old_one->cpu_percent.has_value());
    BOOST_TEST(*old_one->cpu_percent == 10.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(!new_one->cpu_percent.has_value());
    BOOST_TEST(!new_one->minor_faults_per_sec.has_value());
    BOOST_TEST(!new_one->read_bytes_per_sec.has_value());
}

BOOST_DATA_TEST_CASE(reused_pid_is_a_new_process, bdata::make({true, false}), keep_open) {
    stepped s(keep_open);
    const process_key old_key = s.sweep_find(0.0).key;
    BOOST_TEST(old_key.start_ticks == 5000u);
    s.sweep_find(1.0);

    // The old process exits and a new one gets PID 100: same directory, new starttime. Its
    // counters are larger than the old one's, so a collector that missed the reuse would
    // invent a rate from the difference.
    s.p.comm = "worker";
    s.p.starttime = 7000;
    s.p.utime = 400;
    s.p.stime = 100;
    s.p.minflt = 9000;
    s.p.io->read_bytes = 5000000;
    s.p.cmdline = {"worker", "--queue", "jobs"};
    s.tree.write(s.p);
    const process_sample& fresh = s.sweep_find(2.0);
    BOOST_TEST(fresh.key.pid == 100);
    BOOST_TEST(fresh.key.start_ticks == 7000u);
    BOOST_TEST(!(fresh.key == old_key));
    BOOST_TEST(fresh.name == "worker");
    BOOST_TEST_REQUIRE(fresh.cmdline != nullptr);
    BOOST_TEST(*fresh.cmdline == "worker --queue jobs");
    BOOST_TEST(fresh.create_time == 1700000000.0 + 70.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(!fresh.cpu_percent.has_value());
    BOOST_TEST(!fresh.minor_faults_per_sec.has_value());
    BOOST_TEST(!fresh.major_faults_per_sec.has_value());
    BOOST_TEST(!fresh.read_bytes_per_sec.has_value());

    // From the new process's second sample, its rates exist again.
    s.p.utime += 50;
    s.tree.write(s.p);
    const process_sample& next = s.sweep_find(3.0);
    BOOST_TEST(next.key.start_ticks == 7000u);
    BOOST_TEST_REQUIRE(next.cpu_percent.has_value());
    BOOST_TEST(*next.cpu_percent == 50.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(problems_are_reported_again_for_a_reused_pid) {
    stepped s;
    s.p.io.reset();
    s.tree.write(s.p);
    s.sweep_find(0.0);
    BOOST_TEST(s.last.problems.size() == 1u);
    s.sweep_find(1.0);
    BOOST_TEST(s.last.problems.empty());
    s.p.starttime = 8000;
    s.tree.write(s.p);
    s.sweep_find(2.0);
    BOOST_TEST_REQUIRE(s.last.problems.size() == 1u);
    BOOST_TEST(s.last.problems[0].key.start_ticks == 8000u);
    BOOST_TEST(s.last.problems[0].file == procfs::pid_file::io);
}

BOOST_DATA_TEST_CASE(exited_process_is_dropped, bdata::make({true, false}), keep_open) {
    stepped s(keep_open);
    test::fake_process q;
    q.pid = 200;
    q.num_threads = 5;
    s.tree.write(q);
    s.sweep_find(0.0);
    BOOST_TEST(s.last.snap->processes.size() == 2u);
    BOOST_TEST(s.last.snap->system.thread_count == 6u);
    BOOST_TEST(s.c.tracked() == 2u);

    s.tree.remove_pid(200);
    s.sweep_find(1.0);
    BOOST_TEST(s.last.snap->processes.size() == 1u);
    BOOST_TEST(s.last.snap->find(200) == nullptr);
    BOOST_TEST(s.last.snap->system.process_count == 1u);
    BOOST_TEST(s.last.snap->system.thread_count == 1u);
    BOOST_TEST(s.c.tracked() == 1u);
    BOOST_TEST(s.last.problems.empty());

    s.tree.remove_pid(100);
    auto r = s.c.sweep(test::at_seconds(2.0));
    BOOST_TEST(r.snap->processes.empty());
    BOOST_TEST(r.snap->system.process_count == 0u);
    BOOST_TEST(s.c.tracked() == 0u);
}

BOOST_DATA_TEST_CASE(churn_keeps_each_process_state_with_its_pid, bdata::make({true, false}),
                     keep_open) {
    // Processes appear below, between and above tracked ones and exit in between, over several
    // sweeps; each survivor's rate must come from its own previous sample (pid p burns p ticks
    // a sweep, so its CPU % tells whose state it was given), each newcomer has none yet.
    stepped s(keep_open);
    std::map<int, test::fake_process> live;
    auto spawn = [&](int pid) {
        test::fake_process q;
        q.pid = pid;
        q.starttime = 9000 + static_cast<std::uint64_t>(pid);
        q.comm = std::string("w").append(std::to_string(pid));
        live[pid] = q;
        s.tree.write(q);
    };
    for (int pid : {20, 40, 60, 80, 300}) // 300 stays to the end, behind every change
        spawn(pid);
    std::set<int> fresh = {20, 40, 60, 80, 100};
    const std::vector<std::pair<std::vector<int>, std::vector<int>>> steps = {
        {{10, 50, 90}, {40}},      // new below, between, above; one exits
        {{30, 45, 200}, {10, 80}}, // exits at the front and between
        {{5, 41, 42, 43}, {20, 60, 90, 200}},
        {{}, {5, 30, 41, 42, 43, 45, 50}}, // only exits
        {{1, 2, 3}, {}},                   // only newcomers
    };
    s.sweep_find(0.0);
    for (std::size_t step = 0; step < steps.size(); ++step) {
        BOOST_TEST_CONTEXT("step " << step) {
            for (auto& [pid, q] : live) {
                q.utime += static_cast<std::uint64_t>(pid); // pid ticks of CPU each sweep
                s.tree.write(q);
            }
            fresh.clear();
            for (int pid : steps[step].second) {
                s.tree.remove_pid(pid);
                live.erase(pid);
            }
            for (int pid : steps[step].first) {
                spawn(pid);
                fresh.insert(pid);
            }
            auto r = s.c.sweep(test::at_seconds(1.0 + static_cast<double>(step)));
            std::vector<int> got;
            for (const auto& p : r.snap->processes)
                got.push_back(p.key.pid);
            std::vector<int> want = {100};
            for (const auto& [pid, q] : live)
                want.push_back(pid);
            std::sort(want.begin(), want.end());
            BOOST_TEST(got == want, boost::test_tools::per_element());
            BOOST_TEST(s.c.tracked() == want.size());
            for (const auto& [pid, q] : live) {
                const process_sample* p = r.snap->find(pid);
                BOOST_TEST_REQUIRE(p != nullptr);
                if (fresh.count(pid)) {
                    BOOST_TEST(!p->cpu_percent.has_value(), "pid " << pid);
                } else {
                    BOOST_TEST_REQUIRE(p->cpu_percent.has_value(), "pid " << pid);
                    // pid ticks at 100 Hz over a 1 s gap: pid %
                    BOOST_TEST(*p->cpu_percent == static_cast<double>(pid), "pid " << pid);
                }
                BOOST_TEST(p->name == std::string("w").append(std::to_string(pid)));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(exec_rereads_the_cmdline) {
    stepped s;
    BOOST_TEST(*s.sweep_find(0.0).cmdline == "server --port 80");
    s.p.comm = "sleep"; // same process (same starttime) after execve
    s.p.cmdline = {"sleep", "30"};
    s.tree.write(s.p);
    const process_sample& p = s.sweep_find(1.0);
    BOOST_TEST(p.name == "sleep");
    BOOST_TEST(*p.cmdline == "sleep 30");
    BOOST_TEST(p.cpu_percent.has_value()); // the same process: rates continue
}

BOOST_AUTO_TEST_CASE(becoming_a_zombie) {
    stepped s;
    s.sweep_find(0.0);
    s.p.state = 'Z';
    s.p.size = s.p.resident = s.p.shared = s.p.text = s.p.data = 0;
    s.p.cmdline.clear();
    s.tree.write(s.p);
    const process_sample& p = s.sweep_find(1.0);
    BOOST_TEST(p.zombie);
    BOOST_TEST(std::string(p.status) == "zombie");
    BOOST_TEST(p.rss == 0u);
    BOOST_TEST(p.memory_percent == 0.0);
    BOOST_TEST(p.key.start_ticks == 5000u);
}

BOOST_AUTO_TEST_CASE(malformed_statm_falls_back_to_stat) {
    stepped s;
    s.tree.write("100/statm", "garbage\n");
    const process_sample& p = s.sweep_find(0.0);
    BOOST_TEST(p.unavailable == unavailable_statm);
    BOOST_TEST(p.rss == 500u * 4096);  // stat (24) rss pages
    BOOST_TEST(p.vms == 1000u * 4096); // stat (23) vsize bytes
    BOOST_TEST(!p.shared.has_value());
    BOOST_TEST(!p.text.has_value());
    BOOST_TEST(!p.data.has_value());
    BOOST_TEST_REQUIRE(s.last.problems.size() == 1u);
    BOOST_TEST(s.last.problems[0].file == procfs::pid_file::statm);
    BOOST_TEST(s.last.problems[0].status == procfs::read_status::error);
    s.sweep_find(1.0);
    BOOST_TEST(s.last.problems.empty());
}

BOOST_AUTO_TEST_CASE(status_without_uid_makes_user_and_switches_unavailable) {
    stepped s;
    s.tree.write("100/status", "Name:\tserver\nState:\tS (sleeping)\n");
    const process_sample& p = s.sweep_find(0.0);
    BOOST_TEST(p.unavailable == unavailable_status);
    BOOST_TEST(p.username == nullptr);
    BOOST_TEST(!p.uid.has_value());
    BOOST_TEST(!p.ctx_switches_voluntary.has_value());
    BOOST_TEST(!p.ctx_switches_involuntary.has_value());
    BOOST_TEST(p.rss == 500u * 4096); // the other files still count
    BOOST_TEST_REQUIRE(s.last.problems.size() == 1u);
    BOOST_TEST(s.last.problems[0].file == procfs::pid_file::status);
}

BOOST_AUTO_TEST_CASE(malformed_stat_drops_the_process) {
    stepped s;
    test::fake_process q;
    q.pid = 200;
    s.tree.write(q);
    s.tree.write("200/stat", "200 (broken\n");
    s.sweep_find(0.0);
    BOOST_TEST(s.last.snap->find(200) == nullptr);
    BOOST_TEST(s.last.snap->processes.size() == 1u);
}

BOOST_AUTO_TEST_CASE(io_that_appears_later_starts_its_rates_fresh) {
    stepped s;
    s.p.io.reset();
    s.tree.write(s.p);
    const process_sample& a = s.sweep_find(0.0);
    BOOST_TEST(!a.read_bytes.has_value());
    s.p.io = test::fake_io{0, 0, 0, 0, 4096, 0, 0};
    s.tree.write(s.p);
    const process_sample& b = s.sweep_find(1.0);
    BOOST_TEST(b.unavailable == 0u);
    BOOST_TEST_REQUIRE(b.read_bytes.has_value());
    BOOST_TEST(*b.read_bytes == 4096u);
    BOOST_TEST(!b.read_bytes_per_sec.has_value()); // no previous reading: absent, not 4096/s
    s.p.io->read_bytes += 1024;
    s.tree.write(s.p);
    const process_sample& c = s.sweep_find(2.0);
    BOOST_TEST_REQUIRE(c.read_bytes_per_sec.has_value());
    BOOST_TEST(*c.read_bytes_per_sec == 1024.0);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
