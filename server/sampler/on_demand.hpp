#pragma once
/**
 * On-demand reads of processes the latest sweep does not hold: a process started a few
 * milliseconds before a request is found at once (as psutil would find it), with the sweep's own
 * readers and identity. Used by network threads (REST and WebSocket requests); thread-safe.
 */
#include "core/collector.hpp"
#include "core/snapshot.hpp"
#include "procfs/root.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace procpulse::sampler {

class on_demand {
public:
    /** `opts` as the sweeping collector's (keep_open is ignored: nothing stays open). */
    on_demand(const std::string& proc_root, core::collector_options opts, core::user_lookup users);

    /**
     * The process with this pid as /proc has it now, unless `latest` holds it (then use that).
     * Reads of one pid are cached until the next snapshot, so many clients asking for the same
     * new process cost one read per sweep. nullopt: no such process.
     */
    std::optional<core::process_sample> read(int pid, const core::snapshot& latest);

    /** Whether /proc has a directory for this pid (one fstatat, no read). */
    bool exists(int pid);

    /** Processes that /proc lists and `latest` does not (started since its sweep), read now. */
    std::vector<core::process_sample> read_new(const core::snapshot& latest, std::size_t cap);

    /** Full reads made so far (cache hits excluded). */
    std::uint64_t reads() const { return reads_.load(); }

private:
    std::optional<core::process_sample> read_locked(int pid, const core::snapshot& latest);

    std::mutex mutex_;
    core::collector coll_;
    procfs::root root_;
    std::uint64_t cache_seq_ = 0; // snapshot seq the cache belongs to
    std::unordered_map<int, core::process_sample> cache_;
    std::atomic<std::uint64_t> reads_{0};
};

} // namespace procpulse::sampler
