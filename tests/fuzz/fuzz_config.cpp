// libFuzzer target: the command line (config::parse_args). The input is split on NUL and newline
// into arguments after argv[0]; a parse gives a config, help, version or an error, never a throw.
#include "support.hpp"

#include "config/config.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace config = procpulse::config;
    std::vector<std::string> args = procpulse::fuzz::split_args(procpulse::fuzz::text(data, size));
    std::vector<const char*> argv{"procpulse"};
    for (const auto& a : args)
        argv.push_back(a.c_str());
    auto r = config::parse_args(static_cast<int>(argv.size()), argv.data());
    if (r.cfg && !r.error.empty()) std::abort();
    if (r.cfg && r.cfg->interval < config::milliseconds(100)) std::abort();
    return 0;
}
