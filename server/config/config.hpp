#pragma once
/** Server configuration and its command line. Pure: parsing is a function of argv. */
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace procpulse::config {

using std::chrono::milliseconds;

/** Per-connection and server-wide limits; announced to clients in `hello`. */
struct limits {
    std::size_t max_message_bytes = 8 * 1024; ///< largest client frame; larger closes with 1009
    std::size_t max_subscriptions = 256;      ///< PIDs per connection
    std::size_t max_connections = 512;        ///< in total
    std::size_t max_connections_per_ip = 64;
    std::size_t max_pending_per_ip = 8; ///< connections still sending their request, per address
    double messages_per_sec = 20;       ///< client message token bucket: refill rate
    double message_burst = 40;          ///< and size
    std::size_t outbox_bytes = 4 * 1024 * 1024; ///< queued bytes before a client counts as lagging
    milliseconds write_timeout{10000};          ///< a write pending longer closes the client
    milliseconds handshake_timeout{10000};
    milliseconds idle_timeout{120000}; ///< HTTP keep-alive idle
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_process_limit = 5000; ///< `limit` of the processes topic
};

struct config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    milliseconds interval{1000};
    std::string proc_root = "/proc";
    std::string static_dir;                 ///< built frontend (frontend/dist); empty = embedded
    std::optional<std::string> token;       ///< required for non-loopback listen addresses
    std::vector<std::string> allow_origins; ///< extra Origins allowed to open /ws
    std::string allow_embed = "'self'";     ///< frame-ancestors sources for the app's pages
    /** POST /api/processes/<pid>/signal and /nice (off by default; off loopback needs a token). */
    bool allow_actions = false;
    milliseconds history{60 * 60 * 1000}; ///< in-memory history per process
    std::string db_path;                  ///< SQLite file; empty = default path; ":memory:" = none
    std::string retention = "1s:1h,10s:24h,1m:7d"; ///< stored history tiers STEP:KEEP
    milliseconds flush_interval{5000};             ///< how often history is written to the database
    std::string alerts_file;                       ///< JSON array of alert rules loaded at start
    std::string log_level = "info";
    unsigned threads = 2; ///< network threads
    bool once = false;
    bool watch = false;
    bool keep_open = true;    ///< keep /proc files open between sweeps
    int full_read_every = 10; ///< see core::collector_options::full_read_every
    limits lim;
};

/** Result of parsing argv: a config, a request for help, or an error message. */
struct parse_result {
    std::optional<config> cfg;
    bool help = false;
    bool version = false;
    std::string error;
};

parse_result parse_args(int argc, const char* const* argv);

/** The --help text. */
std::string usage();

/** Parses "250ms", "1s", "1.5s", "2m", "15m", "1h" or a plain number of milliseconds. */
std::optional<milliseconds> parse_duration(const std::string& text);

/** True for 127.0.0.0/8, ::1 and "localhost". */
bool is_loopback_host(const std::string& host);

} // namespace procpulse::config
