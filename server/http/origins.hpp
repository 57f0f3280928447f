#pragma once
/**
 * Which other origins may use this server from a browser, as Beast-free values: CORS headers for
 * the pages an allowed origin (--allow-origin) may script (/procpulse-client.js and /api/...), the
 * answer to a CORS preflight, and the frame-ancestors policy of --allow-embed. Pure.
 */
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace procpulse::http {

/** Header name and value. */
using header_field = std::pair<std::string, std::string>;

/** The paths other origins may read with CORS: the client library and the REST API. */
bool cors_path(std::string_view path);

/** The parts of a request CORS looks at. */
struct cors_request {
    std::string_view method;                ///< GET, OPTIONS, …
    std::string_view path;                  ///< URL path, query removed
    std::optional<std::string_view> origin; ///< the Origin header
    std::string_view host;                  ///< the Host header (the page's own origin)
    /** Access-Control-Request-Method: set on a preflight. */
    std::optional<std::string_view> request_method;
};

/** Methods a cross-origin script may use, as a preflight announces them. */
inline constexpr std::string_view cors_methods = "GET, HEAD, POST, DELETE";
/** Request headers a cross-origin script may send (a preflight announces them). */
inline constexpr std::string_view cors_headers_allowed =
    "Authorization, Content-Type, X-Procpulse-Action";
/** How long a browser may cache a preflight answer, seconds. */
inline constexpr int cors_max_age = 600;

/**
 * The CORS headers of an ordinary answer (a GET, a POST…) to this request: for a CORS path
 * asked by an allowed origin (its own or one of `allowed`), Access-Control-Allow-Origin echoing
 * it; Vary: Origin on every answer of a CORS path (caches must not mix origins). Nothing for
 * other paths and nothing but Vary for a foreign origin.
 */
std::vector<header_field> cors_headers(const cors_request& r,
                                       const std::vector<std::string>& allowed);

/** The answer to a CORS preflight. */
struct preflight_answer {
    unsigned status = 204;             ///< 204 allowed, 403 foreign origin, 404 not a CORS path
    std::vector<header_field> headers; ///< the Access-Control-* headers (none when refused)
    std::string error;                 ///< why it was refused (the JSON error text)
};

/** Whether the request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
 */
bool is_preflight(const cors_request& r);

/** Answers a preflight (is_preflight(r) must hold). */
preflight_answer preflight(const cors_request& r, const std::vector<std::string>& allowed);

/**
 * A serialized origin "scheme://host[:port]" (lower-cased, default port dropped) when `text` is
 * one (http or https, a host, an optional port, no path beyond "/"); nullopt otherwise.
 */
std::optional<std::string> normalize_origin(std::string_view text);

/** The embed policy --allow-embed asks for, or why it cannot be one. */
struct embed_policy {
    std::string sources; ///< the frame-ancestors sources, e.g. "'self' http://127.0.0.1:5173"
    std::string error;   ///< not empty: the value is refused (names the bad item)
};

/**
 * The Content-Security-Policy frame-ancestors sources for --allow-embed: items separated by
 * spaces or commas, each a plain origin (http://host:port, normalized: lower case, no default
 * port, no trailing "/") or a CSP source expression ('self', 'none', a wildcard host
 * "https://" "*.example.com", a scheme "https:", a host name). 'self' is kept unless the value is
 * 'none' alone, so the server's own pages may always frame the embed view.
 */
embed_policy frame_ancestors_sources(std::string_view allow_embed);

/**
 * When a request for a page is a frame navigation (Sec-Fetch-Dest: iframe or frame) by a page
 * whose origin (the Referer's) `frame_ancestors` does not name, the sentence the server logs: the
 * browser will refuse to show the frame, and only its console says why. nullopt when the frame is
 * allowed, or when the policy holds wildcards or schemes this check does not match.
 */
std::optional<std::string> embed_refusal(std::string_view path,
                                         std::optional<std::string_view> sec_fetch_dest,
                                         std::optional<std::string_view> referer,
                                         std::string_view host, std::string_view frame_ancestors);

} // namespace procpulse::http
