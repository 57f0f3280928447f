#include "http/origins.hpp"

#include "http/header_text.hpp"
#include "http/security.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace procpulse::http {

namespace {

std::string lower(std::string_view s) {
    return ascii_lower(s);
}

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

/** "host", "[v6]" or "*.host": the host part of an origin or host-source. */
bool valid_host(std::string_view h, bool wildcard) {
    if (h.empty()) return false;
    if (h.front() == '[') {
        if (h.size() < 3 || h.back() != ']') return false;
        return std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        });
    }
    if (wildcard && h == "*") return true;
    if (wildcard && h.substr(0, 2) == "*.") h.remove_prefix(2);
    if (h.empty() || h.front() == '.' || h.back() == '.') return false;
    return std::all_of(h.begin(), h.end(), host_char);
}

/** Splits "host[:port]" at the port colon (after a closing "]" for IPv6). */
std::pair<std::string_view, std::string_view> split_port(std::string_view hp, bool& has_port) {
    std::size_t from = hp.empty() || hp.front() != '[' ? 0 : hp.find(']');
    if (from == std::string_view::npos) from = 0;
    auto colon = hp.find(':', from);
    has_port = colon != std::string_view::npos;
    if (!has_port) return {hp, {}};
    return {hp.substr(0, colon), hp.substr(colon + 1)};
}

bool valid_port(std::string_view p, bool wildcard) {
    if (wildcard && p == "*") return true;
    unsigned v = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    return !p.empty() && ec == std::errc{} && end == p.data() + p.size() && v > 0 && v <= 65535;
}

/** A CSP source expression valid in frame-ancestors (CSP3 host-source or scheme-source). */
bool valid_csp_source(std::string_view s) {
    if (s == "'self'" || s == "'none'") return true;
    std::string_view rest = s;
    auto scheme_end = rest.find("://");
    if (scheme_end != std::string_view::npos) {
        std::string_view scheme = rest.substr(0, scheme_end);
        if (scheme.empty() || !std::all_of(scheme.begin(), scheme.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' ||
                       c == '.';
            }))
            return false;
        rest.remove_prefix(scheme_end + 3);
    } else if (rest.size() > 1 && rest.back() == ':') { // scheme-source: "https:"
        rest.remove_suffix(1);
        return std::all_of(rest.begin(), rest.end(),
                           [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
    }
    auto slash = rest.find('/');
    std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
    rest = rest.substr(0, slash);
    bool has_port = false;
    auto [host, port] = split_port(rest, has_port);
    if (!valid_host(host, true) || (has_port && !valid_port(port, true))) return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return c > ' ' && c < 0x7f && c != ';' && c != ',' && c != '\'';
    });
}

} // namespace

bool cors_path(std::string_view path) {
    return path == "/procpulse-client.js" || path.rfind("/api/", 0) == 0;
}

std::vector<header_field> cors_headers(const cors_request& r,
                                       const std::vector<std::string>& allowed) {
    std::vector<header_field> out;
    if (!cors_path(r.path)) return out;
    out.emplace_back("Vary", "Origin");
    if (r.origin && !trim(*r.origin).empty() && origin_allowed(r.origin, r.host, allowed))
        out.emplace_back("Access-Control-Allow-Origin", std::string(trim(*r.origin)));
    return out;
}

bool is_preflight(const cors_request& r) {
    return r.method == "OPTIONS" && r.origin && r.request_method;
}

preflight_answer preflight(const cors_request& r, const std::vector<std::string>& allowed) {
    preflight_answer a;
    const std::string origin(trim(r.origin.value_or("")));
    if (!cors_path(r.path)) {
        a.status = 404;
        a.error = "Not found: other origins may only use /api/* and /procpulse-client.js";
        return a;
    }
    if (origin.empty() || !origin_allowed(r.origin, r.host, allowed)) {
        a.status = 403;
        a.error = "Origin not allowed: " + origin +
                  " is not this server's page nor an --allow-origin (start procpulse with "
                  "--allow-origin " +
                  origin + ")";
        return a;
    }
    const std::string method(trim(r.request_method.value_or("")));
    const std::string_view methods = cors_methods;
    bool known = false;
    for (std::string_view m : {"GET", "HEAD", "POST", "DELETE"})
        known = known || m == method;
    if (!known) {
        a.status = 403;
        a.error = "Method not allowed from another origin: " + method +
                  " (allowed: " + std::string(methods) + ")";
        return a;
    }
    a.headers = {{"Access-Control-Allow-Origin", origin},
                 {"Access-Control-Allow-Methods", std::string(methods)},
                 {"Access-Control-Allow-Headers", std::string(cors_headers_allowed)},
                 {"Access-Control-Max-Age", std::to_string(cors_max_age)},
                 {"Vary", "Origin"}};
    return a;
}

std::optional<std::string> normalize_origin(std::string_view text) {
    std::string t = lower(trim(text));
    std::string_view s = t;
    std::string scheme;
    if (s.rfind("http://", 0) == 0)
        scheme = "http";
    else if (s.rfind("https://", 0) == 0)
        scheme = "https";
    else
        return std::nullopt;
    s.remove_prefix(scheme.size() + 3);
    if (!s.empty() && s.back() == '/') s.remove_suffix(1);
    if (s.find_first_of("/?#@") != std::string_view::npos) return std::nullopt;
    bool has_port = false;
    auto [host, port] = split_port(s, has_port);
    if (!valid_host(host, false) || (has_port && !valid_port(port, false))) return std::nullopt;
    std::string out = scheme + "://" + std::string(host);
    if (has_port && !((scheme == "http" && port == "80") || (scheme == "https" && port == "443")))
        out += ":" + std::string(port);
    return out;
}

embed_policy frame_ancestors_sources(std::string_view allow_embed) {
    embed_policy p;
    std::vector<std::string> items;
    std::string_view rest = allow_embed;
    while (!rest.empty()) {
        auto sep = rest.find_first_of(" ,\t");
        std::string_view item = rest.substr(0, sep);
        if (item == "self" || item == "none") {
            p.error = "write '" + std::string(item) + "' with its single quotes (a bare " +
                      std::string(item) + " is a host name)";
            return p;
        }
        if (!item.empty()) {
            if (auto o = normalize_origin(item))
                items.push_back(*o);
            else if (valid_csp_source(item))
                items.emplace_back(item);
            else {
                p.error = "'" + std::string(item) +
                          "' is neither an origin (http://host:port) nor a CSP frame-ancestors "
                          "source ('self', 'none', https://*.example.com, https:)";
                return p;
            }
        }
        if (sep == std::string_view::npos) break;
        rest.remove_prefix(sep + 1);
    }
    if (items.empty()) {
        p.error = "no origin given";
        return p;
    }
    const bool none = std::find(items.begin(), items.end(), "'none'") != items.end();
    if (none && items.size() > 1) {
        p.error = "'none' cannot be combined with other sources";
        return p;
    }
    if (!none && std::find(items.begin(), items.end(), "'self'") == items.end())
        items.insert(items.begin(), "'self'");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto first = items.begin() + static_cast<std::ptrdiff_t>(i);
        if (std::find(items.begin(), first, items[i]) != first) continue; // listed twice
        if (!p.sources.empty()) p.sources += ' ';
        p.sources += items[i];
    }
    return p;
}

std::optional<std::string> embed_refusal(std::string_view path,
                                         std::optional<std::string_view> sec_fetch_dest,
                                         std::optional<std::string_view> referer,
                                         std::string_view host, std::string_view frame_ancestors) {
    if (!sec_fetch_dest || !referer) return std::nullopt;
    const std::string dest = lower(trim(*sec_fetch_dest));
    if (dest != "iframe" && dest != "frame") return std::nullopt;
    if (path.rfind("/api/", 0) == 0 || path == "/procpulse-client.js") return std::nullopt;
    // The framing page's origin: the Referer up to its path.
    std::string_view ref = trim(*referer);
    auto scheme = ref.find("://");
    if (scheme == std::string_view::npos) return std::nullopt;
    auto origin = normalize_origin(ref.substr(0, ref.find('/', scheme + 3)));
    if (!origin) return std::nullopt;
    const bool self = *origin == "http://" + lower(trim(host));
    std::string_view rest = frame_ancestors;
    bool named = false;
    while (!rest.empty()) {
        auto sp = rest.find(' ');
        std::string_view item = rest.substr(0, sp);
        if (item == "'self'")
            named = named || self;
        else if (item != "'none'") {
            auto o = normalize_origin(item);
            if (!o) return std::nullopt; // a wildcard, scheme or bare host: not judged here
            named = named || *o == *origin;
        }
        if (sp == std::string_view::npos) break;
        rest.remove_prefix(sp + 1);
    }
    if (named) return std::nullopt;
    return std::string(path) + " framed by a page of " + *origin +
           ", which --allow-embed does not name: the browser will not show it (frame-ancestors " +
           std::string(frame_ancestors) + ")";
}

} // namespace procpulse::http
