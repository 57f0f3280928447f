#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** One line of /proc/diskstats (Documentation/admin-guide/iostats.rst). */
struct disk_stat {
    std::uint32_t major = 0, minor = 0;
    std::string name;
    std::uint64_t reads = 0;           ///< (1) reads completed
    std::uint64_t sectors_read = 0;    ///< (3) 512-byte sectors read
    std::uint64_t writes = 0;          ///< (5) writes completed
    std::uint64_t sectors_written = 0; ///< (7) 512-byte sectors written
    std::uint64_t io_ms = 0;           ///< (10) milliseconds spent doing I/O (busy time)
};

/** Bytes in one diskstats sector: always 512, whatever the device's own sector size. */
inline constexpr std::uint64_t diskstats_sector_bytes = 512;

/**
 * Parses /proc/diskstats, in file order. Lines that do not carry at least the eleven classic
 * fields after the name are skipped (a clear rejection of that line, not of the file).
 */
std::vector<disk_stat> parse_diskstats(std::string_view text);

} // namespace procpulse::procfs
