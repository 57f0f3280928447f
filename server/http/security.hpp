#pragma once
/** Request checks that keep a loopback server safe from browsers: Host, Origin, token. Pure. */
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::http {

/** Where the server listens, as the checks need it. */
struct listen_address {
    std::string host;  ///< as configured: "127.0.0.1", "::1", "0.0.0.0", a name…
    unsigned port = 0; ///< the bound port (after port 0 was resolved)
};

/**
 * DNS-rebinding defence: the Host header must name the listening address, localhost,
 * 127.0.0.1 or [::1], with the bound port (or no port when it is 80). A wildcard listen address
 * (0.0.0.0, ::) accepts any Host: it needs a token anyway.
 */
bool host_allowed(std::string_view host_header, const listen_address& addr);

/**
 * A browser's Origin is allowed when it is the page's own origin (http://<Host header>) or listed
 * with --allow-origin. No Origin (a non-browser client) is allowed.
 */
bool origin_allowed(std::optional<std::string_view> origin, std::string_view host_header,
                    const std::vector<std::string>& allowed);

/** Credentials a request may carry. */
struct credentials {
    std::optional<std::string_view> authorization; ///< "Bearer TOKEN"
    std::optional<std::string_view> cookie;        ///< the Cookie header
    std::optional<std::string_view> subprotocols;  ///< Sec-WebSocket-Protocol
};

/** True when no token is configured or the request carries it (compared in constant time). */
bool authorized(const credentials& c, const std::optional<std::string>& token);

/** Constant-time string comparison. */
bool equal_constant_time(std::string_view a, std::string_view b);

/** Whether a comma-separated Sec-WebSocket-Protocol list offers `name`. */
bool offers_subprotocol(std::string_view list, std::string_view name);

inline constexpr std::string_view token_cookie = "procpulse_token";

} // namespace procpulse::http
