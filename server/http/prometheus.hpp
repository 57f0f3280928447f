#pragma once
/** Prometheus text exposition (format 0.0.4) of the system and the watched processes. Pure. */
#include "core/snapshot.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace procpulse::http {

/** How history writes to the database fare (none when there is no database). */
struct store_health {
    bool enabled = false;           ///< a database keeps history
    bool failing = false;           ///< the last write failed (disk full, file gone, read-only)
    std::string error;              ///< the first error of the current failure
    std::uint64_t dropped_rows = 0; ///< history rows dropped while writes failed
    std::uint64_t pending_rows = 0; ///< rows waiting for the next write
};

/** Server-side figures exported next to the samples. */
struct server_stats {
    std::size_t connections = 0;
    std::size_t history_processes = 0;
    std::size_t history_bytes = 0;
    double last_sweep_seconds = 0;
    store_health store;
};

/**
 * System gauges for every sample, and per-process series for the watched PIDs only (labels pid and
 * name), so a scrape's cardinality stays bounded.
 */
std::string prometheus_text(const core::snapshot& snap, const std::vector<int>& watched,
                            const server_stats& stats);

} // namespace procpulse::http
