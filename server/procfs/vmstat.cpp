#include "procfs/vmstat.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<vmstat> parse_vmstat(std::string_view text) {
    vmstat v;
    int found = 0;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        field_cursor c(line);
        std::string_view key = c.next();
        std::uint64_t* dst = key == "pgfault"      ? &v.pgfault
                             : key == "pgmajfault" ? &v.pgmajfault
                             : key == "pswpin"     ? &v.pswpin
                             : key == "pswpout"    ? &v.pswpout
                                                   : nullptr;
        if (dst && c.next_number(*dst) && (dst == &v.pgfault || dst == &v.pgmajfault)) ++found;
    }
    if (found != 2) return std::nullopt;
    return v;
}

} // namespace procpulse::procfs
