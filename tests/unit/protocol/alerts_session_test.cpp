// The alerts topic of a session: alert messages per event, the active set as part of the state
// document, events of skipped ticks still delivered, and re-subscription removing stale alerts.
#include "support.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

using namespace procpulse;
using namespace procpulse::test;
namespace json = boost::json;

namespace {

/** An environment whose ticks carry the alert state the test chooses. */
class alert_env : public fake_env {
public:
    protocol::tick_ptr push(double t, json::object active, std::vector<json::object> events) {
        auto snap = snapshot(++seq_, t, {process(4242, 88123, "java", "java -jar app.jar")});
        protocol::tick_alerts a{std::move(active), std::move(events)};
        tick_ = protocol::build_tick(snap, tick_.get(), {}, a);
        return tick_;
    }
    protocol::tick_ptr latest_tick() override { return tick_; }
    json::array recent_alerts() override { return json::array{json::object{{"id", "old"}}}; }

private:
    protocol::tick_ptr tick_;
    std::uint64_t seq_ = 0;
};

json::object event(const char* id, const char* state) {
    return json::object{{"id", id}, {"state", state}, {"rule_id", 1}, {"value", 5}};
}

} // namespace

BOOST_AUTO_TEST_CASE(alerts_topic_sends_events_and_keeps_the_active_set) {
    alert_env env;
    env.push(1.0, {}, {});
    const auto info = server_info();
    const config::limits lim;
    protocol::session_state s(env, info, lim); // keeps references to both
    client_doc doc;
    doc.receive(s.hello(1.0));
    doc.receive(s.on_message(R"({"type":"subscribe","topic":"alerts"})", 1.0));
    auto snaps = doc.of_type("snapshot");
    BOOST_REQUIRE(snaps.size() == 1u);
    BOOST_TEST(snaps[0].at("recent_alerts").as_array().size() == 1u);
    BOOST_TEST(doc.state.at("alerts").at("active").as_object().empty());

    auto t2 = env.push(2.0, json::object{{"1:4242:88123", event("1:4242:88123", "firing")}},
                       {event("1:4242:88123", "firing")});
    doc.receive(s.on_tick(*t2));
    auto alerts = doc.of_type("alert");
    BOOST_REQUIRE(alerts.size() == 1u);
    BOOST_TEST(alerts[0].at("event").at("state").as_string() == "firing");
    BOOST_TEST(doc.state.at("alerts").at("active").as_object().contains("1:4242:88123"));

    // A lagging client: tick 3's events are delivered even though tick 3 itself is skipped.
    auto t3 = env.push(3.0, {}, {event("1:4242:88123", "resolved")});
    doc.receive(s.alert_messages(*t3));
    auto t4 = env.push(4.0, {}, {});
    doc.receive(s.on_tick(*t4));
    alerts = doc.of_type("alert");
    BOOST_REQUIRE(alerts.size() == 2u);
    BOOST_TEST(alerts[1].at("event").at("state").as_string() == "resolved");
    BOOST_TEST(doc.state.at("alerts").at("active").as_object().empty());
}

BOOST_AUTO_TEST_CASE(resubscribing_to_alerts_removes_alerts_that_resolved_meanwhile) {
    alert_env env;
    env.push(1.0, json::object{{"a", event("a", "firing")}, {"b", event("b", "firing")}}, {});
    const auto info = server_info();
    const config::limits lim;
    protocol::session_state s(env, info, lim); // keeps references to both
    client_doc doc;
    doc.receive(s.hello(1.0));
    doc.receive(s.on_message(R"({"type":"subscribe","topic":"alerts"})", 1.0));
    BOOST_TEST(doc.state.at("alerts").at("active").as_object().size() == 2u);
    // Unsubscribe and subscribe again before any tick sent "alerts": null; "a" resolved meanwhile.
    doc.receive(s.on_message(R"({"type":"unsubscribe","topic":"alerts"})", 1.5));
    env.push(2.0, json::object{{"b", event("b", "firing")}}, {});
    doc.receive(s.on_message(R"({"type":"subscribe","topic":"alerts"})", 2.0));
    const auto& active = doc.state.at("alerts").at("active").as_object();
    BOOST_TEST(active.size() == 1u);
    BOOST_TEST(active.contains("b"));
    // And after an unsubscribe whose null went out, a new subscription starts from scratch.
    doc.receive(s.on_message(R"({"type":"unsubscribe","topic":"alerts"})", 2.5));
    doc.receive(s.on_tick(*env.push(3.0, {}, {})));
    BOOST_TEST(!doc.state.as_object().contains("alerts"));
    doc.receive(s.on_message(R"({"type":"subscribe","topic":"alerts"})", 3.0));
    BOOST_TEST(doc.state.at("alerts").at("active").as_object().empty());
}
