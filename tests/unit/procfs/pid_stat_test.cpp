#include "procfs/pid_stat.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::procfs {
namespace {

using namespace std::string_literals;

/** One row of the table: a stat text and every field parse_pid_stat must return for it. */
struct stat_case {
    const char* what;
    std::string text;
    int pid;
    std::string comm;
    char state;
    int ppid;
    std::uint64_t flags, minflt, majflt, utime, stime;
    std::int64_t priority, nice, num_threads;
    std::uint64_t starttime, vsize;
    std::int64_t rss;
    int processor;
};

// The tail of a real stat line after (24) rss: (25) rsslim … (39) processor = 1 … (52).
const std::string tail =
    " 18446744073709551615 94189360881664 94189361671069 140723459105760 0 0 0 0 4 1132560123"
    " 1 0 0 17 1 0 0 0 0 0 94189361904368 94189361952612 94189407502336 140723459111738"
    " 140723459111753 140723459111753 140723459112938 0\n";

const std::vector<stat_case> good_cases = {
    {"bash, read from this machine's /proc",
     "1185 (bash) S 1184 1185 1185 0 -1 4194560 12951 841563 0 200 3 6 1522 287 20 0 1 0 3762 "
     "5414912 1005" +
         tail,
     1185, "bash", 'S', 1184, 4194560, 12951, 0, 3, 6, 20, 0, 1, 3762, 5414912, 1005, 1},
    {"name with a space and ')'",
     "42 (a) b) R 1201 42 1201 34816 42 4194304 300 0 0 0 40 10 0 0 "
     "20 0 1 0 130000 4096000 500" +
         tail,
     42, "a) b", 'R', 1201, 4194304, 300, 0, 40, 10, 20, 0, 1, 130000, 4096000, 500, 1},
    {"name with nested parentheses",
     "7 (x (y) z)) S 1 7 7 0 -1 0 1 0 2 0 3 4 0 0 20 0 1 0 55 "
     "8192 2" +
         tail,
     7, "x (y) z)", 'S', 1, 0, 1, 2, 3, 4, 20, 0, 1, 55, 8192, 2, 1},
    {"name that imitates the fields after it",
     "8 (evil) R 1 2) S 1 8 8 0 -1 0 0 0 0 0 0 0 0 0 "
     "20 0 1 0 99 0 0" +
         tail,
     8, "evil) R 1 2", 'S', 1, 0, 0, 0, 0, 0, 20, 0, 1, 99, 0, 0, 1},
    {"empty name", "9 () S 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0" + tail, 9, "", 'S', 1, 0, 0,
     0, 0, 0, 20, 0, 1, 5, 0, 0, 1},
    {"kernel thread kthreadd (PF_KTHREAD), processor 0",
     "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 3 0 0 20 0 1 0 22 0 0 18446744073709551615 0 0 "
     "0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
     2, "kthreadd", 'S', 0, 2129984, 0, 0, 0, 3, 20, 0, 1, 22, 0, 0, 0},
    {"idle kworker with nice -20 and priority 0",
     "10 (kworker/0:0H-kblockd) I 2 0 0 0 -1 69238880 0 0 0 0 0 2 0 0 0 -20 1 0 22 0 0 "
     "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
     10, "kworker/0:0H-kblockd", 'I', 2, 69238880, 0, 0, 0, 2, 0, -20, 1, 22, 0, 0, 0},
    {"zombie",
     "6148 (sleep) Z 6146 6143 4681 0 -1 4227084 126 0 1 0 0 0 0 0 20 0 1 0 43899 0 0 "
     "18446744073709551615 0 0 0 0 0 0 0 6 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
     6148, "sleep", 'Z', 6146, 4227084, 126, 1, 0, 0, 20, 0, 1, 43899, 0, 0, 1},
    {"old kernel: the line ends after rss, no processor",
     "12 (old) S 1 12 12 0 -1 0 5 0 6 0 7 8 0 0 20 0 1 0 900 4096 1\n", 12, "old", 'S', 1, 0, 5, 6,
     7, 8, 20, 0, 1, 900, 4096, 1, -1},
    {"large counters and many threads",
     "4000000 (java) S 1 4000000 4000000 0 -1 1077936192 18446744073709551 0 12 0 987654321 "
     "123456789 0 0 39 19 512 0 4294967296 137438953472 3000000" +
         tail,
     4000000, "java", 'S', 1, 1077936192, 18446744073709551ULL, 12, 987654321, 123456789, 39, 19,
     512, 4294967296ULL, 137438953472ULL, 3000000, 1},
};

const std::vector<std::pair<const char*, std::string>> bad_cases = {
    {"empty", ""},
    {"only a pid", "1234\n"},
    {"no closing parenthesis", "12 (bash S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"no opening parenthesis", "12 bash) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"parentheses reversed", "12 )bash( S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"pid not a number", "x1 (bash) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"no pid", "(bash) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"state of two letters", "12 (bash) SS 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"truncated before rss", "12 (bash) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 4096\n"},
    {"utime not a number", "12 (bash) S 1 12 12 0 -1 0 0 0 0 0 abc 0 0 0 20 0 1 0 5 0 0\n"},
    {"negative fault count", "12 (bash) S 1 12 12 0 -1 0 -5 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n"},
    {"nothing after the name", "12 (bash)"},
};

BOOST_AUTO_TEST_SUITE(pid_stat_tests)

BOOST_AUTO_TEST_CASE(parses_every_field) {
    for (const auto& c : good_cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto s = parse_pid_stat(c.text);
            BOOST_TEST_REQUIRE(s.has_value());
            BOOST_TEST(s->pid == c.pid);
            BOOST_TEST(s->comm == c.comm);
            BOOST_TEST(s->state == c.state);
            BOOST_TEST(s->ppid == c.ppid);
            BOOST_TEST(s->flags == c.flags);
            BOOST_TEST(s->minflt == c.minflt);
            BOOST_TEST(s->majflt == c.majflt);
            BOOST_TEST(s->utime == c.utime);
            BOOST_TEST(s->stime == c.stime);
            BOOST_TEST(s->priority == c.priority);
            BOOST_TEST(s->nice == c.nice);
            BOOST_TEST(s->num_threads == c.num_threads);
            BOOST_TEST(s->starttime == c.starttime);
            BOOST_TEST(s->vsize == c.vsize);
            BOOST_TEST(s->rss == c.rss);
            BOOST_TEST(s->processor == c.processor);
        }
    }
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_nullopt) {
    for (const auto& [what, text] : bad_cases) {
        BOOST_TEST_CONTEXT(what) {
            BOOST_TEST(!parse_pid_stat(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(kernel_thread_flag) {
    BOOST_TEST((2129984u & pf_kthread) != 0u);  // kthreadd
    BOOST_TEST((69238880u & pf_kthread) != 0u); // kworker
    BOOST_TEST((4194560u & pf_kthread) == 0u);  // bash
    BOOST_TEST((4227084u & pf_kthread) == 0u);  // an exited sleep (zombie)
}

BOOST_AUTO_TEST_CASE(fixture_files) {
    struct row {
        int pid;
        const char* comm;
        char state;
        bool kthread;
    };
    for (const row& r : {row{1201, "python3", 'S', false}, row{42, "a) b", 'R', false},
                         row{77, "worker", 'Z', false}, row{2, "kthreadd", 'S', true},
                         row{10, "kworker/0:0H-kblockd", 'I', true},
                         row{300, "blanked", 'S', false}, row{555, "noio", 'D', false}}) {
        BOOST_TEST_CONTEXT("pid " << r.pid) {
            auto s = parse_pid_stat(test::fixture_text("proc/" + std::to_string(r.pid) + "/stat"));
            BOOST_TEST_REQUIRE(s.has_value());
            BOOST_TEST(s->pid == r.pid);
            BOOST_TEST(s->comm == r.comm);
            BOOST_TEST(s->state == r.state);
            BOOST_TEST(((s->flags & pf_kthread) != 0) == r.kthread);
        }
    }
}

BOOST_AUTO_TEST_CASE(helper_line_round_trips) {
    // The temporary trees of core_tests use this writer; it must produce what the parser expects.
    test::fake_process p;
    p.pid = 321;
    p.comm = "my (odd) name)";
    p.state = 'D';
    p.ppid = 7;
    p.minflt = 11;
    p.majflt = 12;
    p.utime = 13;
    p.stime = 14;
    p.nice = -5;
    p.num_threads = 6;
    p.starttime = 777;
    p.size = 10;
    p.resident = 3;
    auto s = parse_pid_stat(p.stat_text());
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->pid == 321);
    BOOST_TEST(s->comm == "my (odd) name)");
    BOOST_TEST(s->state == 'D');
    BOOST_TEST(s->ppid == 7);
    BOOST_TEST(s->flags == 0x400100u);
    BOOST_TEST(s->minflt == 11u);
    BOOST_TEST(s->majflt == 12u);
    BOOST_TEST(s->utime == 13u);
    BOOST_TEST(s->stime == 14u);
    BOOST_TEST(s->priority == 15);
    BOOST_TEST(s->nice == -5);
    BOOST_TEST(s->num_threads == 6);
    BOOST_TEST(s->starttime == 777u);
    BOOST_TEST(s->vsize == 40960u);
    BOOST_TEST(s->rss == 3);
    BOOST_TEST(s->processor == 1);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
