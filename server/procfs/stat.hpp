#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** One "cpu" line of /proc/stat, in clock ticks. */
struct cpu_times {
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                  steal = 0, guest = 0, guest_nice = 0;

    /** All time, guest time counted once (it is already inside user and nice), as psutil does. */
    std::uint64_t total() const {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }
    /** Time not idle: psutil's busy time (total minus idle and iowait). */
    std::uint64_t busy() const { return total() - idle - iowait; }
};

/** /proc/stat (system-wide kernel counters). */
struct kernel_stat {
    cpu_times cpu;               // the aggregate "cpu" line
    std::vector<cpu_times> cpus; // cpu0, cpu1, … in order
    std::uint64_t ctxt = 0;      // context switches since boot
    std::uint64_t btime = 0;     // boot time, seconds since the epoch
    std::uint64_t processes = 0; // forks since boot
    std::uint64_t procs_running = 0;
    std::uint64_t procs_blocked = 0;
};

/** Parses /proc/stat; nullopt without the aggregate cpu line or btime. */
std::optional<kernel_stat> parse_stat(std::string_view text);

} // namespace procpulse::procfs
