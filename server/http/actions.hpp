#pragma once
/**
 * Process actions (opt-in, --allow-actions): POST /api/processes/<pid>/signal with
 * {"signal":"TERM|KILL|STOP|CONT","start":N} and POST /api/processes/<pid>/nice with
 * {"nice":N,"start":N}. The request checks and body decoding, as Beast-free values; the server's
 * shell carries the action out (actions/). Pure.
 */
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace procpulse::http {

/** A decoded action on one process, named by its identity (pid, start) so a reused PID is never
 * hit. */
struct action_request {
    enum class kind { signal, nice } what = kind::signal;
    int pid = 0;
    std::uint64_t start = 0; ///< start time in clock ticks after boot (the `start` of records)
    int signal = 0;          ///< SIGTERM, SIGKILL, SIGSTOP or SIGCONT
    std::string signal_name; ///< "TERM", …
    int nice = 0;            ///< -20 … 19
};

/** What was done, as the API answers it and the event log keeps it. */
struct action_outcome {
    unsigned status =
        200; ///< 200 done; 404 no such process; 409 the PID is another process now; 403/500
    std::string message; ///< what happened, in a sentence
};

/** The header a browser may only send after a CORS preflight: the CSRF defence of actions. */
inline constexpr std::string_view action_header = "X-Procpulse-Action";

/**
 * Decodes the body of an action on `pid` (`kind` is "signal" or "nice"); the request, or the
 * sentence saying what is wrong with it.
 */
std::variant<action_request, std::string> parse_action(std::string_view kind, int pid,
                                                       std::string_view body);

/**
 * The CSRF check: a JSON body (Content-Type application/json) and the X-Procpulse-Action header.
 * Empty when both are there, else why the request is refused.
 */
std::string action_csrf_problem(std::optional<std::string_view> content_type,
                                std::optional<std::string_view> action_header_value);

/** "TERM" for SIGTERM…; nullopt for a signal actions do not send. */
std::optional<int> action_signal(std::string_view name);

} // namespace procpulse::http
