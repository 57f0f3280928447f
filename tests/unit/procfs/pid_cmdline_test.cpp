#include "procfs/pid_cmdline.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::procfs {
namespace {

using namespace std::string_literals;
using args = std::vector<std::string>;

struct cmdline_case {
    const char* what;
    std::string text;
    args expected;
    std::string joined;
};

BOOST_AUTO_TEST_SUITE(pid_cmdline_tests)

BOOST_AUTO_TEST_CASE(splits_like_psutil) {
    const std::vector<cmdline_case> cases = {
        {"NUL-separated with a trailing NUL",
         "python3\0-m\0http.server\0008000\0"s,
         {"python3", "-m", "http.server", "8000"},
         "python3 -m http.server 8000"},
        {"no trailing NUL", "bash\0/dev/fd/3"s, {"bash", "/dev/fd/3"}, "bash /dev/fd/3"},
        {"an argument holding spaces",
         "sh\0-c\0echo hi there\0"s,
         {"sh", "-c", "echo hi there"},
         "sh -c echo hi there"},
        {"name with ')' and a space",
         "./a) b\0--verbose\0"s,
         {"./a) b", "--verbose"},
         "./a) b --verbose"},
        {"an empty argument in the middle", "a\0\0b\0"s, {"a", "", "b"}, "a  b"},
        {"setproctitle: spaces and one NUL at the end",
         "nginx: worker process\0"s,
         {"nginx:", "worker", "process"},
         "nginx: worker process"},
        {"setproctitle: spaces, no NUL, doubled spaces (one trailing space dropped)",
         "postgres: checkpointer  "s,
         {"postgres:", "checkpointer", ""},
         "postgres: checkpointer "},
        {"setproctitle: padding NULs after the title (kept as empty arguments)",
         "sshd: root@pts/0\0\0\0\0"s,
         {"sshd: root@pts/0", "", "", ""},
         "sshd: root@pts/0   "},
        {"doubled spaces without NUL", "a  b"s, {"a", "", "b"}, "a  b"},
        {"an empty last argument", "x\0\0"s, {"x", ""}, "x "},
        {"an empty first argument", "\0-x\0"s, {"", "-x"}, " -x"},
        {"single argument", "/sbin/init\0"s, {"/sbin/init"}, "/sbin/init"},
        {"empty (kernel thread, zombie)", ""s, {}, ""},
        {"a lone NUL: one empty argument", "\0"s, {""}, ""},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            args got = parse_pid_cmdline(c.text);
            BOOST_TEST(got == c.expected, boost::test_tools::per_element());
            BOOST_TEST(join_cmdline(got) == c.joined);
        }
    }
}

BOOST_AUTO_TEST_CASE(names_of_15_or_more_characters_are_extended_from_argv0) {
    // The kernel cuts comm at 15 characters; psutil takes argv[0]'s base name when it starts so.
    BOOST_TEST(extended_name("procpulse-long-", {"/usr/bin/procpulse-long-name", "-x"}) ==
               "procpulse-long-name");
    BOOST_TEST(extended_name("procpulse-long-", {"procpulse-long-name"}) == "procpulse-long-name");
    BOOST_TEST(extended_name("procpulse-long-", {"/usr/bin/other"}) == "procpulse-long-");
    BOOST_TEST(extended_name("procpulse-long-", {}) == "procpulse-long-");
    BOOST_TEST(extended_name("short", {"/usr/bin/shorter"}) == "short"); // under 15: as is
    BOOST_TEST(extended_name("kworker/0:1-eve", {""}) == "kworker/0:1-eve");
}

BOOST_AUTO_TEST_CASE(fixture_files) {
    BOOST_TEST(join_cmdline(parse_pid_cmdline(test::read_file(
                   test::fixture_path("proc/1201/cmdline")))) == "python3 -m http.server 8000");
    for (int pid : {2, 10, 77, 300}) {
        BOOST_TEST_CONTEXT("pid " << pid) {
            BOOST_TEST(
                parse_pid_cmdline(test::fixture_text("proc/" + std::to_string(pid) + "/cmdline"))
                    .empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
