#include "procfs/pid_status.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::procfs {
namespace {

struct status_case {
    const char* what;
    std::string text;
    std::uint32_t uid_real, uid_effective;
    bool has_ctxt;
    std::uint64_t voluntary, nonvoluntary;
};

BOOST_AUTO_TEST_SUITE(pid_status_tests)

BOOST_AUTO_TEST_CASE(parses_uid_and_context_switches) {
    const std::vector<status_case> cases = {
        {"ordinary process fixture", test::fixture_text("proc/1201/status"), 1000, 1000, true, 842,
         17},
        {"kernel thread fixture (no Vm lines)", test::fixture_text("proc/10/status"), 0, 0, true,
         1480, 1},
        {"zombie fixture", test::fixture_text("proc/77/status"), 1000, 1000, true, 3, 0},
        {"setuid program: real and effective differ",
         "Name:\tpasswd\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n"
         "voluntary_ctxt_switches:\t4\nnonvoluntary_ctxt_switches:\t1\n",
         1000, 0, true, 4, 1},
        {"old kernel: no context switch lines", "Name:\told\nUid:\t33\t33\t33\t33\n", 33, 33, false,
         0, 0},
        {"only one context switch line", "Uid:\t5\t5\t5\t5\nvoluntary_ctxt_switches:\t9\n", 5, 5,
         false, 9, 0},
        {"keys at the very start and end, reversed, no final newline",
         "Uid:\t7\t8\t9\t9\nnonvoluntary_ctxt_switches:\t3\nvoluntary_ctxt_switches:\t4", 7, 8,
         true, 4, 3},
        {"look-alike keys are not taken",
         "Name:\tUid: 5 voluntary_ctxt_switches: 6\nUidx:\t1\t1\nUid:\t2\t3\t3\t3\n"
         "xvoluntary_ctxt_switches:\t8\nvoluntary_ctxt_switches:\t9\n"
         "nonvoluntary_ctxt_switches:\t10\n",
         2, 3, true, 9, 10},
        {"nobody",
         "Uid:\t65534\t65534\t65534\t65534\nvoluntary_ctxt_switches:\t18446744073709551615\n"
         "nonvoluntary_ctxt_switches:\t0\n",
         65534, 65534, true, 18446744073709551615ULL, 0},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto s = parse_pid_status(c.text);
            BOOST_TEST_REQUIRE(s.has_value());
            BOOST_TEST(s->has_uid);
            BOOST_TEST(s->uid_real == c.uid_real);
            BOOST_TEST(s->uid_effective == c.uid_effective);
            BOOST_TEST(s->has_ctxt == c.has_ctxt);
            BOOST_TEST(s->voluntary_ctxt_switches == c.voluntary);
            BOOST_TEST(s->nonvoluntary_ctxt_switches == c.nonvoluntary);
        }
    }
}

BOOST_AUTO_TEST_CASE(without_a_valid_uid_line_is_nullopt) {
    test::check_rejects(parse_pid_status,
                        {"", "Name:\tbash\nState:\tS (sleeping)\n", "Uid:\n", "Uid:\tabc\t0\n",
                         "Uid:\t1000\n", "Uid:\t-1\t0\t0\t0\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
