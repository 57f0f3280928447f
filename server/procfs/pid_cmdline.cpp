#include "procfs/pid_cmdline.hpp"

namespace procpulse::procfs {

namespace {

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = text.find(sep, start);
        if (end == std::string_view::npos) {
            out.emplace_back(text.substr(start));
            return out;
        }
        out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
}

} // namespace

std::vector<std::string> parse_pid_cmdline(std::string_view text) {
    // psutil 5.9 _pslinux.Process.cmdline
    if (text.empty()) return {};
    // psutil would keep "a\0b" (no NUL at the end) as one argument holding a NUL; such a text is
    // split on its NULs here, the one difference.
    const bool nul = text.back() == '\0' || text.find('\0') != std::string_view::npos;
    const char sep = nul ? '\0' : ' ';
    if (text.back() == sep) text.remove_suffix(1);
    std::vector<std::string> args = split(text, sep);
    // A rewritten argv (setproctitle) may keep one NUL at the end and spaces between arguments.
    if (sep == '\0' && args.size() == 1 && args[0].find(' ') != std::string::npos)
        args = split(text, ' ');
    return args;
}

std::string join_cmdline(const std::vector<std::string>& args) {
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ' ';
        out += args[i];
    }
    return out;
}

std::string extended_name(const std::string& comm, const std::vector<std::string>& args) {
    if (comm.size() < 15 || args.empty()) return comm;
    std::string_view first = args[0];
    if (auto slash = first.rfind('/'); slash != std::string_view::npos)
        first.remove_prefix(slash + 1);
    if (first.starts_with(comm)) return std::string(first);
    return comm;
}

} // namespace procpulse::procfs
