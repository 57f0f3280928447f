#pragma once
/**
 * The protocol state of one WebSocket connection, free of I/O: what it subscribed to, what it was
 * last sent, and the messages that answer a client frame or a tick. The transport owns one per
 * connection and calls it from that connection's network thread only.
 */
#include "core/history.hpp"
#include "protocol/messages.hpp"
#include "protocol/tick.hpp"

#include <boost/container/flat_map.hpp>
#include <boost/json/array.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace procpulse::protocol {

/** What /proc says of a pid the latest tick does not hold (session_env::read_now). */
struct live_read {
    enum class status : std::uint8_t {
        absent, ///< /proc has no such process: "not found"
        exists, ///< /proc has it but it was not read now (over the per-message read budget)
        read,   ///< read now: `sample` holds it (rates null: a first sample)
    };
    status what = status::absent;
    std::optional<core::process_sample> sample;
    double time = 0; ///< wall clock of the read (or of the existence check)
};

/**
 * Full on-demand reads one `subscribe` message may make (processes started since the last sweep);
 * further new processes are subscribed to as pending and arrive with the next delta.
 */
inline constexpr std::size_t on_demand_reads_per_message = 32;

/** What a session needs from the rest of the server. Implementations must be thread-safe. */
class session_env {
public:
    virtual ~session_env() = default;
    /** The newest tick, or null before the first sample. */
    virtual tick_ptr latest_tick() = 0;
    /** Recent history of a process (the in-memory window). */
    virtual std::optional<core::series> process_history(const core::process_key& key) = 0;
    virtual core::series system_history() = 0;
    /** History query (the `history` message); nullopt when the process is unknown. */
    virtual std::optional<core::series> query_history(int pid, std::optional<std::uint64_t> start,
                                                      double from, double to) = 0;
    /** Registers (+1) or releases (-1) interest in a pid's record, or in table rows (pid 0). */
    virtual void interest(int pid, int delta) = 0;
    /** Recent alert events, newest first. */
    virtual boost::json::array recent_alerts() { return {}; }
    /** Why history writes fail now, if they do (announced in `hello`). */
    virtual std::optional<std::string> store_error() { return std::nullopt; }
    /**
     * A process the latest tick does not hold, as /proc has it now: read in full when `full`,
     * else only checked for existence. The default knows no /proc (everything is absent).
     */
    virtual live_read read_now(int pid, bool full) {
        (void)pid, (void)full;
        return {};
    }
};

class session_state {
public:
    session_state(session_env& env, const server_info& info, const config::limits& lim);
    ~session_state();
    session_state(const session_state&) = delete;
    session_state& operator=(const session_state&) = delete;

    using out = std::vector<std::string>;

    /** The `hello` message (first on every connection). */
    std::string hello(double now);

    /** Messages answering one client text frame; `now` is the wall clock in seconds. */
    out on_message(std::string_view text, double now);

    /** A refusal for a message the rate limiter dropped. */
    std::string rate_limited();

    /** Messages for a tick: `gone` for processes that ended, `alert`s, then at most one `delta`. */
    out on_tick(const tick& t);

    /**
     * The `alert` messages of a tick (empty unless subscribed to alerts). The transport calls it
     * for a tick it skips (a lagging client), so that events are never lost; on_tick calls it too.
     */
    out alert_messages(const tick& t);

    std::size_t subscription_count() const { return subs_.size(); }
    std::uint64_t seq() const { return seq_; }

private:
    struct sub {
        core::process_key key;
        record_ptr last;
        /// Wall clock of an on-demand read (or existence check) of a process no tick held yet; a
        /// tick from a sweep that started before it cannot know the process. 0 once a tick has.
        double young_since = 0;
        bool pending = false; ///< exists, not read yet: its record comes with the next tick
    };
    /** Whether a tick without this subscription's process is too old to say it has gone. */
    static bool too_young_for(const sub& s, const tick& t) {
        return s.young_since > 0 && t.time <= s.young_since;
    }
    struct table_state {
        table_params params;
        std::map<int, record_ptr> rows; // last sent rows
        std::size_t total = 0;
        /// Number of the tick whose selection `rows` holds exactly (its shared row records), so
        /// the next tick's table patch is the same for every session in step; 0 = not in step.
        std::uint64_t in_step_with = 0;
        std::string step_key; ///< the params as part of the lockstep key; empty = rebuild
    };

    std::string finish(boost::json::object o);
    boost::json::object msg(std::string_view type);
    std::string err(error_code code, std::string_view text,
                    const std::optional<boost::json::value>& ref);

    out subscribe_pids(const client_message& m, double now);
    out unsubscribe_pids(const client_message& m);
    out subscribe_topic(const client_message& m, double now);
    out unsubscribe_topic(const client_message& m);
    out resync(const client_message& m, double now);
    out history(const client_message& m);

    /**
     * The delta of a session in lockstep with the tick (every subscribed record and the table's
     * rows were last sent at the previous tick, nothing removed): such sessions with the same
     * subscriptions share one encoded body, so a tick to a thousand dashboards costs one encoding
     * per distinct subscription, not one per client. False when the session is not in lockstep
     * (on_tick then encodes its own); true with `res` filled otherwise.
     */
    bool lockstep_tick(const tick& t, out& res);
    /** The table's patch from its last sent rows to this tick's selection; updates table_. */
    std::string table_patch(const tick& t);
    /** Moves table_ to this tick's selection without encoding (its patch is shared). */
    void advance_table(const tick& t);
    /** A pending subscription's process appeared in a tick: it takes that identity. */
    static void adopt(sub& s, const item& cur);
    /** Current record of a pid from a tick (shared item, or encoded on the spot). */
    std::optional<item> current(const tick& t, int pid, bool row) const;
    /** Table state document (full rows) from a tick; updates table_->rows. */
    boost::json::object table_doc(const tick& t, bool null_stale);

    session_env& env_;
    const server_info& info_;
    const config::limits& lim_;
    std::uint64_t seq_ = 0;
    boost::container::flat_map<int, sub> subs_; // contiguous: walked for every session each tick
    std::string step_key_;                      // lockstep key of subs_; empty = rebuild
    std::vector<const item*> step_items_;       // scratch of lockstep_tick
    std::vector<int> pending_removals_;
    bool system_ = false;
    bool system_removed_ = false;
    record_ptr system_last_;
    bool alerts_ = false;
    bool alerts_removed_ = false;
    record_ptr alerts_last_;
    std::optional<table_state> table_;
    bool table_removed_ = false;
    std::map<int, record_ptr> removed_rows_; // rows the client holds until "table": null is sent
};

} // namespace procpulse::protocol
