// libFuzzer target: procfs::parse_diskstats over any text of /proc/diskstats.
#include "support.hpp"

#include "procfs/diskstats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_diskstats(procpulse::fuzz::text(data, size));
    return 0;
}
