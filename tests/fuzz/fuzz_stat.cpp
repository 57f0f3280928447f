// libFuzzer target: procfs::parse_stat over any text of /proc/stat, then the busy/total sums.
#include "support.hpp"

#include "procfs/stat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto s = procpulse::procfs::parse_stat(procpulse::fuzz::text(data, size));
    if (s) {
        volatile std::uint64_t sink = s->cpu.busy();
        for (const auto& c : s->cpus)
            sink = sink + c.total();
    }
    return 0;
}
