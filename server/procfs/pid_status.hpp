#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** The lines of /proc/PID/status that stat and statm do not carry. */
struct pid_status {
    std::uint32_t uid_real = 0;      // Uid: (1) real
    std::uint32_t uid_effective = 0; // Uid: (2) effective
    std::uint64_t voluntary_ctxt_switches = 0;
    std::uint64_t nonvoluntary_ctxt_switches = 0;
    bool has_uid = false;
    bool has_ctxt = false;
};

/** Parses /proc/PID/status; nullopt when the Uid line is missing or malformed. */
std::optional<pid_status> parse_pid_status(std::string_view text);

} // namespace procpulse::procfs
