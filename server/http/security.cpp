#include "http/security.hpp"
#include "http/header_text.hpp"

#include <algorithm>
#include <cctype>

namespace procpulse::http {

namespace {

std::string lower(std::string_view s) {
    return ascii_lower(s);
}

/** Splits "host:port" / "[v6]:port" / "host"; port 0 when absent. */
bool split_host(std::string_view hp, std::string& host, unsigned& port) {
    port = 0;
    if (hp.empty()) return false;
    if (hp.front() == '[') {
        auto close = hp.find(']');
        if (close == std::string_view::npos) return false;
        host = lower(hp.substr(1, close - 1));
        hp.remove_prefix(close + 1);
        if (hp.empty()) return true;
        if (hp.front() != ':') return false;
        hp.remove_prefix(1);
    } else {
        auto colon = hp.rfind(':');
        host = lower(hp.substr(0, colon));
        if (colon == std::string_view::npos) return true;
        hp.remove_prefix(colon + 1);
    }
    if (hp.empty() || hp.size() > 5) return false;
    unsigned p = 0;
    for (char c : hp) {
        if (c < '0' || c > '9') return false;
        p = p * 10 + static_cast<unsigned>(c - '0');
    }
    port = p;
    return p <= 65535;
}

} // namespace

bool host_allowed(std::string_view host_header, const listen_address& addr) {
    if (addr.host == "0.0.0.0" || addr.host == "::" || addr.host.empty()) return true;
    std::string host;
    unsigned port = 0;
    if (!split_host(trim(host_header), host, port)) return false;
    if (port == 0) port = 80;
    if (port != addr.port) return false;
    return host == lower(addr.host) || host == "localhost" || host == "127.0.0.1" || host == "::1";
}

bool origin_allowed(std::optional<std::string_view> origin, std::string_view host_header,
                    const std::vector<std::string>& allowed) {
    if (!origin) return true;
    std::string o = lower(trim(*origin));
    if (o == "http://" + lower(trim(host_header))) return true;
    return std::any_of(allowed.begin(), allowed.end(),
                       [&](const std::string& a) { return lower(a) == o; });
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

bool offers_subprotocol(std::string_view list, std::string_view name) {
    while (!list.empty()) {
        auto comma = list.find(',');
        if (trim(list.substr(0, comma)) == name) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

bool authorized(const credentials& c, const std::optional<std::string>& token) {
    if (!token) return true;
    if (c.authorization) {
        std::string_view a = trim(*c.authorization);
        if (a.size() > 7 && lower(a.substr(0, 7)) == "bearer " &&
            equal_constant_time(trim(a.substr(7)), *token))
            return true;
    }
    if (c.cookie) {
        std::string_view rest = *c.cookie;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view kv = trim(rest.substr(0, semi));
            auto eq = kv.find('=');
            if (eq != std::string_view::npos && kv.substr(0, eq) == token_cookie &&
                equal_constant_time(kv.substr(eq + 1), *token))
                return true;
            if (semi == std::string_view::npos) break;
            rest.remove_prefix(semi + 1);
        }
    }
    if (c.subprotocols) {
        std::string_view list = *c.subprotocols;
        while (!list.empty()) {
            auto comma = list.find(',');
            std::string_view p = trim(list.substr(0, comma));
            if (p.substr(0, 7) == "bearer." && equal_constant_time(p.substr(7), *token))
                return true;
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
    }
    return false;
}

} // namespace procpulse::http
