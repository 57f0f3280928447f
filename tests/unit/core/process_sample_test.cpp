#include "core/process_sample.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

namespace procpulse::core {
namespace {

BOOST_AUTO_TEST_SUITE(process_sample_tests)

BOOST_AUTO_TEST_CASE(status_words_are_psutils) {
    const std::vector<std::pair<char, std::string>> table = {
        {'R', "running"},      {'S', "sleeping"}, {'D', "disk-sleep"}, {'T', "stopped"},
        {'t', "tracing-stop"}, {'Z', "zombie"},   {'X', "dead"},       {'x', "dead"},
        {'K', "wake-kill"},    {'W', "waking"},   {'I', "idle"},       {'P', "parked"},
        {'?', "unknown"},      {'Q', "unknown"},
    };
    for (const auto& [state, word] : table) {
        BOOST_TEST_CONTEXT("state " << state) {
            BOOST_TEST(std::string(status_word(state)) == word);
        }
    }
}

BOOST_AUTO_TEST_CASE(unavailable_bit_names) {
    auto names = [](std::uint8_t bits) {
        std::vector<std::string> out;
        for (const char* n : unavailable_names(bits))
            out.emplace_back(n);
        return out;
    };
    BOOST_TEST(names(0).empty());
    BOOST_TEST(names(unavailable_io) == std::vector<std::string>{"io"},
               boost::test_tools::per_element());
    BOOST_TEST(
        names(unavailable_io | unavailable_status | unavailable_cmdline | unavailable_statm) ==
            (std::vector<std::string>{"io", "status", "cmdline", "statm"}),
        boost::test_tools::per_element());
    BOOST_TEST(names(unavailable_statm | unavailable_status) ==
                   (std::vector<std::string>{"status", "statm"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(key_is_pid_and_start_time) {
    process_key a{100, 5000}, reused{100, 7000}, other{101, 5000};
    BOOST_TEST((a == process_key{100, 5000}));
    BOOST_TEST(!(a == reused));
    BOOST_TEST((a < reused));
    BOOST_TEST((a < other));
    BOOST_TEST((reused < other));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
