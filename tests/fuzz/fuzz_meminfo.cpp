// libFuzzer target: procfs::parse_meminfo over any text of /proc/meminfo.
#include "support.hpp"

#include "procfs/meminfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_meminfo(procpulse::fuzz::text(data, size));
    return 0;
}
