#include "procfs/pid_status.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

namespace {

/**
 * The value text of the line at pos when that line reads "key:value" (the same cut as
 * for_each_key_line: up to the newline, leading blanks removed); nullopt otherwise.
 */
std::optional<std::string_view> value_of_line_at(std::string_view text, std::size_t pos,
                                                 std::string_view key) {
    if (pos != 0 && text[pos - 1] != '\n') return std::nullopt; // not a line start
    std::string_view line = text.substr(pos);
    line = line.substr(0, line.find('\n'));
    if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != ':')
        return std::nullopt;
    std::string_view value = line.substr(key.size() + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    return value;
}

/** Calls f(pos) for each position of c in text, in order. */
template <class F> void for_each_position(std::string_view text, char c, F&& f) {
    for (std::size_t pos = text.find(c); pos != std::string_view::npos; pos = text.find(c, pos + 1))
        f(pos);
}

} // namespace

std::optional<pid_status> parse_pid_status(std::string_view text) {
    // Three of status's ~55 lines matter. Splitting every line is the largest user-space cost of a
    // sweep, so look only where the keys can start: at each 'U' (Uid) and at each 'v' (voluntary_…,
    // or nonvoluntary_… three bytes earlier), a handful of places in a real file. The result is
    // the one of reading every line with for_each_key_line: each matching line counts, in order.
    pid_status s;
    int ctxt = 0;
    for_each_position(text, 'U', [&](std::size_t pos) {
        if (auto value = value_of_line_at(text, pos, "Uid")) {
            field_cursor c(*value);
            s.has_uid = c.next_number(s.uid_real) && c.next_number(s.uid_effective);
        }
    });
    for_each_position(text, 'v', [&](std::size_t pos) {
        if (auto value = value_of_line_at(text, pos, "voluntary_ctxt_switches")) {
            if (auto v = leading_u64(*value)) s.voluntary_ctxt_switches = *v, ++ctxt;
        } else if (pos >= 3) {
            if (auto value = value_of_line_at(text, pos - 3, "nonvoluntary_ctxt_switches"))
                if (auto v = leading_u64(*value)) s.nonvoluntary_ctxt_switches = *v, ++ctxt;
        }
    });
    if (!s.has_uid) return std::nullopt;
    s.has_ctxt = ctxt == 2;
    return s;
}

} // namespace procpulse::procfs
