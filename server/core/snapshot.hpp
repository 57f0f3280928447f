#pragma once
#include "core/process_sample.hpp"
#include "core/system_sample.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace procpulse::core {

/** When a sweep started: a monotonic clock for rates, the wall clock for timestamps. */
struct sample_time {
    std::int64_t steady_ns = 0; // any monotonic origin
    double wall = 0;            // seconds since the epoch
};

/**
 * The /proc files a collector keeps open between sweeps, bounded by collector_options::fd_budget.
 * Counts the per-process files only (the few system-wide files and the listing are not).
 */
struct proc_file_usage {
    std::size_t open = 0;           ///< descriptors per-process files hold after the sweep
    std::size_t budget = 0;         ///< the budget in force (below the configured one after EMFILE)
    std::size_t kept_processes = 0; ///< processes whose files stay open; the rest open/read/close
};

/**
 * Everything one sweep saw. Immutable once published: shared between threads as snapshot_ptr.
 * Processes are sorted by pid.
 */
struct snapshot {
    std::uint64_t seq = 0; // 1 for the first sweep of a collector
    sample_time at;
    std::optional<double> gap_seconds; // measured time since the previous sweep
    std::vector<process_sample> processes;
    system_sample system;
    proc_file_usage proc_files;

    /** The process with this pid, or nullptr. */
    const process_sample* find(int pid) const {
        auto it = std::lower_bound(processes.begin(), processes.end(), pid,
                                   [](const process_sample& p, int v) { return p.key.pid < v; });
        return it != processes.end() && it->key.pid == pid ? &*it : nullptr;
    }
};

using snapshot_ptr = std::shared_ptr<const snapshot>;

} // namespace procpulse::core
