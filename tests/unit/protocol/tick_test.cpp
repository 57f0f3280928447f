// build_tick encodes each record once per tick with its fragment against the previous tick;
// append_patch takes a client from what it last got to the current record, through the shared
// fragment when it is one tick behind and by diffing on the spot otherwise, with the same result.
#include "support.hpp"

#include "core/merge_patch.hpp"
#include "protocol/records.hpp"
#include "protocol/tick.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

namespace procpulse::protocol {
namespace {

namespace json = boost::json;
using test::parse;

core::process_sample proc(int pid, std::uint64_t rss, std::uint64_t start = 7) {
    core::process_sample p =
        test::process(pid, start, std::string("p").append(std::to_string(pid)), "p");
    p.rss = rss;
    return p;
}

/** Three ticks of pid 10 (rss changes each time) and pid 20 (constant); interest in both. */
struct three_ticks {
    tick_interest want{{10, 20, 30}, true};
    tick_ptr t1 =
        build_tick(test::snapshot(1, 1.0, {proc(10, 4096), proc(20, 8192)}), nullptr, want);
    tick_ptr t2 =
        build_tick(test::snapshot(2, 2.0, {proc(10, 12288), proc(20, 8192)}), t1.get(), want);
    tick_ptr t3 =
        build_tick(test::snapshot(3, 3.0, {proc(10, 16384), proc(20, 8192)}), t2.get(), want);
};

BOOST_AUTO_TEST_SUITE(ticks)

BOOST_AUTO_TEST_CASE(build_tick_encodes_the_interesting_records_once) {
    three_ticks f;
    BOOST_TEST(f.t1->number == 1u);
    BOOST_TEST(f.t3->number == 3u);
    BOOST_TEST(f.t2->time == 2.0);
    BOOST_TEST(f.t2->procs.size() == 2u); // 30 does not exist
    BOOST_TEST(f.t2->rows.size() == 2u);
    BOOST_TEST(*f.t2->procs.at(10).record == process_record(proc(10, 12288)));
    BOOST_TEST(*f.t2->rows.at(10).record == table_row(proc(10, 12288)));
    BOOST_TEST(*f.t2->system.record == system_record(test::system(), 2.0));

    tick_ptr no_rows = build_tick(test::snapshot(1, 1.0, {proc(10, 1)}), nullptr, {{10}, false});
    BOOST_TEST(no_rows->rows.empty());
    BOOST_TEST(no_rows->procs.size() == 1u);
}

BOOST_AUTO_TEST_CASE(first_tick_has_no_fragments) {
    three_ticks f;
    const item& i = f.t1->procs.at(10);
    BOOST_TEST(!i.prev);
    BOOST_TEST(!i.frag);
    BOOST_TEST((i.key == core::process_key{10, 7}));
}

BOOST_AUTO_TEST_CASE(unchanged_record_is_shared_with_an_empty_fragment) {
    three_ticks f;
    const item& i = f.t2->procs.at(20);
    BOOST_TEST(i.record == f.t1->procs.at(20).record); // the same object
    BOOST_TEST(i.prev == i.record);
    BOOST_TEST_REQUIRE(i.frag);
    BOOST_TEST(i.frag->empty());
}

BOOST_AUTO_TEST_CASE(changed_record_carries_its_merge_patch) {
    three_ticks f;
    const item& i = f.t2->procs.at(10);
    BOOST_TEST(i.prev == f.t1->procs.at(10).record);
    BOOST_TEST_REQUIRE(i.frag);
    BOOST_TEST(parse(*i.frag) == parse(R"({"rss":12288})"));
    const item& row = f.t2->rows.at(10);
    BOOST_TEST(parse(*row.frag) == parse(R"({"rss":12288})"));
    BOOST_TEST(parse(*f.t2->system.frag) == parse(R"({"timestamp":2.0})"));
}

BOOST_AUTO_TEST_CASE(a_new_process_on_a_known_pid_is_not_diffed_against_the_old_one) {
    tick_interest want{{10}, false};
    auto t1 = build_tick(test::snapshot(1, 1.0, {proc(10, 4096, 7)}), nullptr, want);
    auto t2 = build_tick(test::snapshot(2, 2.0, {proc(10, 4096, 99)}), t1.get(), want);
    const item& i = t2->procs.at(10);
    BOOST_TEST((i.key == core::process_key{10, 99}));
    BOOST_TEST(!i.prev);
    BOOST_TEST(!i.frag);
}

BOOST_AUTO_TEST_CASE(append_patch_sends_the_whole_record_to_a_new_client) {
    three_ticks f;
    record_ptr last;
    std::string out;
    BOOST_TEST(append_patch(out, last, f.t2->procs.at(10)));
    BOOST_TEST(parse(out) == json::value(*f.t2->procs.at(10).record));
    BOOST_TEST(last == f.t2->procs.at(10).record);
}

BOOST_AUTO_TEST_CASE(append_patch_appends_nothing_when_the_client_is_current) {
    three_ticks f;
    record_ptr last = f.t2->procs.at(10).record;
    std::string out = "x";
    BOOST_TEST(!append_patch(out, last, f.t2->procs.at(10)));
    BOOST_TEST(out == "x");
    // One tick behind on a record that did not change: nothing, but `last` moves on.
    record_ptr last20 = f.t1->procs.at(20).record;
    BOOST_TEST(!append_patch(out, last20, f.t3->procs.at(20)));
    BOOST_TEST(out == "x");
}

BOOST_AUTO_TEST_CASE(fast_path_uses_the_shared_fragment_and_equals_the_slow_path) {
    three_ticks f;
    const item& cur = f.t2->procs.at(10);

    record_ptr fast_last = f.t1->procs.at(10).record; // exactly one tick behind
    std::string fast;
    BOOST_TEST(append_patch(fast, fast_last, cur));
    BOOST_TEST(fast == *cur.frag); // the shared bytes, not a re-encoding

    // The same content in another object: append_patch cannot know, and diffs on the spot.
    record_ptr slow_last = std::make_shared<const json::object>(*f.t1->procs.at(10).record);
    std::string slow;
    BOOST_TEST(append_patch(slow, slow_last, cur));
    BOOST_TEST(parse(slow) == parse(fast));
    BOOST_TEST(fast_last == cur.record);
    BOOST_TEST(slow_last == cur.record);
}

BOOST_AUTO_TEST_CASE(fast_path_sends_the_shared_bytes_verbatim) {
    // An item whose fragment differs from what a diff would give shows which path ran.
    three_ticks f;
    item cur = f.t2->procs.at(10);
    cur.frag = std::make_shared<const std::string>(R"({"marker":1})");
    record_ptr last = cur.prev;
    std::string out;
    BOOST_TEST(append_patch(out, last, cur));
    BOOST_TEST(out == R"({"marker":1})");
    BOOST_TEST(last == cur.record);
    // Not one tick behind: the fragment does not apply, and a diff is made.
    record_ptr other = std::make_shared<const json::object>(*cur.prev);
    out.clear();
    BOOST_TEST(append_patch(out, other, cur));
    BOOST_TEST(parse(out) == parse(R"({"rss":12288})"));
}

BOOST_AUTO_TEST_CASE(two_ticks_behind_diffs_against_what_the_client_has) {
    three_ticks f;
    record_ptr last = f.t1->procs.at(10).record;
    std::string out;
    BOOST_TEST(append_patch(out, last, f.t3->procs.at(10)));
    BOOST_TEST(parse(out) == parse(R"({"rss":16384})")); // not t3's fragment against t2
    json::value doc = *f.t1->procs.at(10).record;
    core::merge_apply(doc, parse(out));
    BOOST_TEST(doc == json::value(*f.t3->procs.at(10).record));
}

BOOST_AUTO_TEST_CASE(selection_is_computed_once_per_parameters) {
    three_ticks f;
    table_params a, b;
    b.limit = 1;
    auto s1 = f.t2->selection(a);
    BOOST_TEST(s1 == f.t2->selection(a));
    auto s2 = f.t2->selection(b);
    BOOST_TEST(s1 != s2);
    BOOST_TEST(s2->rows.size() == 1u);
    BOOST_TEST(s2->total == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::protocol
