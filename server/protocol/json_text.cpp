#include "protocol/json_text.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <charconv>
#include <cmath>

namespace procpulse::protocol {

namespace json = boost::json;

namespace {

/**
 * Length of the well-formed UTF-8 sequence at the start of s (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0 when it does not start with one.
 */
std::size_t utf8_sequence(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char c = byte(0);
    std::size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || s.size() < n) return 0;
    // The second byte's range depends on the first (overlongs, surrogates, past U+10FFFF).
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    return n;
}

/**
 * A JSON string. Text from /proc (names, command lines) and from requests is any bytes, but JSON
 * text must be UTF-8 (and a browser fails a WebSocket connection on a text frame that is not), so
 * each byte that does not start a well-formed sequence is written as U+FFFD.
 */
void append_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (std::size_t n = utf8_sequence(s.substr(i))) {
                out.append(s.data() + i, n);
                i += n - 1;
            } else {
                out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
            }
        }
    }
    out += '"';
}

void append_double(std::string& out, double d) {
    if (!std::isfinite(d)) { // JSON has no NaN or infinity
        out += "null";
        return;
    }
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    std::string_view text(buf, static_cast<std::size_t>(p - buf));
    out += text;
    if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

template <class T> void append_int(std::string& out, T v) {
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, p);
}

} // namespace

void append_json(std::string& out, const json::value& v) {
    switch (v.kind()) {
    case json::kind::null:
        out += "null";
        break;
    case json::kind::bool_:
        out += v.get_bool() ? "true" : "false";
        break;
    case json::kind::int64:
        append_int(out, v.get_int64());
        break;
    case json::kind::uint64:
        append_int(out, v.get_uint64());
        break;
    case json::kind::double_:
        append_double(out, v.get_double());
        break;
    case json::kind::string:
        append_string(out, v.get_string());
        break;
    case json::kind::array: {
        out += '[';
        bool first = true;
        for (const auto& e : v.get_array()) {
            if (!first) out += ',';
            first = false;
            append_json(out, e);
        }
        out += ']';
        break;
    }
    case json::kind::object: {
        out += '{';
        bool first = true;
        for (const auto& kv : v.get_object()) {
            if (!first) out += ',';
            first = false;
            append_string(out, kv.key());
            out += ':';
            append_json(out, kv.value());
        }
        out += '}';
        break;
    }
    }
}

std::string to_json(const json::value& v) {
    std::string out;
    out.reserve(256);
    append_json(out, v);
    return out;
}

} // namespace procpulse::protocol
