#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/vmstat counters procpulse turns into rates. */
struct vmstat {
    std::uint64_t pgfault = 0;    // all page faults (minor + major)
    std::uint64_t pgmajfault = 0; // major page faults
    std::uint64_t pswpin = 0;     // pages swapped in
    std::uint64_t pswpout = 0;    // pages swapped out
};

/** Parses /proc/vmstat; nullopt without pgfault and pgmajfault. */
std::optional<vmstat> parse_vmstat(std::string_view text);

} // namespace procpulse::procfs
