#pragma once
/** The terminal modes --once and --watch. */
#include "config/config.hpp"

namespace procpulse {

/** Prints one snapshot as JSON after a short first interval. Returns the exit code. */
int run_once(const config::config& cfg);

/** Prints a top-like table every interval until SIGINT/SIGTERM. Returns the exit code. */
int run_watch(const config::config& cfg);

} // namespace procpulse
