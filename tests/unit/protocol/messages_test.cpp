// Client message decoding (every refusal has its code), and the pieces of server messages:
// hello, error, series columns, table rows and the table selection.
#include "support.hpp"

#include "protocol/messages.hpp"
#include "protocol/records.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

namespace procpulse::protocol {
namespace {

namespace json = boost::json;
using test::parse;

const config::limits default_limits;

client_message accepted(std::string_view text, const config::limits& lim = default_limits) {
    auto r = decode_client_message(text, lim);
    if (auto* e = std::get_if<decode_error>(&r))
        BOOST_FAIL(text << " refused: " << to_string(e->code) << ": " << e->message);
    return std::get<client_message>(r);
}

decode_error refused(std::string_view text, const config::limits& lim = default_limits) {
    auto r = decode_client_message(text, lim);
    if (!std::holds_alternative<decode_error>(r)) BOOST_FAIL(text << " was accepted");
    return std::get<decode_error>(r);
}

std::string code_of(std::string_view text) {
    return to_string(refused(text).code);
}

BOOST_AUTO_TEST_SUITE(decoding)

BOOST_AUTO_TEST_CASE(bad_json_for_anything_but_an_object) {
    for (const char* t : {"{", "", "nul", "[1,2]", "\"ping\"", "42", "{\"type\":\"ping\"} x"})
        BOOST_TEST(code_of(t) == "bad_json", t);
    BOOST_TEST(refused("{").message.find("malformed JSON") == 0u);
}

BOOST_AUTO_TEST_CASE(unknown_type_when_type_is_missing_or_unknown) {
    BOOST_TEST(code_of(R"({})") == "unknown_type");
    BOOST_TEST(code_of(R"({"type":7})") == "unknown_type");
    BOOST_TEST(code_of(R"({"type":"Ping"})") == "unknown_type");
    auto e = refused(R"({"type":"teleport","id":3})");
    BOOST_TEST(e.message == "unknown message type \"teleport\"");
    BOOST_TEST((e.id == json::value(3)));
}

BOOST_AUTO_TEST_CASE(ids_are_numbers_or_strings_and_echoed_on_errors) {
    BOOST_TEST((accepted(R"({"type":"ping","id":"abc"})").id == json::value("abc")));
    BOOST_TEST((accepted(R"({"type":"ping","id":1.5})").id == json::value(1.5)));
    BOOST_TEST(!accepted(R"({"type":"ping","id":{"x":1}})").id.has_value());
    BOOST_TEST(!accepted(R"({"type":"ping","id":null})").id.has_value());
    BOOST_TEST((refused(R"({"type":"subscribe","id":"q","pids":"1"})").id == json::value("q")));
}

BOOST_AUTO_TEST_CASE(unknown_members_are_ignored) {
    auto m = accepted(R"({"type":"subscribe","pids":[5],"colour":"blue","v":{"x":[]}})");
    BOOST_TEST(m.pids == std::vector<int>{5}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pids_are_sorted_and_unique_positive_integers) {
    BOOST_TEST(accepted(R"({"type":"subscribe","pids":[30,10,30,20,1.0]})").pids ==
                   (std::vector<int>{1, 10, 20, 30}),
               boost::test_tools::per_element());
    for (const char* t :
         {R"({"type":"subscribe","pids":[]})", R"({"type":"subscribe","pids":"1"})",
          R"({"type":"subscribe","pids":[0]})", R"({"type":"subscribe","pids":[-4]})",
          R"({"type":"subscribe","pids":[1.5]})", R"({"type":"subscribe","pids":["1"]})",
          R"({"type":"subscribe","pids":[null]})", R"({"type":"subscribe","pids":[2147483648]})",
          R"({"type":"unsubscribe","pids":[true]})", R"({"type":"subscribe"})",
          R"({"type":"subscribe","pids":[1],"topic":"system"})",
          R"({"type":"subscribe","topic":"weather"})", R"({"type":"subscribe","topic":1})"})
        BOOST_TEST(code_of(t) == "bad_request", t);
    BOOST_TEST(refused(R"({"type":"subscribe","pids":[0]})").message ==
               "\"pids\" must be an array of positive integers");
}

BOOST_AUTO_TEST_CASE(numbers_beyond_int64_are_refused_without_undefined_behaviour) {
    // 2^63 and beyond as doubles (and infinity from 1e400): range-checked before any conversion,
    // which UBSan would otherwise report (the unit tests run under it in scripts/test.sh).
    for (const char* t :
         {R"({"type":"subscribe","pids":[1e400]})", R"({"type":"subscribe","pids":[-1e400]})",
          R"({"type":"subscribe","pids":[9223372036854775808.0]})",
          R"({"type":"subscribe","pids":[1e19]})", R"({"type":"subscribe","pids":[-9.3e18]})",
          R"({"type":"history","pid":1e300})", R"({"type":"history","pid":5,"start":1e30})"})
        BOOST_TEST(code_of(t) == "bad_request", t);
}

BOOST_AUTO_TEST_CASE(too_many_pids_is_a_limit) {
    config::limits lim;
    lim.max_subscriptions = 2;
    BOOST_TEST(accepted(R"({"type":"subscribe","pids":[1,2]})", lim).pids.size() == 2u);
    auto e = refused(R"({"type":"subscribe","pids":[1,2,3]})", lim);
    BOOST_TEST(to_string(e.code) == std::string("limit"));
    BOOST_TEST(e.message == "at most 2 pids per connection");
}

BOOST_AUTO_TEST_CASE(table_parameters_and_their_defaults) {
    auto d = accepted(R"({"type":"subscribe","topic":"processes"})");
    BOOST_TEST((d.what == topic::processes));
    BOOST_TEST((d.table == table_params{}));
    BOOST_TEST(d.table.sort == "rss");
    BOOST_TEST(d.table.descending);
    BOOST_TEST(d.table.limit == 50u);

    auto m = accepted(R"({"type":"subscribe","topic":"processes","sort":"name","order":"asc",)"
                      R"("limit":5,"filter":"Fire","kernel_threads":true})");
    BOOST_TEST(m.table.sort == "name");
    BOOST_TEST(!m.table.descending);
    BOOST_TEST(m.table.limit == 5u);
    BOOST_TEST(m.table.filter == "Fire");
    BOOST_TEST(m.table.kernel_threads);

    for (const char* t : {R"({"type":"subscribe","topic":"processes","sort":"colour"})",
                          R"({"type":"subscribe","topic":"processes","sort":1})",
                          R"({"type":"subscribe","topic":"processes","order":"up"})",
                          R"({"type":"subscribe","topic":"processes","limit":0})",
                          R"({"type":"subscribe","topic":"processes","limit":"5"})",
                          R"({"type":"subscribe","topic":"processes","filter":5})",
                          R"({"type":"subscribe","topic":"processes","kernel_threads":1})"})
        BOOST_TEST(code_of(t) == "bad_request", t);
    BOOST_TEST(code_of(R"({"type":"subscribe","topic":"processes","limit":5001})") == "limit");
    std::string long_filter(257, 'x');
    BOOST_TEST(code_of(R"({"type":"subscribe","topic":"processes","filter":")" + long_filter +
                       "\"}") == "bad_request");
    // Unsubscribing needs no parameters, and ignores them.
    BOOST_TEST((accepted(R"({"type":"unsubscribe","topic":"processes","sort":"colour"})").what ==
                topic::processes));
}

BOOST_AUTO_TEST_CASE(every_documented_sort_key_is_valid) {
    for (const char* k : {"pid", "name", "username", "status", "cpu_percent", "rss", "vms",
                          "shared", "memory_percent", "num_threads", "faults_per_sec"}) {
        BOOST_TEST(valid_sort_key(k), k);
        BOOST_TEST(
            accepted(std::string(R"({"type":"subscribe","topic":"processes","sort":")") + k + "\"}")
                .table.sort == k);
    }
    BOOST_TEST(!valid_sort_key("RSS"));
    BOOST_TEST(!valid_sort_key(""));
}

BOOST_AUTO_TEST_CASE(history_requests) {
    auto m = accepted(R"({"type":"history","pid":1234,"start":8812,"from":1795650000,)"
                      R"("to":1795653600,"metrics":["rss"],"step":10})");
    BOOST_TEST((m.type == client_message::kind::history));
    BOOST_TEST(m.pid == 1234);
    BOOST_TEST(*m.start == 8812u);
    BOOST_TEST(*m.from == 1795650000.0);
    BOOST_TEST(*m.to == 1795653600.0);
    BOOST_TEST(*m.step == 10.0);
    BOOST_TEST(m.metrics == std::vector<std::string>{"rss"}, boost::test_tools::per_element());
    auto bare = accepted(R"({"type":"history","pid":5})");
    BOOST_TEST(!bare.start.has_value());
    BOOST_TEST(!bare.from.has_value());
    for (const char* t :
         {R"({"type":"history"})", R"({"type":"history","pid":0})",
          R"({"type":"history","pid":5,"start":-1})", R"({"type":"history","pid":5,"from":"now"})",
          R"({"type":"history","pid":5,"metrics":"rss"})",
          R"({"type":"history","pid":5,"metrics":[1]})",
          // Boost.JSON reads these as infinity and NaN (fuzz_merge_patch found the NaN)
          R"({"type":"history","pid":5,"to":1e400})", R"({"type":"history","pid":5,"from":0e400})"})
        BOOST_TEST(code_of(t) == "bad_request", t);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(error_messages_echo_ref_only_when_there_is_one) {
    json::value with = error(4, "ep", error_code::limit, "too many", json::value("r"));
    BOOST_TEST(with == parse(R"({"type":"error","seq":4,"epoch":"ep","ref":"r","code":"limit",)"
                             R"("message":"too many"})"));
    json::value without = error(5, "ep", error_code::bad_json, "x", std::nullopt);
    BOOST_TEST(!without.as_object().contains("ref"));
}

BOOST_AUTO_TEST_CASE(every_error_code_has_its_documented_name) {
    const std::pair<error_code, const char*> names[] = {
        {error_code::bad_json, "bad_json"},
        {error_code::bad_request, "bad_request"},
        {error_code::unknown_type, "unknown_type"},
        {error_code::no_such_process, "no_such_process"},
        {error_code::limit, "limit"},
        {error_code::rate_limited, "rate_limited"},
        {error_code::too_large, "too_large"}};
    for (auto [c, n] : names)
        BOOST_TEST(to_string(c) == std::string(n));
}

BOOST_AUTO_TEST_CASE(hello_announces_the_limits_in_force) {
    config::limits lim;
    lim.max_message_bytes = 1000;
    lim.max_subscriptions = 7;
    lim.messages_per_sec = 3;
    lim.message_burst = 6;
    lim.max_process_limit = 80;
    json::value h = hello(test::server_info(), lim, 1, 12.3456);
    BOOST_TEST(h.at("limits") == parse(R"({"max_message_bytes":1000,"max_subscriptions":7,)"
                                       R"("messages_per_sec":3.0,"message_burst":6.0,)"
                                       R"("max_process_limit":80})"));
    BOOST_TEST(h.at("time") == json::value(12.346));
    BOOST_TEST(h.at("protocol") == json::value(1));
    BOOST_TEST(h.at("store_error").is_null());
    json::value failing = hello(test::server_info(), lim, 1, 12.3456, std::string("disk full"));
    BOOST_TEST(failing.at("store_error") == json::value("disk full"));
}

BOOST_AUTO_TEST_CASE(series_columns_keep_integers_nulls_and_two_decimals) {
    core::series s;
    s.t = {1.23456, 2.0};
    s.values = {{4096.0, std::nullopt}, {0.126, 3.0}, {1.0, 2.0}};
    const char* names[] = {"rss", "cpu", "unused"};
    json::value j = series_json(s, names, 2);
    BOOST_TEST(j == parse(R"({"t":[1.235,2.0],"rss":[4096,null],"cpu":[0.13,3]})"));
}

BOOST_AUTO_TEST_CASE(table_row_is_compact_and_rounded) {
    core::process_sample p = test::process(7, 70, "n", std::string(300, 'c'));
    p.cpu_percent = 12.345;
    p.memory_percent = 1.23456;
    p.minor_faults_per_sec = 1.04;
    p.major_faults_per_sec = 2.0;
    json::object r = table_row(p);
    BOOST_TEST(r.size() == 14u);
    BOOST_TEST(r.at("cpu_percent") == json::value(12.3));
    BOOST_TEST(r.at("memory_percent") == json::value(1.23));
    BOOST_TEST(r.at("faults_per_sec") == json::value(3.0));
    BOOST_TEST(r.at("cmdline").as_string().size() == 256u);
    p.cpu_percent.reset();
    p.minor_faults_per_sec.reset();
    p.major_faults_per_sec.reset();
    p.shared.reset();
    p.username.reset();
    json::object n = table_row(p);
    for (const char* k : {"cpu_percent", "faults_per_sec", "shared", "username"})
        BOOST_TEST(n.at(k).is_null(), k);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(table_selection_tests)

core::process_sample named(int pid, std::string name, std::uint64_t rss,
                           std::optional<double> cpu = 1.0, std::string user = "alice") {
    core::process_sample p = test::process(pid, 1, std::move(name), "/bin/x --flag");
    p.rss = rss;
    p.cpu_percent = cpu;
    p.username = std::make_shared<const std::string>(std::move(user));
    return p;
}

/** The table's processes; static so that a selection's pointers stay valid. */
const core::snapshot& table_box() {
    static const core::snapshot_ptr snap =
        test::snapshot(1, 1.0,
                       {named(1, "systemd", 50, 0.0, "root"), named(2, "Firefox", 900, 30.0),
                        named(3, "firefox-bin", 300, std::nullopt), named(4, "zsh", 300, 2.0),
                        named(5, "bash", 20, 2.0, "bob"), test::kernel_thread(6, 1, "kworker")});
    return *snap;
}

std::vector<int> pids_of(const table_selection& s) {
    std::vector<int> out;
    for (const auto* p : s.rows)
        out.push_back(p->key.pid);
    return out;
}

BOOST_AUTO_TEST_CASE(sorts_descending_with_pid_breaking_ties) {
    auto sel = select_table(table_box(), {});
    BOOST_TEST(pids_of(sel) == (std::vector<int>{2, 3, 4, 1, 5}), boost::test_tools::per_element());
    BOOST_TEST(sel.total == 5u); // the kernel thread is left out
}

BOOST_AUTO_TEST_CASE(ascending_text_keys_and_limit) {
    table_params p;
    p.sort = "name";
    p.descending = false;
    p.limit = 3;
    auto sel = select_table(table_box(), p);
    BOOST_TEST(pids_of(sel) == (std::vector<int>{2, 5, 3}), boost::test_tools::per_element());
    BOOST_TEST(sel.total == 5u);
}

BOOST_AUTO_TEST_CASE(unknown_cpu_sorts_last_when_descending) {
    table_params p;
    p.sort = "cpu_percent";
    auto sel = select_table(table_box(), p);
    BOOST_TEST(pids_of(sel) == (std::vector<int>{2, 4, 5, 1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filter_matches_name_cmdline_user_or_exact_pid) {
    table_params p;
    p.filter = "FIREFOX";
    BOOST_TEST(pids_of(select_table(table_box(), p)) == (std::vector<int>{2, 3}),
               boost::test_tools::per_element());
    p.filter = "bob";
    BOOST_TEST(pids_of(select_table(table_box(), p)) == std::vector<int>{5},
               boost::test_tools::per_element());
    p.filter = "--flag";
    BOOST_TEST(select_table(table_box(), p).total == 5u);
    p.filter = "4";
    BOOST_TEST(pids_of(select_table(table_box(), p)) == std::vector<int>{4},
               boost::test_tools::per_element());
    p.filter = "kworker";
    BOOST_TEST(select_table(table_box(), p).total == 0u);
    p.kernel_threads = true;
    BOOST_TEST(pids_of(select_table(table_box(), p)) == std::vector<int>{6},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::protocol
