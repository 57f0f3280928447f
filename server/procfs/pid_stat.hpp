#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace procpulse::procfs {

/** The fields of /proc/PID/stat that procpulse uses (proc(5) numbering in comments). */
struct pid_stat {
    int pid = 0;                  // (1)
    std::string comm;             // (2) without the parentheses; cut at the last ')'
    char state = '?';             // (3)
    int ppid = 0;                 // (4)
    std::uint64_t flags = 0;      // (9) PF_* flags; PF_KTHREAD marks kernel threads
    std::uint64_t minflt = 0;     // (10)
    std::uint64_t majflt = 0;     // (12)
    std::uint64_t utime = 0;      // (14) clock ticks
    std::uint64_t stime = 0;      // (15) clock ticks
    std::int64_t priority = 0;    // (18)
    std::int64_t nice = 0;        // (19)
    std::int64_t num_threads = 0; // (20)
    std::uint64_t starttime = 0;  // (22) clock ticks after boot
    std::uint64_t vsize = 0;      // (23) bytes
    std::int64_t rss = 0;         // (24) pages
    int processor = -1;           // (39)
};

/** PF_KTHREAD from include/linux/sched.h. */
inline constexpr std::uint64_t pf_kthread = 0x00200000;

/** Parses the text of /proc/PID/stat; nullopt when it is malformed. */
std::optional<pid_stat> parse_pid_stat(std::string_view text);

} // namespace procpulse::procfs
