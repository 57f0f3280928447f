#pragma once
/**
 * Time stamps of sweeps when the wall clock is stepped (set back by hand, NTP jumps, a VM restored).
 * Rates never use the wall clock (they divide by steady-clock gaps); history and ticks are stamped
 * with wall time, which must never go backwards or history reorders.
 */
#include "core/snapshot.hpp"

#include <optional>

namespace procpulse::core {

/**
 * The stamp of a sweep at `at` after one stamped `prev`: the wall clock as it is, unless it went
 * back; then the previous stamp plus the steady time elapsed, until the wall clock catches up. A
 * step forward is taken as it is (history shows a gap, nothing reorders). Pure.
 */
inline sample_time monotonic_stamp(sample_time at, const std::optional<sample_time>& prev) {
    if (!prev) return at;
    const double continued =
        prev->wall + static_cast<double>(at.steady_ns - prev->steady_ns) / 1e9;
    if (at.wall < prev->wall) at.wall = continued > prev->wall ? continued : prev->wall + 1e-6;
    return at;
}

} // namespace procpulse::core
