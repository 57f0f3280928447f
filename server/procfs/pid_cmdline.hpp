#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** /proc/PID/cmdline: NUL-separated arguments; empty for kernel threads and zombies. */
std::vector<std::string> parse_pid_cmdline(std::string_view text);

/** The arguments joined by single spaces, as shown in a table. */
std::string join_cmdline(const std::vector<std::string>& args);

} // namespace procpulse::procfs
