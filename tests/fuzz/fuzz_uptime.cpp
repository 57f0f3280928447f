// libFuzzer target: procfs::parse_uptime over any text of /proc/uptime.
#include "support.hpp"

#include "procfs/uptime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_uptime(procpulse::fuzz::text(data, size));
    return 0;
}
