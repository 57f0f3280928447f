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
#include <set>
#include <thread>

namespace procpulse::store {

class writer {
public:
    /** `watched` is called on the writer thread to learn which pids to persist. */
    writer(store& s, std::vector<core::tier> tiers, std::chrono::milliseconds flush_interval,
           std::function<std::vector<int>()> watched);
    ~writer();

    /** Queues a snapshot (any thread; cheap). */
    void submit(core::snapshot_ptr snap);

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
    double last_time_ = 0;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<core::snapshot_ptr> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace procpulse::store
