#pragma once
#include "core/snapshot.hpp"
#include "procfs/fs_usage.hpp"
#include "procfs/root.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace procpulse::core {

/** Machine constants the collector needs; the shell fills them from sysconf(). */
struct collector_options {
    long clk_tck = 100;
    long page_size = 4096;
    bool keep_open = true; ///< keep per-process files open between sweeps (pread)
    /**
     * 0: read stat, statm, status and io of every process every sweep. N > 0: a process whose stat
     * shows no activity since the last sweep (same CPU ticks, faults, threads and state) gets its
     * RSS and VMS from stat, and its statm and status figures (shared/text/data, context
     * switches) re-read only every N sweeps; io is read every sweep (a writer with almost no CPU
     * shows nothing in stat), and a change in it makes the read a full one. Processes in the focus
     * list always get every file.
     */
    int full_read_every = 0;
    /**
     * Most file descriptors the per-process files may hold between sweeps (with keep_open), each
     * kept process counted at its most (procfs::pid_dir::max_fds). Processes beyond the budget are
     * read with open/read/close every sweep; focus pids, then processes busy in the last sweep,
     * then those already kept get kept files first. The shell derives it from RLIMIT_NOFILE
     * (README: "File descriptors"); the default bounds nothing.
     */
    std::size_t fd_budget = std::numeric_limits<std::size_t>::max();
    /**
     * statvfs of a mount point, for the file system usage of the system sample (the mounts come
     * from self/mountinfo under the root). The shell passes procfs::read_fs_usage; tests pass a
     * table. Empty: no file systems are listed.
     */
    std::function<std::optional<procfs::fs_usage>(const std::string& mount_point)> fs_stat;
};

/**
 * The fd budget for kept /proc files under a descriptor limit (RLIMIT_NOFILE): half the limit, and
 * never more than what the connections (two descriptors each at most: the socket and a file being
 * served) and a reserve of 64 (listener, SQLite, io_context, system files) leave over:
 * max(0, min(limit / 2, limit - 2 * max_connections - 64)).
 */
std::size_t fd_budget_for(std::uint64_t nofile_limit, std::size_t max_connections);

/** Resolves a uid to a user name (the shell passes getpwuid_r; tests pass a table). */
using user_lookup = std::function<std::string(std::uint32_t uid)>;

/** A file that could not be read for a process. Reported once per process and file. */
struct problem {
    process_key key;
    std::string name;
    procfs::pid_file file;
    procfs::read_status status;
};

/**
 * A sweep ran out of file descriptors (EMFILE or ENFILE): the collector released its kept files,
 * re-read in open/read/close mode and lowered its budget. Reported once per episode: the next
 * report comes after the budget has grown back to the configured one.
 */
struct fd_exhaustion {
    std::size_t released = 0; ///< descriptors that kept files held when it happened
    std::size_t budget = 0;   ///< the budget in force from now on
};

/**
 * Sweeps a /proc root and turns two consecutive readings into samples with rates. Keeps per-process
 * state (open files, previous counters) between sweeps; mark-and-sweep drops exited processes.
 * Not thread-safe: one sampler thread owns it. Reads no clock: each sweep is told when it started.
 */
class collector {
public:
    collector(std::string proc_root, collector_options opts, user_lookup users);
    ~collector();

    struct result {
        snapshot_ptr snap;
        std::vector<problem> problems;          // new problems seen during this sweep
        std::optional<fd_exhaustion> exhausted; // the start of an episode of EMFILE/ENFILE
        /// Some file could not be opened even with every kept file released (the descriptors
        /// are taken elsewhere): processes may be missing or fields unavailable. Not to publish.
        bool incomplete = false;
    };

    /**
     * One sweep of every process and the system files. `focus`: pids (sorted) whose files are all
     * read every sweep whatever full_read_every says (subscribed and watched processes).
     */
    result sweep(sample_time at, const std::vector<int>* focus = nullptr);

    /**
     * Reads one process now, outside a sweep, with the same readers and identity (pid, start time)
     * as a sweep: every file, rates null (a first sample). Tracks nothing: the next sweep finds
     * the process on its own. `sys` gives MemTotal and the boot time (the latest sweep's).
     * nullopt when /proc has no such process (or it vanished while being read).
     */
    std::optional<process_sample> read_one(int pid, sample_time at, const system_sample& sys);

    /** Processes tracked after the last sweep. */
    std::size_t tracked() const { return procs_.size(); }

    const std::string& root_path() const { return root_.path(); }

private:
    struct tracked_process;

    bool sample_process(int pid, tracked_process& t, const sample_time& at, double mem_total,
                        double btime, bool focus, process_sample& out,
                        std::vector<problem>& problems);
    /** Which listed pids may keep their files this sweep (keep_flags_), when not all fit. */
    void choose_kept(const std::vector<int>& pids, const std::vector<int>* focus,
                     std::size_t slots);
    /** t.dir.open or t.dir.read, freeing the kept files and retrying once on EMFILE/ENFILE. */
    procfs::read_status open_dir(tracked_process& t, int pid, bool keep);
    procfs::read_status read(tracked_process& t, procfs::pid_file f, std::string& buf);
    /** Closes every kept file (the current process keeps its directory): EMFILE/ENFILE seen. */
    void release_kept(tracked_process& current);
    void sample_system(const sample_time& at, system_sample& out);
    /** Disks, network interfaces and file systems of the system sample. */
    void sample_devices(const sample_time& at, system_sample& out);
    std::shared_ptr<const std::string> user_name(std::uint32_t uid);

    procfs::root root_;
    collector_options opts_;
    user_lookup users_;
    /// Tracked processes sorted by pid: a sweep walks them in step with the sorted listing
    /// (sequential memory, no hashing; this state is cold after a second of other work).
    std::vector<std::pair<int, std::unique_ptr<tracked_process>>> procs_;
    std::unordered_map<std::uint32_t, std::shared_ptr<const std::string>> user_cache_;
    /// New processes of the sweep under way (merged into procs_ at its end).
    std::vector<std::pair<int, std::unique_ptr<tracked_process>>> fresh_;
    std::vector<char> keep_flags_; // per listed pid of the sweep under way (choose_kept)
    std::string buf_;              // reused read buffer
    std::uint64_t seq_ = 0;
    std::optional<sample_time> last_at_; // stamp of the previous sweep (monotonic_stamp)
    std::size_t budget_;       // fd budget in force: opts_.fd_budget, lowered after EMFILE
    std::size_t open_fds_ = 0; // held by kept files (counted as the sweep goes)
    bool degraded_ = false;    // EMFILE/ENFILE in this sweep: the rest is read open/read/close
    bool incomplete_ = false;  // EMFILE/ENFILE even after the release
    bool in_episode_ = false;  // reported; ends when budget_ is back to opts_.fd_budget
    std::optional<fd_exhaustion> exhausted_; // to report at the end of this sweep

    struct system_prev;
    std::unique_ptr<system_prev> sys_prev_;
    struct device_prev;
    std::unique_ptr<device_prev> dev_prev_;
};

} // namespace procpulse::core
