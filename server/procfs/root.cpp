#include "procfs/root.hpp"

#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace procpulse::procfs {

const char* to_string(read_status s) {
    switch (s) {
    case read_status::ok:
        return "ok";
    case read_status::gone:
        return "gone";
    case read_status::forbidden:
        return "forbidden";
    case read_status::error:
        return "error";
    case read_status::exhausted:
        return "exhausted";
    }
    return "error";
}

const char* file_name(pid_file f) {
    static constexpr const char* names[] = {"stat", "statm", "status", "io", "cmdline"};
    return names[static_cast<std::size_t>(f)];
}

read_status status_from_errno(int err) {
    switch (err) {
    case ENOENT:
    case ESRCH:
        return read_status::gone;
    case EACCES:
    case EPERM:
        return read_status::forbidden;
    case EMFILE:
    case ENFILE:
        return read_status::exhausted;
    default:
        return read_status::error;
    }
}

read_status pread_all(int fd, std::string& buf) {
    if (buf.capacity() < 4096) buf.reserve(4096);
    buf.resize(buf.capacity());
    std::size_t used = 0;
    for (;;) {
        ssize_t n = ::pread(fd, buf.data() + used, buf.size() - used, static_cast<off_t>(used));
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            buf.clear();
            return status_from_errno(err);
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (used == buf.size()) buf.resize(buf.size() * 2);
    }
    buf.resize(used);
    return read_status::ok;
}

namespace {
void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

/**
 * Reads a file the kernel produces as a single seq_file record (single_open: PID/stat, statm,
 * status, io). One pread returns all of such a file when it fits, so a short read is its end: that
 * saves the second pread which would only return 0 (what procps and htop rely on too). Multi-record
 * files (vmstat) and cmdline may return short reads before their end; they use pread_all. Reads
 * into a stack buffer and copies the bytes, instead of zero-filling 4 KiB of the string first.
 */
read_status pread_record(int fd, std::string& buf) {
    char tmp[4096];
    ssize_t n;
    do {
        n = ::pread(fd, tmp, sizeof tmp, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        int err = errno;
        buf.clear();
        return status_from_errno(err);
    }
    if (static_cast<std::size_t>(n) == sizeof tmp) return pread_all(fd, buf); // larger than 4 KiB
    buf.assign(tmp, static_cast<std::size_t>(n));
    return read_status::ok;
}
} // namespace

pid_dir::pid_dir(pid_dir&& o) noexcept
    : dir_fd_(o.dir_fd_), keep_open_(o.keep_open_), fds_(o.fds_) {
    o.dir_fd_ = -1;
    o.fds_.fill(-1);
}

pid_dir& pid_dir::operator=(pid_dir&& o) noexcept {
    if (this != &o) {
        close();
        dir_fd_ = o.dir_fd_;
        keep_open_ = o.keep_open_;
        fds_ = o.fds_;
        o.dir_fd_ = -1;
        o.fds_.fill(-1);
    }
    return *this;
}

pid_dir::~pid_dir() {
    close();
}

void pid_dir::close() {
    close_fd(dir_fd_);
    release_files();
}

void pid_dir::release_files() {
    keep_open_ = false;
    for (int& fd : fds_)
        close_fd(fd);
}

std::size_t pid_dir::open_fds() const {
    std::size_t n = dir_fd_ >= 0 ? 1 : 0;
    for (int fd : fds_)
        n += fd >= 0 ? 1 : 0;
    return n;
}

read_status pid_dir::open(int root_fd, int pid, bool keep_open) {
    close();
    keep_open_ = keep_open;
    char name[16];
    auto n = std::snprintf(name, sizeof name, "%d", pid);
    if (n <= 0) return read_status::error;
    dir_fd_ = ::openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd_ < 0) return status_from_errno(errno);
    return read_status::ok;
}

read_status pid_dir::read(pid_file f, std::string& buf) {
    buf.clear();
    if (dir_fd_ < 0) return read_status::gone;
    int& fd = fds_[static_cast<std::size_t>(f)];
    if (fd < 0) {
        fd = ::openat(dir_fd_, file_name(f), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return status_from_errno(errno);
    }
    read_status s = f == pid_file::cmdline ? pread_all(fd, buf) : pread_record(fd, buf);
    if (!keep_open_ || s != read_status::ok) close_fd(fd);
    return s;
}

root::root(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path_);
}

root::~root() {
    if (dir_) ::closedir(static_cast<DIR*>(dir_));
    for (auto& [name, fd] : open_files_)
        close_fd(fd);
    close_fd(fd_);
}

std::vector<int> root::list_pids() {
    std::vector<int> pids;
    if (!dir_) {
        int dfd = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return pids;
        dir_ = ::fdopendir(dfd);
        if (!dir_) {
            ::close(dfd);
            return pids;
        }
    } else {
        ::rewinddir(static_cast<DIR*>(dir_));
    }
    while (dirent* e = ::readdir(static_cast<DIR*>(dir_))) {
        const char* s = e->d_name;
        if (*s < '1' || *s > '9') continue;
        int pid = 0;
        bool digits = true;
        for (; *s; ++s) {
            if (*s < '0' || *s > '9') {
                digits = false;
                break;
            }
            pid = pid * 10 + (*s - '0');
        }
        if (digits) pids.push_back(pid);
    }
    return pids;
}

read_status root::read(std::string_view name, std::string& buf) {
    buf.clear();
    int fd = -1;
    for (auto& [n, f] : open_files_)
        if (n == name) fd = f;
    if (fd < 0) {
        std::string n(name);
        fd = ::openat(fd_, n.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return status_from_errno(errno);
        open_files_.emplace_back(std::move(n), fd);
    }
    return pread_all(fd, buf);
}

} // namespace procpulse::procfs
