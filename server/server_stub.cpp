#include "config/config.hpp"
#include "util/log.hpp"
namespace procpulse {
int run_server(const config::config&) {
    log::error("the server mode is not built yet; use --once or --watch");
    return 1;
}
} // namespace procpulse
