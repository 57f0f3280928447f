#include "procfs/vmstat.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(vmstat_tests)

BOOST_AUTO_TEST_CASE(fixture_counters) {
    auto v = parse_vmstat(test::fixture_text("proc/vmstat"));
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->pgfault == 2925254u);
    BOOST_TEST(v->pgmajfault == 913u);
    BOOST_TEST(v->pswpin == 1200u);
    BOOST_TEST(v->pswpout == 3400u);
}

BOOST_AUTO_TEST_CASE(keys_match_whole_words) {
    // pgfault must not be taken from a longer key that starts with it, nor pswpin from pgpgin.
    auto v = parse_vmstat("pgfault_extra 5\npgpgin 77\npgfault 10\npgmajfault 2\n");
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->pgfault == 10u);
    BOOST_TEST(v->pgmajfault == 2u);
    BOOST_TEST(v->pswpin == 0u);
}

BOOST_AUTO_TEST_CASE(without_fault_counters_is_nullopt) {
    test::check_rejects(parse_vmstat, {"", "pgfault 10\n", "pgmajfault 2\npswpin 3\n",
                                       "pgfault x\npgmajfault 2\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
