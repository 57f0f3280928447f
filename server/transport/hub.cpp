#include "transport/hub.hpp"

#include "transport/ws_session.hpp"

#include <vector>

namespace procpulse::transport {

hub::hub(protocol::server_info info, std::size_t history_points, long page_size, hub_hooks hooks)
    : info_(std::move(info)), hooks_(std::move(hooks)), history_(history_points, page_size) {}

boost::json::array hub::recent_alerts() {
    return hooks_.recent_alerts ? hooks_.recent_alerts() : boost::json::array();
}

void hub::publish(const core::snapshot_ptr& snap) {
    {
        std::lock_guard lock(history_mutex_);
        history_.append(*snap);
    }
    protocol::tick_interest want;
    {
        std::lock_guard lock(interest_mutex_);
        for (const auto& [pid, n] : interest_) {
            if (n <= 0) continue;
            if (pid == 0)
                want.rows = true;
            else
                want.pids.insert(pid);
        }
    }
    protocol::tick_ptr prev = latest_tick();
    protocol::tick_alerts alerts;
    if (hooks_.alerts) alerts = hooks_.alerts(*snap);
    protocol::tick_ptr t = protocol::build_tick(snap, prev.get(), want, alerts);
    {
        std::lock_guard lock(tick_mutex_);
        latest_ = t;
    }
    // Copy the sessions under the lock, deliver after releasing it: one posted handler per
    // network thread walks that thread's sessions.
    std::vector<std::vector<std::weak_ptr<ws_session>>> lanes;
    {
        std::lock_guard lock(sessions_mutex_);
        lanes.reserve(sessions_.size());
        for (const auto& [lane, members] : sessions_) {
            auto& batch = lanes.emplace_back();
            batch.reserve(members.size());
            for (const auto& [order, weak] : members) // oldest first
                batch.push_back(weak);
        }
    }
    for (auto& batch : lanes)
        ws_session::deliver_batch(std::move(batch), t);
    if (hooks_.published) hooks_.published(snap);
}

void hub::join(const std::shared_ptr<ws_session>& s) {
    std::lock_guard lock(sessions_mutex_);
    const std::uint64_t order = ++joined_;
    sessions_[s->lane()].emplace(order, s);
    join_order_.emplace(s.get(), order);
}

void hub::leave(ws_session* s) {
    std::lock_guard lock(sessions_mutex_);
    auto order = join_order_.find(s);
    if (order == join_order_.end()) return;
    if (auto it = sessions_.find(s->lane()); it != sessions_.end()) {
        it->second.erase(order->second);
        if (it->second.empty()) sessions_.erase(it);
    }
    join_order_.erase(order);
}

void hub::close_all() {
    std::vector<std::weak_ptr<ws_session>> targets;
    {
        std::lock_guard lock(sessions_mutex_);
        for (const auto& [lane, members] : sessions_)
            for (const auto& [order, weak] : members)
                targets.push_back(weak);
    }
    for (const auto& w : targets)
        if (auto s = w.lock()) s->shutdown();
}

std::size_t hub::session_count() const {
    std::lock_guard lock(sessions_mutex_);
    std::size_t n = 0;
    for (const auto& [lane, members] : sessions_)
        n += members.size();
    return n;
}

protocol::tick_ptr hub::latest_tick() {
    std::lock_guard lock(tick_mutex_);
    return latest_;
}

core::snapshot_ptr hub::latest_snapshot() {
    auto t = latest_tick();
    return t ? t->snap : nullptr;
}

std::optional<core::series> hub::process_history(const core::process_key& key) {
    std::lock_guard lock(history_mutex_);
    return history_.process(key, 0, 1e18);
}

core::series hub::system_history() {
    std::lock_guard lock(history_mutex_);
    return history_.system(0, 1e18);
}

core::series hub::system_range(double from, double to) {
    std::lock_guard lock(history_mutex_);
    return history_.system(from, to);
}

std::optional<core::process_key> hub::latest_key(int pid) {
    std::lock_guard lock(history_mutex_);
    return history_.latest_key(pid);
}

std::optional<core::history::description> hub::describe(const core::process_key& key) {
    std::lock_guard lock(history_mutex_);
    return history_.describe(key);
}

std::optional<core::series> hub::process_range(const core::process_key& key, double from,
                                               double to) {
    std::lock_guard lock(history_mutex_);
    return history_.process(key, from, to);
}

std::optional<core::series> hub::query_history(int pid, std::optional<std::uint64_t> start,
                                               double from, double to) {
    if (hooks_.query) return hooks_.query(pid, start, from, to);
    std::lock_guard lock(history_mutex_);
    std::optional<core::process_key> key;
    if (start)
        key = core::process_key{pid, *start};
    else
        key = history_.latest_key(pid);
    if (!key) return std::nullopt;
    return history_.process(*key, from, to);
}

protocol::live_read hub::read_now(int pid, bool full) {
    return hooks_.read_now ? hooks_.read_now(pid, full) : protocol::live_read{};
}

std::vector<int> hub::interest_pids() {
    std::lock_guard lock(interest_mutex_);
    std::vector<int> out;
    for (const auto& [pid, n] : interest_)
        if (pid != 0 && n > 0) out.push_back(pid);
    return out;
}

void hub::interest(int pid, int delta) {
    std::lock_guard lock(interest_mutex_);
    int& n = interest_[pid];
    n += delta;
    if (n <= 0) interest_.erase(pid);
}

std::size_t hub::history_bytes() {
    std::lock_guard lock(history_mutex_);
    return history_.memory_bytes();
}

std::size_t hub::history_processes() {
    std::lock_guard lock(history_mutex_);
    return history_.process_count();
}

} // namespace procpulse::transport
