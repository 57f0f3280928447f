#include "procfs/pid_io.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::optional<pid_io> parse_pid_io(std::string_view text) {
    pid_io io;
    int found = 0;
    for_each_key_line(text, [&](std::string_view key, std::string_view value) {
        auto v = leading_u64(value);
        if (!v) return;
        if (key == "rchar")
            io.rchar = *v;
        else if (key == "wchar")
            io.wchar = *v;
        else if (key == "syscr")
            io.syscr = *v;
        else if (key == "syscw")
            io.syscw = *v;
        else if (key == "read_bytes")
            io.read_bytes = *v, ++found;
        else if (key == "write_bytes")
            io.write_bytes = *v, ++found;
        else if (key == "cancelled_write_bytes")
            io.cancelled_write_bytes = *v;
    });
    if (found != 2) return std::nullopt;
    return io;
}

} // namespace procpulse::procfs
