// libFuzzer target: procfs::parse_pid_stat over any text of /proc/PID/stat. The name is cut at the
// last ')', so a parsed comm is always a piece of the input.
#include "support.hpp"

#include "procfs/pid_stat.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in = procpulse::fuzz::text(data, size);
    auto s = procpulse::procfs::parse_pid_stat(in);
    if (s && in.find(s->comm) == std::string_view::npos) std::abort();
    return 0;
}
