#pragma once
/** The threads of a process (/proc/PID/task/TID/stat) and its open files (/proc/PID/fd). */
#include "procfs/pid_stat.hpp"
#include "procfs/root.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace procpulse::procfs {

/** The threads of one process: each thread's stat (its pid field is the TID), sorted by TID. */
struct task_list {
    read_status status = read_status::ok; ///< gone: no such process; forbidden: not allowed
    std::vector<pid_stat> threads;
};

/**
 * Reads /proc/PID/task/ * /stat under the root directory fd. A thread that exits while being read
 * is left out; a process that is gone or forbidden gives that status and no threads.
 */
task_list read_tasks(int root_fd, int pid);

/** One open file descriptor: its number and the readlink target ("socket:[123]", "/var/log/x"). */
struct fd_entry {
    int fd = 0;
    std::string target;
};

/** The open file descriptors of one process, sorted by number. */
struct fd_list {
    read_status status = read_status::ok;
    std::size_t total = 0;       ///< entries of /proc/PID/fd
    std::vector<fd_entry> files; ///< the first `limit` of them (all when total <= limit)
};

/**
 * Lists /proc/PID/fd: counts every entry and, for the lowest `limit` descriptors, reads the link
 * targets. limit 0 only counts (cheap: no readlink). Forbidden for another user's process unless
 * privileged.
 */
fd_list read_fds(int root_fd, int pid, std::size_t limit);

} // namespace procpulse::procfs
