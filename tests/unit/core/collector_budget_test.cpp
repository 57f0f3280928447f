/**
 * The fd budget (collector_options::fd_budget): kept per-process files stay within it, every
 * process is still reported (beyond the budget with open/read/close), focus and busy processes
 * keep their files first, and running out of descriptors (EMFILE, under a low RLIMIT_NOFILE in a
 * forked child) degrades instead of losing processes. What the collector holds open is observed
 * in /proc/self/fd, not taken from its own counters.
 */
#include "core/collector.hpp"
#include "support/child.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <dirent.h>
#include <map>
#include <set>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace procpulse::core {
namespace {

/** A tree of `n` sleeping processes with pids 100, 101, … */
struct many_tree {
    test::proc_tree tree;
    test::fake_system sys;
    std::vector<test::fake_process> procs;

    explicit many_tree(int n) {
        tree.write(sys);
        for (int i = 0; i < n; ++i) {
            test::fake_process p;
            p.pid = 100 + i;
            p.starttime = 1000 + static_cast<std::uint64_t>(i);
            p.cmdline = {"/bin/sleep", "600"};
            tree.write(p);
            procs.push_back(p);
        }
    }
};

/** Descriptors this process holds on files of PID directories under `root`, by pid. */
std::map<int, int> held_by_pid(const std::string& root) {
    std::map<int, int> held;
    DIR* d = ::opendir("/proc/self/fd");
    if (!d) return held;
    const std::string prefix = root + "/";
    while (dirent* e = ::readdir(d)) {
        std::string link = std::string("/proc/self/fd/") + e->d_name;
        char target[4096];
        ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
        if (n <= 0) continue;
        std::string t(target, static_cast<std::size_t>(n));
        if (t.rfind(prefix, 0) != 0) continue;
        std::size_t end = t.find('/', prefix.size());
        std::string first = t.substr(prefix.size(), end - prefix.size());
        if (first.empty() || first.find_first_not_of("0123456789") != std::string::npos) continue;
        ++held[std::stoi(first)];
    }
    ::closedir(d);
    return held;
}

int total(const std::map<int, int>& held) {
    int n = 0;
    for (const auto& [pid, count] : held)
        n += count;
    return n;
}

std::set<int> pids_of(const std::map<int, int>& held) {
    std::set<int> s;
    for (const auto& [pid, count] : held)
        s.insert(pid);
    return s;
}

bool all_reported(const collector::result& r, int n) {
    if (r.snap->processes.size() != static_cast<std::size_t>(n)) return false;
    for (int i = 0; i < n; ++i)
        if (!r.snap->find(100 + i)) return false;
    return true;
}

collector_options budget_options(std::size_t budget) {
    collector_options o = test::tree_options(true);
    o.fd_budget = budget;
    return o;
}

BOOST_AUTO_TEST_SUITE(collector_budget_tests)

BOOST_AUTO_TEST_CASE(the_budget_follows_the_limit_and_the_connections) {
    BOOST_TEST(fd_budget_for(20000, 512) == 10000u); // half the limit
    BOOST_TEST(fd_budget_for(1600, 512) == 512u);    // 1600 - 1024 - 64
    BOOST_TEST(fd_budget_for(1024, 512) == 0u);      // the connections take it all
    BOOST_TEST(fd_budget_for(256, 64) == 64u);       // 256 - 128 - 64
    BOOST_TEST(fd_budget_for(0, 0) == 0u);
}

BOOST_AUTO_TEST_CASE(two_thousand_processes_within_a_budget_of_100_are_all_reported) {
    many_tree m(2000);
    collector c(m.tree.path(), budget_options(100), nullptr);
    for (int sweep = 1; sweep <= 3; ++sweep) {
        auto r = c.sweep(test::at_seconds(sweep));
        BOOST_TEST(all_reported(r, 2000));
        BOOST_TEST(r.problems.empty());
        BOOST_TEST(!r.exhausted);
        auto held = held_by_pid(m.tree.path());
        BOOST_TEST(total(held) <= 100);
        BOOST_TEST(static_cast<std::size_t>(total(held)) == r.snap->proc_files.open);
        BOOST_TEST(r.snap->proc_files.budget == 100u);
        BOOST_TEST(r.snap->proc_files.kept_processes == 100u / procfs::pid_dir::max_fds);
        BOOST_TEST(held.size() == r.snap->proc_files.kept_processes);
    }
    // Beyond the budget each read opens and closes: in-place rewrites and new figures show.
    auto& p = m.procs[1500];
    p.utime += 50;
    p.resident = 900;
    m.tree.write(p);
    auto r = c.sweep(test::at_seconds(4));
    const auto* s = r.snap->find(p.pid);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->rss == 900u * 4096);
    BOOST_TEST(s->cpu_percent.value_or(-1) == 50.0);
}

BOOST_AUTO_TEST_CASE(a_budget_of_zero_keeps_nothing_open) {
    many_tree m(50);
    collector c(m.tree.path(), budget_options(0), nullptr);
    auto r = c.sweep(test::at_seconds(1));
    BOOST_TEST(all_reported(r, 50));
    BOOST_TEST(held_by_pid(m.tree.path()).empty());
    BOOST_TEST(r.snap->proc_files.open == 0u);
    BOOST_TEST(r.snap->proc_files.kept_processes == 0u);
}

BOOST_AUTO_TEST_CASE(focus_then_busy_processes_keep_their_files_first) {
    many_tree m(50);
    // Room for two processes' files.
    collector c(m.tree.path(), budget_options(2 * procfs::pid_dir::max_fds), nullptr);
    const std::vector<int> focus{140};
    c.sweep(test::at_seconds(1), &focus);
    BOOST_TEST((pids_of(held_by_pid(m.tree.path())) == std::set<int>{100, 140}));

    // 120 uses CPU: busy in this sweep, so it keeps its files from the next one on, in place of
    // the idle 100; the focus pid keeps its own.
    m.procs[20].utime += 10;
    m.tree.write(m.procs[20]);
    c.sweep(test::at_seconds(2), &focus);
    auto r = c.sweep(test::at_seconds(3), &focus);
    BOOST_TEST((pids_of(held_by_pid(m.tree.path())) == std::set<int>{120, 140}));
    BOOST_TEST(all_reported(r, 50));

    // Without focus and activity, the kept ones stay kept (no churn).
    r = c.sweep(test::at_seconds(4));
    r = c.sweep(test::at_seconds(5));
    BOOST_TEST((pids_of(held_by_pid(m.tree.path())) == std::set<int>{120, 140}));
}

BOOST_AUTO_TEST_CASE(exited_and_reused_pids_beyond_the_budget) {
    many_tree m(30);
    collector c(m.tree.path(), budget_options(procfs::pid_dir::max_fds), nullptr);
    c.sweep(test::at_seconds(1));
    m.tree.remove_pid(110);
    auto& reused = m.procs[20]; // pid 120, read open/read/close: a new process behind it
    reused.starttime = 99999;
    reused.comm = "fresh";
    reused.cmdline = {"fresh"};
    m.tree.write(reused);
    auto r = c.sweep(test::at_seconds(2));
    BOOST_TEST(r.snap->processes.size() == 29u);
    BOOST_TEST(!r.snap->find(110));
    const auto* s = r.snap->find(120);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->key.start_ticks == 99999u);
    BOOST_TEST(s->name == "fresh");
    BOOST_TEST(!s->cpu_percent); // a new process: no rate yet
}

BOOST_AUTO_TEST_CASE(out_of_descriptors_degrades_and_reports_once) {
    // No budget at all (as if RLIMIT_NOFILE were lowered under a running server) and a limit of
    // 256 descriptors: keeping 6 files for each of 2,000 processes runs out in the first sweep.
    many_tree m(2000);
    std::string result = test::run_unprivileged([&] {
        rlimit rl{256, 256};
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) return std::string("setrlimit failed");
        collector c(m.tree.path(), test::tree_options(true), nullptr);
        std::string out;
        for (int sweep = 1; sweep <= 4; ++sweep) {
            auto r = c.sweep(test::at_seconds(sweep));
            out += "sweep " + std::to_string(sweep) +
                   ": all=" + (all_reported(r, 2000) ? "1" : "0") +
                   " problems=" + std::to_string(r.problems.size()) +
                   " exhausted=" + (r.exhausted ? "1" : "0");
            if (r.exhausted)
                out +=
                    " released_over_100=" + std::string(r.exhausted->released > 100 ? "1" : "0") +
                    " budget_below_256=" + (r.exhausted->budget < 256 ? "1" : "0");
            out += " held_within_limit=" +
                   std::string(total(held_by_pid(m.tree.path())) < 256 ? "1" : "0");
            out += "\n";
        }
        return out;
    });
    BOOST_TEST(result ==
               "sweep 1: all=1 problems=0 exhausted=1 released_over_100=1 budget_below_256=1 "
               "held_within_limit=1\n"
               "sweep 2: all=1 problems=0 exhausted=0 held_within_limit=1\n"
               "sweep 3: all=1 problems=0 exhausted=0 held_within_limit=1\n"
               "sweep 4: all=1 problems=0 exhausted=0 held_within_limit=1\n");
}

/**
 * In a child limited to 128 descriptors: a first sweep, then one while dup() holds every free
 * descriptor, then one after they are closed again. One line per sweep.
 */
std::string starve(const many_tree& m, std::size_t budget) {
    return test::run_unprivileged([&] {
        rlimit rl{128, 128};
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) return std::string("setrlimit failed");
        collector c(m.tree.path(), budget_options(budget), nullptr);
        auto first = c.sweep(test::at_seconds(1));
        std::vector<int> hogs;
        for (int fd; (fd = ::dup(0)) >= 0;)
            hogs.push_back(fd);
        auto starved = c.sweep(test::at_seconds(2));
        for (int fd : hogs)
            ::close(fd);
        auto after = c.sweep(test::at_seconds(3));
        auto line = [](const collector::result& r) {
            return "all=" + std::string(all_reported(r, 20) ? "1" : "0") +
                   " exhausted=" + (r.exhausted ? "1" : "0") +
                   " incomplete=" + (r.incomplete ? "1" : "0") +
                   " problems=" + std::to_string(r.problems.size()) + "\n";
        };
        return line(first) + line(starved) + line(after);
    });
}

BOOST_AUTO_TEST_CASE(descriptors_taken_elsewhere_are_made_up_for_by_releasing_kept_files) {
    // Something else takes every free descriptor: releasing the kept files (5 processes' worth)
    // leaves enough to read everything with open/read/close.
    many_tree m(20);
    BOOST_TEST(starve(m, 30) == "all=1 exhausted=0 incomplete=0 problems=0\n"
                                "all=1 exhausted=1 incomplete=0 problems=0\n"
                                "all=1 exhausted=0 incomplete=0 problems=0\n");
}

BOOST_AUTO_TEST_CASE(a_sweep_without_any_descriptor_left_is_incomplete) {
    // Nothing kept to release: not even open/read/close works. The sweep says so (the shell
    // does not publish it); once descriptors are free again, everything is read.
    many_tree m(20);
    BOOST_TEST(starve(m, 0) == "all=1 exhausted=0 incomplete=0 problems=0\n"
                               "all=0 exhausted=1 incomplete=1 problems=0\n"
                               "all=1 exhausted=0 incomplete=0 problems=0\n");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
