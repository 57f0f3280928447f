#include "core/process_sample.hpp"

namespace procpulse::core {

std::vector<const char*> unavailable_names(std::uint8_t bits) {
    std::vector<const char*> out;
    if (bits & unavailable_io) out.push_back("io");
    if (bits & unavailable_status) out.push_back("status");
    if (bits & unavailable_cmdline) out.push_back("cmdline");
    if (bits & unavailable_statm) out.push_back("statm");
    return out;
}

const char* status_word(char state) {
    // psutil/_pslinux.py PROC_STATUSES
    switch (state) {
    case 'R':
        return "running";
    case 'S':
        return "sleeping";
    case 'D':
        return "disk-sleep";
    case 'T':
        return "stopped";
    case 't':
        return "tracing-stop";
    case 'Z':
        return "zombie";
    case 'X':
    case 'x':
        return "dead";
    case 'K':
        return "wake-kill";
    case 'W':
        return "waking";
    case 'I':
        return "idle";
    case 'P':
        return "parked";
    default:
        return "unknown";
    }
}

} // namespace procpulse::core
