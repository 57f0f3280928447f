// libFuzzer target: procfs::parse_pid_statm over any text of /proc/PID/statm.
#include "support.hpp"

#include "procfs/pid_statm.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_pid_statm(procpulse::fuzz::text(data, size));
    return 0;
}
