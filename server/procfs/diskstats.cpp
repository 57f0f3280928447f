#include "procfs/diskstats.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::vector<disk_stat> parse_diskstats(std::string_view text) {
    std::vector<disk_stat> out;
    for_each_line(text, [&](std::string_view line) {
        field_cursor c(line);
        disk_stat d;
        if (!c.next_number(d.major) || !c.next_number(d.minor)) return;
        std::string_view name = c.next();
        if (name.empty()) return;
        std::uint64_t merged = 0, ms = 0, in_flight = 0;
        // (1) reads (2) merged (3) sectors (4) ms (5) writes (6) merged (7) sectors (8) ms
        // (9) in flight (10) io ms
        if (!(c.next_number(d.reads) && c.next_number(merged) && c.next_number(d.sectors_read) &&
              c.next_number(ms) && c.next_number(d.writes) && c.next_number(merged) &&
              c.next_number(d.sectors_written) && c.next_number(ms) && c.next_number(in_flight) &&
              c.next_number(d.io_ms)))
            return;
        d.name = name;
        out.push_back(std::move(d));
    });
    return out;
}

} // namespace procpulse::procfs
