#include "support.hpp"

#include "core/collector.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>

namespace procpulse::fuzz {

namespace json = boost::json;

std::vector<std::string> split_args(std::string_view input) {
    std::vector<std::string> out;
    while (true) {
        std::size_t cut = input.find_first_of(std::string_view("\0\n", 2));
        out.emplace_back(input.substr(0, cut));
        if (cut == std::string_view::npos) return out;
        input.remove_prefix(cut + 1);
    }
}

const std::vector<core::snapshot_ptr>& fixture_sweeps() {
    static const std::vector<core::snapshot_ptr> sweeps = [] {
        core::collector c(PROCPULSE_FIXTURES "/proc", {}, [](std::uint32_t uid) {
            return uid == 0 ? std::string("root") : "user" + std::to_string(uid);
        });
        std::vector<core::snapshot_ptr> out;
        for (int i = 0; i < 4; ++i)
            out.push_back(c.sweep({i * 1000000000LL, fixture_wall + i}).snap);
        return out;
    }();
    return sweeps;
}

json::array memory_alerts::rules() {
    json::array out;
    for (const auto& r : engine.rules())
        out.push_back(core::alert_rule_json(r));
    return out;
}

std::variant<json::object, std::string> memory_alerts::add_rule(const json::value& v, double) {
    auto parsed = core::parse_alert_rule(v);
    auto* rule = std::get_if<core::alert_rule>(&parsed);
    if (!rule) return std::get<std::string>(parsed);
    if (rule->id == 0) rule->id = next_id_;
    next_id_ = std::max(next_id_, rule->id + 1);
    engine.add_rule(*rule);
    return core::alert_rule_json(*rule);
}

bool memory_alerts::delete_rule(std::int64_t id, double now) {
    const auto& rules = engine.rules();
    if (std::none_of(rules.begin(), rules.end(), [&](const auto& r) { return r.id == id; }))
        return false;
    engine.remove_rule(id, now);
    return true;
}

json::object memory_alerts::overview(std::size_t) {
    json::array active;
    for (const auto& e : engine.active())
        active.push_back(core::alert_event_json(e));
    return json::object{
        {"success", true}, {"active", std::move(active)}, {"recent", json::array()}};
}

void memory_alerts::clear() {
    engine = core::alert_engine();
    next_id_ = 1;
}

void api_fixture::reset() {
    watched.assign({});
    alerts.clear();
}

std::optional<core::process_key> api_fixture::key_of(int pid,
                                                     std::optional<std::uint64_t> start) const {
    if (start) return core::process_key{pid, *start};
    return hist.latest_key(pid);
}

api_fixture::api_fixture()
    : ctx{fixture_sweeps().back(),
          watched,
          fixture_sweeps().back()->at.wall + 0.5,
          1.0,
          nullptr,
          nullptr} {
    for (const auto& s : fixture_sweeps())
        hist.append(*s);
    ctx.history = [this](int pid, std::optional<std::uint64_t> start, double from, double to) {
        auto key = key_of(pid, start);
        return key ? hist.process(*key, from, to) : std::nullopt;
    };
    ctx.system_history = [this](double from, double to) { return hist.system(from, to); };
    ctx.describe = [this](int pid, std::optional<std::uint64_t> start) {
        std::optional<http::api_context::process_info> out;
        auto key = key_of(pid, start);
        auto d = key ? hist.describe(*key) : std::nullopt;
        if (d) out = {key->start_ticks, d->name, d->cmdline ? *d->cmdline : std::string(), *d};
        return out;
    };
    // A process started since the last sweep: a copy of the first one under another pid.
    auto fresh = [] {
        core::process_sample p = fixture_sweeps().back()->processes.front();
        p.key = {fresh_pid, 99000};
        return p;
    };
    ctx.read_now = [fresh](int pid) {
        return pid == fresh_pid ? std::optional(fresh()) : std::nullopt;
    };
    ctx.read_new = [fresh] { return std::vector<core::process_sample>{fresh()}; };
    ctx.alerts = &alerts;
}

} // namespace procpulse::fuzz
