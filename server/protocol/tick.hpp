#pragma once
/**
 * One sample tick as the network side sees it: each record of interest encoded once, with its
 * merge-patch fragment against the previous tick, shared read-only by every session.
 */
#include "core/snapshot.hpp"
#include "protocol/messages.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace procpulse::protocol {

using record_ptr = std::shared_ptr<const boost::json::object>;

/** One encoded record and its patch from the previous tick's record of the same process. */
struct item {
    core::process_key key;
    record_ptr record;
    record_ptr prev;                         ///< the record it was diffed against (may be null)
    std::shared_ptr<const std::string> frag; ///< serialized patch prev -> record; "" = unchanged
};

/** Immutable after build_tick, except for the selection cache (internally locked). */
struct tick {
    std::uint64_t number = 0;
    double time = 0;
    core::snapshot_ptr snap;
    std::unordered_map<int, item> procs; ///< process records of subscribed pids
    std::unordered_map<int, item> rows;  ///< table rows of every process (when a table is open)
    item system;
    item alerts;                           ///< {"active": {instance id: event}}
    std::vector<std::string> alert_events; ///< serialized events of this tick
    /** Rule changes of this tick: the message type and its other members, serialized. */
    std::vector<std::pair<std::string, std::string>> rule_changes;

    /** The table selection for these parameters, computed once per tick and shared. */
    std::shared_ptr<const table_selection> selection(const table_params& p) const;

    /**
     * The part of a `delta` after its `seq` for sessions in lockstep (see
     * session_state::on_tick), by subscription key: the first session with a key encodes it and
     * keeps it here (keep_tail), the others with the same key find it (find_tail). At most
     * `max_shared_tails` keys are kept; sessions with further keys encode their own.
     */
    std::shared_ptr<const std::string> find_tail(const std::string& key) const;
    /** Keeps `text` for `key` unless the cache is full; returns what is kept for the key. */
    std::shared_ptr<const std::string> keep_tail(const std::string& key, std::string text) const;
    /** Number of distinct tails kept for this tick. */
    std::size_t shared_tail_count() const;
    static constexpr std::size_t max_shared_tails = 64;

private:
    mutable std::mutex cache_mutex_;
    mutable std::vector<std::pair<table_params, std::shared_ptr<const table_selection>>> cache_;
    mutable std::mutex tail_mutex_;
    mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> tails_;
};

using tick_ptr = std::shared_ptr<const tick>;

/** What the hub wants encoded in a tick. */
struct tick_interest {
    std::unordered_set<int> pids;
    bool rows = false;
};

/** Alert state that travels with a tick. */
struct tick_alerts {
    boost::json::object active;              ///< {instance id: event}
    std::vector<boost::json::object> events; ///< state changes in this tick
    /** Rule changes since the last tick: {"type":"rule_added"|"rule_deleted", …} */
    std::vector<boost::json::object> rule_changes;
};

/** Encodes a snapshot into a tick, diffing against the previous tick (null for the first). */
tick_ptr build_tick(const core::snapshot_ptr& snap, const tick* prev, const tick_interest& interest,
                    const tick_alerts& alerts = {});

/**
 * Appends to `out` the patch that takes a client from `last` to `cur` (nothing when equal) and
 * makes `last` = `cur`. Uses the tick's shared fragment when the client was exactly one tick
 * behind; otherwise diffs on the spot. Returns true when something was appended.
 */
bool append_patch(std::string& out, record_ptr& last, const item& cur);

} // namespace procpulse::protocol
