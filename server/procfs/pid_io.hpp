#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/PID/io (readable only by the owner or with CAP_SYS_PTRACE). */
struct pid_io {
    std::uint64_t rchar = 0; // bytes passed to read(2) and friends
    std::uint64_t wchar = 0;
    std::uint64_t syscr = 0; // read syscalls
    std::uint64_t syscw = 0;
    std::uint64_t read_bytes = 0;  // bytes fetched from the storage layer
    std::uint64_t write_bytes = 0; // bytes sent to the storage layer
    std::uint64_t cancelled_write_bytes = 0;
};

/** Parses /proc/PID/io; nullopt unless read_bytes and write_bytes are present. */
std::optional<pid_io> parse_pid_io(std::string_view text);

} // namespace procpulse::procfs
