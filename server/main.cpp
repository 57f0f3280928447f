// procpulse: parse the command line, then run a terminal mode or the server.
#include "config/config.hpp"
#include "terminal.hpp"
#include "util/log.hpp"

#include <cstdio>
#include <exception>
#include <sys/resource.h>

#ifndef PROCPULSE_VERSION
#define PROCPULSE_VERSION "0.0.0"
#endif

namespace procpulse {
int run_server(const config::config& cfg); // server.cpp
}

namespace {

/** Per-process files stay open between sweeps: raise the soft fd limit to the hard one. */
void raise_fd_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace

int main(int argc, char** argv) {
    using namespace procpulse;
    auto r = config::parse_args(argc, argv);
    if (r.help) {
        std::fputs(config::usage().c_str(), stdout);
        return 0;
    }
    if (r.version) {
        std::puts("procpulse " PROCPULSE_VERSION);
        return 0;
    }
    if (!r.cfg) {
        std::fprintf(stderr, "procpulse: %s\n", r.error.c_str());
        return 2;
    }
    log::set_level(log::parse_level(r.cfg->log_level));
    raise_fd_limit();
    try {
        if (r.cfg->once) return run_once(*r.cfg);
        if (r.cfg->watch) return run_watch(*r.cfg);
        return run_server(*r.cfg);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "procpulse: %s\n", e.what());
        return 1;
    }
}
