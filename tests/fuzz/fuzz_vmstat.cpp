// libFuzzer target: procfs::parse_vmstat over any text of /proc/vmstat.
#include "support.hpp"

#include "procfs/vmstat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_vmstat(procpulse::fuzz::text(data, size));
    return 0;
}
