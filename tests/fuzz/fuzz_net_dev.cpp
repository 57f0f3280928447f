// libFuzzer target: procfs::parse_net_dev over any text of /proc/net/dev.
#include "support.hpp"

#include "procfs/net_dev.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_net_dev(procpulse::fuzz::text(data, size));
    return 0;
}
