#pragma once
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/uptime, seconds. */
struct uptime {
    double up = 0;
    double idle = 0; // summed over all CPUs
};

std::optional<uptime> parse_uptime(std::string_view text);

} // namespace procpulse::procfs
