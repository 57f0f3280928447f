#pragma once
/**
 * Feeds snapshots to the downsampler and writes the closed buckets to the store in one
 * transaction every flush interval, on a thread of its own (never on the sampler or network
 * threads). At stop() it flushes what is left.
 */
#include "core/downsample.hpp"
#include "core/snapshot.hpp"
#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace procpulse::store {

class writer {
public:
    /** `watched` is called on the writer thread to learn which pids to persist. */
    writer(store& s, std::vector<core::tier> tiers, std::chrono::milliseconds flush_interval,
           std::function<std::vector<int>()> watched);
    ~writer();

    /**
     * Called on the writer thread after the database file was deleted while running and a new
     * one was started at its path: whoever owns state kept there (watch list, rules) saves it
     * again. Any thread.
     */
    void on_recreated(std::function<void()> f);

    /** Queues a snapshot (any thread; cheap). */
    void submit(core::snapshot_ptr snap);

    /**
     * Queues an alert event to store (any thread; cheap): the sampler thread never touches SQLite.
     * Written at the next flush, before the history rows.
     */
    void submit_event(event_row e);

    /** Why writes fail now, if they do (any thread): `hello`'s store_error. */
    std::optional<std::string> failure() const;

    /** What the writer has done, for /metrics and hello (any thread). */
    struct health {
        bool failing = false;             ///< the last flush failed
        std::string last_error;           ///< of the current failure episode
        std::uint64_t dropped_rows = 0;   ///< history rows dropped while the disk refused them
        std::uint64_t dropped_events = 0; ///< alert events dropped likewise
        std::size_t pending_rows = 0;     ///< rows waiting for the next flush
    };
    health status() const;

    /** Rows kept waiting while writes fail; beyond, the oldest history rows are dropped. */
    static constexpr std::size_t max_pending_rows = 100000;
    static constexpr std::size_t max_pending_events = 10000;

    /** Flushes and joins the thread. Idempotent. */
    void stop();

    const std::vector<core::tier>& tiers() const { return tiers_; }

private:
    void run();
    void drain(std::deque<core::snapshot_ptr>& batch);
    void flush(bool final_flush);

    store& store_;
    std::vector<core::tier> tiers_;
    std::chrono::milliseconds flush_interval_;
    std::function<std::vector<int>()> watched_;
    core::downsampler down_;
    std::vector<core::history_row> pending_;
    std::vector<event_row> pending_events_;
    double last_time_ = 0;
    std::size_t failures_ = 0; // flushes failed in a row (writer thread)

    mutable std::mutex mutex_;
    std::function<void()> on_recreated_; // under mutex_
    std::condition_variable cv_;
    std::deque<core::snapshot_ptr> queue_;
    std::deque<event_row> events_;
    health health_; // guarded by mutex_
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace procpulse::store
