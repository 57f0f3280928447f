#include "core/downsample.hpp"

#include "config/config.hpp"

#include <cmath>

namespace procpulse::core {

std::optional<std::vector<tier>> parse_tiers(const std::string& text, std::string* why) {
    std::vector<tier> out;
    auto fail = [&](std::string reason) -> std::optional<std::vector<tier>> {
        if (why) *why = std::move(reason);
        return std::nullopt;
    };
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string part = text.substr(start, comma - start);
        std::size_t colon = part.find(':');
        if (colon == std::string::npos) return fail("tier '" + part + "' is not STEP:KEEP");
        auto step = config::parse_duration(part.substr(0, colon));
        auto keep = config::parse_duration(part.substr(colon + 1));
        if (!step || !keep || step->count() <= 0 || keep->count() < step->count())
            return fail("tier '" + part +
                        "' needs a positive step and a retention of at least one step");
        if (!out.empty() && step->count() <= out.back().step_ms)
            return fail("tier steps must increase");
        out.push_back({step->count(), keep->count()});
        start = comma + 1;
    }
    if (out.empty()) return fail("no tiers given");
    return out;
}

std::vector<std::optional<double>> process_values(const process_sample& p) {
    return {static_cast<double>(p.rss),
            static_cast<double>(p.vms),
            p.shared ? std::optional<double>(static_cast<double>(*p.shared)) : std::nullopt,
            p.cpu_percent,
            p.minor_faults_per_sec,
            p.major_faults_per_sec,
            static_cast<double>(p.num_threads),
            p.read_bytes_per_sec,
            p.write_bytes_per_sec};
}

std::vector<std::optional<double>> system_values(const system_sample& s) {
    return {s.cpu_percent,
            static_cast<double>(s.mem_used),
            s.mem_percent,
            static_cast<double>(s.swap_used),
            s.load1,
            s.minor_faults_per_sec,
            s.major_faults_per_sec,
            s.disk_read_bytes_per_sec,
            s.disk_write_bytes_per_sec,
            s.net_rx_bytes_per_sec,
            s.net_tx_bytes_per_sec};
}

downsampler::downsampler(std::vector<tier> tiers) : tiers_(std::move(tiers)) {}

void downsampler::emit(const tier& tr, const process_key& key, bucket& b,
                       std::vector<history_row>& out) {
    if (b.index < 0) return;
    history_row r;
    r.step_ms = tr.step_ms;
    r.key = key;
    r.t = b.points ? b.t_sum / b.points
                   : static_cast<double>(b.index) * static_cast<double>(tr.step_ms) / 1000.0;
    r.values.resize(b.sum.size());
    for (std::size_t i = 0; i < b.sum.size(); ++i)
        if (b.count[i]) r.values[i] = b.sum[i] / b.count[i];
    out.push_back(std::move(r));
    b.index = -1;
}

void downsampler::add_point(const process_key& key, double t,
                            const std::vector<std::optional<double>>& v,
                            std::vector<history_row>& out) {
    series_state& s = series_[key];
    s.seen = generation_;
    if (s.per_tier.empty()) s.per_tier.resize(tiers_.size());
    for (std::size_t i = 0; i < tiers_.size(); ++i) {
        bucket& b = s.per_tier[i];
        auto idx = static_cast<std::int64_t>(
            std::floor(t * 1000.0 / static_cast<double>(tiers_[i].step_ms)));
        if (b.index != idx) {
            emit(tiers_[i], key, b, out);
            b.index = idx;
            b.t_sum = 0;
            b.points = 0;
            b.sum.assign(v.size(), 0.0);
            b.count.assign(v.size(), 0);
        }
        b.t_sum += t;
        ++b.points;
        for (std::size_t c = 0; c < v.size(); ++c)
            if (v[c]) b.sum[c] += *v[c], ++b.count[c];
    }
}

std::vector<history_row> downsampler::add(const snapshot& snap, const std::set<process_key>& keep) {
    std::vector<history_row> out;
    ++generation_;
    add_point(process_key{}, snap.at.wall, system_values(snap.system), out);
    for (const auto& key : keep)
        if (const auto* p = snap.find(key.pid); p && p->key == key)
            add_point(key, snap.at.wall, process_values(*p), out);
    // Series that ended (exited or unwatched): emit their open buckets.
    for (auto it = series_.begin(); it != series_.end();) {
        if (it->second.seen != generation_) {
            for (std::size_t i = 0; i < tiers_.size(); ++i)
                emit(tiers_[i], it->first, it->second.per_tier[i], out);
            it = series_.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

std::vector<history_row> downsampler::flush() {
    std::vector<history_row> out;
    for (auto& [key, s] : series_)
        for (std::size_t i = 0; i < tiers_.size(); ++i)
            emit(tiers_[i], key, s.per_tier[i], out);
    series_.clear();
    return out;
}

} // namespace procpulse::core
