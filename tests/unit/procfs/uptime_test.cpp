#include "procfs/uptime.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(uptime_tests)

BOOST_AUTO_TEST_CASE(fixture) {
    auto u = parse_uptime(test::fixture_text("proc/uptime"));
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->up == 12345.67);
    BOOST_TEST(u->idle == 23456.78);
}

BOOST_AUTO_TEST_CASE(without_idle) {
    auto u = parse_uptime("365.24");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->up == 365.24);
    BOOST_TEST(u->idle == 0.0);
}

BOOST_AUTO_TEST_CASE(malformed_is_nullopt) {
    test::check_rejects(parse_uptime, {"", "\n", "soon 1.0\n", "12s 3\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
