#include "protocol/tick.hpp"
#include "protocol/json_text.hpp"

#include "core/merge_patch.hpp"
#include "protocol/records.hpp"

#include <boost/json/serialize.hpp>

namespace procpulse::protocol {

namespace json = boost::json;

std::shared_ptr<const table_selection> tick::selection(const table_params& p) const {
    std::lock_guard lock(cache_mutex_);
    for (const auto& [params, sel] : cache_)
        if (params == p) return sel;
    auto sel = std::make_shared<const table_selection>(select_table(*snap, p));
    cache_.emplace_back(p, sel);
    return sel;
}

std::shared_ptr<const std::string> tick::find_tail(const std::string& key) const {
    std::lock_guard lock(tail_mutex_);
    auto it = tails_.find(key);
    return it == tails_.end() ? nullptr : it->second;
}

std::shared_ptr<const std::string> tick::keep_tail(const std::string& key, std::string text) const {
    auto kept = std::make_shared<const std::string>(std::move(text));
    std::lock_guard lock(tail_mutex_);
    if (tails_.size() >= max_shared_tails) return kept;
    // Two sessions racing on one key both encode it; the first kept wins (the texts are equal).
    return tails_.emplace(key, std::move(kept)).first->second;
}

std::size_t tick::shared_tail_count() const {
    std::lock_guard lock(tail_mutex_);
    return tails_.size();
}

namespace {

item make_item(const core::process_key& key, json::object rec, const item* prev_item) {
    item it;
    it.key = key;
    if (prev_item && prev_item->key == key && prev_item->record) {
        if (*prev_item->record == rec) {
            it.record = prev_item->record; // unchanged: share the object, empty fragment
            it.prev = prev_item->record;
            it.frag = std::make_shared<const std::string>();
            return it;
        }
        it.prev = prev_item->record;
        auto d = core::merge_diff(*prev_item->record, rec);
        it.frag = std::make_shared<const std::string>(d ? protocol::to_json(*d) : std::string());
    }
    it.record = std::make_shared<const json::object>(std::move(rec));
    return it;
}

const item* find(const std::unordered_map<int, item>* m, int pid) {
    if (!m) return nullptr;
    auto it = m->find(pid);
    return it == m->end() ? nullptr : &it->second;
}

} // namespace

tick_ptr build_tick(const core::snapshot_ptr& snap, const tick* prev, const tick_interest& interest,
                    const tick_alerts& alerts) {
    auto t = std::make_shared<tick>();
    t->number = prev ? prev->number + 1 : 1;
    t->time = snap->at.wall;
    t->snap = snap;
    for (int pid : interest.pids) {
        const core::process_sample* p = snap->find(pid);
        if (!p) continue;
        t->procs.emplace(
            pid, make_item(p->key, process_record(*p), find(prev ? &prev->procs : nullptr, pid)));
    }
    if (interest.rows) {
        t->rows.reserve(snap->processes.size());
        for (const auto& p : snap->processes)
            t->rows.emplace(p.key.pid, make_item(p.key, table_row(p),
                                                 find(prev ? &prev->rows : nullptr, p.key.pid)));
    }
    t->system = make_item(core::process_key{}, system_record(snap->system, snap->at.wall),
                          prev ? &prev->system : nullptr);
    t->alerts = make_item(core::process_key{}, json::object{{"active", alerts.active}},
                          prev ? &prev->alerts : nullptr);
    for (const auto& e : alerts.events)
        t->alert_events.push_back(protocol::to_json(e));
    for (auto c : alerts.rule_changes) {
        std::string type(c["type"].as_string());
        c.erase("type");
        std::string members = protocol::to_json(c); // {"rule":…}: the braces are dropped below
        t->rule_changes.emplace_back(std::move(type), members.substr(1, members.size() - 2));
    }
    return t;
}

bool append_patch(std::string& out, record_ptr& last, const item& cur) {
    if (last == cur.record) return false;
    if (!last) {
        out += protocol::to_json(*cur.record);
        last = cur.record;
        return true;
    }
    if (last == cur.prev && cur.frag) {
        last = cur.record;
        if (cur.frag->empty()) return false;
        out += *cur.frag;
        return true;
    }
    auto d = core::merge_diff(*last, *cur.record);
    last = cur.record;
    if (!d) return false;
    out += protocol::to_json(*d);
    return true;
}

} // namespace procpulse::protocol
