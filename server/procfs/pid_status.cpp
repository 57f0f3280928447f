#include "procfs/pid_status.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<pid_status> parse_pid_status(std::string_view text) {
    pid_status s;
    int ctxt = 0;
    // Keys wanted: Uid, voluntary_ctxt_switches, nonvoluntary_ctxt_switches.
    for_each_key_line(text, "Uvn", [&](std::string_view key, std::string_view value) {
        if (key == "Uid") {
            field_cursor c(value);
            s.has_uid = c.next_number(s.uid_real) && c.next_number(s.uid_effective);
        } else if (key == "voluntary_ctxt_switches") {
            if (auto v = leading_u64(value)) s.voluntary_ctxt_switches = *v, ++ctxt;
        } else if (key == "nonvoluntary_ctxt_switches") {
            if (auto v = leading_u64(value)) s.nonvoluntary_ctxt_switches = *v, ++ctxt;
        }
    });
    if (!s.has_uid) return std::nullopt;
    s.has_ctxt = ctxt == 2;
    return s;
}

} // namespace procpulse::procfs
