#include "procfs/net_dev.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(net_dev_tests)

BOOST_AUTO_TEST_CASE(fixture_interfaces_in_order) {
    auto n = parse_net_dev(test::fixture_text("proc/net/dev"));
    // The two header lines and wlan0's short line are skipped.
    BOOST_TEST_REQUIRE(n.size() == 3u);
    BOOST_TEST(n[0].name == "lo");
    BOOST_TEST(n[1].name == "eth0");
    BOOST_TEST(n[1].rx_bytes == 123456789012u); // touches the colon
    BOOST_TEST(n[1].rx_packets == 987654u);
    BOOST_TEST(n[1].rx_errors == 3u);
    BOOST_TEST(n[1].rx_drops == 7u);
    BOOST_TEST(n[1].tx_bytes == 9876543210u);
    BOOST_TEST(n[1].tx_packets == 654321u);
    BOOST_TEST(n[1].tx_errors == 1u);
    BOOST_TEST(n[1].tx_drops == 2u);
    BOOST_TEST(n[2].name == "veth1a2b3c");
    BOOST_TEST(n[2].tx_packets == 60u);
}

BOOST_AUTO_TEST_CASE(table_of_lines) {
    struct line_case {
        const char* text;
        const char* name; // nullptr: rejected
    };
    const line_case cases[] = {
        {"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "eth0"},
        {"  br-1f2e:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "br-1f2e"},
        {"eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", nullptr}, // no colon
        {": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", nullptr},    // no name
        {"eth0: 1 2 3 4 5 6 7 8 9 10 11", nullptr},               // short
        {"eth0: 1 2 3 4 5 6 7 8 x 10 11 12 13 14 15 16", nullptr},
        {" face |bytes    packets errs drop", nullptr},
        {"", nullptr},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("'" << c.text << "'") {
            auto n = parse_net_dev(c.text);
            BOOST_TEST(n.size() == (c.name ? 1u : 0u));
            if (c.name && !n.empty()) {
                BOOST_TEST(n[0].name == c.name);
                BOOST_TEST(n[0].rx_bytes == 1u);
                BOOST_TEST(n[0].tx_bytes == 9u);
                BOOST_TEST(n[0].tx_drops == 12u);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
