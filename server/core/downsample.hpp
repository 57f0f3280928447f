#pragma once
/** Downsampling of history into retention tiers (e.g. 1 s for 1 h, 10 s for 24 h, 1 min for 7 d).
 */
#include "core/history.hpp"
#include "core/snapshot.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace procpulse::core {

/** One retention tier: points `step_ms` apart, kept for `keep_ms`. */
struct tier {
    std::int64_t step_ms = 1000;
    std::int64_t keep_ms = 3600 * 1000;
    friend bool operator==(const tier&, const tier&) = default;
};

/** Parses "1s:1h,10s:24h,1m:7d"; nullopt (and a reason) when malformed or steps not increasing. */
std::optional<std::vector<tier>> parse_tiers(const std::string& text, std::string* why = nullptr);

/** A downsampled point ready to store. `key.pid == 0` marks the system series. */
struct history_row {
    std::int64_t step_ms = 0;
    process_key key;
    double t = 0; // mean time of the sweeps averaged (inside the bucket), seconds since the epoch
    std::vector<std::optional<double>> values; // process_columns or system_columns order
};

/** The values of one sweep in history column order. */
std::vector<std::optional<double>> process_values(const process_sample& p);
std::vector<std::optional<double>> system_values(const system_sample& s);

/**
 * Averages points into tier buckets (the mean of the available values; null when none were),
 * stamped with the mean time of the sweeps they average: a stored point never lies before the
 * first sweep it holds nor after the last, and two runs of the server that share a bucket store
 * two points instead of one overwriting the other.
 * A bucket is emitted when a point of a later bucket arrives, or when its series ends (the process
 * exited or is no longer watched). Pure; owned by the store's writer thread.
 */
class downsampler {
public:
    explicit downsampler(std::vector<tier> tiers);

    /** Adds the system and the processes whose key is in `keep`; returns the closed buckets. */
    std::vector<history_row> add(const snapshot& snap, const std::set<process_key>& keep);

    /** Emits every open bucket (at shutdown). */
    std::vector<history_row> flush();

    const std::vector<tier>& tiers() const { return tiers_; }

private:
    struct bucket {
        std::int64_t index = -1;
        double t_sum = 0; // of the sweep times, for the bucket's time stamp
        std::uint32_t points = 0;
        std::vector<double> sum;
        std::vector<std::uint32_t> count;
    };
    struct series_state {
        std::vector<bucket> per_tier;
        std::uint64_t seen = 0;
    };
    void add_point(const process_key& key, double t, const std::vector<std::optional<double>>& v,
                   std::vector<history_row>& out);
    static void emit(const tier& tr, const process_key& key, bucket& b,
                     std::vector<history_row>& out);

    std::vector<tier> tiers_;
    std::map<process_key, series_state> series_;
    std::uint64_t generation_ = 0;
};

} // namespace procpulse::core
