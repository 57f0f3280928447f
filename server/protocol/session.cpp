#include "protocol/session.hpp"
#include "protocol/json_text.hpp"

#include "core/merge_patch.hpp"
#include "protocol/records.hpp"

#include <boost/json/serialize.hpp>

#include <string_view>

namespace procpulse::protocol {

namespace json = boost::json;

namespace {

/** Appends `"name":value` to a list of JSON object members (a comma first unless it is empty). */
void append_member(std::string& members, std::string_view name, std::string_view value) {
    if (!members.empty()) members += ',';
    members += '"';
    members += name;
    members += "\":";
    members += value;
}

/** Appends `"name":{members}` unless `members` is empty. */
void append_object(std::string& out, std::string_view name, const std::string& members) {
    if (members.empty()) return;
    if (!out.empty()) out += ',';
    out += '"';
    out += name;
    out += "\":{";
    out += members;
    out += '}';
}

/** A `delta` after its `seq`: `,"epoch":…,"time":…,"patch":{patch}}`. */
std::string delta_tail(const server_info& info, double time, const std::string& patch) {
    return ",\"epoch\":" + protocol::to_json(json::string(info.epoch)) +
           ",\"time\":" + protocol::to_json(json::value(round_to(time, 3))) + ",\"patch\":{" +
           patch + "}}";
}

/** The whole `delta` message from its seq and tail. */
std::string delta_message(std::uint64_t seq, const std::string& tail) {
    std::string d;
    d.reserve(40 + tail.size());
    d += "{\"type\":\"delta\",\"seq\":";
    d += std::to_string(seq);
    d += tail;
    return d;
}

} // namespace

session_state::session_state(session_env& env, const server_info& info, const config::limits& lim)
    : env_(env), info_(info), lim_(lim) {}

session_state::~session_state() {
    for (const auto& [pid, s] : subs_)
        env_.interest(pid, -1);
    if (table_) env_.interest(0, -1);
}

json::object session_state::msg(std::string_view type) {
    return message(type, ++seq_, info_.epoch);
}

std::string session_state::finish(json::object o) {
    return protocol::to_json(o);
}

std::string session_state::err(error_code code, std::string_view text,
                               const std::optional<json::value>& ref) {
    return finish(error(++seq_, info_.epoch, code, text, ref));
}

std::string session_state::hello(double now) {
    return finish(protocol::hello(info_, lim_, ++seq_, now, env_.store_error()));
}

std::string session_state::rate_limited() {
    return err(error_code::rate_limited,
               "more than " + std::to_string(static_cast<int>(lim_.messages_per_sec)) +
                   " messages per second; message dropped",
               std::nullopt);
}

session_state::out session_state::on_message(std::string_view text, double now) {
    auto r = decode_client_message(text, lim_);
    if (auto* e = std::get_if<decode_error>(&r)) return {err(e->code, e->message, e->id)};
    const auto& m = std::get<client_message>(r);
    using k = client_message::kind;
    switch (m.type) {
    case k::ping: {
        auto o = msg("pong");
        if (m.id) o["ref"] = *m.id;
        o["time"] = round_to(now, 3);
        return {finish(std::move(o))};
    }
    case k::resync:
        return resync(m, now);
    case k::history:
        return history(m);
    case k::subscribe:
        return m.what == topic::none ? subscribe_pids(m, now) : subscribe_topic(m, now);
    case k::unsubscribe:
        return m.what == topic::none ? unsubscribe_pids(m) : unsubscribe_topic(m);
    }
    return {};
}

void session_state::adopt(sub& s, const item& cur) {
    s.key = cur.key;
    s.pending = false;
    s.last.reset(); // the client has nothing of it yet: the delta carries the whole record
}

std::optional<item> session_state::current(const tick& t, int pid, bool row) const {
    const auto& map = row ? t.rows : t.procs;
    if (auto it = map.find(pid); it != map.end()) return it->second;
    const core::process_sample* p = t.snap->find(pid);
    if (!p) return std::nullopt;
    item i;
    i.key = p->key;
    i.record = std::make_shared<const json::object>(row ? table_row(*p) : process_record(*p));
    return i;
}

session_state::out session_state::subscribe_pids(const client_message& m, double now) {
    std::size_t fresh = 0;
    for (int pid : m.pids)
        fresh += subs_.count(pid) ? 0 : 1;
    if (subs_.size() + fresh > lim_.max_subscriptions)
        return {err(error_code::limit,
                    "subscribing would exceed " + std::to_string(lim_.max_subscriptions) +
                        " processes on this connection",
                    m.id)};
    tick_ptr t = env_.latest_tick();
    json::array ok, missing;
    json::object procs, hist;
    std::size_t reads = 0;
    for (int pid : m.pids) {
        std::optional<item> cur = t ? current(*t, pid, false) : std::nullopt;
        live_read live;
        if (!cur) {
            // Not in the latest sweep: started since (or gone). Read it now, within the budget.
            live = env_.read_now(pid, reads < on_demand_reads_per_message);
            if (live.what == live_read::status::absent) {
                missing.push_back(pid);
                continue;
            }
            if (live.sample) {
                ++reads;
                item i;
                i.key = live.sample->key;
                i.record = std::make_shared<const json::object>(process_record(*live.sample));
                cur = std::move(i);
            }
        }
        ok.push_back(pid);
        auto [it, inserted] = subs_.try_emplace(pid);
        if (inserted) {
            env_.interest(pid, +1);
            step_key_.clear();
        }
        std::erase(pending_removals_, pid);
        sub& s = it->second;
        s.young_since = live.what == live_read::status::absent ? 0 : live.time;
        s.pending = !cur;
        if (!cur) { // its record comes with the next tick that holds it
            s.key = core::process_key{pid, 0};
            s.last.reset();
            continue;
        }
        s.key = cur->key;
        s.last = cur->record;
        std::string key = std::to_string(pid);
        procs[key] = *cur->record;
        if (auto h = env_.process_history(cur->key))
            hist[key] = series_json(*h, core::process_columns, core::process_column_count);
    }
    auto ack = msg("ack");
    if (m.id) ack["ref"] = *m.id;
    ack["op"] = "subscribe";
    ack["pids"] = ok;
    ack["not_found"] = std::move(missing);
    out res{finish(std::move(ack))};
    if (!procs.empty()) {
        auto snap = msg("snapshot");
        if (m.id) snap["ref"] = *m.id;
        snap["time"] = round_to(t ? t->time : now, 3);
        snap["full"] = false;
        snap["state"] = json::object{{"processes", std::move(procs)}};
        snap["history"] = json::object{{"processes", std::move(hist)}};
        res.push_back(finish(std::move(snap)));
    }
    return res;
}

session_state::out session_state::unsubscribe_pids(const client_message& m) {
    json::array removed, missing;
    for (int pid : m.pids) {
        auto it = subs_.find(pid);
        if (it == subs_.end()) {
            missing.push_back(pid);
            continue;
        }
        subs_.erase(it);
        step_key_.clear();
        env_.interest(pid, -1);
        pending_removals_.push_back(pid);
        removed.push_back(pid);
    }
    auto ack = msg("ack");
    if (m.id) ack["ref"] = *m.id;
    ack["op"] = "unsubscribe";
    ack["pids"] = std::move(removed);
    ack["not_found"] = std::move(missing);
    return {finish(std::move(ack))};
}

json::object session_state::table_doc(const tick& t, bool null_stale) {
    auto sel = t.selection(table_->params);
    json::object rows;
    std::map<int, record_ptr> now_rows;
    for (const auto* p : sel->rows) {
        auto cur = current(t, p->key.pid, true);
        if (!cur) continue;
        rows[std::to_string(p->key.pid)] = *cur->record;
        now_rows.emplace(p->key.pid, cur->record);
    }
    if (null_stale)
        for (const auto& [pid, r] : table_->rows)
            if (!now_rows.count(pid)) rows[std::to_string(pid)] = nullptr;
    table_->rows = std::move(now_rows);
    table_->total = sel->total;
    table_->in_step_with = t.rows.empty() ? 0 : t.number;
    const auto& pr = table_->params;
    return json::object{
        {"sort", pr.sort},        {"order", pr.descending ? "desc" : "asc"}, {"limit", pr.limit},
        {"filter", pr.filter},    {"kernel_threads", pr.kernel_threads},     {"total", sel->total},
        {"rows", std::move(rows)}};
}

namespace {
const char* topic_name(topic t) {
    return t == topic::system ? "system" : t == topic::alerts ? "alerts" : "processes";
}
} // namespace

session_state::out session_state::subscribe_topic(const client_message& m, double now) {
    tick_ptr t = env_.latest_tick();
    auto ack = msg("ack");
    if (m.id) ack["ref"] = *m.id;
    ack["op"] = "subscribe";
    ack["topic"] = topic_name(m.what);
    ack["pids"] = json::array();
    ack["not_found"] = json::array();
    out res{finish(std::move(ack))};
    json::object state, hist;
    if (m.what == topic::system) {
        system_ = true;
        system_removed_ = false;
        if (t) {
            system_last_ = t->system.record;
            state["system"] = *t->system.record;
        }
        hist["system"] =
            series_json(env_.system_history(), core::system_columns, core::system_column_count);
    } else if (m.what == topic::alerts) {
        alerts_ = true;
        alerts_removed_ = false;
        if (t) {
            // Subscribed again (or before "alerts": null went out): the client may still hold
            // alerts that resolved meanwhile. Send the full set plus null for each of those, which
            // is right whether a client merges the snapshot or replaces the member with it.
            json::object doc = *t->alerts.record;
            if (alerts_last_) {
                const auto* old_active = alerts_last_->if_contains("active");
                auto& now_active = doc["active"].as_object();
                if (old_active && old_active->is_object())
                    for (const auto& kv : old_active->get_object())
                        if (!now_active.contains(kv.key())) now_active[kv.key()] = nullptr;
            }
            state["alerts"] = std::move(doc);
            alerts_last_ = t->alerts.record;
        }
    } else {
        if (!table_) {
            env_.interest(0, +1);
            // Not a bare emplace(): clang 14 rejects that for a nested struct with initialisers.
            table_.emplace(table_state{});
            // Subscribed again before the next tick sent "table": null: the client still holds
            // the old rows, and the snapshot must remove those that no longer belong.
            if (table_removed_) table_->rows = std::move(removed_rows_);
        }
        table_removed_ = false;
        removed_rows_.clear();
        table_->params = m.table;
        table_->step_key.clear();
        table_->in_step_with = 0;
        if (t) state["table"] = table_doc(*t, true);
    }
    auto snap = msg("snapshot");
    if (m.id) snap["ref"] = *m.id;
    snap["time"] = round_to(t ? t->time : now, 3);
    snap["full"] = false;
    snap["state"] = std::move(state);
    snap["history"] = std::move(hist);
    if (m.what == topic::alerts) snap["recent_alerts"] = env_.recent_alerts();
    res.push_back(finish(std::move(snap)));
    return res;
}

session_state::out session_state::unsubscribe_topic(const client_message& m) {
    if (m.what == topic::system) {
        if (system_) system_removed_ = true;
        system_ = false;
        system_last_.reset();
    } else if (m.what == topic::alerts) {
        if (alerts_) alerts_removed_ = true;
        alerts_ = false; // alerts_last_ stays: what the client holds until "alerts": null is sent
    } else if (table_) {
        env_.interest(0, -1);
        removed_rows_ = std::move(table_->rows);
        table_.reset();
        table_removed_ = true;
    }
    auto ack = msg("ack");
    if (m.id) ack["ref"] = *m.id;
    ack["op"] = "unsubscribe";
    ack["topic"] = topic_name(m.what);
    ack["pids"] = json::array();
    ack["not_found"] = json::array();
    return {finish(std::move(ack))};
}

session_state::out session_state::resync(const client_message& m, double now) {
    tick_ptr t = env_.latest_tick();
    json::object state, procs, hist, phist;
    out res;
    pending_removals_.clear();
    system_removed_ = table_removed_ = alerts_removed_ = false;
    if (!alerts_) alerts_last_.reset(); // the client starts from an empty document
    removed_rows_.clear();
    for (auto it = subs_.begin(); it != subs_.end();) {
        auto cur = t ? current(*t, it->first, false) : std::nullopt;
        if (t && !cur && too_young_for(it->second, *t)) { // started after that sweep
            if (it->second.last) procs[std::to_string(it->first)] = *it->second.last;
            ++it;
            continue;
        }
        if (cur && it->second.pending) adopt(it->second, *cur);
        if (t && (!cur || cur->key != it->second.key)) { // ended while the client was away
            auto g = msg("gone");
            g["pid"] = it->first;
            g["start"] = it->second.key.start_ticks;
            g["reason"] = cur ? "pid_reused" : "exited";
            g["time"] = round_to(t->time, 3);
            if (it->second.last) g["last"] = *it->second.last;
            res.push_back(finish(std::move(g)));
            env_.interest(it->first, -1);
            it = subs_.erase(it);
            step_key_.clear();
            continue;
        }
        if (cur) {
            it->second.last = cur->record;
            std::string key = std::to_string(it->first);
            procs[key] = *cur->record;
            if (auto h = env_.process_history(cur->key))
                phist[key] = series_json(*h, core::process_columns, core::process_column_count);
        }
        ++it;
    }
    state["processes"] = std::move(procs);
    hist["processes"] = std::move(phist);
    if (system_ && t) {
        system_last_ = t->system.record;
        state["system"] = *t->system.record;
        hist["system"] =
            series_json(env_.system_history(), core::system_columns, core::system_column_count);
    }
    if (table_ && t) {
        table_->rows.clear();
        state["table"] = table_doc(*t, false);
    }
    if (alerts_ && t) {
        alerts_last_ = t->alerts.record;
        state["alerts"] = *t->alerts.record;
    }
    auto snap = msg("snapshot");
    if (m.id) snap["ref"] = *m.id;
    snap["time"] = round_to(t ? t->time : now, 3);
    snap["full"] = true;
    snap["state"] = std::move(state);
    snap["history"] = std::move(hist);
    res.push_back(finish(std::move(snap)));
    return res;
}

session_state::out session_state::history(const client_message& m) {
    double to = m.to.value_or(1e18), from = m.from.value_or(0);
    if (from > to) return {err(error_code::bad_request, "\"from\" is after \"to\"", m.id)};
    auto s = env_.query_history(m.pid, m.start, from, to);
    // A process started since the last sweep has no history yet, but it exists.
    if (!s && !m.start && env_.read_now(m.pid, false).what != live_read::status::absent)
        s = core::series{
            {}, std::vector<std::vector<std::optional<double>>>(core::process_column_count)};
    if (!s)
        return {
            err(error_code::no_such_process, "no history for pid " + std::to_string(m.pid), m.id)};
    auto o = msg("history");
    if (m.id) o["ref"] = *m.id;
    o["pid"] = m.pid;
    json::object cols = series_json(*s, core::process_columns, core::process_column_count);
    if (!m.metrics.empty()) { // the columns asked for, as REST's `metrics=`
        json::object picked{{"t", cols["t"]}};
        for (const auto& name : m.metrics) {
            if (!cols.contains(name))
                return {err(error_code::bad_request, "unknown metric \"" + name + "\"", m.id)};
            picked[name] = cols[name];
        }
        cols = std::move(picked);
    }
    o["series"] = std::move(cols);
    return {finish(std::move(o))};
}

session_state::out session_state::alert_messages(const tick& t) {
    out res;
    if (!alerts_) return res;
    for (const auto& e : t.alert_events)
        res.push_back("{\"type\":\"alert\",\"seq\":" + std::to_string(++seq_) + ",\"epoch\":" +
                      protocol::to_json(json::string(info_.epoch)) + ",\"event\":" + e + "}");
    for (const auto& [type, members] : t.rule_changes)
        res.push_back("{\"type\":\"" + type + "\",\"seq\":" + std::to_string(++seq_) +
                      ",\"epoch\":" + protocol::to_json(json::string(info_.epoch)) + "," + members +
                      "}");
    return res;
}

bool session_state::lockstep_tick(const tick& t, out& res) {
    if (!pending_removals_.empty() || system_removed_ || table_removed_ || alerts_removed_)
        return false;
    if (table_ && (table_->in_step_with == 0 || table_->in_step_with + 1 != t.number)) return false;
    auto in_step = [](const record_ptr& last, const item& cur) {
        return last && last == cur.prev && cur.frag;
    };
    if (system_ && !in_step(system_last_, t.system)) return false;
    if (alerts_ && !in_step(alerts_last_, t.alerts)) return false;
    step_items_.clear();
    for (const auto& [pid, s] : subs_) {
        auto it = t.procs.find(pid);
        if (it == t.procs.end() || it->second.key != s.key || !in_step(s.last, it->second))
            return false;
        step_items_.push_back(&it->second);
    }
    // The key: two topic flags, then the pids (rebuilt only after the subscriptions change).
    if (step_key_.empty()) {
        step_key_ = "--";
        for (const auto& [pid, s] : subs_) {
            step_key_ += std::to_string(pid);
            step_key_ += ',';
        }
    }
    step_key_[0] = system_ ? 's' : '-';
    step_key_[1] = alerts_ ? 'a' : '-';
    std::string key = step_key_;
    if (table_) {
        if (table_->step_key.empty()) {
            const auto& p = table_->params;
            table_->step_key = "|t" + std::to_string(p.limit) + (p.descending ? 'd' : 'a') +
                               (p.kernel_threads ? 'k' : '-') + std::to_string(p.sort.size()) +
                               ':' + p.sort + p.filter;
        }
        key += table_->step_key;
    }
    // Everything in the tail depends only on the tick and the key.
    auto tail = t.find_tail(key);
    if (tail) {
        if (table_) advance_table(t);
    } else {
        std::string procs, patch;
        std::size_t i = 0;
        for (const auto& [pid, s] : subs_) {
            const item& cur = *step_items_[i++];
            if (!cur.frag->empty()) append_member(procs, std::to_string(pid), *cur.frag);
        }
        append_object(patch, "processes", procs);
        if (system_ && !t.system.frag->empty()) append_member(patch, "system", *t.system.frag);
        if (table_)
            if (auto tab = table_patch(t); !tab.empty()) append_member(patch, "table", tab);
        if (alerts_ && !t.alerts.frag->empty()) append_member(patch, "alerts", *t.alerts.frag);
        tail = t.keep_tail(key, patch.empty() ? std::string() : delta_tail(info_, t.time, patch));
    }
    std::size_t i = 0;
    for (auto& [pid, s] : subs_)
        s.last = step_items_[i++]->record;
    if (system_) system_last_ = t.system.record;
    if (alerts_) {
        alerts_last_ = t.alerts.record;
        res = alert_messages(t);
    }
    if (!tail->empty()) res.push_back(delta_message(++seq_, *tail));
    return true;
}

std::string session_state::table_patch(const tick& t) {
    auto sel = t.selection(table_->params);
    std::string rows;
    std::map<int, record_ptr> next;
    for (const auto* p : sel->rows) {
        auto cur = current(t, p->key.pid, true);
        if (!cur) continue;
        record_ptr last;
        if (auto it = table_->rows.find(p->key.pid); it != table_->rows.end()) last = it->second;
        std::string frag;
        if (append_patch(frag, last, *cur)) append_member(rows, std::to_string(p->key.pid), frag);
        next.emplace(p->key.pid, last);
    }
    for (const auto& [pid, r] : table_->rows)
        if (!next.count(pid)) append_member(rows, std::to_string(pid), "null");
    table_->rows = std::move(next);
    std::string tab;
    if (sel->total != table_->total) append_member(tab, "total", std::to_string(sel->total));
    table_->total = sel->total;
    // Rows encoded on the spot (a tick without table rows) are this session's own objects.
    table_->in_step_with = t.rows.empty() ? 0 : t.number;
    append_object(tab, "rows", rows);
    return tab.empty() ? std::string() : "{" + tab + "}";
}

void session_state::advance_table(const tick& t) {
    auto sel = t.selection(table_->params);
    std::map<int, record_ptr> next;
    for (const auto* p : sel->rows)
        if (auto it = t.rows.find(p->key.pid); it != t.rows.end())
            next.emplace(p->key.pid, it->second.record);
    table_->rows = std::move(next);
    table_->total = sel->total;
    table_->in_step_with = t.number;
}

session_state::out session_state::on_tick(const tick& t) {
    out res;
    if (lockstep_tick(t, res)) return res;
    std::string procs;
    for (auto it = subs_.begin(); it != subs_.end();) {
        const int pid = it->first;
        auto cur = current(t, pid, false);
        if (!cur && too_young_for(it->second, t)) { // this sweep started before it was read
            ++it;
            continue;
        }
        if (cur && it->second.pending) adopt(it->second, *cur);
        it->second.young_since = 0;
        if (!cur || cur->key != it->second.key) {
            auto g = msg("gone");
            g["pid"] = pid;
            g["start"] = it->second.key.start_ticks;
            g["reason"] = cur ? "pid_reused" : "exited";
            g["time"] = round_to(t.time, 3);
            if (it->second.last) g["last"] = *it->second.last;
            res.push_back(finish(std::move(g)));
            append_member(procs, std::to_string(pid), "null");
            env_.interest(pid, -1);
            it = subs_.erase(it);
            step_key_.clear();
            continue;
        }
        std::string frag;
        if (append_patch(frag, it->second.last, *cur))
            append_member(procs, std::to_string(pid), frag);
        ++it;
    }
    for (int pid : pending_removals_)
        append_member(procs, std::to_string(pid), "null");
    pending_removals_.clear();

    std::string patch;
    append_object(patch, "processes", procs);
    if (system_) {
        std::string frag;
        if (append_patch(frag, system_last_, t.system)) append_member(patch, "system", frag);
    } else if (system_removed_) {
        append_member(patch, "system", "null");
        system_removed_ = false;
    }
    if (table_) {
        if (auto tab = table_patch(t); !tab.empty()) append_member(patch, "table", tab);
    } else if (table_removed_) {
        append_member(patch, "table", "null");
        table_removed_ = false;
        removed_rows_.clear();
    }
    if (alerts_) {
        for (auto& m : alert_messages(t))
            res.push_back(std::move(m));
        std::string frag;
        if (append_patch(frag, alerts_last_, t.alerts)) append_member(patch, "alerts", frag);
    } else if (alerts_removed_) {
        append_member(patch, "alerts", "null");
        alerts_removed_ = false;
        alerts_last_.reset();
    }
    if (!patch.empty()) res.push_back(delta_message(++seq_, delta_tail(info_, t.time, patch)));
    return res;
}

} // namespace procpulse::protocol
