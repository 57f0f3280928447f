#include "core/history.hpp"
#include "core/sorted_merge.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace procpulse::core {

namespace {
constexpr std::uint32_t none_u32 = std::numeric_limits<std::uint32_t>::max();
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

float to_f(const std::optional<double>& v) {
    return v ? static_cast<float>(*v) : nan_f;
}
std::optional<double> from_f(float v) {
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

/** A rate or percentage in tenths, saturating; none_u32 for "unavailable". */
std::uint32_t tenths(const std::optional<double>& v) {
    if (!v || std::isnan(*v) || *v < 0) return none_u32;
    double t = std::round(*v * 10.0);
    return t >= static_cast<double>(none_u32 - 1) ? none_u32 - 1 : static_cast<std::uint32_t>(t);
}
std::optional<double> from_tenths(std::uint32_t v) {
    if (v == none_u32) return std::nullopt;
    return static_cast<double>(v) / 10.0;
}

/** A rate rounded to 0.1, as float bits (for byte rates beyond 32-bit tenths). */
std::uint32_t rate_bits(const std::optional<double>& v) {
    if (!v || std::isnan(*v)) return none_u32;
    return std::bit_cast<std::uint32_t>(static_cast<float>(std::round(*v * 10.0) / 10.0));
}
std::optional<double> from_rate_bits(std::uint32_t b) {
    if (b == none_u32) return std::nullopt;
    return static_cast<double>(std::bit_cast<float>(b));
}
std::uint32_t pages(std::uint64_t bytes, long page) {
    std::uint64_t p = bytes / static_cast<std::uint64_t>(page);
    return p >= none_u32 ? none_u32 - 1 : static_cast<std::uint32_t>(p);
}
} // namespace

history::history(std::size_t capacity, long page_size)
    : capacity_(std::max<std::size_t>(capacity, 1)), page_size_(page_size > 0 ? page_size : 4096) {}

std::uint32_t history::column::at(std::size_t i) const {
    switch (width) {
    case 0:
        return base;
    case 1:
        return base + data[i];
    case 2: {
        std::uint16_t v;
        std::memcpy(&v, data.get() + 2 * i, 2);
        return base + v;
    }
    default: {
        std::uint32_t v;
        std::memcpy(&v, data.get() + 4 * i, 4);
        return base + v;
    }
    }
}

void history::seal(block& b) {
    if (b.sealed) return;
    const std::unique_ptr<std::uint8_t[]> rows = std::move(b.cols[0].data);
    b.sealed = true;
    for (std::size_t col = 0; col < process_column_count; ++col) {
        auto& c = b.cols[col];
        std::uint32_t raw[block_points];
        for (std::size_t i = 0; i < b.count; ++i)
            std::memcpy(&raw[i], rows.get() + 4 * (i * process_column_count + col), 4);
        auto [lo, hi] = std::minmax_element(raw, raw + b.count);
        const std::uint32_t base = *lo, range = *hi - *lo;
        const std::uint8_t width = range == 0 ? 0 : range < 0x100 ? 1 : range < 0x10000 ? 2 : 4;
        c.base = base;
        c.width = width;
        if (width == 0) {
            c.data.reset();
            continue;
        }
        auto data = std::make_unique<std::uint8_t[]>(static_cast<std::size_t>(width) * b.count);
        for (std::size_t i = 0; i < b.count; ++i) {
            std::uint32_t off = raw[i] - base;
            if (width == 1)
                data[i] = static_cast<std::uint8_t>(off);
            else if (width == 2) {
                auto v = static_cast<std::uint16_t>(off);
                std::memcpy(data.get() + 2 * i, &v, 2);
            } else
                std::memcpy(data.get() + 4 * i, &off, 4);
        }
        c.data = std::move(data);
    }
}

std::size_t history::block_bytes(const block& b) {
    std::size_t n = sizeof(block);
    if (!b.sealed) return n + block_points * process_column_count * sizeof(std::uint32_t);
    for (const auto& c : b.cols)
        if (c.data) n += b.count * c.width;
    return n;
}

std::size_t history::track_bytes(const track& t) {
    std::size_t n = sizeof(track) + 64; // map node
    for (const block& b : t.blocks)
        n += block_bytes(b);
    return n;
}

void history::seal_counted(block& b) {
    if (b.sealed) return;
    bytes_ -= block_bytes(b);
    seal(b);
    bytes_ += block_bytes(b);
}

void history::push(track& t, std::uint64_t sweep,
                   const std::array<std::uint32_t, process_column_count>& v) {
    if (t.blocks.empty() || t.blocks.back().count == block_points || t.blocks.back().sealed) {
        if (!t.blocks.empty()) seal_counted(t.blocks.back());
        block& b = t.blocks.emplace_back();
        b.first_sweep = sweep;
        b.cols[0].data = std::make_unique<std::uint8_t[]>(4 * block_points * process_column_count);
        bytes_ += block_bytes(b);
    }
    block& b = t.blocks.back();
    std::memcpy(b.cols[0].data.get() + 4 * process_column_count * b.count, v.data(),
                4 * process_column_count);
    ++b.count;
    t.end_sweep = sweep + 1;
}

bool history::slide(const entry& e, std::uint64_t sweep, std::uint64_t oldest) {
    track& t = *e.t;
    if (t.end_sweep <= oldest) {
        auto l = latest_by_pid_.find(e.key.pid);
        if (l != latest_by_pid_.end() && l->second == e.key) latest_by_pid_.erase(l);
        bytes_ -= track_bytes(t);
        return false;
    }
    if (t.end_sweep < sweep + 1 && !t.blocks.empty())
        seal_counted(t.blocks.back()); // exited: narrow its last partial block (once)
    while (!t.blocks.empty() && t.blocks.front().first_sweep + t.blocks.front().count <= oldest) {
        bytes_ -= block_bytes(t.blocks.front());
        t.blocks.pop_front();
    }
    t.first_sweep = std::max(t.first_sweep, oldest);
    return true;
}

const history::track* history::find(const process_key& key) const {
    auto it = std::lower_bound(procs_.begin(), procs_.end(), key,
                               [](const entry& e, const process_key& k) { return e.key < k; });
    return it != procs_.end() && it->key == key ? it->t.get() : nullptr;
}

namespace {

/** Copies the facts of a live (not zombie) sample into its description. */
void remember_live(history::description& d, const process_sample& p, double time) {
    if (d.cmdline != p.cmdline) d.cmdline = p.cmdline;     // shared: a pointer copy
    if (d.username != p.username) d.username = p.username; // shared (the user name cache)
    d.uid = p.uid;
    d.ppid = p.ppid;
    d.create_time = p.create_time;
    d.nice = p.nice;
    d.num_threads = p.num_threads;
    d.cpu_user = p.cpu_user;
    d.cpu_system = p.cpu_system;
    d.rss = p.rss;
    d.vms = p.vms;
    d.shared = p.shared;
    d.memory_percent = p.memory_percent;
    d.live_time = time;
}

} // namespace

void history::append(const snapshot& snap) {
    const std::uint64_t sweep = next_sweep_++;
    times_.push_back(snap.at.wall);
    const auto& s = snap.system;
    system_.push_back({to_f(s.cpu_percent), static_cast<float>(s.mem_used),
                       static_cast<float>(s.mem_percent), static_cast<float>(s.swap_used),
                       static_cast<float>(s.load1), to_f(s.minor_faults_per_sec),
                       to_f(s.major_faults_per_sec), to_f(s.disk_read_bytes_per_sec),
                       to_f(s.disk_write_bytes_per_sec), to_f(s.net_rx_bytes_per_sec),
                       to_f(s.net_tx_bytes_per_sec)});
    std::vector<float> cores;
    cores.reserve(s.cpu_percent_per_core.size());
    for (const auto& c : s.cpu_percent_per_core)
        cores.push_back(to_f(c));
    core_bytes_ += sizeof(cores) + cores.capacity() * sizeof(float);
    cores_.push_back(std::move(cores));
    // Slide the window. Whole blocks are dropped once all their points are out of it; queries
    // clip to the exact window. A process whose last point left the window is forgotten.
    const std::uint64_t oldest = next_sweep_ > capacity_ ? next_sweep_ - capacity_ : 0;
    while (times_.size() > capacity_) {
        times_.pop_front(), system_.pop_front();
        core_bytes_ -= sizeof(cores_.front()) + cores_.front().capacity() * sizeof(float);
        cores_.pop_front();
    }

    static const std::array<std::uint32_t, process_column_count> gap = {
        none_u32, none_u32, none_u32, none_u32, none_u32, none_u32, none_u32, none_u32, none_u32};
    // The collector lists processes by pid; other producers (tests) may not.
    std::vector<const process_sample*> order;
    order.reserve(snap.processes.size());
    for (const auto& p : snap.processes)
        order.push_back(&p);
    auto by_key = [](const process_sample* a, const process_sample* b) { return a->key < b->key; };
    if (!std::is_sorted(order.begin(), order.end(), by_key))
        std::sort(order.begin(), order.end(), by_key);

    // One merge walk over procs_ (sorted by key) and the sweep's processes: entries are kept in
    // place (moved down over forgotten ones), newcomers are collected and merged in at the end.
    std::size_t next = 0, keep = 0;
    auto keep_next = [&] {
        if (keep != next) procs_[keep] = std::move(procs_[next]);
        ++keep, ++next;
    };
    auto pass_next = [&] { // an entry this sweep has no point for
        if (slide(procs_[next], sweep, oldest))
            keep_next();
        else
            ++next;
    };
    std::vector<entry> fresh;
    const process_sample* prev = nullptr;
    for (const process_sample* pp : order) {
        const process_sample& p = *pp;
        if (prev && prev->key == p.key) continue; // listed twice: one point per sweep
        prev = pp;
        while (next < procs_.size() && procs_[next].key < p.key)
            pass_next();
        const bool known = next < procs_.size() && procs_[next].key == p.key;
        if (!known) {
            fresh.push_back({p.key, std::make_unique<track>()});
            bytes_ += track_bytes(*fresh.back().t);
            fresh.back().t->first_sweep = fresh.back().t->end_sweep = sweep;
            latest_by_pid_[p.key.pid] = p.key;
        }
        track& t = known ? *procs_[next].t : *fresh.back().t;
        if (t.what.name != p.name) t.what.name = p.name; // changes on exec
        if (!p.zombie) remember_live(t.what, p, snap.at.wall);
        // A sweep that missed the process (a transient read failure) leaves nulls.
        while (t.end_sweep < sweep)
            push(t, t.end_sweep, gap);
        push(t, sweep,
             {pages(p.rss, page_size_), pages(p.vms, page_size_),
              p.shared ? pages(*p.shared, page_size_) : none_u32, tenths(p.cpu_percent),
              tenths(p.minor_faults_per_sec), tenths(p.major_faults_per_sec),
              static_cast<std::uint32_t>(std::max<std::int64_t>(p.num_threads, 0)),
              rate_bits(p.read_bytes_per_sec), rate_bits(p.write_bytes_per_sec)});
        if (known) {
            slide(procs_[next], sweep, oldest); // has this sweep's point: never forgotten
            keep_next();
        }
    }
    while (next < procs_.size())
        pass_next();
    finish_merge_walk(procs_, keep, std::move(fresh),
                      [](const entry& a, const entry& b) { return a.key < b.key; });
}

std::pair<std::uint64_t, std::uint64_t> history::sweep_range(double from, double to) const {
    const std::uint64_t base = next_sweep_ - times_.size();
    auto lo = std::lower_bound(times_.begin(), times_.end(), from);
    auto hi = std::upper_bound(times_.begin(), times_.end(), to);
    return {base + static_cast<std::uint64_t>(lo - times_.begin()),
            base + static_cast<std::uint64_t>(hi - times_.begin())};
}

std::optional<series> history::process(const process_key& key, double from, double to) const {
    const track* found = find(key);
    if (!found) return std::nullopt;
    const track& t = *found;
    auto [lo, hi] = sweep_range(from, to);
    lo = std::max(lo, t.first_sweep);
    hi = std::min(hi, t.end_sweep);
    series s;
    s.values.resize(process_column_count);
    if (lo >= hi) return s;
    const std::uint64_t base = next_sweep_ - times_.size();
    const std::size_t n = static_cast<std::size_t>(hi - lo);
    s.t.reserve(n);
    for (auto& c : s.values)
        c.reserve(n);
    const double page = static_cast<double>(page_size_);
    auto u = [](std::uint32_t v, double scale) -> std::optional<double> {
        if (v == none_u32) return std::nullopt;
        return static_cast<double>(v) * scale;
    };
    for (const block& b : t.blocks) {
        for (std::size_t i = 0; i < b.count; ++i) {
            std::uint64_t sw = b.first_sweep + i;
            if (sw < lo) continue;
            if (sw >= hi) return s;
            s.t.push_back(times_[static_cast<std::size_t>(sw - base)]);
            s.values[0].push_back(u(b.value(0, i), page));
            s.values[1].push_back(u(b.value(1, i), page));
            s.values[2].push_back(u(b.value(2, i), page));
            s.values[3].push_back(from_tenths(b.value(3, i)));
            s.values[4].push_back(from_tenths(b.value(4, i)));
            s.values[5].push_back(from_tenths(b.value(5, i)));
            s.values[6].push_back(u(b.value(6, i), 1.0));
            s.values[7].push_back(from_rate_bits(b.value(7, i)));
            s.values[8].push_back(from_rate_bits(b.value(8, i)));
        }
    }
    return s;
}

std::optional<history::description> history::describe(const process_key& key) const {
    const track* t = find(key);
    if (!t) return std::nullopt;
    description d = t->what;
    const std::uint64_t base = next_sweep_ - times_.size();
    if (t->end_sweep < next_sweep_ && t->end_sweep >= base)
        d.exit_time = times_[static_cast<std::size_t>(t->end_sweep - base)];
    return d;
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
        const auto& cores = cores_[idx];
        if (cores.size() > s.per_core.size()) // a core came online: earlier points are gaps
            s.per_core.resize(cores.size(),
                              std::vector<std::optional<double>>(s.t.size() - 1, std::nullopt));
        for (std::size_t c = 0; c < s.per_core.size(); ++c)
            s.per_core[c].push_back(c < cores.size() ? from_f(cores[c]) : std::nullopt);
    }
    return s;
}

std::size_t history::count_memory_bytes() const {
    std::size_t n = times_.size() * sizeof(double) + system_.size() * sizeof(system_[0]);
    for (const auto& c : cores_)
        n += sizeof(c) + c.capacity() * sizeof(float);
    for (const auto& e : procs_)
        n += track_bytes(*e.t);
    return n;
}

} // namespace procpulse::core
