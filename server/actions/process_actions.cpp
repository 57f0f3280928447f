#include "actions/process_actions.hpp"

#include "procfs/pid_stat.hpp"
#include "protocol/json_text.hpp"

#include <boost/json/parse.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace procpulse::actions {

namespace {

/** The start time of /proc/PID as it is now; nullopt when there is no such process. */
std::optional<std::uint64_t> start_of(const std::string& proc_root, int pid) {
    std::ifstream in(proc_root + "/" + std::to_string(pid) + "/stat");
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto st = procfs::parse_pid_stat(text.str());
    if (!st) return std::nullopt;
    return st->starttime;
}

int pidfd_open(int pid) {
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    errno = ENOSYS;
    return -1;
#endif
}

int pidfd_send_signal(int fd, int sig) {
#ifdef SYS_pidfd_send_signal
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0));
#else
    errno = ENOSYS;
    return -1;
#endif
}

/** Closes a pidfd at scope exit. */
struct fd_guard {
    int fd;
    ~fd_guard() {
        if (fd >= 0) ::close(fd);
    }
};

std::string describe(const http::action_request& r) {
    return r.what == http::action_request::kind::signal
               ? "SIG" + r.signal_name + " to PID " + std::to_string(r.pid)
               : "nice " + std::to_string(r.nice) + " for PID " + std::to_string(r.pid);
}

http::action_outcome refused_errno(const http::action_request& r, int err) {
    if (err == ESRCH) return {404, "PID " + std::to_string(r.pid) + " exited: nothing was done"};
    if (err == EPERM || err == EACCES)
        return {403, describe(r) + " not permitted (" + std::strerror(err) +
                         "; lowering a nice value or acting on another user's process needs "
                         "privileges)"};
    return {500, describe(r) + " failed: " + std::strerror(err)};
}

} // namespace

http::action_outcome perform(const std::string& proc_root, const http::action_request& r) {
    // Hold the process first, then check that it is the one asked for.
    fd_guard pidfd{pidfd_open(r.pid)};
    if (pidfd.fd < 0 && errno == ESRCH)
        return {404, "No process " + std::to_string(r.pid) + ": nothing was done"};
    auto start = start_of(proc_root, r.pid);
    if (!start) return {404, "No process " + std::to_string(r.pid) + ": nothing was done"};
    if (*start != r.start)
        return {409, "PID " + std::to_string(r.pid) + " is another process now (start " +
                         std::to_string(*start) + ", not " + std::to_string(r.start) +
                         "): nothing was done"};
    if (r.what == http::action_request::kind::signal) {
        int rc = pidfd.fd >= 0 ? pidfd_send_signal(pidfd.fd, r.signal) : ::kill(r.pid, r.signal);
        if (rc != 0) return refused_errno(r, errno);
        return {200, "sent " + describe(r)};
    }
    if (::setpriority(PRIO_PROCESS, static_cast<id_t>(r.pid), r.nice) != 0)
        return refused_errno(r, errno);
    if (pidfd.fd >= 0) {
        pollfd p{pidfd.fd, POLLIN, 0};
        if (::poll(&p, 1, 0) == 1) // readable: the process exited meanwhile
            return {409, "PID " + std::to_string(r.pid) +
                             " exited while its nice value was set: check the PID"};
    }
    return {200, "set " + describe(r)};
}

boost::json::object action_log::record(const requester& who, const http::action_request& r,
                                       const http::action_outcome& o, double now) {
    boost::json::object e{
        {"t", now},
        {"peer", who.peer},
        {"token", who.token},
        {"action", r.what == http::action_request::kind::signal ? "signal" : "nice"},
        {"pid", r.pid},
        {"start", r.start},
        {"ok", o.status == 200},
        {"status", o.status},
        {"result", o.message}};
    if (r.what == http::action_request::kind::signal)
        e["signal"] = r.signal_name;
    else
        e["nice"] = r.nice;
    {
        std::lock_guard lock(mutex_);
        entries_.push_front(e);
        if (entries_.size() > 200) entries_.pop_back();
    }
    if (persist) persist(now, protocol::to_json(e));
    return e;
}

void action_log::load(const std::vector<std::string>& newest_first) {
    std::lock_guard lock(mutex_);
    for (const auto& text : newest_first) {
        boost::system::error_code ec;
        auto v = boost::json::parse(text, ec);
        if (!ec && v.is_object() && entries_.size() < 200) entries_.push_back(v.get_object());
    }
}

boost::json::array action_log::recent() const {
    std::lock_guard lock(mutex_);
    return boost::json::array(entries_.begin(), entries_.end());
}

} // namespace procpulse::actions
