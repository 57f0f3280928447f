#include "config/config.hpp"

#include "core/downsample.hpp"
#include "http/origins.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>

namespace procpulse::config {

std::optional<milliseconds> parse_duration(const std::string& text) {
    if (text.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || v < 0 || !std::isfinite(v)) return std::nullopt;
    std::string unit(p, text.data() + text.size());
    double factor = unit.empty() || unit == "ms" ? 1
                    : unit == "s"                ? 1000
                    : unit == "m"                ? 60000
                    : unit == "h"                ? 3600000
                    : unit == "d"                ? 86400000
                                                 : -1;
    if (factor < 0) return std::nullopt;
    return milliseconds(static_cast<std::int64_t>(std::llround(v * factor)));
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1" || host == "[::1]") return true;
    // 127.0.0.0/8 as a dotted IPv4 literal (not a name such as 127.example.com).
    int parts = 0;
    std::size_t i = 0;
    while (i <= host.size()) {
        std::size_t dot = host.find('.', i);
        if (dot == std::string::npos) dot = host.size();
        unsigned v = 0;
        auto [p, ec] = std::from_chars(host.data() + i, host.data() + dot, v);
        if (ec != std::errc{} || p != host.data() + dot || dot == i || v > 255) return false;
        if (parts == 0 && v != 127) return false;
        ++parts;
        i = dot + 1;
    }
    return parts == 4;
}

std::string usage() {
    return R"(procpulse - real-time Linux process monitor (browser UI, WebSocket push, REST)

Usage: procpulse [options]

Server:
  --listen HOST:PORT        address to serve on (default 127.0.0.1:8080; port 0 = any free port;
                            IPv6 as [::1]:8080). A non-loopback address requires --token.
  --token TOKEN             require this token: "Authorization: Bearer TOKEN", the cookie set by
                            GET /auth?token=TOKEN, or WebSocket subprotocol "bearer.TOKEN"
  --allow-origin ORIGIN     let pages of this origin (http://host:port) use the server: WebSocket
                            upgrades, CORS for /api/* and /procpulse-client.js (repeatable)
  --allow-embed ORIGINS     pages that may show the app in an iframe: origins (http://host:port)
                            or CSP frame-ancestors sources ('self', https://*.example.com),
                            separated by spaces or commas, repeatable ('self' is always kept
                            unless 'none'; default 'self')
  --allow-actions           let clients signal (TERM, KILL, STOP, CONT) and renice processes
                            through POST /api/processes/PID/signal and /nice (off by default;
                            a non-loopback address needs --token)
  --static-dir DIR          serve the web app from DIR, e.g. frontend/dist (default: the copy
                            compiled into the binary)
  --threads N               network threads (default 2)
  --log-level LEVEL         debug, info, warn or error (default info)

Sampling:
  --interval DURATION       time between sweeps: 250ms, 1s, or milliseconds (default 1s, min 100ms)
  --proc-root PATH          the /proc to read (default /proc; a fixture tree for tests)
  --history DURATION        in-memory history of every process, exited ones too (default 1h)
  --db PATH                 SQLite database for the watch list, stored history, alert rules and
                            events (default $XDG_STATE_HOME/procpulse/procpulse.db, that is
                            ~/.local/state/procpulse/procpulse.db; :memory: = keep nothing)
  --retention TIERS         stored history tiers STEP:KEEP,… (default 1s:1h,10s:24h,1m:7d)
  --flush-interval DURATION how often history is written to the database (default 5s)
  --alerts FILE             JSON array of alert rules to load at start
  --no-keep-open            reopen /proc files every sweep instead of keeping them open
  --full-read-every N       a process idle since the last sweep (per its stat) keeps its last
                            statm and status figures, re-read every N sweeps (io is
                            read every sweep);
                            subscribed and watched processes always get every file (default 10;
                            1 = read every file of every process every sweep)

Limits (announced to clients in "hello"):
  --max-message-bytes N     largest client WebSocket message (default 8192; larger closes with 1009)
  --max-subscriptions N     PIDs per connection (default 256)
  --max-connections N       connections in total (default 512)
  --max-connections-per-ip N  (default 64)
  --max-pending-per-ip N    connections of one address still sending their request (default 8;
                            a new one evicts the oldest, so half-sent requests cannot lock others out)
  --rate-limit N            client messages per second, token bucket (default 20, burst 2x)
  --outbox-bytes N          bytes queued for a client before it is treated as lagging (default 4 MiB)
  --write-timeout DURATION  close a client whose write stays pending this long (default 10s)

Terminal modes:
  --once                    print one snapshot as JSON (after one short interval, so rates exist)
  --watch                   print a top-like table every interval
  --help                    this text
  --version                 the version

Exit codes: 0 ok, 1 runtime error, 2 bad command line.
)";
}

namespace {

bool parse_size(const std::string& s, std::size_t& out) {
    std::size_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return false;
    out = v;
    return true;
}

bool parse_listen(const std::string& s, config& c) {
    std::size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string host = s.substr(0, colon);
    if (host.front() == '[') {
        if (host.back() != ']') return false;
        host = host.substr(1, host.size() - 2);
    }
    std::size_t port = 0;
    if (!parse_size(s.substr(colon + 1), port) || port > 65535) return false;
    c.listen_host = host;
    c.listen_port = static_cast<std::uint16_t>(port);
    return true;
}

} // namespace

parse_result parse_args(int argc, const char* const* argv) {
    parse_result r;
    config c;
    using setter = std::function<bool(const std::string&)>;
    std::string why;         ///< set by a setter that refuses a value: what was wrong with it
    std::string embed_given; ///< the --allow-embed values so far
    auto size_flag = [](std::size_t& dst) {
        return setter([&dst](const std::string& v) { return parse_size(v, dst) && dst > 0; });
    };
    std::map<std::string, setter> with_value = {
        {"--listen", [&](const std::string& v) { return parse_listen(v, c); }},
        {"--interval",
         [&](const std::string& v) {
             auto d = parse_duration(v);
             if (!d || *d < milliseconds(100)) return false;
             c.interval = *d;
             return true;
         }},
        {"--history",
         [&](const std::string& v) {
             auto d = parse_duration(v);
             if (!d || *d < milliseconds(1000)) return false;
             c.history = *d;
             return true;
         }},
        {"--write-timeout",
         [&](const std::string& v) {
             auto d = parse_duration(v);
             if (!d || d->count() <= 0) return false;
             c.lim.write_timeout = *d;
             return true;
         }},
        {"--proc-root", [&](const std::string& v) { return !(c.proc_root = v).empty(); }},
        {"--static-dir", [&](const std::string& v) { return !(c.static_dir = v).empty(); }},
        {"--token", [&](const std::string& v) { return !(c.token = v)->empty(); }},
        {"--allow-origin",
         [&](const std::string& v) {
             auto o = http::normalize_origin(v);
             if (!o)
                 why = "an origin is scheme://host[:port], such as http://127.0.0.1:5173";
             else
                 c.allow_origins.push_back(*o);
             return o.has_value();
         }},
        {"--allow-embed",
         [&](const std::string& v) {
             // Repeatable: the first replaces the default, later ones add to it.
             embed_given.append(embed_given.empty() ? "" : " ").append(v);
             auto p = http::frame_ancestors_sources(embed_given);
             why = p.error;
             c.allow_embed = p.sources;
             return p.error.empty();
         }},
        {"--db", [&](const std::string& v) { return !(c.db_path = v).empty(); }},
        {"--retention",
         [&](const std::string& v) {
             c.retention = v;
             return core::parse_tiers(v).has_value();
         }},
        {"--alerts", [&](const std::string& v) { return !(c.alerts_file = v).empty(); }},
        {"--flush-interval",
         [&](const std::string& v) {
             auto d = parse_duration(v);
             if (!d || *d < milliseconds(100)) return false;
             c.flush_interval = *d;
             return true;
         }},
        {"--log-level",
         [&](const std::string& v) {
             c.log_level = v;
             return v == "debug" || v == "info" || v == "warn" || v == "error";
         }},
        {"--threads",
         [&](const std::string& v) {
             std::size_t n = 0;
             if (!parse_size(v, n) || n == 0 || n > 64) return false;
             c.threads = static_cast<unsigned>(n);
             return true;
         }},
        {"--full-read-every",
         [&](const std::string& v) {
             std::size_t n = 0;
             if (!parse_size(v, n) || n == 0 || n > 3600) return false;
             c.full_read_every = static_cast<int>(n);
             return true;
         }},
        {"--max-message-bytes", size_flag(c.lim.max_message_bytes)},
        {"--max-subscriptions", size_flag(c.lim.max_subscriptions)},
        {"--max-connections", size_flag(c.lim.max_connections)},
        {"--max-connections-per-ip", size_flag(c.lim.max_connections_per_ip)},
        {"--max-pending-per-ip", size_flag(c.lim.max_pending_per_ip)},
        {"--outbox-bytes", size_flag(c.lim.outbox_bytes)},
        {"--rate-limit",
         [&](const std::string& v) {
             std::size_t n = 0;
             if (!parse_size(v, n) || n == 0) return false;
             c.lim.messages_per_sec = static_cast<double>(n);
             c.lim.message_burst = 2.0 * static_cast<double>(n);
             return true;
         }},
    };
    std::map<std::string, std::function<void()>> flags = {
        {"--once", [&] { c.once = true; }},
        {"--watch", [&] { c.watch = true; }},
        {"--no-keep-open", [&] { c.keep_open = false; }},
        {"--allow-actions", [&] { c.allow_actions = true; }},
        {"--help", [&] { r.help = true; }},
        {"-h", [&] { r.help = true; }},
        {"--version", [&] { r.version = true; }},
    };
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        bool inline_value = false;
        if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            inline_value = true;
        }
        if (auto f = flags.find(arg); f != flags.end() && !inline_value) {
            f->second();
            continue;
        }
        auto w = with_value.find(arg);
        if (w == with_value.end()) {
            r.error = "unknown option '" + arg + "' (see --help)";
            return r;
        }
        if (!inline_value) {
            if (i + 1 >= argc) {
                r.error = "option " + arg + " needs a value (see --help)";
                return r;
            }
            value = argv[++i];
        }
        if (!w->second(value)) {
            r.error = "invalid value '" + value + "' for " + arg + (why.empty() ? "" : ": " + why) +
                      " (see --help)";
            return r;
        }
    }
    if (c.once && c.watch) {
        r.error = "--once and --watch cannot be combined";
        return r;
    }
    if (c.allow_actions && !is_loopback_host(c.listen_host) && !c.token) {
        r.error = "refusing --allow-actions on non-loopback address " + c.listen_host +
                  " without --token (anyone who can reach it could signal processes)";
        return r;
    }
    if (!is_loopback_host(c.listen_host) && !c.token && !c.once && !c.watch) {
        r.error = "refusing to listen on non-loopback address " + c.listen_host +
                  " without --token (anyone who can reach it could watch every process)";
        return r;
    }
    r.cfg = std::move(c);
    return r;
}

} // namespace procpulse::config
