#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** /proc/loadavg. */
struct loadavg {
    double load1 = 0, load5 = 0, load15 = 0;
    std::uint64_t runnable = 0; // scheduling entities runnable now
    std::uint64_t entities = 0; // scheduling entities (threads) in total
    std::uint64_t last_pid = 0;
};

std::optional<loadavg> parse_loadavg(std::string_view text);

} // namespace procpulse::procfs
