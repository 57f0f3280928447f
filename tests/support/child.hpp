#pragma once
/**
 * Child processes for tests. A test forks its own children, talks to them through pipes (not
 * sleeps) and always kills and reaps them by their PID. Code that runs in a child must not use
 * BOOST_TEST (the child's copy of the framework reports nowhere); it reports through a pipe.
 */
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace procpulse::test {

/** The uid and gid an unprivileged child runs as (nobody). */
inline constexpr unsigned nobody_id = 65534;

/** Writes all of s to fd; false on failure. Safe to call in a child. */
bool write_all(int fd, const std::string& s);

/** Reads fd to end of file. */
std::string read_all(int fd);

/**
 * A forked child with a pipe from the parent (in_fd) and one to the parent (out_fd). The body runs
 * in the child; its return value is the child's exit code, and the child never returns into the
 * test framework. The destructor kills (SIGKILL) and reaps the child by its PID if it was not
 * reaped yet.
 */
class child {
public:
    using body = std::function<int(int in_fd, int out_fd)>;

    explicit child(const body& b);
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    ~child();

    pid_t pid() const { return pid_; }

    /** Sends one byte to the child. */
    void send(char c);
    /** Waits for one byte from the child; throws std::runtime_error if it closed its end. */
    char receive();
    /** Waits for one byte; nullopt when the child's end closed (it exited or exec'd). */
    std::optional<char> try_receive();

    /** Reaps the child (blocking); returns the wait status. */
    int wait();
    /** SIGKILL, then reap. */
    void kill_and_wait();

private:
    pid_t pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
};

/**
 * Runs f in a forked child that first drops to nobody (uid/gid 65534, no supplementary groups)
 * when the tests run as root, so file permissions apply to it. Returns what f returned, or a line
 * starting with "child failed:" when the child could not drop privileges or f threw.
 */
std::string run_unprivileged(const std::function<std::string()>& f);

} // namespace procpulse::test
