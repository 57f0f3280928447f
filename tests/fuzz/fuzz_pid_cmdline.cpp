// libFuzzer target: procfs::parse_pid_cmdline over any text of /proc/PID/cmdline, then the joined
// command line and psutil's extended name (with the first 15 bytes of the input as `comm`).
#include "support.hpp"

#include "procfs/pid_cmdline.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace procfs = procpulse::procfs;
    std::string_view in = procpulse::fuzz::text(data, size);
    auto args = procfs::parse_pid_cmdline(in);
    std::string joined = procfs::join_cmdline(args);
    // Arguments come out of the input and at most one separator joins each pair.
    if (joined.size() > in.size() + args.size()) std::abort();
    std::string comm(in.substr(0, 15));
    (void)procfs::extended_name(comm, args);
    return 0;
}
