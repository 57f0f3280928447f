#include "procfs/pid_task.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace procpulse::procfs {
namespace {

/** Opens a directory relative to dir_fd as a DIR*; sets st on failure. */
DIR* open_dir(int dir_fd, const std::string& rel, read_status& st) {
    int fd = ::openat(dir_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        st = status_from_errno(errno);
        return nullptr;
    }
    DIR* d = ::fdopendir(fd);
    if (!d) {
        st = status_from_errno(errno);
        ::close(fd);
    }
    return d;
}

/** The numeric entries of an open directory. */
std::vector<int> numeric_entries(DIR* d) {
    std::vector<int> out;
    while (dirent* e = ::readdir(d)) {
        const char* n = e->d_name;
        std::size_t len = std::char_traits<char>::length(n);
        int v = 0;
        auto [p, ec] = std::from_chars(n, n + len, v);
        if (ec == std::errc{} && p == n + len && v >= 0) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

task_list read_tasks(int root_fd, int pid) {
    task_list out;
    const std::string dir = std::to_string(pid) + "/task";
    DIR* d = open_dir(root_fd, dir, out.status);
    if (!d) return out;
    std::vector<int> tids = numeric_entries(d);
    int dfd = ::dirfd(d);
    std::string buf;
    for (int tid : tids) {
        const std::string rel = std::to_string(tid) + "/stat";
        int fd = ::openat(dfd, rel.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue; // the thread exited since the listing
        read_status st = pread_all(fd, buf);
        ::close(fd);
        if (st != read_status::ok) continue;
        if (auto s = parse_pid_stat(buf)) out.threads.push_back(std::move(*s));
    }
    ::closedir(d);
    // A process that exited between the listing and the reads has no threads left.
    if (out.threads.empty() && ::faccessat(root_fd, std::to_string(pid).c_str(), F_OK, 0) != 0)
        out.status = read_status::gone;
    return out;
}

fd_list read_fds(int root_fd, int pid, std::size_t limit) {
    fd_list out;
    const std::string dir = std::to_string(pid) + "/fd";
    DIR* d = open_dir(root_fd, dir, out.status);
    if (!d) return out;
    std::vector<int> fds = numeric_entries(d);
    out.total = fds.size();
    int dfd = ::dirfd(d);
    char target[4096];
    for (int fd : fds) {
        if (out.files.size() >= limit) break;
        const std::string name = std::to_string(fd);
        ssize_t n = ::readlinkat(dfd, name.c_str(), target, sizeof target);
        if (n < 0) {
            if (errno == ENOENT) continue; // closed since the listing
            out.files.push_back({fd, std::string()});
            continue;
        }
        out.files.push_back({fd, std::string(target, static_cast<std::size_t>(n))});
    }
    ::closedir(d);
    return out;
}

} // namespace procpulse::procfs
