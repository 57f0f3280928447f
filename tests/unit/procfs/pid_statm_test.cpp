#include "procfs/pid_statm.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::procfs {
namespace {

struct statm_case {
    const char* what;
    std::string text;
    std::uint64_t size, resident, shared, text_pages, data;
};

BOOST_AUTO_TEST_SUITE(pid_statm_tests)

BOOST_AUTO_TEST_CASE(parses_pages) {
    const std::vector<statm_case> cases = {
        {"cat, read from this machine's /proc", "765 423 395 5 0 123 0\n", 765, 423, 395, 5, 123},
        {"kernel thread or zombie: all zeros", "0 0 0 0 0 0 0\n", 0, 0, 0, 0, 0},
        {"no trailing newline", "6400 2560 1280 700 0 1800 0", 6400, 2560, 1280, 700, 1800},
        {"without the unused seventh field", "10 9 8 7 0 6", 10, 9, 8, 7, 6},
        {"large process", "33554432 4194304 2048 1024 0 30000000 0\n", 33554432, 4194304, 2048,
         1024, 30000000},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            auto m = parse_pid_statm(c.text);
            BOOST_TEST_REQUIRE(m.has_value());
            BOOST_TEST(m->size == c.size);
            BOOST_TEST(m->resident == c.resident);
            BOOST_TEST(m->shared == c.shared);
            BOOST_TEST(m->text == c.text_pages);
            BOOST_TEST(m->data == c.data);
        }
    }
}

BOOST_AUTO_TEST_CASE(malformed_is_nullopt) {
    test::check_rejects(parse_pid_statm, {"", "\n", "1 2 3\n", "1 2 3 4 x 6 0\n",
                                          "-1 2 3 4 0 6 0\n", "1.5 2 3 4 0 6 0\n"});
}

BOOST_AUTO_TEST_CASE(fixture_file) {
    auto m = parse_pid_statm(test::fixture_text("proc/1201/statm"));
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->size == 6400u);
    BOOST_TEST(m->resident == 2560u);
    BOOST_TEST(m->shared == 1280u);
    BOOST_TEST(m->text == 700u);
    BOOST_TEST(m->data == 1800u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
