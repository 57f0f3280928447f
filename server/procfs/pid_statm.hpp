#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/PID/statm, all in pages. */
struct pid_statm {
    std::uint64_t size = 0;     // (1) total program size (VMS)
    std::uint64_t resident = 0; // (2) RSS
    std::uint64_t shared = 0;   // (3) resident shared (file-backed + shmem)
    std::uint64_t text = 0;     // (4) code
    std::uint64_t lib = 0;      // (5) unused since 2.6, always 0
    std::uint64_t data = 0;     // (6) data + stack
    std::uint64_t dt = 0;       // (7) unused, always 0
};

std::optional<pid_statm> parse_pid_statm(std::string_view text);

} // namespace procpulse::procfs
