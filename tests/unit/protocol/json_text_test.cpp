// JSON text: numbers as people write them, round trips that keep each value's kind, escaping.
#include "protocol/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

using procpulse::protocol::to_json;
namespace json = boost::json;

BOOST_AUTO_TEST_CASE(numbers_are_written_plainly) {
    BOOST_TEST(to_json(json::value(2.4)) == "2.4");
    BOOST_TEST(to_json(json::value(0.0)) == "0.0");
    BOOST_TEST(to_json(json::value(1795653000.948)) == "1795653000.948");
    BOOST_TEST(to_json(json::value(25.0)) == "25.0");
    BOOST_TEST(to_json(json::value(-3)) == "-3");
    BOOST_TEST(to_json(json::value(std::uint64_t(18446744073709551615ull))) ==
               "18446744073709551615");
    BOOST_TEST(to_json(json::value(1e300)) == "1e+300");
    BOOST_TEST(to_json(json::value(std::nan(""))) == "null");
}

BOOST_AUTO_TEST_CASE(round_trips_keep_values_and_kinds) {
    json::value v = json::parse(
        R"({"a":[1,2.5,-0.125,1e-7,null,true,false],"s":"q\"\\\n\t\u0001é","o":{"x":0.0,"big":25276502016}})");
    json::value back = json::parse(to_json(v));
    BOOST_TEST((back == v));
    BOOST_TEST(back.at("o").at("x").is_double());
    BOOST_TEST(back.at("o").at("big").is_int64());
    BOOST_TEST(to_json(json::value("\x01")) == "\"\\u0001\"");
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_become_replacement_characters) {
    // A process may name itself with any bytes; the JSON text must still be UTF-8 (fuzz_api).
    BOOST_TEST(to_json(json::value("a\xff!")) == "\"a\xEF\xBF\xBD!\"");
    BOOST_TEST(to_json(json::value("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80")) ==
               "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""); // é € 😀 kept
    for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
        // overlong '/', overlong again, a surrogate, past U+10FFFF: one U+FFFD per byte
        std::string expected = "\"";
        for (std::size_t i = 0; bad[i]; ++i)
            expected += "\xEF\xBF\xBD";
        BOOST_TEST(to_json(json::value(bad)) == expected + "\"");
    }
    BOOST_TEST(to_json(json::value("\xE2\x82")) == "\"\xEF\xBF\xBD\xEF\xBF\xBD\""); // cut short
    boost::system::error_code ec;
    json::parse(to_json(json::object{{"k\x80", "v\xfe"}}), ec);
    BOOST_TEST(!ec); // keys too
}
