#include "procfs/diskstats.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(diskstats_tests)

BOOST_AUTO_TEST_CASE(fixture_lines_in_order) {
    auto d = parse_diskstats(test::fixture_text("proc/diskstats"));
    // sdb's sectors field is not a number: that line alone is skipped.
    BOOST_TEST_REQUIRE(d.size() == 9u);
    BOOST_TEST(d[0].name == "loop0");
    BOOST_TEST(d[2].name == "nvme0n1");
    BOOST_TEST(d[2].major == 259u);
    BOOST_TEST(d[2].minor == 0u);
    BOOST_TEST(d[2].reads == 152340u);
    BOOST_TEST(d[2].sectors_read == 9876544u);
    BOOST_TEST(d[2].writes == 98765u);
    BOOST_TEST(d[2].sectors_written == 12345678u);
    BOOST_TEST(d[2].io_ms == 123456u);
    BOOST_TEST(d[8].name == "ram0");
}

struct line_case {
    const char* text;
    bool accepted;
    std::uint64_t io_ms;
};

BOOST_AUTO_TEST_CASE(table_of_lines) {
    const line_case cases[] = {
        // Linux 2.6 to 4.17: eleven fields after the name
        {"   8       0 sda 1 2 3 4 5 6 7 8 9 10 11", true, 10},
        // 4.18 adds discards, 5.5 flushes: extra fields are ignored
        {"8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", true, 10},
        {"8 0 sda 1 2 3 4 5 6 7 8 9", false, 0},      // too short
        {"8 0 sda 1 2 3 4 5 6 7 8 9 x 11", false, 0}, // not a number
        {"8 0", false, 0},
        {"", false, 0},
        {"a b sda 1 2 3 4 5 6 7 8 9 10 11", false, 0},
        {"8 0 sda -1 2 3 4 5 6 7 8 9 10 11", false, 0},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("'" << c.text << "'") {
            auto d = parse_diskstats(c.text);
            BOOST_TEST(d.size() == (c.accepted ? 1u : 0u));
            if (c.accepted && !d.empty()) BOOST_TEST(d[0].io_ms == c.io_ms);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
