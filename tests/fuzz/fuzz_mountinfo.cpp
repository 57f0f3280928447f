// libFuzzer target: procfs::parse_mountinfo and storage_mounts over any text of
// /proc/self/mountinfo.
#include "support.hpp"

#include "procfs/mountinfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::storage_mounts(
        procpulse::procfs::parse_mountinfo(procpulse::fuzz::text(data, size)), 64);
    return 0;
}
