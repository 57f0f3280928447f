// Admission limits: the per-connection message token bucket and the connection counter.
#include "transport/limits.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::transport {
namespace {

BOOST_AUTO_TEST_SUITE(limits)

BOOST_AUTO_TEST_CASE(bucket_allows_a_burst_then_the_rate) {
    token_bucket b(2, 3); // 2 per second, bursts of 3
    double now = 100;
    BOOST_TEST(b.take(now));
    BOOST_TEST(b.take(now));
    BOOST_TEST(b.take(now));
    BOOST_TEST(!b.take(now));
    BOOST_TEST(!b.take(now + 0.25)); // half a token
    BOOST_TEST(b.take(now + 0.5));   // one token
    BOOST_TEST(!b.take(now + 0.5));
}

BOOST_AUTO_TEST_CASE(bucket_refills_no_further_than_the_burst) {
    token_bucket b(10, 2);
    BOOST_TEST(b.take(50));
    BOOST_TEST(b.take(50));
    BOOST_TEST(!b.take(50));
    double later = 1000; // long idle
    BOOST_TEST(b.take(later));
    BOOST_TEST(b.take(later));
    BOOST_TEST(!b.take(later));
}

BOOST_AUTO_TEST_CASE(refused_messages_do_not_cost_tokens) {
    token_bucket b(1, 1);
    BOOST_TEST(b.take(10));
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(!b.take(10.25)); // exact binary fractions
    BOOST_TEST(b.take(11.0));
}

BOOST_AUTO_TEST_CASE(connections_limited_in_total_and_per_address) {
    connection_limiter l(3, 2);
    auto a1 = l.try_acquire("10.0.0.1");
    auto a2 = l.try_acquire("10.0.0.1");
    BOOST_TEST(a1 != nullptr);
    BOOST_TEST(a2 != nullptr);
    BOOST_TEST(l.try_acquire("10.0.0.1") == nullptr); // per address
    auto b1 = l.try_acquire("10.0.0.2");
    BOOST_TEST(b1 != nullptr);
    BOOST_TEST(l.total() == 3u);
    BOOST_TEST(l.try_acquire("10.0.0.3") == nullptr); // in total
    a1.reset();
    BOOST_TEST(l.total() == 2u);
    auto c1 = l.try_acquire("10.0.0.3");
    BOOST_TEST(c1 != nullptr);
    BOOST_TEST(l.try_acquire("10.0.0.1") == nullptr); // full again
    a2.reset();
    b1.reset();
    c1.reset();
    BOOST_TEST(l.total() == 0u);
    // Released places are reusable, per address too.
    auto d1 = l.try_acquire("10.0.0.1");
    auto d2 = l.try_acquire("10.0.0.1");
    BOOST_TEST(d1 != nullptr);
    BOOST_TEST(d2 != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::transport
