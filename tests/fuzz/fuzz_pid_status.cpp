// libFuzzer target: procfs::parse_pid_status over any text of /proc/PID/status.
#include "support.hpp"

#include "procfs/pid_status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_pid_status(procpulse::fuzz::text(data, size));
    return 0;
}
