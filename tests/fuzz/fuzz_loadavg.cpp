// libFuzzer target: procfs::parse_loadavg over any text of /proc/loadavg.
#include "support.hpp"

#include "procfs/loadavg.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_loadavg(procpulse::fuzz::text(data, size));
    return 0;
}
