#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace procpulse::core {

/** Most disks, interfaces and mounted file systems one system sample lists (bounded messages). */
inline constexpr std::size_t max_system_devices = 64;

/** One block device of /proc/diskstats, with rates over the gap since the previous sweep. */
struct disk_sample {
    std::string name;
    std::optional<double> read_bytes_per_sec, write_bytes_per_sec;
    std::optional<double> reads_per_sec, writes_per_sec; // IOPS
    std::optional<double> busy_percent; // share of the gap with I/O in flight, 0–100
};

/** One network interface of /proc/net/dev: rates, and the error and drop counters since it rose. */
struct net_sample {
    std::string name;
    std::optional<double> rx_bytes_per_sec, tx_bytes_per_sec;
    std::optional<double> rx_packets_per_sec, tx_packets_per_sec;
    std::uint64_t rx_errors = 0, tx_errors = 0, rx_drops = 0, tx_drops = 0;
};

/** Usage of one mounted file system (statvfs), df's definitions. */
struct fs_sample {
    std::string mount_point, fs_type, device;
    std::uint64_t size = 0, used = 0, available = 0;
    double percent = 0; // used / (used + available), as df's Use%
};

/** System-wide figures for one sweep, with psutil's definitions. Rates are absent on the first. */
struct system_sample {
    // virtual_memory()
    std::uint64_t mem_total = 0, mem_available = 0, mem_used = 0, mem_free = 0;
    std::uint64_t mem_buffers = 0, mem_cached = 0, mem_shared = 0;
    double mem_percent = 0;
    // swap_memory()
    std::uint64_t swap_total = 0, swap_used = 0, swap_free = 0;
    double swap_percent = 0;
    std::optional<double> swap_in_pages_per_sec, swap_out_pages_per_sec;
    // cpu_percent() overall and per core
    std::optional<double> cpu_percent;
    std::vector<std::optional<double>> cpu_percent_per_core;
    std::uint32_t cpu_count = 0;
    double load1 = 0, load5 = 0, load15 = 0;
    double uptime = 0;    // seconds
    double boot_time = 0; // seconds since the epoch
    std::uint32_t process_count = 0, thread_count = 0;
    std::uint32_t procs_running = 0, procs_blocked = 0;
    std::optional<double> minor_faults_per_sec, major_faults_per_sec;
    std::optional<double> ctx_switches_per_sec;
    // Block devices (whole disks and partitions; loop and ram devices and never-used ones left
    // out), network interfaces and file systems, each at most max_system_devices, in file order.
    std::vector<disk_sample> disks;
    std::vector<net_sample> net;
    std::vector<fs_sample> filesystems;
    /// Sums over whole disks (partitions and device-mapper/md devices, which repeat the I/O of
    /// the disks beneath them, are left out) and over interfaces other than lo.
    std::optional<double> disk_read_bytes_per_sec, disk_write_bytes_per_sec;
    std::optional<double> net_rx_bytes_per_sec, net_tx_bytes_per_sec;
};

} // namespace procpulse::core
