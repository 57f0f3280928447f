#include "core/history.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace procpulse::core {

namespace {
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr std::uint32_t none_u32 = std::numeric_limits<std::uint32_t>::max();

float to_f(const std::optional<double>& v) { return v ? static_cast<float>(*v) : nan_f; }
std::optional<double> from_f(float v) {
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}
std::uint32_t pages(std::uint64_t bytes, long page) {
    std::uint64_t p = bytes / static_cast<std::uint64_t>(page);
    return p >= none_u32 ? none_u32 - 1 : static_cast<std::uint32_t>(p);
}
} // namespace

history::history(std::size_t capacity, long page_size)
    : capacity_(std::max<std::size_t>(capacity, 1)), page_size_(page_size > 0 ? page_size : 4096) {}

void history::append(const snapshot& snap) {
    const std::uint64_t sweep = next_sweep_++;
    times_.push_back(snap.at.wall);
    const auto& s = snap.system;
    system_.push_back({to_f(s.cpu_percent), static_cast<float>(s.mem_used),
                       static_cast<float>(s.mem_percent), static_cast<float>(s.swap_used),
                       static_cast<float>(s.load1), to_f(s.minor_faults_per_sec),
                       to_f(s.major_faults_per_sec)});
    for (const auto& p : snap.processes) {
        auto [it, fresh] = procs_.try_emplace(p.key);
        track& t = it->second;
        if (fresh) {
            t.first_sweep = sweep;
            latest_by_pid_[p.key.pid] = p.key;
        } else {
            // A sweep that missed the process (transient read failure) leaves a gap of nulls.
            while (t.first_sweep + t.points.size() < sweep)
                t.points.push_back({nan_f, nan_f, nan_f, nan_f, nan_f, none_u32, none_u32, none_u32,
                                    none_u32});
        }
        t.points.push_back({to_f(p.cpu_percent), to_f(p.minor_faults_per_sec),
                            to_f(p.major_faults_per_sec), to_f(p.read_bytes_per_sec),
                            to_f(p.write_bytes_per_sec), pages(p.rss, page_size_),
                            pages(p.vms, page_size_),
                            p.shared ? pages(*p.shared, page_size_) : none_u32,
                            static_cast<std::uint32_t>(std::max<std::int64_t>(p.num_threads, 0))});
    }
    // Slide the window: drop points older than capacity sweeps, and processes left empty.
    const std::uint64_t oldest = next_sweep_ > capacity_ ? next_sweep_ - capacity_ : 0;
    while (times_.size() > capacity_) times_.pop_front(), system_.pop_front();
    for (auto it = procs_.begin(); it != procs_.end();) {
        track& t = it->second;
        while (!t.points.empty() && t.first_sweep < oldest) t.points.pop_front(), ++t.first_sweep;
        if (t.points.empty()) {
            auto l = latest_by_pid_.find(it->first.pid);
            if (l != latest_by_pid_.end() && l->second == it->first) latest_by_pid_.erase(l);
            it = procs_.erase(it);
        } else {
            ++it;
        }
    }
}

std::pair<std::uint64_t, std::uint64_t> history::sweep_range(double from, double to) const {
    const std::uint64_t base = next_sweep_ - times_.size();
    auto lo = std::lower_bound(times_.begin(), times_.end(), from);
    auto hi = std::upper_bound(times_.begin(), times_.end(), to);
    return {base + static_cast<std::uint64_t>(lo - times_.begin()),
            base + static_cast<std::uint64_t>(hi - times_.begin())};
}

std::optional<series> history::process(const process_key& key, double from, double to) const {
    auto it = procs_.find(key);
    if (it == procs_.end()) return std::nullopt;
    const track& t = it->second;
    auto [lo, hi] = sweep_range(from, to);
    lo = std::max(lo, t.first_sweep);
    hi = std::min<std::uint64_t>(hi, t.first_sweep + t.points.size());
    series s;
    s.values.resize(process_column_count);
    if (lo >= hi) return s;
    const std::uint64_t base = next_sweep_ - times_.size();
    const std::size_t n = static_cast<std::size_t>(hi - lo);
    s.t.reserve(n);
    for (auto& c : s.values) c.reserve(n);
    const double page = static_cast<double>(page_size_);
    auto u = [page](std::uint32_t v, bool is_pages) -> std::optional<double> {
        if (v == none_u32) return std::nullopt;
        return is_pages ? v * page : static_cast<double>(v);
    };
    for (std::uint64_t i = lo; i < hi; ++i) {
        const point& p = t.points[static_cast<std::size_t>(i - t.first_sweep)];
        s.t.push_back(times_[static_cast<std::size_t>(i - base)]);
        s.values[0].push_back(u(p.rss_pages, true));
        s.values[1].push_back(u(p.vms_pages, true));
        s.values[2].push_back(u(p.shared_pages, true));
        s.values[3].push_back(from_f(p.cpu_percent));
        s.values[4].push_back(from_f(p.minor_fps));
        s.values[5].push_back(from_f(p.major_fps));
        s.values[6].push_back(u(p.num_threads, false));
        s.values[7].push_back(from_f(p.read_bps));
        s.values[8].push_back(from_f(p.write_bps));
    }
    return s;
}

std::optional<process_key> history::latest_key(int pid) const {
    auto it = latest_by_pid_.find(pid);
    if (it == latest_by_pid_.end()) return std::nullopt;
    return it->second;
}

series history::system(double from, double to) const {
    series s;
    s.values.resize(system_column_count);
    auto [lo, hi] = sweep_range(from, to);
    const std::uint64_t base = next_sweep_ - times_.size();
    for (std::uint64_t i = lo; i < hi; ++i) {
        auto idx = static_cast<std::size_t>(i - base);
        s.t.push_back(times_[idx]);
        for (std::size_t c = 0; c < system_column_count; ++c)
            s.values[c].push_back(from_f(system_[idx][c]));
    }
    return s;
}

std::size_t history::memory_bytes() const {
    std::size_t n = times_.size() * sizeof(double) + system_.size() * sizeof(system_[0]);
    for (const auto& [k, t] : procs_) n += t.points.size() * sizeof(point) + sizeof(track);
    return n;
}

} // namespace procpulse::core
