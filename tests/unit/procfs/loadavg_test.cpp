#include "procfs/loadavg.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(loadavg_tests)

BOOST_AUTO_TEST_CASE(fixture) {
    auto l = parse_loadavg(test::fixture_text("proc/loadavg"));
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(l->load1 == 0.52);
    BOOST_TEST(l->load5 == 0.34);
    BOOST_TEST(l->load15 == 0.21);
    BOOST_TEST(l->runnable == 2u);
    BOOST_TEST(l->entities == 187u);
    BOOST_TEST(l->last_pid == 57480u);
}

BOOST_AUTO_TEST_CASE(busy_machine_without_last_pid) {
    auto l = parse_loadavg("123.45 67.89 10.00 17/4096");
    BOOST_TEST_REQUIRE(l.has_value());
    BOOST_TEST(l->load1 == 123.45);
    BOOST_TEST(l->load15 == 10.0);
    BOOST_TEST(l->runnable == 17u);
    BOOST_TEST(l->entities == 4096u);
    BOOST_TEST(l->last_pid == 0u);
}

BOOST_AUTO_TEST_CASE(malformed_is_nullopt) {
    test::check_rejects(parse_loadavg,
                        {"", "0.52 0.34\n", "0.52 0.34 0.21\n", "0.52 0.34 0.21 2-187 5\n",
                         "0.52 0.34 0.21 /187 5\n", "a b c 1/2 3\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
