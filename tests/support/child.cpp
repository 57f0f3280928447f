#include "support/child.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <grp.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace procpulse::test {

namespace {

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

struct pipe_fds {
    int r = -1, w = -1;
    pipe_fds() {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
        r = p[0];
        w = p[1];
    }
};

pid_t fork_or_throw() {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    return pid;
}

} // namespace

bool write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        ssize_t n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

child::child(const body& b) {
    pipe_fds down, up;
    pid_ = fork_or_throw();
    if (pid_ == 0) {
        ::close(down.w);
        ::close(up.r);
        int code = 98;
        try {
            code = b(down.r, up.w);
        } catch (...) {
            code = 99;
        }
        ::_exit(code);
    }
    ::close(down.r);
    ::close(up.w);
    to_child_ = down.w;
    from_child_ = up.r;
}

child::~child() {
    if (pid_ > 0) kill_and_wait();
    close_fd(to_child_);
    close_fd(from_child_);
}

void child::send(char c) {
    if (!write_all(to_child_, std::string(1, c)))
        throw std::runtime_error("cannot write to child " + std::to_string(pid_));
}

std::optional<char> child::try_receive() {
    char c = 0;
    for (;;) {
        ssize_t n = ::read(from_child_, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n == 1) return c;
        return std::nullopt;
    }
}

char child::receive() {
    auto c = try_receive();
    if (!c) throw std::runtime_error("child " + std::to_string(pid_) + " closed its pipe");
    return *c;
}

int child::wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
}

void child::kill_and_wait() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait();
}

std::string run_unprivileged(const std::function<std::string()>& f) {
    pipe_fds up;
    pid_t pid = fork_or_throw();
    if (pid == 0) {
        ::close(up.r);
        std::string result;
        if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(nobody_id) != 0 ||
                                 ::setuid(nobody_id) != 0)) {
            result = std::string("child failed: cannot drop privileges: ") + std::strerror(errno);
        } else {
            try {
                result = f();
            } catch (const std::exception& e) {
                result = std::string("child failed: ") + e.what();
            } catch (...) {
                result = "child failed: unknown exception";
            }
        }
        write_all(up.w, result);
        ::_exit(0);
    }
    ::close(up.w);
    std::string result = read_all(up.r);
    ::close(up.r);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        result += " (child ended with status " + std::to_string(status) + ")";
    return result;
}

} // namespace procpulse::test
