#pragma once
/**
 * The hub: turns each snapshot into a tick (records encoded once, on the sampler thread), keeps
 * the in-memory history, and fans ticks out to the WebSocket sessions. Implements the session
 * environment; every member is thread-safe.
 */
#include "core/history.hpp"
#include "protocol/session.hpp"
#include "protocol/tick.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace procpulse::transport {

class ws_session;

/** Hooks the hub calls on the sampler thread for every snapshot (all optional). */
struct hub_hooks {
    /** Evaluates alerts: the tick's alert state. */
    std::function<protocol::tick_alerts(const core::snapshot&)> alerts;
    /** Recent alert events for new subscribers. */
    std::function<boost::json::array()> recent_alerts;
    /** Called after the tick is out (e.g. the store writer's submit). */
    std::function<void(const core::snapshot_ptr&)> published;
    /** History queries that reach past memory (the store); replaces the memory-only query. */
    std::function<std::optional<core::series>(int, std::optional<std::uint64_t>, double, double)>
        query;
    /** Why history writes fail now, if they do (session_env::store_error). */
    std::function<std::optional<std::string>()> store_error;
    /** On-demand reads of processes the latest tick lacks (session_env::read_now). */
    std::function<protocol::live_read(int pid, bool full)> read_now;
};

class hub : public protocol::session_env {
public:
    hub(protocol::server_info info, std::size_t history_points, long page_size,
        hub_hooks hooks = {});

    /** Called by the sampler thread for every snapshot. */
    void publish(const core::snapshot_ptr& snap);

    void join(const std::shared_ptr<ws_session>& s);
    void leave(ws_session* s);
    /** Asks every session to close with 1001 (going away). */
    void close_all();
    std::size_t session_count() const;

    const protocol::server_info& info() const { return info_; }

    // session_env
    protocol::tick_ptr latest_tick() override;
    std::optional<core::series> process_history(const core::process_key& key) override;
    core::series system_history() override;
    std::optional<core::series> query_history(int pid, std::optional<std::uint64_t> start,
                                              double from, double to) override;
    void interest(int pid, int delta) override;
    /** Pids some session subscribed to. */
    std::vector<int> interest_pids();
    boost::json::array recent_alerts() override;
    std::optional<std::string> store_error() override {
        return hooks_.store_error ? hooks_.store_error() : std::nullopt;
    }
    protocol::live_read read_now(int pid, bool full) override;

    core::series system_range(double from, double to);
    /** Memory-only history queries. */
    std::optional<core::process_key> latest_key(int pid);
    std::optional<core::history::description> describe(const core::process_key& key);
    std::optional<core::series> process_range(const core::process_key& key, double from, double to);
    std::size_t history_bytes();
    std::size_t history_processes();
    core::snapshot_ptr latest_snapshot();

private:
    protocol::server_info info_;
    hub_hooks hooks_;
    mutable std::mutex sessions_mutex_;
    /// Sessions by lane (network thread, ws_session::lane()): a tick is handed to each lane once.
    /// Within a lane, sessions are kept in the order they joined and handed each tick in that
    /// order: a client that has been watching for hours is not served after a crowd of clients
    /// that connected a moment ago (churn must not delay established clients' deltas).
    std::unordered_map<const void*, std::map<std::uint64_t, std::weak_ptr<ws_session>>> sessions_;
    std::unordered_map<ws_session*, std::uint64_t> join_order_; ///< for leave()
    std::uint64_t joined_ = 0;

    std::mutex interest_mutex_;
    std::unordered_map<int, int> interest_; // pid -> sessions; 0 = table rows

    std::mutex tick_mutex_;
    protocol::tick_ptr latest_;

    std::mutex history_mutex_;
    core::history history_;
};

} // namespace procpulse::transport
