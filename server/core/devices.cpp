#include "core/devices.hpp"

#include "core/rates.hpp"

#include <algorithm>

namespace procpulse::core {
namespace {

bool starts_with(const std::string& s, std::string_view p) {
    return s.size() >= p.size() && std::string_view(s).substr(0, p.size()) == p;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/** The previous reading of a device: at the same index when the order held, else by name. */
template <class T>
const T* find_prev(const std::vector<T>* prev, std::size_t i, const std::string& name) {
    if (!prev) return nullptr;
    if (i < prev->size() && (*prev)[i].name == name) return &(*prev)[i];
    for (const auto& p : *prev)
        if (p.name == name) return &p;
    return nullptr;
}

void add_to(std::optional<double>& total, const std::optional<double>& v) {
    if (v) total = total.value_or(0) + *v;
}

} // namespace

std::vector<procfs::disk_stat> listed_disks(std::vector<procfs::disk_stat> all, std::size_t cap) {
    std::vector<procfs::disk_stat> out;
    for (auto& d : all) {
        if (out.size() >= cap) break;
        if (starts_with(d.name, "loop") || starts_with(d.name, "ram")) continue;
        if (d.reads == 0 && d.writes == 0) continue;
        out.push_back(std::move(d));
    }
    return out;
}

bool counts_in_disk_total(const std::string& name, const std::vector<procfs::disk_stat>& all) {
    if (starts_with(name, "dm-") || (starts_with(name, "md") && all_digits(name.substr(2))))
        return false;
    for (const auto& d : all) {
        if (d.name.size() >= name.size() || !starts_with(name, d.name)) continue;
        std::string_view rest = std::string_view(name).substr(d.name.size());
        if (all_digits(rest) || (rest.size() > 1 && rest[0] == 'p' && all_digits(rest.substr(1))))
            return false;
    }
    return true;
}

void disk_rates(const std::vector<procfs::disk_stat>* prev,
                const std::vector<procfs::disk_stat>& cur, double seconds, system_sample& out) {
    constexpr auto sector = procfs::diskstats_sector_bytes;
    out.disks.clear();
    out.disks.reserve(cur.size());
    out.disk_read_bytes_per_sec = out.disk_write_bytes_per_sec = std::nullopt;
    bool any_prev = false;
    for (std::size_t i = 0; i < cur.size(); ++i) {
        const auto& c = cur[i];
        disk_sample d;
        d.name = c.name;
        if (const auto* p = find_prev(prev, i, c.name)) {
            any_prev = true;
            d.read_bytes_per_sec =
                counter_rate(p->sectors_read * sector, c.sectors_read * sector, seconds);
            d.write_bytes_per_sec =
                counter_rate(p->sectors_written * sector, c.sectors_written * sector, seconds);
            d.reads_per_sec = counter_rate(p->reads, c.reads, seconds);
            d.writes_per_sec = counter_rate(p->writes, c.writes, seconds);
            if (auto ms = counter_rate(p->io_ms, c.io_ms, seconds))
                d.busy_percent = std::min(100.0, *ms / 10.0); // ms per second -> percent
            if (counts_in_disk_total(c.name, cur)) {
                add_to(out.disk_read_bytes_per_sec, d.read_bytes_per_sec);
                add_to(out.disk_write_bytes_per_sec, d.write_bytes_per_sec);
            }
        }
        out.disks.push_back(std::move(d));
    }
    if (any_prev && !out.disk_read_bytes_per_sec && seconds > 0) // only partitions or none
        out.disk_read_bytes_per_sec = out.disk_write_bytes_per_sec = 0.0;
}

void net_rates(const std::vector<procfs::net_dev_stat>* prev,
               const std::vector<procfs::net_dev_stat>& cur, double seconds, system_sample& out) {
    out.net.clear();
    out.net.reserve(cur.size());
    out.net_rx_bytes_per_sec = out.net_tx_bytes_per_sec = std::nullopt;
    bool any_prev = false;
    for (std::size_t i = 0; i < cur.size(); ++i) {
        const auto& c = cur[i];
        net_sample n;
        n.name = c.name;
        n.rx_errors = c.rx_errors;
        n.tx_errors = c.tx_errors;
        n.rx_drops = c.rx_drops;
        n.tx_drops = c.tx_drops;
        if (const auto* p = find_prev(prev, i, c.name)) {
            any_prev = true;
            n.rx_bytes_per_sec = counter_rate(p->rx_bytes, c.rx_bytes, seconds);
            n.tx_bytes_per_sec = counter_rate(p->tx_bytes, c.tx_bytes, seconds);
            n.rx_packets_per_sec = counter_rate(p->rx_packets, c.rx_packets, seconds);
            n.tx_packets_per_sec = counter_rate(p->tx_packets, c.tx_packets, seconds);
            if (c.name != "lo") {
                add_to(out.net_rx_bytes_per_sec, n.rx_bytes_per_sec);
                add_to(out.net_tx_bytes_per_sec, n.tx_bytes_per_sec);
            }
        }
        out.net.push_back(std::move(n));
    }
    if (any_prev && !out.net_rx_bytes_per_sec && seconds > 0) // only lo
        out.net_rx_bytes_per_sec = out.net_tx_bytes_per_sec = 0.0;
}

fs_sample fs_line(const procfs::mount_entry& m, const procfs::fs_usage& u) {
    fs_sample f;
    f.mount_point = m.mount_point;
    f.fs_type = m.fs_type;
    f.device = m.source;
    f.size = u.size;
    f.available = std::min(u.available, u.size);
    f.used = u.size >= u.free ? u.size - u.free : 0;
    const double denom = static_cast<double>(f.used) + static_cast<double>(f.available);
    f.percent = denom > 0 ? 100.0 * static_cast<double>(f.used) / denom : 0;
    return f;
}

} // namespace procpulse::core
