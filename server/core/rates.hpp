#pragma once
/** Rates from two readings of a cumulative counter and the measured gap between them. */
#include <cstdint>
#include <optional>

namespace procpulse::core {

/**
 * (cur - prev) / seconds. Absent when there is no previous reading, the gap is not positive, or the
 * counter went backwards (a reset): a rate is never made up.
 */
inline std::optional<double> counter_rate(std::optional<std::uint64_t> prev,
                                          std::optional<std::uint64_t> cur, double seconds) {
    if (!prev || !cur || seconds <= 0 || *cur < *prev) return std::nullopt;
    return static_cast<double>(*cur - *prev) / seconds;
}

/** CPU percent (100 = one core) from clock ticks used during `seconds` of wall time. */
inline std::optional<double> cpu_percent(std::optional<std::uint64_t> prev_ticks,
                                         std::optional<std::uint64_t> cur_ticks, long clk_tck,
                                         double seconds) {
    auto r = counter_rate(prev_ticks, cur_ticks, seconds);
    if (!r || clk_tck <= 0) return std::nullopt;
    return *r / static_cast<double>(clk_tck) * 100.0;
}

/** Share of busy time between two readings of a CPU line, 0–100 (psutil's cpu_percent). */
inline std::optional<double> busy_percent(std::uint64_t prev_busy, std::uint64_t prev_total,
                                          std::uint64_t cur_busy, std::uint64_t cur_total) {
    if (cur_total <= prev_total || cur_busy < prev_busy) return std::nullopt;
    double p = 100.0 * static_cast<double>(cur_busy - prev_busy) /
               static_cast<double>(cur_total - prev_total);
    return p > 100.0 ? 100.0 : p;
}

} // namespace procpulse::core
