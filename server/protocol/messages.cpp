#include "protocol/messages.hpp"

#include "protocol/records.hpp"

#include "core/process_filter.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <cctype>
#include <charconv>
#include <cmath>

namespace procpulse::protocol {

namespace json = boost::json;

const char* to_string(error_code c) {
    switch (c) {
    case error_code::bad_json:
        return "bad_json";
    case error_code::bad_request:
        return "bad_request";
    case error_code::unknown_type:
        return "unknown_type";
    case error_code::no_such_process:
        return "no_such_process";
    case error_code::limit:
        return "limit";
    case error_code::rate_limited:
        return "rate_limited";
    case error_code::too_large:
        return "too_large";
    }
    return "bad_request";
}

namespace {

constexpr std::string_view sort_keys[] = {
    "pid", "name",   "username",       "status",      "cpu_percent",   "rss",
    "vms", "shared", "memory_percent", "num_threads", "faults_per_sec"};

decode_error bad(std::string msg, const std::optional<json::value>& id) {
    return decode_error{error_code::bad_request, std::move(msg), id};
}

std::optional<std::int64_t> as_int(const json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v.get_uint64());
    if (v.is_double()) {
        // Converting a double out of int64's range is undefined behaviour: check first.
        double d = v.get_double();
        if (std::isfinite(d) && d >= -0x1p63 && d < 0x1p63 && std::trunc(d) == d)
            return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}

std::optional<double> as_number(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    // Not infinity or NaN (Boost.JSON reads 1e400 as infinity and 0e400 as NaN), as REST refuses.
    if (v.is_double() && std::isfinite(v.get_double())) return v.get_double();
    return std::nullopt;
}

} // namespace

bool valid_sort_key(std::string_view key) {
    return std::find(std::begin(sort_keys), std::end(sort_keys), key) != std::end(sort_keys);
}

decode_result decode_client_message(std::string_view text, const config::limits& lim) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return decode_error{error_code::bad_json, "malformed JSON: " + ec.message(), {}};
    if (!v.is_object())
        return decode_error{error_code::bad_json, "a message must be a JSON object", {}};
    const auto& o = v.get_object();
    client_message m;
    if (auto* id = o.if_contains("id")) {
        if (id->is_string() || id->is_number()) m.id = *id;
    }
    const json::value* type = o.if_contains("type");
    if (!type || !type->is_string())
        return decode_error{error_code::unknown_type, "\"type\" must be a string", m.id};
    std::string_view t = type->get_string();
    if (t == "ping") {
        m.type = client_message::kind::ping;
        return m;
    }
    if (t == "resync") {
        m.type = client_message::kind::resync;
        return m;
    }
    if (t == "history") {
        m.type = client_message::kind::history;
        const json::value* pid = o.if_contains("pid");
        auto p = pid ? as_int(*pid) : std::nullopt;
        if (!p || *p <= 0 || *p > INT32_MAX) return bad("\"pid\" must be a positive integer", m.id);
        m.pid = static_cast<int>(*p);
        if (auto* s = o.if_contains("start"); s && !s->is_null()) {
            auto sv = as_int(*s);
            if (!sv || *sv < 0) return bad("\"start\" must be a non-negative integer", m.id);
            m.start = static_cast<std::uint64_t>(*sv);
        }
        for (auto [name, dst] : {std::pair{"from", &m.from}, {"to", &m.to}, {"step", &m.step}}) {
            if (auto* f = o.if_contains(name); f && !f->is_null()) {
                auto d = as_number(*f);
                if (!d) return bad(std::string("\"") + name + "\" must be a number", m.id);
                *dst = *d;
            }
        }
        if (auto* ms = o.if_contains("metrics"); ms && !ms->is_null()) {
            if (!ms->is_array()) return bad("\"metrics\" must be an array of strings", m.id);
            for (const auto& e : ms->get_array()) {
                if (!e.is_string()) return bad("\"metrics\" must be an array of strings", m.id);
                std::string_view name = e.get_string();
                const auto* end = core::process_columns + core::process_column_count;
                if (std::find(core::process_columns, end, name) == end)
                    return bad("unknown metric \"" + std::string(name) + "\"", m.id);
                m.metrics.emplace_back(name);
            }
        }
        return m;
    }
    if (t != "subscribe" && t != "unsubscribe")
        return decode_error{error_code::unknown_type,
                            "unknown message type \"" + std::string(t) + "\"", m.id};
    m.type = t == "subscribe" ? client_message::kind::subscribe : client_message::kind::unsubscribe;
    const json::value* pids = o.if_contains("pids");
    const json::value* top = o.if_contains("topic");
    if (pids && top) return bad("give either \"pids\" or \"topic\", not both", m.id);
    if (pids) {
        if (!pids->is_array() || pids->get_array().empty())
            return bad("\"pids\" must be a non-empty array of positive integers", m.id);
        if (pids->get_array().size() > lim.max_subscriptions)
            return decode_error{
                error_code::limit,
                "at most " + std::to_string(lim.max_subscriptions) + " pids per connection", m.id};
        for (const auto& e : pids->get_array()) {
            auto p = as_int(e);
            if (!p || *p <= 0 || *p > INT32_MAX)
                return bad("\"pids\" must be an array of positive integers", m.id);
            m.pids.push_back(static_cast<int>(*p));
        }
        std::sort(m.pids.begin(), m.pids.end());
        m.pids.erase(std::unique(m.pids.begin(), m.pids.end()), m.pids.end());
        return m;
    }
    if (!top || !top->is_string())
        return bad("give \"pids\" (an array) or \"topic\" (a string)", m.id);
    std::string_view tp = top->get_string();
    if (tp == "system" || tp == "alerts") {
        m.what = tp == "system" ? topic::system : topic::alerts;
        return m;
    }
    if (tp != "processes") return bad("unknown topic \"" + std::string(tp) + "\"", m.id);
    m.what = topic::processes;
    if (m.type == client_message::kind::unsubscribe) return m;
    if (auto* s = o.if_contains("sort"); s && !s->is_null()) {
        if (!s->is_string() || !valid_sort_key(s->get_string()))
            return bad(
                "\"sort\" must be one of pid, name, username, status, cpu_percent, rss, vms, "
                "shared, memory_percent, num_threads, faults_per_sec",
                m.id);
        m.table.sort = s->get_string();
    }
    if (auto* s = o.if_contains("order"); s && !s->is_null()) {
        if (!s->is_string() || (s->get_string() != "asc" && s->get_string() != "desc"))
            return bad("\"order\" must be \"asc\" or \"desc\"", m.id);
        m.table.descending = s->get_string() == "desc";
    }
    if (auto* s = o.if_contains("limit"); s && !s->is_null()) {
        auto l = as_int(*s);
        if (!l || *l <= 0) return bad("\"limit\" must be a positive integer", m.id);
        if (static_cast<std::uint64_t>(*l) > lim.max_process_limit)
            return decode_error{error_code::limit,
                                "\"limit\" may be at most " + std::to_string(lim.max_process_limit),
                                m.id};
        m.table.limit = static_cast<std::size_t>(*l);
    }
    if (auto* s = o.if_contains("filter"); s && !s->is_null()) {
        if (!s->is_string()) return bad("\"filter\" must be a string", m.id);
        if (s->get_string().size() > 256)
            return bad("\"filter\" is longer than 256 characters", m.id);
        m.table.filter = s->get_string();
        if (auto f = core::parse_filter(m.table.filter);
            auto* e = std::get_if<core::filter_error>(&f))
            return bad("bad filter: " + e->message, m.id);
    }
    if (auto* s = o.if_contains("kernel_threads"); s && !s->is_null()) {
        if (!s->is_bool()) return bad("\"kernel_threads\" must be true or false", m.id);
        m.table.kernel_threads = s->get_bool();
    }
    return m;
}

json::object message(std::string_view type, std::uint64_t seq, std::string_view epoch) {
    json::object o;
    o["type"] = type;
    o["seq"] = seq;
    o["epoch"] = epoch;
    return o;
}

json::object hello(const server_info& info, const config::limits& lim, std::uint64_t seq,
                   double now, const std::optional<std::string>& store_error) {
    json::object o = message("hello", seq, info.epoch);
    o["protocol"] = version;
    o["server"] = info.server;
    o["host"] = info.host;
    o["interval_ms"] = info.interval_ms;
    o["history_ms"] = info.history_ms;
    o["history_persisted"] = info.history_persisted;
    if (store_error)
        o["store_error"] = *store_error;
    else
        o["store_error"] = nullptr;
    o["actions_allowed"] = info.actions_allowed;
    o["cpu_count"] = info.cpu_count;
    o["page_size"] = info.page_size;
    o["mem_total"] = info.mem_total;
    o["time"] = round_to(now, 3);
    json::object l;
    l["max_message_bytes"] = lim.max_message_bytes;
    l["max_subscriptions"] = lim.max_subscriptions;
    l["messages_per_sec"] = lim.messages_per_sec;
    l["message_burst"] = lim.message_burst;
    l["max_process_limit"] = lim.max_process_limit;
    o["limits"] = std::move(l);
    return o;
}

json::object error(std::uint64_t seq, std::string_view epoch, error_code code,
                   std::string_view text, const std::optional<json::value>& ref) {
    json::object o = message("error", seq, epoch);
    if (ref) o["ref"] = *ref;
    o["code"] = to_string(code);
    o["message"] = text;
    return o;
}

json::object series_json(const core::series& s, const char* const* names, std::size_t n) {
    json::object o;
    json::array t;
    t.reserve(s.t.size());
    for (double v : s.t)
        t.push_back(round_to(v, 3));
    o["t"] = std::move(t);
    for (std::size_t c = 0; c < n && c < s.values.size(); ++c) {
        json::array col;
        col.reserve(s.values[c].size());
        for (const auto& v : s.values[c]) {
            if (!v)
                col.emplace_back(nullptr);
            else if (std::abs(*v) < 9e15 && // range first: the cast of a larger one is UB
                     *v == static_cast<double>(static_cast<std::int64_t>(*v)))
                col.emplace_back(static_cast<std::int64_t>(*v));
            else
                col.emplace_back(round_to(*v, 2));
        }
        o[names[c]] = std::move(col);
    }
    if (!s.per_core.empty()) {
        json::array cores;
        for (const auto& core : s.per_core) {
            json::array col;
            col.reserve(core.size());
            for (const auto& v : core)
                col.push_back(v ? json::value(round_to(*v, 1)) : json::value(nullptr));
            cores.push_back(std::move(col));
        }
        o[core::per_core_column] = std::move(cores);
    }
    return o;
}

json::object table_row(const core::process_sample& p) {
    json::object o;
    o.reserve(14);
    o["pid"] = p.key.pid;
    o["start"] = p.key.start_ticks;
    o["name"] = p.name;
    o["username"] = p.username ? json::value(json::string_view(*p.username)) : json::value(nullptr);
    o["status"] = p.status;
    o["cpu_percent"] =
        p.cpu_percent ? json::value(round_to(*p.cpu_percent, 1)) : json::value(nullptr);
    o["rss"] = p.rss;
    o["vms"] = p.vms;
    o["shared"] = p.shared ? json::value(*p.shared) : json::value(nullptr);
    o["memory_percent"] = round_to(p.memory_percent, 2);
    o["num_threads"] = p.num_threads;
    if (p.minor_faults_per_sec || p.major_faults_per_sec)
        o["faults_per_sec"] =
            round_to(p.minor_faults_per_sec.value_or(0) + p.major_faults_per_sec.value_or(0), 1);
    else
        o["faults_per_sec"] = nullptr;
    o["kernel_thread"] = p.kernel_thread;
    std::string_view cmd = p.cmdline ? std::string_view(*p.cmdline) : std::string_view();
    o["cmdline"] = cmd.substr(0, 256);
    return o;
}

namespace {

double sort_value(const core::process_sample& p, std::string_view key) {
    if (key == "cpu_percent") return p.cpu_percent.value_or(-1);
    if (key == "rss") return static_cast<double>(p.rss);
    if (key == "vms") return static_cast<double>(p.vms);
    if (key == "shared") return p.shared ? static_cast<double>(*p.shared) : -1;
    if (key == "memory_percent") return p.memory_percent;
    if (key == "num_threads") return static_cast<double>(p.num_threads);
    if (key == "faults_per_sec")
        return p.minor_faults_per_sec || p.major_faults_per_sec
                   ? p.minor_faults_per_sec.value_or(0) + p.major_faults_per_sec.value_or(0)
                   : -1;
    return static_cast<double>(p.key.pid);
}

} // namespace

table_selection select_table(const core::snapshot& snap, const table_params& params) {
    table_selection sel;
    // A filter that does not parse matches nothing (decode_client_message refuses it first).
    auto parsed = core::parse_filter(params.filter);
    const auto* filter = std::get_if<core::process_filter>(&parsed);
    std::vector<const core::process_sample*> match;
    match.reserve(snap.processes.size());
    for (const auto& p : snap.processes) {
        if (p.kernel_thread && !params.kernel_threads) continue;
        if (!filter || !core::matches(*filter, p)) continue;
        match.push_back(&p);
    }
    sel.total = match.size();
    const std::string& key = params.sort;
    const bool text_key = key == "name" || key == "username" || key == "status";
    auto text_of = [&](const core::process_sample* p) -> std::string_view {
        if (key == "name") return p->name;
        if (key == "username")
            return p->username ? std::string_view(*p->username) : std::string_view();
        return p->status;
    };
    auto less = [&](const core::process_sample* a, const core::process_sample* b) {
        if (text_key) {
            auto ta = text_of(a), tb = text_of(b);
            if (ta != tb) return params.descending ? ta > tb : ta < tb;
        } else {
            double va = sort_value(*a, key), vb = sort_value(*b, key);
            if (va != vb) return params.descending ? va > vb : va < vb;
        }
        return a->key.pid < b->key.pid; // stable order for ties
    };
    std::size_t n = std::min(params.limit, match.size());
    std::partial_sort(match.begin(), match.begin() + static_cast<std::ptrdiff_t>(n), match.end(),
                      less);
    match.resize(n);
    sel.rows = std::move(match);
    return sel;
}

} // namespace procpulse::protocol
