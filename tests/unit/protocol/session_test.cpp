// session_state: the per-connection protocol state machine, driven by client frames and ticks
// through a fake session_env. A client_doc applies what the session sends the way a client does;
// a resync at the end must not change it (the deltas took it to the same state a full snapshot
// describes).
#include "support.hpp"

#include "core/merge_patch.hpp"
#include "protocol/records.hpp"
#include "protocol/session.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>

namespace procpulse::protocol {
namespace {

namespace json = boost::json;
using test::parse;

constexpr double t0 = 1795660000.0;

core::process_sample app(int pid, std::uint64_t rss_pages, double cpu = 1.0,
                         std::uint64_t start = 1000, std::string name = "app") {
    core::process_sample p =
        test::process(pid, start + static_cast<std::uint64_t>(pid), name, "/usr/bin/" + name);
    p.rss = rss_pages * 4096;
    p.cpu_percent = cpu;
    return p;
}

/**
 * The state document without an empty "processes" map: a full snapshot always holds one, a client
 * that never subscribed to pids has none; both mean the same.
 */
json::value normalized(json::value doc) {
    auto& o = doc.as_object();
    if (auto* p = o.if_contains("processes"); p && p->is_object() && p->get_object().empty())
        o.erase("processes");
    return doc;
}

/** A resync must leave a client's document as it was: the deltas already took it there. */
void check_resync_changes_nothing(session_state& s, test::client_doc& doc, double now) {
    json::value before = normalized(doc.state);
    auto out = s.on_message(R"({"type":"resync"})", now);
    doc.receive(out);
    BOOST_TEST_REQUIRE(!out.empty());
    BOOST_TEST(parse(out.back()).at("full") == json::value(true));
    BOOST_TEST(normalized(doc.state) == before, "client copy " << json::serialize(before)
                                                               << "\n  fresh snapshot "
                                                               << json::serialize(doc.state));
}

/** One connection over a fake environment. */
struct conn {
    test::fake_env env;
    server_info info = test::server_info();
    config::limits lim;
    std::unique_ptr<session_state> s;
    test::client_doc doc;
    double now = t0;
    std::uint64_t sweep = 0;

    conn() { s = std::make_unique<session_state>(env, info, lim); }

    /** Publishes a sweep (one second after the previous one); returns its tick. */
    tick_ptr sweep_of(std::vector<core::process_sample> ps,
                      core::system_sample sys = test::system()) {
        ++sweep;
        now = t0 + static_cast<double>(sweep);
        return env.publish(test::snapshot(sweep, now, std::move(ps), std::move(sys)));
    }
    /** Publishes a sweep and delivers its tick; returns what the session sent. */
    session_state::out tick(std::vector<core::process_sample> ps,
                            core::system_sample sys = test::system()) {
        auto out = s->on_tick(*sweep_of(std::move(ps), std::move(sys)));
        doc.receive(out);
        return out;
    }
    session_state::out send(std::string_view text) {
        auto out = s->on_message(text, now + 0.5);
        doc.receive(out);
        return out;
    }
    void connect() { doc.receive(s->hello(now)); }

    /** Asks for a resync and checks that the client's document did not change by it. */
    void check_consistent() { check_resync_changes_nothing(*s, doc, now + 0.5); }
};

json::value only_delta_patch(const session_state::out& out) {
    BOOST_TEST_REQUIRE(out.size() == 1u);
    json::value d = parse(out[0]);
    BOOST_TEST(d.at("type") == json::value("delta"));
    return d.at("patch");
}

BOOST_AUTO_TEST_SUITE(session)

/** An on-demand read of a process no sweep has seen yet, `after` seconds past c.now. */
live_read read_now(const core::process_sample& p, double at) {
    live_read r;
    r.what = live_read::status::read;
    r.sample = p;
    r.time = at;
    return r;
}

BOOST_AUTO_TEST_CASE(a_process_newer_than_the_tick_is_read_now_and_carried_on) {
    conn c;
    c.connect();
    c.tick({app(100, 10)});
    auto young = app(500, 20);
    young.cpu_percent.reset(); // a first sample
    c.env.live[500] = read_now(young, c.now + 0.5);
    auto out = c.send(R"({"type":"subscribe","id":1,"pids":[500]})");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    auto ack = parse(out[0]);
    BOOST_TEST(ack.at("pids") == json::array{500});
    BOOST_TEST(ack.at("not_found").as_array().empty());
    auto snap = parse(out[1]);
    BOOST_TEST(snap.at("state").at("processes").at("500").at("rss").as_int64() == 20 * 4096);
    BOOST_TEST(c.env.interest_in(500) == 1);
    // A tick from a sweep that started before the read does not hold it: not gone.
    auto late = c.env.publish(test::snapshot(++c.sweep, c.now + 0.2, {app(100, 10)}));
    auto o1 = c.s->on_tick(*late);
    c.doc.receive(o1);
    for (const auto& m : o1)
        BOOST_TEST(parse(m).at("type") != json::value("gone"));
    BOOST_TEST(c.doc.state.at("processes").as_object().contains("500"));
    // The next sweep has it: a delta, the record now with a rate.
    c.env.live.clear();
    auto o2 = c.tick({app(100, 10), app(500, 21, 3.0)});
    BOOST_TEST(c.doc.state.at("processes").at("500").at("rss").as_int64() == 21 * 4096);
    BOOST_TEST(c.doc.state.at("processes").at("500").at("cpu_percent").as_double() == 3.0);
    c.check_consistent();
}

BOOST_AUTO_TEST_CASE(a_young_process_that_no_later_sweep_holds_is_gone) {
    conn c;
    c.connect();
    c.tick({app(100, 10)});
    c.env.live[500] = read_now(app(500, 20), c.now + 0.5);
    c.send(R"({"type":"subscribe","pids":[500]})");
    c.env.live.clear();
    auto out = c.tick({app(100, 10)}); // started after the read, and 500 is not in it
    BOOST_TEST_REQUIRE(!out.empty());
    BOOST_TEST(parse(out[0]).at("type") == json::value("gone"));
    BOOST_TEST(!c.doc.state.at("processes").as_object().contains("500"));
    BOOST_TEST(c.env.interest_in(500) == 0);
}

BOOST_AUTO_TEST_CASE(new_processes_past_the_read_budget_are_pending_until_the_next_tick) {
    conn c;
    c.connect();
    c.tick({app(100, 10)});
    const int n = static_cast<int>(on_demand_reads_per_message) + 3;
    std::string pids;
    std::vector<core::process_sample> all{app(100, 10)};
    for (int i = 0; i < n; ++i) {
        const int pid = 1000 + i;
        c.env.live[pid] = read_now(app(pid, 5), c.now + 0.5);
        all.push_back(app(pid, 6));
        pids += (i ? "," : "") + std::to_string(pid);
    }
    auto out = c.send(R"({"type":"subscribe","pids":[)" + pids + "]}");
    BOOST_TEST(c.env.full_reads == static_cast<int>(on_demand_reads_per_message));
    auto ack = parse(out[0]);
    BOOST_TEST(ack.at("pids").as_array().size() == static_cast<std::size_t>(n));
    BOOST_TEST(ack.at("not_found").as_array().empty());
    BOOST_TEST(c.doc.state.at("processes").as_object().size() == on_demand_reads_per_message);
    c.env.live.clear();
    c.tick(all);
    BOOST_TEST(c.doc.state.at("processes").as_object().size() == static_cast<std::size_t>(n));
    BOOST_TEST(c.doc.state.at("processes").at("1034").at("rss").as_int64() == 6 * 4096);
    BOOST_TEST(c.doc.state.at("processes").at("1034").at("start").as_int64() == 1000 + 1034);
    c.check_consistent();
}

BOOST_AUTO_TEST_CASE(history_with_an_unknown_metric_is_a_bad_request) {
    conn c;
    c.connect();
    c.tick({app(100, 10)});
    auto out = c.send(R"({"type":"history","id":4,"pid":100,"metrics":["rss","x"]})");
    auto e = parse(out.at(0));
    BOOST_TEST(e.at("type") == json::value("error"));
    BOOST_TEST(e.at("code") == json::value("bad_request"));
    BOOST_TEST(e.at("message") == json::value("unknown metric \"x\""));
    auto ok = parse(c.send(R"({"type":"history","id":5,"pid":100,"metrics":["rss"]})").at(0));
    BOOST_TEST(ok.at("series").as_object().size() == 2u);
}

BOOST_AUTO_TEST_CASE(subscribe_acks_found_and_missing_pids_then_snapshots_with_history) {
    conn c;
    c.sweep_of({app(10, 100), app(20, 200)});
    c.sweep_of({app(10, 101), app(20, 200)});
    c.connect();
    auto out = c.send(R"({"type":"subscribe","id":"a","pids":[20,10,99,10]})");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    json::value ack = parse(out[0]);
    BOOST_TEST(ack.at("ref") == json::value("a"));
    BOOST_TEST(ack.at("pids") == parse("[10,20]"));
    BOOST_TEST(ack.at("not_found") == parse("[99]"));
    json::value snap = parse(out[1]);
    BOOST_TEST(snap.at("full") == json::value(false));
    BOOST_TEST(snap.at("state").at("processes").at("10") ==
               json::value(process_record(app(10, 101))));
    BOOST_TEST(snap.at("history").at("processes").at("10").at("rss") == parse("[409600,413696]"));
    BOOST_TEST(c.env.interest_in(10) == 1);
    BOOST_TEST(c.env.interest_in(20) == 1);
    BOOST_TEST(c.s->subscription_count() == 2u);
}

BOOST_AUTO_TEST_CASE(only_missing_pids_get_an_ack_and_no_snapshot) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.connect();
    auto out = c.send(R"({"type":"subscribe","pids":[99]})");
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(parse(out[0]).at("not_found") == parse("[99]"));
    BOOST_TEST(c.s->subscription_count() == 0u);
}

BOOST_AUTO_TEST_CASE(nothing_changed_means_no_delta) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10]})");
    BOOST_TEST(c.tick({app(10, 100)}).empty());
    BOOST_TEST(only_delta_patch(c.tick({app(10, 105)})) ==
               parse(R"({"processes":{"10":{"rss":430080}}})"));
}

BOOST_AUTO_TEST_CASE(unsubscribe_sets_the_process_to_null_in_the_next_delta) {
    conn c;
    c.sweep_of({app(10, 100), app(20, 200)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10,20]})");
    auto out = c.send(R"({"type":"unsubscribe","id":3,"pids":[10,99]})");
    BOOST_TEST_REQUIRE(out.size() == 1u);
    json::value ack = parse(out[0]);
    BOOST_TEST(ack.at("op") == json::value("unsubscribe"));
    BOOST_TEST(ack.at("ref") == json::value(3));
    BOOST_TEST(ack.at("pids") == parse("[10]"));
    BOOST_TEST(ack.at("not_found") == parse("[99]"));
    BOOST_TEST(c.env.interest_in(10) == 0);
    BOOST_TEST(c.env.interest_in(20) == 1);

    BOOST_TEST(only_delta_patch(c.tick({app(10, 100), app(20, 200)})) ==
               parse(R"({"processes":{"10":null}})"));
    BOOST_TEST(!c.doc.state.at("processes").as_object().contains("10"));
    BOOST_TEST(c.tick({app(10, 100), app(20, 200)}).empty());
    c.check_consistent();
}

BOOST_AUTO_TEST_CASE(unsubscribe_then_subscribe_before_a_tick_keeps_the_process) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10]})");
    c.send(R"({"type":"unsubscribe","pids":[10]})");
    c.send(R"({"type":"subscribe","pids":[10]})");
    BOOST_TEST(c.tick({app(10, 100)}).empty());
    BOOST_TEST(c.doc.state.at("processes").as_object().contains("10"));
    BOOST_TEST(c.env.interest_in(10) == 1);
    c.check_consistent();
}

BOOST_AUTO_TEST_CASE(exited_process_is_gone_and_null_in_the_same_ticks_delta) {
    conn c;
    c.sweep_of({app(10, 100), app(20, 200)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10,20]})");
    c.tick({app(10, 100), app(20, 201)});
    auto out = c.tick({app(20, 201)});
    BOOST_TEST_REQUIRE(out.size() == 2u);
    json::value g = parse(out[0]);
    BOOST_TEST(g.at("type") == json::value("gone"));
    BOOST_TEST(g.at("pid") == json::value(10));
    BOOST_TEST(g.at("start") == json::value(1010));
    BOOST_TEST(g.at("reason") == json::value("exited"));
    BOOST_TEST(g.at("time") == json::value(t0 + 3));
    BOOST_TEST(g.at("last") == json::value(process_record(app(10, 100))));
    BOOST_TEST(only_delta_patch({out[1]}) == parse(R"({"processes":{"10":null}})"));
    BOOST_TEST(c.s->subscription_count() == 1u);
    BOOST_TEST(c.env.interest_in(10) == 0);
    c.check_consistent();
}

BOOST_AUTO_TEST_CASE(pid_reuse_is_gone_with_reason_pid_reused) {
    conn c;
    c.sweep_of({app(10, 100, 1.0, 500)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10]})");
    // Same pid, a new start time: another process. The subscription must not adopt it.
    auto out = c.tick({app(10, 100, 1.0, 900, "imposter")});
    BOOST_TEST_REQUIRE(out.size() == 2u);
    json::value g = parse(out[0]);
    BOOST_TEST(g.at("type") == json::value("gone"));
    BOOST_TEST(g.at("reason") == json::value("pid_reused"));
    BOOST_TEST(g.at("start") == json::value(510));
    BOOST_TEST(g.at("last").at("name") == json::value("app"));
    BOOST_TEST(only_delta_patch({out[1]}) == parse(R"({"processes":{"10":null}})"));
    BOOST_TEST(c.s->subscription_count() == 0u);
    BOOST_TEST(c.tick({app(10, 100, 2.0, 900, "imposter")}).empty());
}

BOOST_AUTO_TEST_CASE(resync_reports_processes_that_ended_while_the_client_lagged) {
    conn c;
    c.sweep_of({app(10, 100, 1.0, 500), app(20, 200)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[10,20]})");
    c.sweep_of({app(10, 100, 1.0, 900, "imposter")}); // never delivered to this session
    auto out = c.send(R"({"type":"resync","id":42})");
    BOOST_TEST_REQUIRE(out.size() == 3u);
    std::vector<json::value> gone{parse(out[0]), parse(out[1])};
    BOOST_TEST(gone[0].at("pid") == json::value(10));
    BOOST_TEST(gone[0].at("reason") == json::value("pid_reused"));
    BOOST_TEST(gone[1].at("pid") == json::value(20));
    BOOST_TEST(gone[1].at("reason") == json::value("exited"));
    json::value snap = parse(out[2]);
    BOOST_TEST(snap.at("ref") == json::value(42));
    BOOST_TEST(snap.at("full") == json::value(true));
    BOOST_TEST(snap.at("state") == parse(R"({"processes":{}})"));
    BOOST_TEST(c.s->subscription_count() == 0u);
    BOOST_TEST(c.env.interest_in(10) == 0);
}

BOOST_AUTO_TEST_CASE(subscription_limit_is_a_limit_error) {
    conn c;
    c.lim.max_subscriptions = 3;
    c.sweep_of({app(1, 1), app(2, 2), app(3, 3), app(4, 4)});
    c.connect();
    c.send(R"({"type":"subscribe","pids":[1,2]})");
    BOOST_TEST(c.send(R"({"type":"subscribe","pids":[2,3]})").size() == 2u); // only 3 is new
    BOOST_TEST(c.s->subscription_count() == 3u);

    auto out = c.send(R"({"type":"subscribe","id":5,"pids":[4]})");
    BOOST_TEST_REQUIRE(out.size() == 1u);
    json::value e = parse(out[0]);
    BOOST_TEST(e.at("type") == json::value("error"));
    BOOST_TEST(e.at("code") == json::value("limit"));
    BOOST_TEST(e.at("ref") == json::value(5));
    BOOST_TEST(c.s->subscription_count() == 3u);
    BOOST_TEST(c.env.interest_in(4) == 0);

    // More pids in one request than the limit allows is refused while decoding.
    json::value e2 = parse(c.send(R"({"type":"subscribe","pids":[1,2,3,4]})").at(0));
    BOOST_TEST(e2.at("code") == json::value("limit"));

    c.send(R"({"type":"unsubscribe","pids":[1]})");
    BOOST_TEST(c.send(R"({"type":"subscribe","pids":[4]})").size() == 2u);
    BOOST_TEST(c.s->subscription_count() == 3u);
}

BOOST_AUTO_TEST_CASE(system_topic_snapshot_delta_and_unsubscribe_to_null) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.connect();
    auto out = c.send(R"({"type":"subscribe","id":1,"topic":"system"})");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(parse(out[0]).at("topic") == json::value("system"));
    json::value snap = parse(out[1]);
    BOOST_TEST(snap.at("state").at("system") == json::value(system_record(test::system(), t0 + 1)));
    BOOST_TEST(snap.at("history").at("system").at("t") == parse("[1795660001.0]"));

    core::system_sample busier = test::system();
    busier.cpu_percent = 55.0;
    BOOST_TEST(only_delta_patch(c.tick({app(10, 100)}, busier)) ==
               parse(R"({"system":{"timestamp":1795660002.0,"cpu":{"percent":55.0}}})"));

    auto ack = c.send(R"({"type":"unsubscribe","topic":"system"})");
    BOOST_TEST(parse(ack.at(0)).at("topic") == json::value("system"));
    BOOST_TEST(only_delta_patch(c.tick({app(10, 100)}, busier)) == parse(R"({"system":null})"));
    BOOST_TEST(c.tick({app(10, 100)}).empty());
    BOOST_TEST(!c.doc.state.as_object().contains("system"));

    // Unsubscribing from a topic the client does not have sends no null later.
    c.send(R"({"type":"unsubscribe","topic":"system"})");
    BOOST_TEST(c.tick({app(10, 100)}).empty());
}

BOOST_AUTO_TEST_CASE(table_topic_rows_enter_leave_and_count) {
    conn c;
    auto other = app(99, 5000, 1.0, 1000, "other");
    c.sweep_of({app(1, 300), app(2, 200), app(3, 100), other});
    c.connect();
    auto out = c.send(
        R"({"type":"subscribe","id":5,"topic":"processes","sort":"rss","limit":2,"filter":"app"})");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(parse(out[0]).at("topic") == json::value("processes"));
    BOOST_TEST(c.env.interest_in(0) == 1);
    json::value table = parse(out[1]).at("state").at("table");
    BOOST_TEST(table.at("sort") == json::value("rss"));
    BOOST_TEST(table.at("order") == json::value("desc"));
    BOOST_TEST(table.at("limit") == json::value(2));
    BOOST_TEST(table.at("filter") == json::value("app"));
    BOOST_TEST(table.at("kernel_threads") == json::value(false));
    BOOST_TEST(table.at("total") == json::value(3));
    BOOST_TEST(table.at("rows").as_object().size() == 2u);
    BOOST_TEST(table.at("rows").at("1") == json::value(table_row(app(1, 300))));

    // 3 grows past 2: it enters as a full row, 2 leaves; the count stays.
    json::value enter = parse(R"({"table":{"rows":{"2":null}}})");
    enter.at("table").at("rows").as_object()["3"] = table_row(app(3, 400));
    BOOST_TEST(only_delta_patch(c.tick({app(1, 300), app(2, 200), app(3, 400), other})) == enter);
    // A fourth match below the limit only changes the count.
    BOOST_TEST(only_delta_patch(c.tick({app(1, 300), app(2, 200), app(3, 400), app(4, 10),
                                        other})) == parse(R"({"table":{"total":4}})"));
    // 1 exits: null, and 2 comes back as a full row.
    json::value back = parse(R"({"table":{"total":3,"rows":{"1":null}}})");
    back.at("table").at("rows").as_object()["2"] = table_row(app(2, 200));
    BOOST_TEST(only_delta_patch(c.tick({app(2, 200), app(3, 400), app(4, 10), other})) == back);
    // A change inside a row sends only that member.
    BOOST_TEST(only_delta_patch(c.tick({app(2, 200), app(3, 400, 7.5), app(4, 10), other})) ==
               parse(R"({"table":{"rows":{"3":{"cpu_percent":7.5}}}})"));
    c.check_consistent();

    // New parameters: a snapshot that removes the rows that no longer belong.
    out =
        c.send(R"({"type":"subscribe","topic":"processes","sort":"pid","order":"asc","limit":1})");
    BOOST_TEST_REQUIRE(out.size() == 2u);
    json::value t2 = parse(out[1]).at("state").at("table");
    json::value rows = parse(R"({"3":null})");
    rows.as_object()["2"] = table_row(app(2, 200));
    BOOST_TEST(t2.at("rows") == rows);
    BOOST_TEST(t2.at("total") == json::value(4)); // no filter now: "other" counts too
    c.check_consistent();

    c.send(R"({"type":"unsubscribe","topic":"processes"})");
    BOOST_TEST(c.env.interest_in(0) == 0);
    BOOST_TEST(only_delta_patch(c.tick({app(2, 200), app(3, 400, 7.5), other})) ==
               parse(R"({"table":null})"));
    BOOST_TEST(c.tick({app(2, 200), other}).empty());
}

BOOST_AUTO_TEST_CASE(table_resubscribed_before_a_tick_drops_the_old_rows) {
    conn c;
    auto other = app(99, 5000, 1.0, 1000, "other");
    c.sweep_of({app(1, 300), app(2, 200), other});
    c.connect();
    c.send(R"({"type":"subscribe","topic":"processes","filter":"app"})");
    c.send(R"({"type":"unsubscribe","topic":"processes"})");
    c.send(R"({"type":"subscribe","topic":"processes","filter":"other"})");
    BOOST_TEST(c.doc.state.at("table").at("rows").as_object().size() == 1u);
    c.check_consistent();
    BOOST_TEST(c.tick({app(1, 300), app(2, 200), other}).empty());
}

BOOST_AUTO_TEST_CASE(lagging_client_skips_to_the_latest_state) {
    // Two clients with the same subscriptions; one gets every tick, the other misses t3.
    test::fake_env env;
    const server_info info = test::server_info();
    const config::limits lim;
    session_state prompt(env, info, lim), lagging(env, info, lim);
    test::client_doc prompt_doc, lagging_doc;

    auto a1 = app(1, 300), b1 = app(2, 200), c1 = app(3, 100);
    env.publish(test::snapshot(1, t0 + 1, {a1, b1, c1}));
    for (auto* p : {&prompt, &lagging}) {
        auto& doc = p == &prompt ? prompt_doc : lagging_doc;
        doc.receive(p->hello(t0 + 1));
        doc.receive(p->on_message(R"({"type":"subscribe","pids":[1,2,3]})", t0 + 1));
        doc.receive(p->on_message(R"({"type":"subscribe","topic":"system"})", t0 + 1));
        doc.receive(p->on_message(R"({"type":"subscribe","topic":"processes","limit":2})", t0 + 1));
    }

    core::system_sample sys = test::system();
    auto a2 = app(1, 310, 2.0), b2 = app(2, 200, 9.0);
    auto t2 = env.publish(test::snapshot(2, t0 + 2, {a2, b2, c1}, sys));
    // t3: 2 exits, 4 appears and enters the table, 1 loses its cpu figure, the CPU changes.
    auto a3 = app(1, 320);
    a3.cpu_percent.reset();
    sys.cpu_percent = 70.0;
    auto t3 = env.publish(test::snapshot(3, t0 + 3, {a3, c1, app(4, 900)}, sys));
    // t4: 1 gets its old cpu back, 3 exits, the CPU goes back to what t2 had.
    auto a4 = app(1, 330, 2.0);
    auto t4 = env.publish(test::snapshot(4, t0 + 4, {a4, app(4, 905), app(5, 50)}, test::system()));

    prompt_doc.receive(prompt.on_tick(*t2));
    prompt_doc.receive(prompt.on_tick(*t3));
    prompt_doc.receive(prompt.on_tick(*t4));
    lagging_doc.receive(lagging.on_tick(*t2));
    auto skipped = lagging.on_tick(*t4);
    lagging_doc.receive(skipped);

    // The lagging client hears of both exits and gets one delta.
    BOOST_TEST(lagging_doc.of_type("gone").size() == 2u);
    BOOST_TEST(skipped.size() == 3u);
    BOOST_TEST(lagging_doc.state == prompt_doc.state);

    // Both equal a fresh snapshot at t4.
    check_resync_changes_nothing(prompt, prompt_doc, t0 + 4.5);
    check_resync_changes_nothing(lagging, lagging_doc, t0 + 4.5);
    BOOST_TEST(lagging_doc.state.at("processes").at("1").at("rss") == json::value(330 * 4096));
    BOOST_TEST(lagging_doc.state.at("processes").at("1").at("cpu_percent") == json::value(2.0));
}

BOOST_AUTO_TEST_CASE(sessions_in_lockstep_share_one_encoded_delta_body) {
    // Three clients with the same subscriptions, one with others, two with the same table: per
    // tick the same body is encoded once for the three (only `seq` differs), once for the fourth,
    // once for the two with a table; a client that lagged is not in lockstep and encodes its own.
    // Every client stays equal to a fresh snapshot.
    test::fake_env env;
    const server_info info = test::server_info();
    const config::limits lim;
    std::vector<std::unique_ptr<session_state>> ss;
    std::vector<test::client_doc> docs(6);
    for (int i = 0; i < 6; ++i)
        ss.push_back(std::make_unique<session_state>(env, info, lim));
    env.publish(test::snapshot(1, t0 + 1, {app(1, 300), app(2, 200), app(3, 100)}));
    auto send = [&](int i, std::string_view text) {
        docs[i].receive(ss[i]->on_message(text, t0 + 1));
    };
    for (int i = 0; i < 6; ++i) {
        docs[i].receive(ss[i]->hello(t0 + 1));
        send(i, i == 3 ? R"({"type":"subscribe","pids":[3,1]})"
                       : R"({"type":"subscribe","pids":[2,1]})");
        send(i, R"({"type":"subscribe","topic":"system"})");
    }
    send(4, R"({"type":"subscribe","topic":"processes","limit":2})");
    send(5, R"({"type":"subscribe","topic":"processes","limit":2})");

    auto strip_seq = [](const std::string& m) {
        json::value v = parse(m);
        v.as_object().erase("seq");
        return json::serialize(v);
    };
    for (int n = 2; n <= 6; ++n) {
        core::system_sample sys = test::system();
        sys.cpu_percent = 10.0 * n;
        auto t = env.publish(test::snapshot(static_cast<std::uint64_t>(n), t0 + n,
                                            {app(1, 300 + static_cast<std::uint64_t>(n)),
                                             app(2, 200, n % 2 ? 1.0 : 3.0), app(3, 100 + 30 * n)},
                                            sys));
        std::vector<session_state::out> outs;
        for (int i = 0; i < 6; ++i) {
            if (i == 2 && n == 4) { // client 2 lags behind for a tick, then catches up
                outs.push_back({});
                continue;
            }
            outs.push_back(ss[i]->on_tick(*t));
            docs[i].receive(outs.back());
        }
        BOOST_TEST_CONTEXT("tick " << n) {
            BOOST_TEST_REQUIRE(outs[0].size() == 1u);
            BOOST_TEST_REQUIRE(outs[1].size() == 1u);
            BOOST_TEST(strip_seq(outs[0][0]) == strip_seq(outs[1][0]));
            // The subscribe replies were encoded on the spot (tick 1 had no interest in the
            // pids nor table rows), so lockstep starts at tick 3: then clients 0, 1 (and 2,
            // except at its lag) share one body, client 3 another, clients 4 and 5 a third.
            BOOST_TEST(t->shared_tail_count() == (n == 2 ? 0u : 3u));
            BOOST_TEST_REQUIRE(outs[4].size() == 1u);
            BOOST_TEST_REQUIRE(outs[5].size() == 1u);
            BOOST_TEST(strip_seq(outs[4][0]) == strip_seq(outs[5][0]));
            // pid 1 grows each tick and pid 3 overtakes pid 2 at tick 4: the table (top 2 by rss)
            // changes every tick, rows enter and leave while in lockstep
            BOOST_TEST(parse(outs[4][0]).at("patch").as_object().contains("table"));
            if (n == 5) { // the tick after its lag: its own diff from t3, where pid 2 was the same
                BOOST_TEST_REQUIRE(outs[2].size() == 1u);
                BOOST_TEST(
                    !parse(outs[2][0]).at("patch").at("processes").as_object().contains("2"));
            } else if (n != 4) {
                BOOST_TEST_REQUIRE(outs[2].size() == 1u);
                BOOST_TEST(strip_seq(outs[2][0]) == strip_seq(outs[0][0]));
            }
            auto patch = parse(outs[0][0]).at("patch");
            BOOST_TEST(patch.at("processes").as_object().size() == 2u);
            BOOST_TEST(patch.at("system").at("cpu").at("percent") == json::value(10.0 * n));
            const json::value other_msg = parse(outs[3][0]);
            const auto& other = other_msg.at("patch").at("processes").as_object();
            BOOST_TEST((other.contains("3") && other.contains("1") && !other.contains("2")));
        }
    }
    for (int i = 0; i < 6; ++i)
        check_resync_changes_nothing(*ss[i], docs[i], t0 + 6.5);
    BOOST_TEST(docs[2].state == docs[0].state);
    BOOST_TEST(docs[5].state == docs[4].state);
}

BOOST_AUTO_TEST_CASE(errors_keep_the_session_usable_and_count_in_seq) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.connect();
    auto e1 = parse(c.send("{").at(0));
    BOOST_TEST(e1.at("code") == json::value("bad_json"));
    BOOST_TEST(!e1.as_object().contains("ref"));
    auto e2 = parse(c.send(R"({"type":"dance","id":"x"})").at(0));
    BOOST_TEST(e2.at("code") == json::value("unknown_type"));
    BOOST_TEST(e2.at("ref") == json::value("x"));
    auto e3 = parse(c.send(R"({"type":"history","id":2,"pid":4321})").at(0));
    BOOST_TEST(e3.at("code") == json::value("no_such_process"));
    auto e4 = parse(c.send(R"({"type":"history","pid":10,"from":5,"to":4})").at(0));
    BOOST_TEST(e4.at("code") == json::value("bad_request"));
    std::string limited = c.s->rate_limited();
    c.doc.receive(limited);
    BOOST_TEST(parse(limited).at("code") == json::value("rate_limited"));
    // Still usable.
    auto pong = parse(c.send(R"({"type":"ping","id":"p"})").at(0));
    BOOST_TEST(pong.at("type") == json::value("pong"));
    BOOST_TEST(pong.at("ref") == json::value("p"));
    BOOST_TEST(pong.at("time") == json::value(t0 + 1.5));
    BOOST_TEST(c.s->seq() == 7u);
}

BOOST_AUTO_TEST_CASE(history_request_answers_with_columns) {
    conn c;
    c.sweep_of({app(10, 100)});
    c.sweep_of({app(10, 110)});
    c.sweep_of({app(10, 120)});
    c.connect();
    auto h = parse(
        c.send(R"({"type":"history","id":4,"pid":10,"from":1795660002,"to":1795660003})").at(0));
    BOOST_TEST(h.at("type") == json::value("history"));
    BOOST_TEST(h.at("ref") == json::value(4));
    BOOST_TEST(h.at("pid") == json::value(10));
    BOOST_TEST(h.at("series").at("t") == parse("[1795660002.0,1795660003.0]"));
    BOOST_TEST(h.at("series").at("rss") == parse("[450560,491520]"));
}

BOOST_AUTO_TEST_CASE(destroying_a_session_releases_its_interest) {
    test::fake_env env;
    const server_info info = test::server_info();
    const config::limits lim;
    env.publish(test::snapshot(1, t0, {app(10, 100)}));
    {
        session_state s(env, info, lim);
        s.on_message(R"({"type":"subscribe","pids":[10]})", t0);
        s.on_message(R"({"type":"subscribe","topic":"processes"})", t0);
        BOOST_TEST(env.interest_in(10) == 1);
        BOOST_TEST(env.interest_in(0) == 1);
    }
    BOOST_TEST(env.interest_in(10) == 0);
    BOOST_TEST(env.interest_in(0) == 0);
}

BOOST_AUTO_TEST_CASE(before_the_first_sample_everything_is_not_found) {
    test::fake_env env;
    const server_info info = test::server_info();
    const config::limits lim;
    session_state s(env, info, lim);
    auto out = s.on_message(R"({"type":"subscribe","pids":[1]})", t0);
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(parse(out[0]).at("not_found") == parse("[1]"));
    auto r = s.on_message(R"({"type":"resync"})", t0);
    BOOST_TEST(parse(r.at(0)).at("time") == json::value(t0));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::protocol
