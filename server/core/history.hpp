#pragma once
/** In-memory history of every process and of the system, in fixed-capacity rings. */
#include "core/snapshot.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace procpulse::core {

/** Column names of process history, in the order of process_series::values. */
inline constexpr const char* process_columns[] = {"rss",
                                                  "vms",
                                                  "shared",
                                                  "cpu_percent",
                                                  "minor_faults_per_sec",
                                                  "major_faults_per_sec",
                                                  "num_threads",
                                                  "read_bytes_per_sec",
                                                  "write_bytes_per_sec"};
inline constexpr std::size_t process_column_count = 9;

/** Column names of system history, in the order of system_series::values. */
inline constexpr const char* system_columns[] = {"cpu_percent",
                                                 "mem_used",
                                                 "mem_percent",
                                                 "swap_used",
                                                 "load1",
                                                 "minor_faults_per_sec",
                                                 "major_faults_per_sec",
                                                 "disk_read_bytes_per_sec",
                                                 "disk_write_bytes_per_sec",
                                                 "net_rx_bytes_per_sec",
                                                 "net_tx_bytes_per_sec"};
inline constexpr std::size_t system_column_count = 11;

/** Name of the per-core CPU column of system history (an array of arrays, one per core). */
inline constexpr const char* per_core_column = "cpu_percent_per_core";

/** Columns of history: times plus one array per column; nullopt where a value was unavailable. */
struct series {
    std::vector<double> t;
    std::vector<std::vector<std::optional<double>>> values; // [column][point]
    /// System history from memory only: CPU percent of each core, [core][point] (empty for
    /// processes and for the store's tiers, which keep the overall figure only).
    std::vector<std::vector<std::optional<double>>> per_core;
};

/**
 * History of every process seen (keyed by pid and start time) and of the system, one point per
 * sweep, for the last `capacity` sweeps. A process that exits stays queryable until its last point
 * leaves the window. Points are stored compactly (see `column`): about 1 byte per point for an idle
 * process.
 * Not thread-safe: the owner serialises access.
 */
class history {
public:
    history(std::size_t capacity, long page_size);

    /** Appends one sweep. Snapshots must come in order. */
    void append(const snapshot& snap);

    /** Points of a process within [from, to] (seconds since the epoch); nullopt if unknown. */
    std::optional<series> process(const process_key& key, double from, double to) const;

    /**
     * What history knows of a process besides its points (kept after it exited): its name and
     * facts from its last live sample (a zombie's samples do not overwrite them: its memory is
     * gone and its command line empty), and when it exited.
     */
    struct description {
        std::string name;
        std::shared_ptr<const std::string> cmdline;
        std::shared_ptr<const std::string> username;
        std::optional<std::uint32_t> uid;
        int ppid = 0;
        double create_time = 0;
        std::int64_t nice = 0;
        std::int64_t num_threads = 0;
        double cpu_user = 0, cpu_system = 0;
        std::uint64_t rss = 0, vms = 0;
        std::optional<std::uint64_t> shared;
        double memory_percent = 0;
        /** Time of the last sample that was not a zombie's; 0 if it was one from the start. */
        double live_time = 0;
        /**
         * Time of the first sweep that no longer held the process (the time of the `gone` that
         * sweep's tick sends); nullopt while the latest sweep holds it. Set by describe().
         */
        std::optional<double> exit_time;
    };
    std::optional<description> describe(const process_key& key) const;

    /** The newest process with this pid (live or exited) that history knows. */
    std::optional<process_key> latest_key(int pid) const;

    /** System points within [from, to]. */
    series system(double from, double to) const;

    std::size_t capacity() const { return capacity_; }
    std::size_t process_count() const { return procs_.size(); }
    /** Bytes held by point storage (for the benchmarks and /metrics); kept as a running count. */
    std::size_t memory_bytes() const {
        return bytes_ + times_.size() * sizeof(double) + system_.size() * sizeof(system_[0]) +
               core_bytes_;
    }
    /** The same figure counted afresh by walking every block (tests check the running count). */
    std::size_t count_memory_bytes() const;

private:
    /**
     * Points are kept in blocks of 64 per process. A block holds raw 32-bit values while it
     * fills; when it is full it is narrowed column by column to the minimum plus 0-, 1-, 2-
     * or 4-byte offsets (a column whose values are all equal, such as an idle process's RSS or a
     * CPU of 0.0, keeps one value). Values are quantised before storing (pages; CPU and fault
     * rates in tenths) so that noise does not defeat the narrowing.
     */
    static constexpr std::size_t block_points = 64;
    struct column {
        std::uint32_t base = 0; ///< the value itself (width 0), or the minimum of the block
        std::uint8_t width = 4; ///< bytes per stored offset: 0 (constant), 1, 2 or 4
        std::unique_ptr<std::uint8_t[]> data; // offsets from base, `width` bytes each
        std::uint32_t at(std::size_t i) const;
    };
    struct block {
        std::uint64_t first_sweep = 0;
        std::uint8_t count = 0;
        bool sealed = false; ///< narrowed: no more points go in
        /// Once sealed: narrowed columns. While filling, cols[0].data holds the raw 32-bit values
        /// row by row instead (a point's columns side by side, so appending a point touches one
        /// place, not one per column) and the other columns are empty.
        std::array<column, process_column_count> cols;
        std::uint32_t value(std::size_t c, std::size_t i) const {
            if (sealed) return cols[c].at(i);
            std::uint32_t v;
            std::memcpy(&v, cols[0].data.get() + 4 * (i * process_column_count + c), 4);
            return v;
        }
    };
    struct track {
        std::uint64_t first_sweep = 0; // sweep of the first stored point
        std::uint64_t end_sweep = 0;   // one past the last stored point
        std::deque<block> blocks;
        description what;
    };
    struct entry {
        process_key key;
        std::unique_ptr<track> t;
    };

    /** The entry of a key, or null. */
    const track* find(const process_key& key) const;
    /**
     * Slides a track's window; false when its last point left it (the track is then released and
     * its entry must be dropped).
     */
    bool slide(const entry& e, std::uint64_t sweep, std::uint64_t oldest);
    void push(track& t, std::uint64_t sweep,
              const std::array<std::uint32_t, process_column_count>& v);
    /** seal() with the running byte count kept. */
    void seal_counted(block& b);
    static void seal(block& b);
    static std::size_t block_bytes(const block& b);
    static std::size_t track_bytes(const track& t);

    /** Index range [lo, hi) of sweeps whose time lies in [from, to]. */
    std::pair<std::uint64_t, std::uint64_t> sweep_range(double from, double to) const;

    std::size_t capacity_;
    long page_size_;
    std::uint64_t next_sweep_ = 0; // index the next appended sweep gets
    std::deque<double> times_;     // times of sweeps [next_sweep_ - times_.size(), next_sweep_)
    std::deque<std::array<float, system_column_count>> system_;
    std::deque<std::vector<float>> cores_; // per-core CPU percent of each sweep, beside system_
    std::size_t core_bytes_ = 0;           // held by cores_
    /// Every process history knows, sorted by key: append walks it in step with the snapshot
    /// (sorted by pid) instead of hashing each process into memory that has gone cold since the
    /// previous sweep.
    std::vector<entry> procs_;
    std::unordered_map<int, process_key> latest_by_pid_;
    std::size_t bytes_ = 0; // point storage of procs_ (system_ and times_ are added on read)
};

} // namespace procpulse::core
