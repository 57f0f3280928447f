#pragma once
/** Checks shared by the table-driven parser tests. */
#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <string_view>

namespace procpulse::test {

/** Each text is malformed for parse: parse(text) must be nullopt. */
template <class Parse>
void check_rejects(Parse parse, std::initializer_list<std::string_view> texts) {
    for (std::string_view text : texts) {
        BOOST_TEST_CONTEXT("'" << text << "'") {
            BOOST_TEST(!parse(text).has_value());
        }
    }
}

} // namespace procpulse::test
