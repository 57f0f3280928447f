#pragma once
/**
 * History over a range from several sources at once: the in-memory window (every sweep) and the
 * stored tiers (e.g. 1 s for an hour, 10 s for a day, 1 min for a week). Each part of the range
 * comes from the finest source that holds it, and the parts meet without overlap.
 */
#include "core/downsample.hpp"
#include "core/history.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace procpulse::core {

/**
 * Reads stored points of one tier with `from <= t < before`, in time order; nullopt or an empty
 * series when there are none.
 */
using tier_reader =
    std::function<std::optional<series>(std::int64_t step_ms, double from, double before)>;

/**
 * The history of [from, to], newest part first: `memory` (the in-memory points of the range) from
 * its first point on; before that, each tier in `tiers` (finest first) for the time before the
 * part already served, back to the tier's reach (`now - keep`) or `from`. A tier without points
 * there (not watched, not yet written) leaves the time to the next coarser tier. Timestamps
 * strictly increase. nullopt when no source has a point. `columns` is the number of value columns.
 */
std::optional<series> stitch(std::optional<series> memory, const std::vector<tier>& tiers,
                             double from, double to, double now, const tier_reader& read,
                             std::size_t columns);

} // namespace procpulse::core
