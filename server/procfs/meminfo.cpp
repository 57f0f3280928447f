#include "procfs/meminfo.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<meminfo> parse_meminfo(std::string_view text) {
    meminfo m;
    bool total = false;
    for_each_key_line(text, [&](std::string_view key, std::string_view value) {
        auto kb = leading_u64(value);
        if (!kb) return;
        std::uint64_t b = *kb * 1024;
        if (key == "MemTotal")
            m.mem_total = b, total = true;
        else if (key == "MemFree")
            m.mem_free = b;
        else if (key == "MemAvailable")
            m.mem_available = b;
        else if (key == "Buffers")
            m.buffers = b;
        else if (key == "Cached")
            m.cached = b;
        else if (key == "Shmem")
            m.shmem = b;
        else if (key == "SReclaimable")
            m.sreclaimable = b;
        else if (key == "Active(file)")
            m.active_file = b;
        else if (key == "Inactive(file)")
            m.inactive_file = b;
        else if (key == "SwapTotal")
            m.swap_total = b;
        else if (key == "SwapFree")
            m.swap_free = b;
    });
    if (!total) return std::nullopt;
    return m;
}

} // namespace procpulse::procfs
