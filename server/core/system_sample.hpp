#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace procpulse::core {

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
};

} // namespace procpulse::core
