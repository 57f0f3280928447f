// libFuzzer target: procfs::parse_pid_io over any text of /proc/PID/io.
#include "support.hpp"

#include "procfs/pid_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)procpulse::procfs::parse_pid_io(procpulse::fuzz::text(data, size));
    return 0;
}
