// The table filter: the shared cases of shared/fixtures/filter_cases.json (also run by the web
// app's frontend/test/filter.test.ts), and the error texts.
#include "core/process_filter.hpp"

#include "protocol/messages.hpp"
#include "support.hpp"

#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

namespace procpulse::core {
namespace {

namespace json = boost::json;

/** A sample from a row of the cases file (the table-row fields the filter reads). */
process_sample sample_of(const json::object& r) {
    process_sample p;
    p.key.pid = static_cast<int>(r.at("pid").to_number<double>());
    p.name = std::string(r.at("name").as_string());
    p.cmdline = std::make_shared<const std::string>(r.at("cmdline").as_string());
    if (auto* u = r.if_contains("username"))
        p.username = std::make_shared<const std::string>(u->as_string());
    static std::vector<std::unique_ptr<std::string>> words; // status is static storage
    words.push_back(std::make_unique<std::string>(r.at("status").as_string()));
    p.status = words.back()->c_str();
    auto num = [&](const char* k) -> std::optional<double> {
        auto* v = r.if_contains(k);
        return v ? std::optional<double>(v->to_number<double>()) : std::nullopt;
    };
    p.cpu_percent = num("cpu_percent");
    p.rss = static_cast<std::uint64_t>(*num("rss"));
    p.vms = static_cast<std::uint64_t>(*num("vms"));
    if (auto s = num("shared")) p.shared = static_cast<std::uint64_t>(*s);
    p.memory_percent = *num("memory_percent");
    p.num_threads = static_cast<std::int64_t>(*num("num_threads"));
    p.minor_faults_per_sec = num("faults_per_sec");
    return p;
}

BOOST_AUTO_TEST_SUITE(process_filter_tests)

BOOST_AUTO_TEST_CASE(shared_cases) {
    json::value file = test::read_fixture("filter_cases.json");
    std::vector<process_sample> rows;
    for (const auto& r : file.at("rows").as_array())
        rows.push_back(sample_of(r.as_object()));
    std::size_t n = 0;
    for (const auto& c : file.at("cases").as_array()) {
        const auto& o = c.as_object();
        const std::string text(o.at("filter").as_string());
        BOOST_TEST_CONTEXT("filter \"" << text << "\"") {
            auto parsed = parse_filter(text);
            if (auto* want = o.if_contains("error")) {
                auto* e = std::get_if<filter_error>(&parsed);
                BOOST_TEST_REQUIRE(e != nullptr);
                BOOST_TEST(e->token == std::string(want->as_string()));
                BOOST_TEST(e->message.find(std::string(want->as_string())) != std::string::npos,
                           e->message);
            } else {
                auto* f = std::get_if<process_filter>(&parsed);
                BOOST_TEST_REQUIRE(f != nullptr);
                std::vector<int> got, expected;
                for (const auto& p : rows)
                    if (matches(*f, p)) got.push_back(p.key.pid);
                for (const auto& v : o.at("matches").as_array())
                    expected.push_back(static_cast<int>(v.to_number<double>()));
                BOOST_TEST(got == expected, boost::test_tools::per_element());
            }
        }
        ++n;
    }
    BOOST_TEST(n > 50u);
}

BOOST_AUTO_TEST_CASE(errors_say_what_is_wrong) {
    auto msg = [](std::string_view t) { return std::get<filter_error>(parse_filter(t)).message; };
    BOOST_TEST(msg("foo:bar").find("unknown field 'foo'") != std::string::npos);
    BOOST_TEST(msg("rss>1X").find("unknown unit '1X'") == std::string::npos);
    BOOST_TEST(msg("rss>1X").find("unknown unit 'X'") != std::string::npos);
    BOOST_TEST(msg("name>3").find("write name:value") != std::string::npos);
    BOOST_TEST(msg("state:sleepy").find("unknown state 'sleepy'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_filter_in_a_subscription_is_a_bad_request_naming_the_token) {
    auto r = protocol::decode_client_message(
        R"({"type":"subscribe","topic":"processes","filter":"user:root cpu>lots","id":7})",
        config::limits{});
    auto* e = std::get_if<protocol::decode_error>(&r);
    BOOST_TEST_REQUIRE(e != nullptr);
    BOOST_TEST(std::string(protocol::to_string(e->code)) == "bad_request");
    BOOST_TEST(e->message.find("'cpu>lots'") != std::string::npos, e->message);
    auto ok = protocol::decode_client_message(
        R"({"type":"subscribe","topic":"processes","filter":"user:root cpu>5"})", config::limits{});
    BOOST_TEST(std::holds_alternative<protocol::client_message>(ok));
}

BOOST_AUTO_TEST_CASE(the_table_selects_by_the_filter) {
    auto a = test::process(10, 1, "alpha", "alpha --x");
    auto b = test::process(20, 1, "beta", "beta");
    a.rss = 2ull << 30;
    b.rss = 1ull << 20;
    auto snap = test::snapshot(1, 1000, {a, b});
    protocol::table_params params;
    params.filter = "rss>1G";
    auto sel = protocol::select_table(*snap, params);
    BOOST_TEST_REQUIRE(sel.rows.size() == 1u);
    BOOST_TEST(sel.rows[0]->key.pid == 10);
    BOOST_TEST(sel.total == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
