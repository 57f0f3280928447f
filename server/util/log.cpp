#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace procpulse::log {
namespace {
std::atomic<int> threshold{static_cast<int>(level::info)};
std::mutex out_mutex;
} // namespace

void set_level(level l) {
    threshold = static_cast<int>(l);
}

level parse_level(std::string_view s) {
    if (s == "debug") return level::debug;
    if (s == "warn") return level::warn;
    if (s == "error") return level::error;
    return level::info;
}

bool enabled(level l) {
    return static_cast<int>(l) >= threshold.load(std::memory_order_relaxed);
}

void write(level l, std::string_view message) {
    if (!enabled(l)) return;
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    static constexpr const char* names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    std::lock_guard lock(out_mutex);
    std::fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %-5s %.*s\n", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms),
                 names[static_cast<int>(l)], static_cast<int>(message.size()), message.data());
}

} // namespace procpulse::log
