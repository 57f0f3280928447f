#include "procfs/pid_cmdline.hpp"

namespace procpulse::procfs {

std::vector<std::string> parse_pid_cmdline(std::string_view text) {
    std::vector<std::string> args;
    // A process that rewrote its argv (setproctitle) may use spaces and leave one NUL at the end;
    // like psutil, such a text is split on spaces.
    while (!text.empty() && text.back() == '\0')
        text.remove_suffix(1);
    if (text.empty()) return args;
    char sep = text.find('\0') == std::string_view::npos ? ' ' : '\0';
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(sep, start);
        if (end == std::string_view::npos) end = text.size();
        if (sep == '\0' || end > start) args.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return args;
}

std::string join_cmdline(const std::vector<std::string>& args) {
    std::string out;
    for (const auto& a : args) {
        if (!out.empty()) out += ' ';
        out += a;
    }
    return out;
}

} // namespace procpulse::procfs
