#pragma once
#include "core/collector.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace procpulse::sampler {

/**
 * Drives the collector from a drift-free steady_timer on a thread of its own, so a slow /proc
 * never delays network I/O. Each sweep publishes an immutable snapshot to the observers, which are
 * called on the sampler thread and must return quickly (post work elsewhere).
 */
class sampler {
public:
    using observer = std::function<void(const core::snapshot_ptr&)>;

    sampler(core::collector& c, std::chrono::milliseconds interval);
    ~sampler();
    sampler(const sampler&) = delete;
    sampler& operator=(const sampler&) = delete;

    /** Adds an observer; call before start(). */
    void on_snapshot(observer o);

    /** Starts the thread; the first sweep runs at once. */
    void start();

    /** Stops the timer and joins the thread. Idempotent. */
    void stop();

    /** The newest snapshot (null before the first sweep); any thread. */
    core::snapshot_ptr latest() const;

    std::chrono::milliseconds interval() const { return interval_; }

    /** Current wall and steady time, the inputs of a sweep. */
    static core::sample_time now();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    std::chrono::milliseconds interval_;
};

} // namespace procpulse::sampler
