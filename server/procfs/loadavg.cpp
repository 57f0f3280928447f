#include "procfs/loadavg.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<loadavg> parse_loadavg(std::string_view text) {
    loadavg l;
    field_cursor c(text);
    if (!(c.next_number(l.load1) && c.next_number(l.load5) && c.next_number(l.load15)))
        return std::nullopt;
    std::string_view re = c.next(); // "runnable/total"
    std::size_t slash = re.find('/');
    if (slash == std::string_view::npos ||
        !field_cursor::to_number(re.substr(0, slash), l.runnable) ||
        !field_cursor::to_number(re.substr(slash + 1), l.entities))
        return std::nullopt;
    c.next_number(l.last_pid);
    return l;
}

} // namespace procpulse::procfs
