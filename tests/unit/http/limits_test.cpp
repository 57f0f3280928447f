// Admission limits: the per-connection message token bucket, the connection counter and the
// accept backoff.
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

BOOST_AUTO_TEST_CASE(accept_backoff_doubles_to_its_cap_and_ends_with_a_success) {
    using std::chrono::milliseconds;
    accept_backoff b(milliseconds(20), milliseconds(500));
    BOOST_TEST(b.succeeded() == 0u); // no episode yet
    BOOST_TEST(b.failed().count() == 20);
    BOOST_TEST(b.failures() == 1u); // the one to log
    BOOST_TEST(b.failed().count() == 40);
    BOOST_TEST(b.failed().count() == 80);
    BOOST_TEST(b.failed().count() == 160);
    BOOST_TEST(b.failed().count() == 320);
    BOOST_TEST(b.failed().count() == 500);
    BOOST_TEST(b.failed().count() == 500);
    BOOST_TEST(b.failures() == 7u);
    BOOST_TEST(b.succeeded() == 7u);
    // A new episode starts from the first pause again.
    BOOST_TEST(b.failed().count() == 20);
    BOOST_TEST(b.failures() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::transport

BOOST_AUTO_TEST_SUITE(pending_budget_tests)

BOOST_AUTO_TEST_CASE(a_new_waiting_connection_evicts_the_oldest_of_its_address_only) {
    procpulse::transport::pending_budget b(2, 0.1);
    std::vector<int> evicted;
    auto t1 = b.admit("127.0.0.1", 10.0, [&] { evicted.push_back(1); });
    auto t2 = b.admit("127.0.0.1", 10.0, [&] { evicted.push_back(2); });
    auto other = b.admit("10.0.0.9", 10.0, [&] { evicted.push_back(9); });
    BOOST_TEST(evicted.empty());
    auto t3 = b.admit("127.0.0.1", 10.5, [&] { evicted.push_back(3); }); // 1 is the oldest: out
    BOOST_TEST(evicted == std::vector<int>{1}, boost::test_tools::per_element());
    BOOST_TEST(b.waiting("127.0.0.1") == 2u);
    BOOST_TEST(b.waiting("10.0.0.9") == 1u);
    t1.reset(); // an evicted ticket ending changes nothing
    BOOST_TEST(b.waiting("127.0.0.1") == 2u);
    t2.reset(); // a request arrived: its place is free, nobody else is evicted
    auto t4 = b.admit("127.0.0.1", 10.6, [&] { evicted.push_back(4); });
    BOOST_TEST(evicted.size() == 1u);
    BOOST_TEST(b.evictions() == 1u);
    t3.reset();
    t4.reset();
    other.reset();
    BOOST_TEST(b.waiting("127.0.0.1") == 0u);
}

BOOST_AUTO_TEST_CASE(a_connection_younger_than_the_minimum_age_is_never_evicted) {
    // A request sent at once is read within milliseconds: it must not lose its place to a storm
    // of newer connections in the meantime.
    procpulse::transport::pending_budget b(2, 0.1);
    int evicted = 0;
    auto young1 = b.admit("127.0.0.1", 20.00, [&] { ++evicted; });
    auto young2 = b.admit("127.0.0.1", 20.01, [&] { ++evicted; });
    std::vector<std::unique_ptr<procpulse::transport::pending_budget::ticket>> storm;
    for (int i = 0; i < 50; ++i)
        storm.push_back(b.admit("127.0.0.1", 20.02 + i * 0.001, [&] { ++evicted; }));
    BOOST_TEST(evicted == 0); // over budget for a moment rather than evicting the young
    BOOST_TEST(b.waiting("127.0.0.1") == 52u);
    // Later, the oldest go first, one per newcomer or per refused connection.
    auto late = b.admit("127.0.0.1", 21.0, [&] { ++evicted; });
    BOOST_TEST(evicted == 1);
    BOOST_TEST(b.evict_oldest("127.0.0.1")); // at the per-address limit: the oldest, any age
    BOOST_TEST(evicted == 2);
    BOOST_TEST(!b.evict_oldest("10.1.1.1"));
}

BOOST_AUTO_TEST_SUITE_END()
