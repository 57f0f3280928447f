#include "procfs/meminfo.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

constexpr std::uint64_t kib = 1024;

BOOST_AUTO_TEST_SUITE(meminfo_tests)

BOOST_AUTO_TEST_CASE(fixture_in_bytes) {
    auto m = parse_meminfo(test::fixture_text("proc/meminfo"));
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->mem_total == 16384000 * kib);
    BOOST_TEST(m->mem_free == 8192000 * kib);
    BOOST_TEST_REQUIRE(m->mem_available.has_value());
    BOOST_TEST(*m->mem_available == 12288000 * kib);
    BOOST_TEST(m->buffers == 204800 * kib);
    BOOST_TEST(m->cached == 3072000 * kib); // SwapCached is a different line
    BOOST_TEST(m->shmem == 102400 * kib);
    BOOST_TEST(m->sreclaimable == 409600 * kib);
    BOOST_TEST(m->active_file == 1638400 * kib);
    BOOST_TEST(m->inactive_file == 1228800 * kib);
    BOOST_TEST(m->swap_total == 2097152 * kib);
    BOOST_TEST(m->swap_free == 1572864 * kib);
}

BOOST_AUTO_TEST_CASE(missing_mem_available_is_absent_not_zero) {
    // Linux before 3.14 has no MemAvailable line.
    auto m = parse_meminfo("MemTotal:        2048000 kB\nMemFree:          512000 kB\n"
                           "Buffers:           10000 kB\nCached:           300000 kB\n");
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->mem_total == 2048000 * kib);
    BOOST_TEST(m->mem_free == 512000 * kib);
    BOOST_TEST(!m->mem_available.has_value());
    BOOST_TEST(m->buffers == 10000 * kib);
    BOOST_TEST(m->cached == 300000 * kib);
    BOOST_TEST(m->swap_total == 0u);
}

BOOST_AUTO_TEST_CASE(mem_available_of_zero_is_present) {
    auto m = parse_meminfo("MemTotal: 100 kB\nMemAvailable: 0 kB\n");
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST_REQUIRE(m->mem_available.has_value());
    BOOST_TEST(*m->mem_available == 0u);
}

BOOST_AUTO_TEST_CASE(without_mem_total_is_nullopt) {
    test::check_rejects(parse_meminfo,
                        {"", "MemFree: 100 kB\nMemAvailable: 200 kB\n", "MemTotal: lots kB\n"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
