#pragma once
/** Small allocation-free helpers shared by the /proc parsers. */
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace procpulse::procfs {

/** Cursor over whitespace-separated fields of a /proc text. */
class field_cursor {
public:
    explicit field_cursor(std::string_view text) : text_(text) {}

    /** Next field, or empty when the text is exhausted. */
    std::string_view next() {
        const char* p = skip_spaces();
        const char* q = field_end(p);
        text_ = {q, static_cast<std::size_t>(end() - q)};
        return {p, static_cast<std::size_t>(q - p)};
    }

    /** Skips n fields; false when fewer were left. */
    bool skip(int n) {
        for (int k = 0; k < n; ++k)
            if (next().empty()) return false;
        return true;
    }

    /**
     * The next field as a number: to_number(next(), out), converting in place without cutting the
     * field out first (the hot path of the per-process parsers).
     */
    template <class T> bool next_number(T& out) {
        const char* p = skip_spaces();
        auto [q, ec] = std::from_chars(p, end(), out);
        bool whole = ec == std::errc{} && (q == end() || is_space(*q));
        if (!whole) q = field_end(p);
        text_ = {q, static_cast<std::size_t>(end() - q)};
        return whole;
    }

    std::string_view rest() const { return text_; }

    static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\0'; }

    template <class T> static bool to_number(std::string_view s, T& out) {
        if (s.empty()) return false;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size();
    }

private:
    const char* end() const { return text_.data() + text_.size(); }

    const char* skip_spaces() const {
        const char* p = text_.data();
        while (p != end() && is_space(*p))
            ++p;
        return p;
    }

    const char* field_end(const char* p) const {
        while (p != end() && !is_space(*p))
            ++p;
        return p;
    }

    std::string_view text_;
};

/** Calls f(line) for each line of a text, without its '\n' (the last may lack one). */
template <class F> void for_each_line(std::string_view text, F&& f) {
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        f(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    }
}

/** Splits "Key:   value rest\n" lines; calls f(key, value_text) for each line. */
template <class F> void for_each_key_line(std::string_view text, F&& f) {
    for_each_line(text, [&](std::string_view line) {
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        f(line.substr(0, colon), value);
    });
}

/** Leading unsigned integer of a value text ("1234 kB" -> 1234). */
inline std::optional<std::uint64_t> leading_u64(std::string_view v) {
    std::uint64_t out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{}) return std::nullopt;
    return out;
}

} // namespace procpulse::procfs
