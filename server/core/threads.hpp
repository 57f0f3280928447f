#pragma once
/**
 * Per-thread CPU of one process on demand (GET /api/processes/<pid>/threads): each reading is
 * compared with the previous reading of the same process, so a viewer that polls sees CPU % over
 * its own polling gap. Pure: readings and times come in as values.
 */
#include "core/snapshot.hpp"
#include "procfs/pid_stat.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace procpulse::core {

/** One thread of a process as the API shows it. */
struct thread_sample {
    int tid = 0;
    std::string name;                    ///< the thread's comm (pthread_setname_np)
    const char* status = "unknown";      ///< status_word of its state
    std::optional<double> cpu_percent;   ///< since the previous reading (100 = one core)
    double cpu_user = 0, cpu_system = 0; ///< seconds since the thread started
};

/** The threads of one process at one reading. */
struct thread_report {
    process_key key;                    ///< pid and the main thread's start time
    std::vector<thread_sample> threads; ///< sorted by tid, at most the limit given
    std::size_t count = 0;              ///< every thread read
    std::optional<double> gap_seconds;  ///< since the previous reading (CPU % is over it)
};

/**
 * Keeps the previous thread reading of the last `max_processes` processes asked about (least
 * recently asked forgotten first). A reused PID (another start time) starts afresh. Not
 * thread-safe: the owner serialises calls.
 */
class thread_rates {
public:
    explicit thread_rates(long clk_tck, std::size_t max_processes = 64)
        : clk_tck_(clk_tck), max_(max_processes) {}

    /**
     * Turns a reading of /proc/PID/task/ * /stat taken at `steady_ns` into a report (at most
     * `limit` threads listed). `tasks` must be non-empty.
     */
    thread_report update(int pid, const std::vector<procfs::pid_stat>& tasks,
                         std::int64_t steady_ns, std::size_t limit);

    std::size_t tracked() const { return prev_.size(); }

private:
    struct reading {
        std::uint64_t start = 0;
        std::int64_t steady_ns = 0;
        std::unordered_map<int, std::uint64_t> ticks; // tid -> utime + stime
        std::list<int>::iterator lru;
    };
    long clk_tck_;
    std::size_t max_;
    std::unordered_map<int, reading> prev_;
    std::list<int> lru_; // most recently asked first
};

} // namespace procpulse::core
