#pragma once
/** Minimal leveled logging to stderr for the shell (never used by the core). */
#include <string_view>

namespace procpulse::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

/** Sets the threshold; call once at start-up, before threads start. */
void set_level(level l);
level parse_level(std::string_view s);
bool enabled(level l);

/** Writes one line "2026-11-26T00:00:00.000Z LEVEL message" when the level is enabled. */
void write(level l, std::string_view message);

inline void debug(std::string_view m) {
    write(level::debug, m);
}
inline void info(std::string_view m) {
    write(level::info, m);
}
inline void warn(std::string_view m) {
    write(level::warn, m);
}
inline void error(std::string_view m) {
    write(level::error, m);
}

} // namespace procpulse::log
