#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/**
 * /proc/PID/cmdline: NUL-separated arguments; empty for kernel threads and zombies. As psutil 5.9:
 * the separator is NUL when the text ends with one, else a space (a process that rewrote its argv);
 * one trailing separator is dropped and empty arguments are kept (a NUL inside a text that does
 * not end with one also separates, where psutil keeps the NUL in one argument).
 */
std::vector<std::string> parse_pid_cmdline(std::string_view text);

/** The arguments joined by single spaces, as shown in a table. */
std::string join_cmdline(const std::vector<std::string>& args);

/**
 * psutil's process name: `comm` is cut at 15 characters by the kernel, so a name of 15 or more is
 * replaced by the base name of the first argument when that starts with it.
 */
std::string extended_name(const std::string& comm, const std::vector<std::string>& args);

} // namespace procpulse::procfs
