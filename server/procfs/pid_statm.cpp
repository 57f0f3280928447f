#include "procfs/pid_statm.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<pid_statm> parse_pid_statm(std::string_view text) {
    pid_statm m;
    field_cursor c(text);
    if (!(c.next_number(m.size) && c.next_number(m.resident) && c.next_number(m.shared) &&
          c.next_number(m.text) && c.next_number(m.lib) && c.next_number(m.data)))
        return std::nullopt;
    c.next_number(m.dt);
    return m;
}

} // namespace procpulse::procfs
