#pragma once
/**
 * Temporary /proc trees for tests that step a collector from one sample to the next (rates, exits,
 * PID reuse), and text builders for the files in them.
 *
 * The collector keeps per-process files open and re-reads them with pread at offset 0, so every
 * write here rewrites the file in place (open with O_TRUNC on the same path): never a write to a
 * temporary file and a rename, never a PID directory deleted and created again. Removing a PID
 * directory means the process exited; a reused PID is the same directory with a new starttime.
 */
#include "procfs/stat.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace procpulse::test {

/** A path inside the committed fixture directory (tests/fixtures), e.g. "proc/meminfo". */
std::string fixture_path(std::string_view rel);

/** The whole content of a file; throws std::runtime_error when it cannot be read. */
std::string read_file(const std::string& path);

/** The content of a committed fixture file: read_file(fixture_path(rel)). */
std::string fixture_text(std::string_view rel);

/** /proc/PID/io counters. */
struct fake_io {
    std::uint64_t rchar = 0, wchar = 0, syscr = 0, syscw = 0;
    std::uint64_t read_bytes = 0, write_bytes = 0, cancelled_write_bytes = 0;
};

/** One process of a temporary tree. Memory figures are in pages, times in clock ticks. */
struct fake_process {
    int pid = 1000;
    std::string comm = "proc";
    char state = 'S';
    int ppid = 1;
    std::uint64_t flags = 0x400100; // PF_RANDOMIZE | PF_FORKNOEXEC, an ordinary user process
    std::uint64_t minflt = 0, majflt = 0;
    std::uint64_t utime = 0, stime = 0;
    std::int64_t nice = 0;
    std::int64_t num_threads = 1;
    std::uint64_t starttime = 1000;
    std::uint64_t size = 1000, resident = 500, shared = 200, text = 50, data = 300;
    /// stat's (24) rss when it differs from statm's resident (the kernel's approximate per-CPU
    /// counter against statm's exact sum); nullopt: the same as `resident`.
    std::optional<std::uint64_t> stat_rss;
    std::uint32_t uid = 0;
    std::uint64_t voluntary_ctxt_switches = 0, nonvoluntary_ctxt_switches = 0;
    std::optional<fake_io> io = fake_io{}; ///< nullopt: the io file does not exist
    std::vector<std::string> cmdline;

    std::string stat_text() const; ///< a full 52-field stat line, like Linux 6.x writes it
    std::string statm_text() const;
    std::string status_text() const;
    std::string io_text() const;      ///< requires io
    std::string cmdline_text() const; ///< NUL after each argument
};

/** The system-wide files of a temporary tree. Memory in kB as meminfo says, CPU in ticks. */
struct fake_system {
    std::uint64_t mem_total_kb = 8000000, mem_free_kb = 4000000;
    std::optional<std::uint64_t> mem_available_kb = 6000000;
    std::uint64_t buffers_kb = 100000, cached_kb = 1500000, shmem_kb = 50000,
                  sreclaimable_kb = 200000, active_file_kb = 800000, inactive_file_kb = 600000;
    std::uint64_t swap_total_kb = 0, swap_free_kb = 0;
    procfs::cpu_times cpu;               ///< the aggregate "cpu" line
    std::vector<procfs::cpu_times> cpus; ///< cpu0, cpu1, …
    std::uint64_t ctxt = 0, btime = 1700000000, processes = 1000, procs_running = 1,
                  procs_blocked = 0;
    std::uint64_t pgfault = 0, pgmajfault = 0, pswpin = 0, pswpout = 0;
    std::string loadavg = "0.10 0.20 0.30 1/100 1000\n";
    std::string uptime = "1000.00 1900.00\n";

    std::string meminfo_text() const;
    std::string stat_text() const;
    std::string vmstat_text() const;
};

/**
 * A directory under the system's temporary directory, removed with everything in it on
 * destruction. Directories are 0755 and files 0644 whatever the umask, so a child process that
 * dropped to an unprivileged user can read the tree.
 */
class proc_tree {
public:
    /** An empty tree. */
    proc_tree();
    /** A copy of an existing tree (a committed fixture, for example). */
    explicit proc_tree(const std::string& copy_of);
    proc_tree(const proc_tree&) = delete;
    proc_tree& operator=(const proc_tree&) = delete;
    ~proc_tree();

    const std::string& path() const { return path_; }
    std::string path_of(std::string_view rel) const;

    /** Writes a file in place (truncating the same inode), creating it and its directories. */
    void write(std::string_view rel, std::string_view content);
    /** Writes all files of a process; removes its io file when p.io is nullopt. */
    void write(const fake_process& p);
    /** Writes meminfo, stat, vmstat, loadavg and uptime. */
    void write(const fake_system& s);

    /** Removes one file. */
    void remove(std::string_view rel);
    /** Removes a PID directory: the process exited. */
    void remove_pid(int pid);
    /** Changes a file's mode (0 = forbidden to anyone without CAP_DAC_OVERRIDE). */
    void chmod(std::string_view rel, mode_t mode);

private:
    std::string path_;
};

} // namespace procpulse::test
