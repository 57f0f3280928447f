#include "procfs/pid_stat.hpp"

#include "procfs/parse.hpp"

#include <cstring>

namespace procpulse::procfs {

std::optional<pid_stat> parse_pid_stat(std::string_view text) {
    pid_stat s;
    std::size_t open = text.find('(');
    if (open == std::string_view::npos) return std::nullopt;
    // Names may hold ')' and spaces: cut at the last one. memrchr is text.rfind(')') without a
    // byte-at-a-time scan back over ~40 numeric fields.
    const void* last = ::memrchr(text.data(), ')', text.size());
    if (!last) return std::nullopt;
    auto close = static_cast<std::size_t>(static_cast<const char*>(last) - text.data());
    if (close < open) return std::nullopt;
    if (!field_cursor::to_number(field_cursor(text.substr(0, open)).next(), s.pid))
        return std::nullopt;
    s.comm.assign(text.substr(open + 1, close - open - 1));

    field_cursor c(text.substr(close + 1));
    std::string_view st = c.next(); // (3) state
    if (st.size() != 1) return std::nullopt;
    s.state = st[0];
    bool ok = c.next_number(s.ppid)           // (4) ppid
              && c.skip(4)                    // (5) pgrp (6) session (7) tty_nr (8) tpgid
              && c.next_number(s.flags)       // (9) flags
              && c.next_number(s.minflt)      // (10) minflt
              && c.skip(1)                    // (11) cminflt
              && c.next_number(s.majflt)      // (12) majflt
              && c.skip(1)                    // (13) cmajflt
              && c.next_number(s.utime)       // (14) utime
              && c.next_number(s.stime)       // (15) stime
              && c.skip(2)                    // (16) cutime (17) cstime
              && c.next_number(s.priority)    // (18) priority
              && c.next_number(s.nice)        // (19) nice
              && c.next_number(s.num_threads) // (20) num_threads
              && c.skip(1)                    // (21) itrealvalue
              && c.next_number(s.starttime)   // (22) starttime
              && c.next_number(s.vsize)       // (23) vsize
              && c.next_number(s.rss);        // (24) rss
    if (!ok) return std::nullopt;
    // (25) rsslim ... (38) exit_signal, then (39) processor; absent on very old kernels.
    if (c.skip(14)) {
        int cpu = -1;
        if (c.next_number(cpu)) s.processor = cpu;
    }
    return s;
}

} // namespace procpulse::procfs
