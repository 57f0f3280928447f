#include "core/alerts.hpp"

#include <algorithm>
#include <cmath>

namespace procpulse::core {

namespace json = boost::json;

bool glob_match(std::string_view p, std::string_view t) {
    std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
            ++pi, ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*')
        ++pi;
    return pi == p.size();
}

namespace {

template <std::size_t N> bool listed(const char* const (&names)[N], std::string_view m) {
    return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return m == n; });
}

std::optional<double> number(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_double() && std::isfinite(v.get_double())) return v.get_double();
    return std::nullopt;
}

const char* cmp_text(alert_rule::comparison c) {
    switch (c) {
    case alert_rule::comparison::above:
        return ">";
    case alert_rule::comparison::at_least:
        return ">=";
    case alert_rule::comparison::below:
        return "<";
    case alert_rule::comparison::at_most:
        return "<=";
    }
    return ">";
}

std::optional<double> process_metric(const process_sample& p, std::string_view m) {
    if (m == "cpu_percent") return p.cpu_percent;
    if (m == "rss") return static_cast<double>(p.rss);
    if (m == "vms") return static_cast<double>(p.vms);
    if (m == "shared")
        return p.shared ? std::optional<double>(static_cast<double>(*p.shared)) : std::nullopt;
    if (m == "memory_percent") return p.memory_percent;
    if (m == "minor_faults_per_sec") return p.minor_faults_per_sec;
    if (m == "major_faults_per_sec") return p.major_faults_per_sec;
    if (m == "faults_per_sec") {
        if (!p.minor_faults_per_sec && !p.major_faults_per_sec) return std::nullopt;
        return p.minor_faults_per_sec.value_or(0) + p.major_faults_per_sec.value_or(0);
    }
    if (m == "num_threads") return static_cast<double>(p.num_threads);
    if (m == "read_bytes_per_sec") return p.read_bytes_per_sec;
    if (m == "write_bytes_per_sec") return p.write_bytes_per_sec;
    return std::nullopt;
}

std::optional<double> system_metric(const system_sample& s, std::string_view m) {
    if (m == "memory_percent") return s.mem_percent;
    if (m == "swap_percent") return s.swap_percent;
    if (m == "cpu_percent") return s.cpu_percent;
    if (m == "load1") return s.load1;
    if (m == "mem_used") return static_cast<double>(s.mem_used);
    if (m == "swap_used") return static_cast<double>(s.swap_used);
    if (m == "faults_per_sec") {
        if (!s.minor_faults_per_sec) return std::nullopt;
        return *s.minor_faults_per_sec + s.major_faults_per_sec.value_or(0);
    }
    return std::nullopt;
}

} // namespace

std::variant<alert_rule, std::string> parse_alert_rule(const json::value& v) {
    if (!v.is_object()) return std::string("a rule must be a JSON object");
    const auto& o = v.get_object();
    alert_rule r;
    if (auto* id = o.if_contains("id"); id && !id->is_null()) {
        auto n = number(*id);
        // At most 2^53 - 1 (exact in a double, as clients read it); more would not fit int64.
        if (!n || *n <= 0 || *n != std::floor(*n) || *n > 9007199254740991.0)
            return std::string("\"id\" must be a positive integer");
        r.id = static_cast<std::int64_t>(*n);
    }
    if (auto* n = o.if_contains("name"); n && !n->is_null()) {
        if (!n->is_string()) return std::string("\"name\" must be a string");
        r.name = n->get_string();
    }
    std::string scope = "any";
    if (auto* s = o.if_contains("scope"); s && !s->is_null()) {
        if (!s->is_string()) return std::string("\"scope\" must be one of pid, name, any, system");
        scope = s->get_string();
    }
    if (scope == "pid") {
        r.scope = alert_rule::scope_kind::pid;
        auto* p = o.if_contains("pid");
        auto n = p ? number(*p) : std::nullopt;
        if (!n || *n <= 0 || *n != std::floor(*n) || *n > 2147483647)
            return std::string("scope pid needs \"pid\": a positive integer");
        r.pid = static_cast<int>(*n);
    } else if (scope == "name") {
        r.scope = alert_rule::scope_kind::name;
        auto* g = o.if_contains("pattern");
        if (!g || !g->is_string() || g->get_string().empty())
            return std::string("scope name needs \"pattern\": a name glob such as \"chrom*\"");
        r.glob = g->get_string();
    } else if (scope == "any") {
        r.scope = alert_rule::scope_kind::any;
    } else if (scope == "system") {
        r.scope = alert_rule::scope_kind::system;
    } else {
        return std::string("\"scope\" must be one of pid, name, any, system");
    }
    auto* m = o.if_contains("metric");
    if (!m || !m->is_string()) return std::string("\"metric\" is required");
    r.metric = m->get_string();
    bool sys = r.scope == alert_rule::scope_kind::system;
    if (sys ? !listed(alert_system_metrics, r.metric) : !listed(alert_process_metrics, r.metric))
        return "unknown " + std::string(sys ? "system" : "process") + " metric \"" + r.metric +
               "\"";
    std::string op = ">";
    if (auto* c = o.if_contains("op"); c && !c->is_null()) {
        if (!c->is_string()) return std::string("\"op\" must be one of >, >=, <, <=");
        op = c->get_string();
    }
    if (op == ">")
        r.cmp = alert_rule::comparison::above;
    else if (op == ">=")
        r.cmp = alert_rule::comparison::at_least;
    else if (op == "<")
        r.cmp = alert_rule::comparison::below;
    else if (op == "<=")
        r.cmp = alert_rule::comparison::at_most;
    else
        return std::string("\"op\" must be one of >, >=, <, <=");
    auto* th = o.if_contains("threshold");
    auto thv = th ? number(*th) : std::nullopt;
    if (!thv) return std::string("\"threshold\" must be a number");
    r.threshold = *thv;
    if (auto* f = o.if_contains("for"); f && !f->is_null()) {
        auto n = number(*f);
        if (!n || *n < 0 || *n > 7 * 86400)
            return std::string("\"for\" must be seconds between 0 and 604800");
        r.for_seconds = *n;
    }
    r.hysteresis = std::abs(r.threshold) * 0.05;
    if (auto* h = o.if_contains("hysteresis"); h && !h->is_null()) {
        auto n = number(*h);
        if (!n || *n < 0) return std::string("\"hysteresis\" must be a non-negative number");
        r.hysteresis = *n;
    }
    if (r.name.empty()) {
        std::string target = sys ? "system"
                             : r.scope == alert_rule::scope_kind::pid
                                 ? "pid " + std::to_string(r.pid)
                             : r.scope == alert_rule::scope_kind::name ? r.glob
                                                                       : "any process";
        char th_text[64];
        std::snprintf(th_text, sizeof th_text, "%g", r.threshold);
        r.name = r.metric + " " + op + " " + th_text + " (" + target + ")";
    }
    return r;
}

json::object alert_rule_json(const alert_rule& r) {
    json::object o{{"id", r.id},
                   {"name", r.name},
                   {"metric", r.metric},
                   {"op", cmp_text(r.cmp)},
                   {"threshold", r.threshold},
                   {"for", r.for_seconds},
                   {"hysteresis", r.hysteresis}};
    switch (r.scope) {
    case alert_rule::scope_kind::pid:
        o["scope"] = "pid", o["pid"] = r.pid;
        break;
    case alert_rule::scope_kind::name:
        o["scope"] = "name", o["pattern"] = r.glob;
        break;
    case alert_rule::scope_kind::any:
        o["scope"] = "any";
        break;
    case alert_rule::scope_kind::system:
        o["scope"] = "system";
        break;
    }
    return o;
}

std::string alert_instance_id(std::int64_t rule_id, const std::optional<process_key>& key) {
    return std::to_string(rule_id) + ":" +
           (key ? std::to_string(key->pid) + ":" + std::to_string(key->start_ticks)
                : std::string("system"));
}

json::object alert_event_json(const alert_event& e) {
    json::object o{{"id", alert_instance_id(e.rule_id, e.key)},
                   {"rule_id", e.rule_id},
                   {"rule", e.rule_name},
                   {"state", e.state},
                   {"metric", e.metric},
                   {"value", std::round(e.value * 100) / 100},
                   {"threshold", e.threshold},
                   {"time", std::round(e.time * 1000) / 1000},
                   {"since", std::round(e.since * 1000) / 1000}};
    if (e.key) {
        o["pid"] = e.key->pid;
        o["start"] = e.key->start_ticks;
        o["name"] = e.process_name;
    } else {
        o["pid"] = nullptr;
    }
    if (!e.reason.empty()) o["reason"] = e.reason;
    return o;
}

namespace {
/** The resolution of a firing alert: `since` becomes the time it fired. */
alert_event resolved(const alert_event& fired, double t, const char* reason) {
    alert_event e = fired;
    e.state = "resolved";
    e.since = fired.time;
    e.time = t;
    e.reason = reason;
    return e;
}
} // namespace

void alert_engine::add_rule(const alert_rule& r) {
    rules_.erase(std::remove_if(rules_.begin(), rules_.end(),
                                [&](const alert_rule& x) { return x.id == r.id; }),
                 rules_.end());
    rules_.push_back(r);
}

std::vector<alert_event> alert_engine::remove_rule(std::int64_t id, double now) {
    std::vector<alert_event> out;
    rules_.erase(std::remove_if(rules_.begin(), rules_.end(),
                                [&](const alert_rule& x) { return x.id == id; }),
                 rules_.end());
    for (auto it = states_.begin(); it != states_.end();) {
        if (it->first.first != id) {
            ++it;
            continue;
        }
        if (it->second.firing) out.push_back(resolved(it->second.fired, now, "rule_deleted"));
        seen_.erase(it->first);
        it = states_.erase(it);
    }
    return out;
}

void alert_engine::step(const alert_rule& r, const std::optional<process_key>& key,
                        const std::string& name, std::optional<double> value, double t,
                        std::vector<alert_event>& out) {
    auto id = std::make_pair(r.id, alert_instance_id(r.id, key));
    seen_[id] = generation_;
    if (!value) return; // unavailable: no change either way
    const double v = *value;
    bool hit = false, clear = false;
    switch (r.cmp) {
    case alert_rule::comparison::above:
        hit = v > r.threshold, clear = v < r.threshold - r.hysteresis;
        break;
    case alert_rule::comparison::at_least:
        hit = v >= r.threshold, clear = v < r.threshold - r.hysteresis;
        break;
    case alert_rule::comparison::below:
        hit = v<r.threshold, clear = v> r.threshold + r.hysteresis;
        break;
    case alert_rule::comparison::at_most:
        hit = v <= r.threshold, clear = v > r.threshold + r.hysteresis;
        break;
    }
    auto it = states_.find(id);
    if (it == states_.end()) {
        if (!hit) return; // nothing to remember
        it = states_.emplace(id, state{}).first;
    }
    state& s = it->second;
    if (!s.firing) {
        if (!hit) {
            states_.erase(it);
            return;
        }
        if (!s.pending_since) s.pending_since = t;
        if (t - *s.pending_since + 1e-9 >= r.for_seconds) {
            s.firing = true;
            alert_event e;
            e.rule_id = r.id;
            e.rule_name = r.name;
            e.state = "firing";
            e.metric = r.metric;
            e.value = v;
            e.threshold = r.threshold;
            e.time = t;
            e.since = *s.pending_since;
            e.key = key;
            e.process_name = name;
            s.fired = e;
            out.push_back(std::move(e));
        }
        return;
    }
    s.fired.value = v;
    if (clear) {
        out.push_back(resolved(s.fired, t, "recovered"));
        states_.erase(it);
    }
}

std::vector<alert_event> alert_engine::evaluate(const snapshot& snap) {
    std::vector<alert_event> out;
    ++generation_;
    const double t = snap.at.wall;
    for (const auto& r : rules_) {
        switch (r.scope) {
        case alert_rule::scope_kind::system:
            step(r, std::nullopt, "", system_metric(snap.system, r.metric), t, out);
            break;
        case alert_rule::scope_kind::pid:
            // A zombie has exited (its figures are zeros): its alerts resolve as "exited".
            if (const auto* p = snap.find(r.pid); p && p->state != 'Z')
                step(r, p->key, p->name, process_metric(*p, r.metric), t, out);
            break;
        case alert_rule::scope_kind::name:
        case alert_rule::scope_kind::any:
            for (const auto& p : snap.processes) {
                if (p.kernel_thread || p.state == 'Z') continue;
                if (r.scope == alert_rule::scope_kind::name && !glob_match(r.glob, p.name))
                    continue;
                step(r, p.key, p.name, process_metric(p, r.metric), t, out);
            }
            break;
        }
    }
    // Instances not seen this sweep: the process exited (or left the rule's scope).
    for (auto it = states_.begin(); it != states_.end();) {
        auto s = seen_.find(it->first);
        if (s != seen_.end() && s->second == generation_) {
            ++it;
            continue;
        }
        if (it->second.firing) out.push_back(resolved(it->second.fired, t, "exited"));
        if (s != seen_.end()) seen_.erase(s);
        it = states_.erase(it);
    }
    // seen_ only needs entries for live states.
    for (auto it = seen_.begin(); it != seen_.end();)
        it = states_.count(it->first) ? std::next(it) : seen_.erase(it);
    return out;
}

std::vector<alert_event> alert_engine::active() const {
    std::vector<alert_event> out;
    for (const auto& [id, s] : states_)
        if (s.firing) out.push_back(s.fired);
    return out;
}

} // namespace procpulse::core
