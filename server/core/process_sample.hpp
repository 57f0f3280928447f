#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace procpulse::core {

/** A process's identity: a PID that is reused gets a new start time, hence a new key. */
struct process_key {
    int pid = 0;
    std::uint64_t start_ticks = 0; // /proc/PID/stat (22), clock ticks after boot
    friend bool operator==(const process_key&, const process_key&) = default;
    friend auto operator<=>(const process_key&, const process_key&) = default;
};

/** Bits of process_sample::unavailable: the file that could not be read for this process. */
enum unavailable_bits : std::uint8_t {
    unavailable_io = 1,      ///< read_bytes, write_bytes, … and their rates are null
    unavailable_status = 2,  ///< username, ctx switches are null
    unavailable_cmdline = 4, ///< cmdline is empty because it could not be read
    unavailable_statm =
        8, ///< memory figures fall back to stat's vsize/rss (shared, text, data null)
};

/**
 * One process at one sweep, with psutil's names and meanings. Rates are absent on the first sample
 * of a process (there is nothing to divide by yet) and absent, never 0, when their source file
 * could not be read. Immutable once published in a snapshot; the strings are shared between
 * snapshots, so a copy is cheap.
 */
struct process_sample {
    process_key key;
    int ppid = 0;
    std::string name;
    std::shared_ptr<const std::string> cmdline;  // arguments joined by spaces
    std::shared_ptr<const std::string> username; // null when status is unavailable
    std::optional<std::uint32_t> uid;
    char state = '?';
    const char* status = "unknown"; // psutil's word for state (static storage)
    double create_time = 0;         // seconds since the epoch
    std::int64_t nice = 0;
    std::int64_t num_threads = 0;
    bool kernel_thread = false;
    bool zombie = false;

    double cpu_user = 0;               // seconds
    double cpu_system = 0;             // seconds
    std::optional<double> cpu_percent; // 100 = one core, over the gap since the previous sweep

    std::uint64_t rss = 0, vms = 0;
    std::optional<std::uint64_t> shared, text, data; // bytes, from statm
    double memory_percent = 0;                       // rss / MemTotal × 100

    std::uint64_t minor_faults = 0, major_faults = 0;
    std::optional<double> minor_faults_per_sec, major_faults_per_sec;

    std::optional<std::uint64_t> ctx_switches_voluntary, ctx_switches_involuntary;

    std::optional<std::uint64_t> read_bytes, write_bytes, read_chars, write_chars, read_count,
        write_count;
    std::optional<double> read_bytes_per_sec, write_bytes_per_sec;

    std::uint8_t unavailable = 0; // unavailable_bits
    /**
     * Seconds since statm, status and cmdline were read, when this sample carries their figures
     * from an earlier full read (a light sweep of an idle process); nullopt when read now.
     */
    std::optional<double> detail_age;
};

/** Names of the unavailable bits that are set ("io", "status", …). */
std::vector<const char*> unavailable_names(std::uint8_t bits);

/** psutil's status word for a /proc state letter. */
const char* status_word(char state);

} // namespace procpulse::core
