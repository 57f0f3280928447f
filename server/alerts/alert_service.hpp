#pragma once
/**
 * Alert rules and events for the server: the pure alert_engine behind a mutex, with rules and
 * events persisted in the store (when there is one) and recent events kept in memory.
 * Thread-safe: evaluate() runs on the sampler thread, the rest on HTTP threads.
 */
#include "core/alerts.hpp"
#include "http/api.hpp"
#include "store/store.hpp"

#include <boost/json/array.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace procpulse::alerts {

class alert_service : public http::alerts_api {
public:
    explicit alert_service(store::store* db);

    /**
     * Where events are stored: the store's writer queue (set before the sampler starts). Events
     * are never written to SQLite on the sampler thread.
     */
    void persist_events(std::function<void(store::event_row)> sink) { persist_ = std::move(sink); }

    /** Loads rules from the store, then from a JSON file (an array of rules); throws on a bad file.
     */
    void load(const std::string& rules_file);
    /** Saves every rule again (after the database was re-created); writer thread. */
    void save_rules_again();

    /**
     * Evaluates a sweep: returns the events (also recorded), preceded by those that happened since
     * the last sweep outside it (alerts resolved by deleting their rule), so that every event
     * reaches the next tick.
     */
    std::vector<core::alert_event> evaluate(const core::snapshot& snap);

    /**
     * The rule changes since the last call, oldest first, as the members of their WebSocket
     * messages: {"type":"rule_added","rule":{…}} or {"type":"rule_deleted","id":N}.
     */
    std::vector<boost::json::object> take_rule_changes();

    /** {"<instance id>": event} of the alerts firing now. */
    boost::json::object active_json();

    // alerts_api
    boost::json::array rules() override;
    std::variant<boost::json::object, std::string> add_rule(const boost::json::value& v,
                                                            double now) override;
    bool delete_rule(std::int64_t id, double now) override;
    boost::json::object overview(std::size_t recent) override;

private:
    void record(const std::vector<core::alert_event>& events);
    std::mutex mutex_;
    core::alert_engine engine_;
    store::store* db_;
    std::function<void(store::event_row)> persist_;
    std::vector<core::alert_event> unsent_; // events for the next tick
    std::vector<boost::json::object> rule_changes_; // for the next tick
    std::int64_t next_id_ = 1;
    std::deque<boost::json::object> recent_; // newest last
};

} // namespace procpulse::alerts
