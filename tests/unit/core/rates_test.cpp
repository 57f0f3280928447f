#include "core/rates.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>

namespace procpulse::core {
namespace {

using u64 = std::optional<std::uint64_t>;

BOOST_AUTO_TEST_SUITE(rates_tests, *boost::unit_test::tolerance(1e-12))

BOOST_AUTO_TEST_CASE(counter_rate_over_seconds) {
    auto r = counter_rate(u64{5}, u64{15}, 2.0);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == 5.0);
    r = counter_rate(u64{100}, u64{100}, 1.0);
    BOOST_TEST_REQUIRE(r.has_value()); // no change is a rate of 0, not an absent rate
    BOOST_TEST(*r == 0.0);
    r = counter_rate(u64{0}, u64{1}, 0.25);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == 4.0);
}

BOOST_AUTO_TEST_CASE(counter_rate_is_never_made_up) {
    BOOST_TEST(!counter_rate(std::nullopt, u64{15}, 1.0).has_value()); // first reading
    BOOST_TEST(!counter_rate(u64{5}, std::nullopt, 1.0).has_value());  // source unreadable now
    BOOST_TEST(!counter_rate(u64{15}, u64{5}, 1.0).has_value());       // counter reset
    BOOST_TEST(!counter_rate(u64{5}, u64{15}, 0.0).has_value());       // no time passed
    BOOST_TEST(!counter_rate(u64{5}, u64{15}, -1.0).has_value());      // clock went back
}

BOOST_AUTO_TEST_CASE(cpu_percent_from_ticks) {
    // 150 ticks at 100 Hz over a measured 2 s: 75 %; over the nominal 1 s it would be 150 %.
    auto p = cpu_percent(u64{100}, u64{250}, 100, 2.0);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 75.0);
    p = cpu_percent(u64{100}, u64{250}, 100, 1.0);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 150.0);
    p = cpu_percent(u64{0}, u64{500}, 250, 1.0); // 2 s of CPU in 1 s at 250 Hz: two cores
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 200.0);
    BOOST_TEST(!cpu_percent(u64{0}, u64{500}, 0, 1.0).has_value());
    BOOST_TEST(!cpu_percent(std::nullopt, u64{500}, 100, 1.0).has_value());
    BOOST_TEST(!cpu_percent(u64{600}, u64{500}, 100, 1.0).has_value());
}

BOOST_AUTO_TEST_CASE(busy_percent_between_two_cpu_lines) {
    auto p = busy_percent(400, 1000, 800, 2000);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 40.0);
    p = busy_percent(0, 0, 0, 100);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 0.0);
    p = busy_percent(0, 0, 150, 100); // inconsistent counters are capped
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p == 100.0);
    BOOST_TEST(!busy_percent(400, 1000, 500, 1000).has_value()); // no time passed
    BOOST_TEST(!busy_percent(400, 1000, 300, 2000).has_value()); // busy went backwards
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
