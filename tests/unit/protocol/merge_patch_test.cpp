// RFC 7396 merge patch: the shared cases of shared/fixtures/merge_patch_cases.json (also run by the
// TypeScript tests), the RFC's own appendix, and merge_diff round trips.
#include "support.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

namespace procpulse::core {
namespace {

namespace json = boost::json;
using test::parse;

/** A copy of v without null members (what a document holds after a patch sets them). */
json::value without_nulls(const json::value& v) {
    if (!v.is_object()) return v;
    json::object o;
    for (const auto& kv : v.get_object())
        if (!kv.value().is_null()) o[kv.key()] = without_nulls(kv.value());
    return o;
}

json::value applied(json::value target, const json::value& patch) {
    merge_apply(target, patch);
    return target;
}

/**
 * A client holding `before` (null members already removed, as patches leave it) and applying
 * merge_diff(before, after) holds `after` without its null members.
 */
void check_round_trip(const json::value& before, const json::value& after) {
    auto d = merge_diff(before, after);
    json::value got = without_nulls(before);
    if (d) merge_apply(got, *d);
    BOOST_TEST(got == without_nulls(after), json::serialize(before)
                                                << " -> " << json::serialize(after));
}

BOOST_AUTO_TEST_SUITE(merge_patch)

BOOST_AUTO_TEST_CASE(shared_cases) {
    json::value cases = test::read_fixture("merge_patch_cases.json");
    BOOST_TEST_REQUIRE(cases.as_array().size() >= 9u);
    for (const auto& c : cases.as_array()) {
        BOOST_TEST_CONTEXT(c.at("name").as_string()) {
            const json::value& before = c.at("before");
            const json::value& patch = c.at("patch");
            const json::value& after = c.at("after");
            BOOST_TEST(applied(before, patch) == after);
            check_round_trip(before, after);
            // For these cases the minimal patch is the one written down ({} = no patch).
            auto d = merge_diff(before, after);
            BOOST_TEST((d ? *d : json::value(json::object())) == patch);
        }
    }
}

BOOST_AUTO_TEST_CASE(rfc7396_appendix_a) {
    const char* rows[][3] = {
        {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
        {R"({"a":"b"})", R"({"a":null})", R"({})"},
        {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
        {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
        {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
        {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
        {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
        {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
        {R"({"a":"foo"})", R"(null)", R"(null)"},
        {R"({"a":"foo"})", R"("bar")", R"("bar")"},
        {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
        {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
        {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r[0] << " + " << r[1]) {
            BOOST_TEST(applied(parse(r[0]), parse(r[1])) == parse(r[2]));
        }
    }
}

BOOST_AUTO_TEST_CASE(diff_of_equal_documents_is_none) {
    BOOST_TEST(!merge_diff(parse(R"({"a":{"b":[1,2]},"c":null})"), parse(R"({"a":{"b":[1,2]}})")));
    BOOST_TEST(!merge_diff(parse("5"), parse("5")));
    BOOST_TEST(!merge_diff(parse("{}"), parse(R"({"x":null})"))); // null reads as absent
}

BOOST_AUTO_TEST_CASE(null_and_absent_members) {
    // A value that becomes unavailable is removed; one that becomes available again is added.
    BOOST_TEST(*merge_diff(parse(R"({"a":1})"), parse(R"({"a":null})")) == parse(R"({"a":null})"));
    BOOST_TEST(*merge_diff(parse(R"({"a":1})"), parse(R"({})")) == parse(R"({"a":null})"));
    BOOST_TEST(*merge_diff(parse(R"({"a":null})"), parse(R"({"a":1})")) == parse(R"({"a":1})"));
    BOOST_TEST(*merge_diff(parse(R"({})"), parse(R"({"a":{"b":null,"c":1}})")) ==
               parse(R"({"a":{"b":null,"c":1}})"));
    check_round_trip(parse(R"({})"), parse(R"({"a":{"b":null,"c":1}})"));
}

BOOST_AUTO_TEST_CASE(nested_objects) {
    json::value before =
        parse(R"({"p":{"1":{"x":1,"y":{"z":2}},"2":{"x":5}},"s":{"cpu":{"n":1}}})");
    json::value after =
        parse(R"({"p":{"1":{"x":1,"y":{"z":3,"w":4}},"3":{"x":6}},"s":{"cpu":{}}})");
    BOOST_TEST(
        *merge_diff(before, after) ==
        parse(R"({"p":{"1":{"y":{"z":3,"w":4}},"2":null,"3":{"x":6}},"s":{"cpu":{"n":null}}})"));
    check_round_trip(before, after);
    check_round_trip(after, before);
}

BOOST_AUTO_TEST_CASE(kind_changes_replace_the_value) {
    check_round_trip(parse(R"({"o":{"a":1}})"), parse(R"({"o":[1]})"));
    check_round_trip(parse(R"({"o":[1]})"), parse(R"({"o":{"a":1}})"));
    check_round_trip(parse(R"({"o":"s"})"), parse(R"({"o":{"a":null}})"));
    check_round_trip(parse(R"({"n":1})"), parse(R"({"n":1.0})")); // int and double differ
    BOOST_TEST(*merge_diff(parse("[1]"), parse("[2]")) == parse("[2]"));
    BOOST_TEST(*merge_diff(parse(R"({"a":1})"), parse("7")) == parse("7"));
}

BOOST_AUTO_TEST_CASE(many_generated_pairs_round_trip) {
    // Documents built from a small grammar, every pair diffed both ways.
    std::vector<json::value> docs;
    const char* leaves[] = {"1",     "2.5", "null",      "\"s\"",
                            "[1,2]", "{}",  "{\"k\":1}", "{\"k\":null}"};
    for (const char* a : leaves)
        for (const char* b : leaves)
            docs.push_back(parse(std::string(R"({"x":)") + a + R"(,"y":{"z":)" + b + "}}"));
    for (const auto& a : docs)
        for (const auto& b : docs)
            check_round_trip(a, b);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
