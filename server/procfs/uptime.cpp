#include "procfs/uptime.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<uptime> parse_uptime(std::string_view text) {
    uptime u;
    field_cursor c(text);
    if (!c.next_number(u.up)) return std::nullopt;
    c.next_number(u.idle);
    return u;
}

} // namespace procpulse::procfs
