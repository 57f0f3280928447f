#pragma once
/**
 * Alert rules and their evaluation: a metric compared with a threshold, sustained for a `for`
 * duration, over one pid, a name glob, every process, or the system; with hysteresis so a value
 * hovering at the threshold does not flap. Pure: time comes from the snapshots.
 */
#include "core/snapshot.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace procpulse::core {

struct alert_rule {
    enum class comparison { above, at_least, below, at_most };
    enum class scope_kind { pid, name, any, system };

    std::int64_t id = 0;
    std::string name;
    std::string metric;
    comparison cmp = comparison::above;
    double threshold = 0;
    double for_seconds = 0;
    double hysteresis = 0; ///< the value must cross back past threshold ∓ hysteresis to resolve
    scope_kind scope = scope_kind::any;
    int pid = 0;
    std::string glob; ///< for scope name: shell-style pattern on the process name
};

/** Process metrics rules may use. */
inline constexpr const char* alert_process_metrics[] = {"cpu_percent",
                                                        "rss",
                                                        "vms",
                                                        "shared",
                                                        "memory_percent",
                                                        "minor_faults_per_sec",
                                                        "major_faults_per_sec",
                                                        "faults_per_sec",
                                                        "num_threads",
                                                        "read_bytes_per_sec",
                                                        "write_bytes_per_sec"};
/** System metrics rules with scope system may use. */
inline constexpr const char* alert_system_metrics[] = {
    "memory_percent", "swap_percent", "cpu_percent", "load1",
    "faults_per_sec", "mem_used",     "swap_used"};

/** Validates a rule given as JSON; the error text says what is wrong. */
std::variant<alert_rule, std::string> parse_alert_rule(const boost::json::value& v);
boost::json::object alert_rule_json(const alert_rule& r);

/** Shell-style match of `*` and `?`. */
bool glob_match(std::string_view pattern, std::string_view text);

/** A change of an alert's state. */
struct alert_event {
    std::int64_t rule_id = 0;
    std::string rule_name;
    std::string state; ///< "firing" or "resolved"
    std::string metric;
    double value = 0; ///< the value that made the change (the last one, for exits)
    double threshold = 0;
    double time = 0;  ///< seconds since the epoch
    double since = 0; ///< when the condition first held (firing) or when it fired (resolved)
    std::optional<process_key> key; ///< absent for system alerts
    std::string process_name;
    std::string reason; ///< for resolved: "recovered", "exited", "rule_deleted"
};

boost::json::object alert_event_json(const alert_event& e);
/** Identifier of an alert instance: "rule:pid:start" or "rule:system". */
std::string alert_instance_id(std::int64_t rule_id, const std::optional<process_key>& key);

class alert_engine {
public:
    void add_rule(const alert_rule& r);
    /** Removes a rule; its firing alerts resolve with reason "rule_deleted" (returned). */
    std::vector<alert_event> remove_rule(std::int64_t id, double now);
    const std::vector<alert_rule>& rules() const { return rules_; }

    /** Evaluates every rule on a sweep; returns the state changes. */
    std::vector<alert_event> evaluate(const snapshot& snap);

    /** The alerts firing now (their firing events, with the newest value). */
    std::vector<alert_event> active() const;

private:
    struct state {
        std::optional<double> pending_since;
        bool firing = false;
        alert_event fired; // the firing event, value updated each sweep
    };
    void step(const alert_rule& r, const std::optional<process_key>& key, const std::string& name,
              std::optional<double> value, double t, std::vector<alert_event>& out);

    std::vector<alert_rule> rules_;
    std::map<std::pair<std::int64_t, std::string>, state> states_;
    std::uint64_t generation_ = 0;
    std::map<std::pair<std::int64_t, std::string>, std::uint64_t> seen_;
};

} // namespace procpulse::core
