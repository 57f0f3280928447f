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
/**
 * Logs the problems a sweep found (each once per process and file, as the collector reports) and
 * the start of an episode of file descriptor exhaustion.
 */
void log_problems(const core::collector::result& r);

class sampler {
public:
    using observer = std::function<void(const core::snapshot_ptr&)>;

    /** The first sweep runs `first_delay` after start(). */
    sampler(core::collector& c, std::chrono::milliseconds interval,
            std::chrono::milliseconds first_delay = std::chrono::milliseconds(0));
    ~sampler();
    sampler(const sampler&) = delete;
    sampler& operator=(const sampler&) = delete;

    /** Adds an observer; call before start(). */
    void on_snapshot(observer o);

    /** Pids whose files are read fully every sweep; called on the sampler thread before each. */
    void focus_provider(std::function<std::vector<int>()> f);

    /** Called after each sweep with its duration in seconds (sampler thread). */
    void on_sweep_time(std::function<void(double)> f);

    /** Starts the thread. */
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
    std::chrono::milliseconds first_delay_;
};

} // namespace procpulse::sampler
