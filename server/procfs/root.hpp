#pragma once
/** Access to files under a /proc root given as a value (never a hard-coded "/proc"). */
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** What came of reading one file. Expected failures are values, not exceptions. */
enum class read_status : std::uint8_t {
    ok,
    gone,      ///< the process (or file) no longer exists: ENOENT, ESRCH
    forbidden, ///< EACCES / EPERM: another user's process, for example
    error,     ///< anything else (reported once, treated as unavailable)
    exhausted, ///< EMFILE / ENFILE: no file descriptor left (the caller frees some and retries)
};

const char* to_string(read_status s);

/** The per-process files procpulse reads. */
enum class pid_file : std::uint8_t { stat, statm, status, io, cmdline, count_ };

const char* file_name(pid_file f);

/**
 * Open files of one process directory. With keep_open, each file stays open after its first read
 * and is re-read with pread at offset 0 (what htop and a hand-written C reader do), which saves an
 * open/close pair per file per sweep. Without, each read opens and closes its file; the directory
 * fd stays open until close(). Reads of a process that exited fail with `gone`.
 * Owned by one thread at a time; not copyable.
 */
class pid_dir {
public:
    pid_dir() = default;
    pid_dir(const pid_dir&) = delete;
    pid_dir& operator=(const pid_dir&) = delete;
    pid_dir(pid_dir&& o) noexcept;
    pid_dir& operator=(pid_dir&& o) noexcept;
    ~pid_dir();

    /** Opens PID's directory under the root directory fd. */
    read_status open(int root_fd, int pid, bool keep_open);

    /** Reads a whole file into buf (reusing its capacity). */
    read_status read(pid_file f, std::string& buf);

    /** Closes every fd (the object can be opened again). */
    void close();

    /** Closes the kept files but not the directory; later reads open and close their file. */
    void release_files();

    bool is_open() const { return dir_fd_ >= 0; }
    bool keeps_open() const { return keep_open_; }

    /** File descriptors this object holds now (the directory and the kept files). */
    std::size_t open_fds() const;

    /** Most descriptors one pid_dir holds between reads: the directory and every file. */
    static constexpr std::size_t max_fds = 1 + static_cast<std::size_t>(pid_file::count_);

private:
    int dir_fd_ = -1;
    bool keep_open_ = true;
    std::array<int, static_cast<std::size_t>(pid_file::count_)> fds_{-1, -1, -1, -1, -1};
};

/**
 * A /proc root (the real /proc or a fixture tree). Lists PIDs and reads system-wide files, keeping
 * those open between sweeps. Owned by the collector's thread.
 */
class root {
public:
    /** Opens the directory; throws std::system_error when it cannot be opened (start-up error). */
    explicit root(std::string path);
    root(const root&) = delete;
    root& operator=(const root&) = delete;
    ~root();

    const std::string& path() const { return path_; }
    int fd() const { return fd_; }

    /** Numeric directory names under the root, in directory order. */
    std::vector<int> list_pids();

    /** Reads a file relative to the root ("meminfo", "stat", …), keeping it open for next time. */
    read_status read(std::string_view name, std::string& buf);

private:
    std::string path_;
    int fd_ = -1;
    void* dir_ = nullptr; // DIR*, rewound for each listing
    std::vector<std::pair<std::string, int>> open_files_;
};

/** Reads an open fd from offset 0 to end into buf; the shared primitive of both classes. */
read_status pread_all(int fd, std::string& buf);

/** Maps an errno value to a read_status. */
read_status status_from_errno(int err);

} // namespace procpulse::procfs
