#include "protocol/records.hpp"

#include <boost/json/array.hpp>
#include <cmath>

namespace procpulse::protocol {

namespace json = boost::json;

double round_to(double v, int digits) {
    static constexpr double scale[] = {1, 10, 100, 1000, 10000};
    double s = scale[digits < 0 ? 0 : digits > 4 ? 4 : digits];
    double r = std::round(v * s) / s;
    return r == 0 ? 0.0 : r; // no "-0"
}

namespace {

json::value opt(const std::optional<std::uint64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<double>& v, int digits) {
    return v ? json::value(round_to(*v, digits)) : json::value(nullptr);
}

} // namespace

json::object process_facts(const core::process_key& key, const core::history::description& d) {
    json::object o;
    o["pid"] = key.pid;
    o["start"] = key.start_ticks;
    o["name"] = d.name;
    o["cmdline"] = d.cmdline ? json::string_view(*d.cmdline) : json::string_view();
    if (d.live_time == 0) { // a zombie since it was first seen: nothing live is known
        o["exit_time"] =
            d.exit_time ? json::value(round_to(*d.exit_time, 3)) : json::value(nullptr);
        return o;
    }
    o["ppid"] = d.ppid;
    o["username"] = d.username ? json::value(json::string_view(*d.username)) : json::value(nullptr);
    o["uid"] = d.uid ? json::value(*d.uid) : json::value(nullptr);
    o["create_time"] = round_to(d.create_time, 2);
    o["nice"] = d.nice;
    o["num_threads"] = d.num_threads;
    o["cpu_user"] = round_to(d.cpu_user, 2);
    o["cpu_system"] = round_to(d.cpu_system, 2);
    o["rss"] = d.rss;
    o["vms"] = d.vms;
    o["shared"] = opt(d.shared);
    o["memory_percent"] = round_to(d.memory_percent, 2);
    o["live_time"] = round_to(d.live_time, 3);
    o["exit_time"] = d.exit_time ? json::value(round_to(*d.exit_time, 3)) : json::value(nullptr);
    return o;
}

json::object process_record(const core::process_sample& p) {
    json::object o;
    o.reserve(40);
    o["pid"] = p.key.pid;
    o["start"] = p.key.start_ticks;
    o["ppid"] = p.ppid;
    o["name"] = p.name;
    o["cmdline"] = p.cmdline ? json::string_view(*p.cmdline) : json::string_view();
    o["username"] = p.username ? json::value(json::string_view(*p.username)) : json::value(nullptr);
    o["uid"] = p.uid ? json::value(*p.uid) : json::value(nullptr);
    o["status"] = p.status;
    o["create_time"] = round_to(p.create_time, 2);
    o["nice"] = p.nice;
    o["num_threads"] = p.num_threads;
    o["kernel_thread"] = p.kernel_thread;
    o["zombie"] = p.zombie;
    o["cpu_percent"] = opt(p.cpu_percent, 1);
    o["cpu_user"] = round_to(p.cpu_user, 2);
    o["cpu_system"] = round_to(p.cpu_system, 2);
    o["rss"] = p.rss;
    o["vms"] = p.vms;
    o["shared"] = opt(p.shared);
    o["text"] = opt(p.text);
    o["data"] = opt(p.data);
    o["memory_percent"] = round_to(p.memory_percent, 2);
    o["minor_faults"] = p.minor_faults;
    o["major_faults"] = p.major_faults;
    o["minor_faults_per_sec"] = opt(p.minor_faults_per_sec, 1);
    o["major_faults_per_sec"] = opt(p.major_faults_per_sec, 1);
    o["ctx_switches_voluntary"] = opt(p.ctx_switches_voluntary);
    o["ctx_switches_involuntary"] = opt(p.ctx_switches_involuntary);
    o["read_bytes"] = opt(p.read_bytes);
    o["write_bytes"] = opt(p.write_bytes);
    o["read_chars"] = opt(p.read_chars);
    o["write_chars"] = opt(p.write_chars);
    o["read_count"] = opt(p.read_count);
    o["write_count"] = opt(p.write_count);
    o["read_bytes_per_sec"] = opt(p.read_bytes_per_sec, 1);
    o["write_bytes_per_sec"] = opt(p.write_bytes_per_sec, 1);
    json::array un;
    for (const char* n : core::unavailable_names(p.unavailable))
        un.emplace_back(n);
    o["unavailable"] = std::move(un);
    // Only on samples that carry statm/status/cmdline figures from an earlier read.
    if (p.detail_age) o["detail_age"] = round_to(*p.detail_age, 1);
    return o;
}

json::object system_record(const core::system_sample& s, double timestamp) {
    json::object o;
    o.reserve(40);
    o["timestamp"] = round_to(timestamp, 3);
    json::object mem;
    mem["total"] = s.mem_total;
    mem["available"] = s.mem_available;
    mem["used"] = s.mem_used;
    mem["free"] = s.mem_free;
    mem["percent"] = round_to(s.mem_percent, 1);
    mem["buffers"] = s.mem_buffers;
    mem["cached"] = s.mem_cached;
    mem["shared"] = s.mem_shared;
    o["memory"] = std::move(mem);
    json::object swap;
    swap["total"] = s.swap_total;
    swap["used"] = s.swap_used;
    swap["free"] = s.swap_free;
    swap["percent"] = round_to(s.swap_percent, 1);
    swap["in_pages_per_sec"] = opt(s.swap_in_pages_per_sec, 1);
    swap["out_pages_per_sec"] = opt(s.swap_out_pages_per_sec, 1);
    o["swap"] = std::move(swap);
    json::object cpu;
    cpu["count"] = s.cpu_count;
    cpu["percent"] = opt(s.cpu_percent, 1);
    json::array per;
    for (const auto& c : s.cpu_percent_per_core)
        per.push_back(opt(c, 1));
    cpu["per_core"] = std::move(per);
    o["cpu"] = std::move(cpu);
    o["load"] = json::array{round_to(s.load1, 2), round_to(s.load5, 2), round_to(s.load15, 2)};
    o["uptime"] = round_to(s.uptime, 0);
    o["boot_time"] = s.boot_time;
    o["process_count"] = s.process_count;
    o["thread_count"] = s.thread_count;
    o["procs_running"] = s.procs_running;
    o["procs_blocked"] = s.procs_blocked;
    o["minor_faults_per_sec"] = opt(s.minor_faults_per_sec, 1);
    o["major_faults_per_sec"] = opt(s.major_faults_per_sec, 1);
    o["ctx_switches_per_sec"] = opt(s.ctx_switches_per_sec, 1);
    // Devices are objects keyed by name, so that a delta patches the one that changed.
    json::object disks;
    for (const auto& d : s.disks)
        disks[d.name] = json::object{{"read_bytes_per_sec", opt(d.read_bytes_per_sec, 0)},
                                     {"write_bytes_per_sec", opt(d.write_bytes_per_sec, 0)},
                                     {"reads_per_sec", opt(d.reads_per_sec, 1)},
                                     {"writes_per_sec", opt(d.writes_per_sec, 1)},
                                     {"busy_percent", opt(d.busy_percent, 1)}};
    o["disks"] = std::move(disks);
    json::object net;
    for (const auto& n : s.net)
        net[n.name] = json::object{{"rx_bytes_per_sec", opt(n.rx_bytes_per_sec, 0)},
                                   {"tx_bytes_per_sec", opt(n.tx_bytes_per_sec, 0)},
                                   {"rx_packets_per_sec", opt(n.rx_packets_per_sec, 1)},
                                   {"tx_packets_per_sec", opt(n.tx_packets_per_sec, 1)},
                                   {"rx_errors", n.rx_errors},
                                   {"tx_errors", n.tx_errors},
                                   {"rx_drops", n.rx_drops},
                                   {"tx_drops", n.tx_drops}};
    o["net"] = std::move(net);
    json::object fs;
    for (const auto& f : s.filesystems)
        fs[f.mount_point] = json::object{
            {"device", f.device}, {"type", f.fs_type},        {"size", f.size},
            {"used", f.used},     {"available", f.available}, {"percent", round_to(f.percent, 1)}};
    o["filesystems"] = std::move(fs);
    json::object io;
    io["disk_read_bytes_per_sec"] = opt(s.disk_read_bytes_per_sec, 0);
    io["disk_write_bytes_per_sec"] = opt(s.disk_write_bytes_per_sec, 0);
    io["net_rx_bytes_per_sec"] = opt(s.net_rx_bytes_per_sec, 0);
    io["net_tx_bytes_per_sec"] = opt(s.net_tx_bytes_per_sec, 0);
    o["io"] = std::move(io);
    return o;
}

} // namespace procpulse::protocol
