#pragma once
/** Prometheus text exposition (format 0.0.4) of the system and the watched processes. Pure. */
#include "core/snapshot.hpp"

#include <string>
#include <vector>

namespace procpulse::http {

/** Server-side figures exported next to the samples. */
struct server_stats {
    std::size_t connections = 0;
    std::size_t history_processes = 0;
    std::size_t history_bytes = 0;
    double last_sweep_seconds = 0;
};

/**
 * System gauges for every sample, and per-process series for the watched PIDs only (labels pid and
 * name), so a scrape's cardinality stays bounded.
 */
std::string prometheus_text(const core::snapshot& snap, const std::vector<int>& watched,
                            const server_stats& stats);

} // namespace procpulse::http
