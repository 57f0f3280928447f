// libFuzzer target: alert rules given as JSON (core::parse_alert_rule). A rule that parses is
// written back as JSON (once it has an id) that parses to the same rule, and is evaluated over a
// few snapshots.
#include "support.hpp"

#include "core/alerts.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace core = procpulse::core;
    namespace fuzz = procpulse::fuzz;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(fuzz::text(data, size), ec);
    if (ec) return 0;
    auto r = core::parse_alert_rule(v);
    auto* rule = std::get_if<core::alert_rule>(&r);
    if (!rule) return 0;
    if (rule->id == 0) rule->id = 1; // the server numbers a rule given without an id
    boost::json::object back = core::alert_rule_json(*rule);
    auto again = core::parse_alert_rule(back);
    auto* same = std::get_if<core::alert_rule>(&again);
    if (!same || core::alert_rule_json(*same) != back) std::abort();
    if (rule->scope == core::alert_rule::scope_kind::name)
        (void)core::glob_match(rule->glob, "chrome");
    core::alert_engine engine;
    engine.add_rule(*rule);
    for (const auto& snap : fuzz::fixture_sweeps())
        (void)engine.evaluate(*snap);
    (void)engine.active();
    (void)engine.remove_rule(rule->id, fuzz::fixture_wall + 10);
    return 0;
}
