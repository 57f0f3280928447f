#include "procfs/pid_io.hpp"
#include "support/parser_checks.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(pid_io_tests)

BOOST_AUTO_TEST_CASE(parses_every_counter) {
    auto io = parse_pid_io(test::fixture_text("proc/1201/io"));
    BOOST_TEST_REQUIRE(io.has_value());
    BOOST_TEST(io->rchar == 123456u);
    BOOST_TEST(io->wchar == 7890u);
    BOOST_TEST(io->syscr == 321u);
    BOOST_TEST(io->syscw == 45u);
    BOOST_TEST(io->read_bytes == 4096000u);
    BOOST_TEST(io->write_bytes == 12288u);
    BOOST_TEST(io->cancelled_write_bytes == 0u);
}

BOOST_AUTO_TEST_CASE(large_values_and_any_order) {
    auto io = parse_pid_io("write_bytes: 18446744073709551615\nrchar: 1\nread_bytes: 9\n"
                           "cancelled_write_bytes: 4096\n");
    BOOST_TEST_REQUIRE(io.has_value());
    BOOST_TEST(io->write_bytes == 18446744073709551615ULL);
    BOOST_TEST(io->read_bytes == 9u);
    BOOST_TEST(io->rchar == 1u);
    BOOST_TEST(io->wchar == 0u);
    BOOST_TEST(io->cancelled_write_bytes == 4096u);
}

BOOST_AUTO_TEST_CASE(without_read_and_write_bytes_is_nullopt) {
    test::check_rejects(parse_pid_io, {
                                          "",
                                          "rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\n",
                                          "rchar: 6976\nread_bytes: 0\n",
                                          "write_bytes: 0\n",
                                          "read_bytes: x\nwrite_bytes: 0\n",
                                      });
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
