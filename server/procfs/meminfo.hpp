#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/meminfo in bytes (the file says kB; 1 kB = 1024 bytes there). */
struct meminfo {
    std::uint64_t mem_total = 0;
    std::uint64_t mem_free = 0;
    std::optional<std::uint64_t> mem_available; // absent before Linux 3.14
    std::uint64_t buffers = 0;
    std::uint64_t cached = 0;
    std::uint64_t shmem = 0;
    std::uint64_t sreclaimable = 0;
    std::uint64_t active_file = 0;
    std::uint64_t inactive_file = 0;
    std::uint64_t swap_total = 0;
    std::uint64_t swap_free = 0;
};

/** Parses /proc/meminfo; nullopt without MemTotal. */
std::optional<meminfo> parse_meminfo(std::string_view text);

} // namespace procpulse::procfs
