#include "alerts/alert_service.hpp"
#include "protocol/json_text.hpp"

#include "store/store.hpp"
#include "util/log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace procpulse::alerts {

namespace json = boost::json;

alert_service::alert_service(store::store* db) : db_(db) {}

void alert_service::save_rules_again() {
    std::lock_guard lock(mutex_);
    if (!db_) return;
    for (const auto& rule : engine_.rules())
        db_->save_rule(rule.id, protocol::to_json(core::alert_rule_json(rule)));
}

void alert_service::load(const std::string& rules_file) {
    std::lock_guard lock(mutex_);
    if (db_) {
        for (const auto& [id, text] : db_->load_rules()) {
            boost::system::error_code ec;
            auto v = json::parse(text, ec);
            auto r = ec ? std::variant<core::alert_rule, std::string>(std::string("bad JSON"))
                        : core::parse_alert_rule(v);
            if (auto* rule = std::get_if<core::alert_rule>(&r)) {
                rule->id = id;
                engine_.add_rule(*rule);
                next_id_ = std::max(next_id_, id + 1);
            } else {
                log::warn("stored alert rule " + std::to_string(id) +
                          " ignored: " + std::get<std::string>(r));
            }
        }
        for (auto& e : db_->recent_events(200)) {
            boost::system::error_code ec;
            auto v = json::parse(e, ec);
            if (!ec && v.is_object()) recent_.push_front(v.get_object());
        }
    }
    if (rules_file.empty()) return;
    std::ifstream in(rules_file);
    if (!in) throw std::runtime_error("cannot read alert rules file " + rules_file);
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto v = json::parse(ss.str(), ec);
    if (ec || !v.is_array())
        throw std::runtime_error("alert rules file " + rules_file +
                                 " must hold a JSON array of rules");
    for (const auto& item : v.get_array()) {
        auto r = core::parse_alert_rule(item);
        if (auto* why = std::get_if<std::string>(&r))
            throw std::runtime_error("alert rules file " + rules_file + ": " + *why);
        auto rule = std::get<core::alert_rule>(r);
        // A file rule that is already stored (same definition) is not added twice.
        bool dup = false;
        for (const auto& have : engine_.rules()) {
            auto a = core::alert_rule_json(have), b = core::alert_rule_json(rule);
            a.erase("id"), b.erase("id");
            dup = dup || a == b;
        }
        if (dup) continue;
        if (rule.id == 0) rule.id = next_id_;
        next_id_ = std::max(next_id_, rule.id + 1);
        engine_.add_rule(rule);
        if (db_) db_->save_rule(rule.id, protocol::to_json(core::alert_rule_json(rule)));
    }
}

void alert_service::record(const std::vector<core::alert_event>& events) {
    for (const auto& e : events) {
        auto o = core::alert_event_json(e);
        log::info("alert " + e.state + ": " + e.rule_name +
                  (e.key ? " pid " + std::to_string(e.key->pid) + " (" + e.process_name + ")"
                         : std::string()) +
                  " value " + std::to_string(e.value));
        recent_.push_back(o);
        if (recent_.size() > 200) recent_.pop_front();
        if (persist_) persist_(store::event_row{e.time, e.rule_id, e.state, protocol::to_json(o)});
    }
}

std::vector<core::alert_event> alert_service::evaluate(const core::snapshot& snap) {
    std::lock_guard lock(mutex_);
    auto events = std::move(unsent_);
    unsent_.clear();
    if (engine_.rules().empty()) return events;
    auto fresh = engine_.evaluate(snap);
    record(fresh);
    events.insert(events.end(), std::make_move_iterator(fresh.begin()),
                  std::make_move_iterator(fresh.end()));
    return events;
}

std::vector<json::object> alert_service::take_rule_changes() {
    std::lock_guard lock(mutex_);
    return std::exchange(rule_changes_, {});
}

json::object alert_service::active_json() {
    std::lock_guard lock(mutex_);
    json::object o;
    for (const auto& e : engine_.active())
        o[core::alert_instance_id(e.rule_id, e.key)] = core::alert_event_json(e);
    return o;
}

json::array alert_service::rules() {
    std::lock_guard lock(mutex_);
    json::array a;
    for (const auto& r : engine_.rules())
        a.push_back(core::alert_rule_json(r));
    return a;
}

std::variant<json::object, std::string> alert_service::add_rule(const json::value& v, double) {
    auto r = core::parse_alert_rule(v);
    if (auto* why = std::get_if<std::string>(&r)) return *why;
    std::lock_guard lock(mutex_);
    auto rule = std::get<core::alert_rule>(r);
    if (rule.id == 0) rule.id = next_id_;
    next_id_ = std::max(next_id_, rule.id + 1);
    engine_.add_rule(rule);
    auto o = core::alert_rule_json(rule);
    if (db_) db_->save_rule(rule.id, protocol::to_json(o));
    rule_changes_.push_back(json::object{{"type", "rule_added"}, {"rule", o}});
    return o;
}

bool alert_service::delete_rule(std::int64_t id, double now) {
    std::lock_guard lock(mutex_);
    bool found = false;
    for (const auto& r : engine_.rules())
        found = found || r.id == id;
    if (!found) return false;
    auto resolved = engine_.remove_rule(id, now);
    record(resolved);
    unsent_.insert(unsent_.end(), resolved.begin(), resolved.end());
    if (db_) db_->delete_rule(id);
    rule_changes_.push_back(json::object{{"type", "rule_deleted"}, {"id", id}});
    return true;
}

json::object alert_service::overview(std::size_t recent) {
    std::lock_guard lock(mutex_);
    json::array active, rec;
    for (const auto& e : engine_.active())
        active.push_back(core::alert_event_json(e));
    for (auto it = recent_.rbegin(); it != recent_.rend() && rec.size() < recent; ++it)
        rec.push_back(*it);
    return json::object{
        {"success", true}, {"active", std::move(active)}, {"recent", std::move(rec)}};
}

} // namespace procpulse::alerts
