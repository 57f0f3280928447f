#pragma once
/**
 * Integration test harness: starts the real procpulse binary on 127.0.0.1:0 as a child process,
 * and talks to it as a client would (Beast WebSocket and HTTP clients with deadlines).
 */
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace procpulse::test {

using namespace std::chrono_literals;

/** Polls `f` every 50 ms until it holds or `limit` passes. */
template <class F> bool wait_until(F f, std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (f()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return f();
}

/**
 * Server arguments for most tests: loopback, an ephemeral port, sweeps every `interval`, warnings
 * only, history in memory.
 */
std::vector<std::string> quick_server_args(const std::string& interval = "200ms");

/** A temporary directory of the test's own, removed with what it holds at the end. */
struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const std::string& prefix = "procpulse-test");
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
};

/**
 * The server binary the tests start: $PROCPULSE_SERVER_BIN when set (a sanitized build, say),
 * else the one built beside the tests.
 */
std::string server_binary();

/** True when a server log holds an ASan/UBSan/TSan report. */
bool sanitizer_report(const std::string& log);

/**
 * A running server process; SIGTERM and reaped on destruction, where a failed exit (status other
 * than 0, no exit within 10 s, a sanitizer report) is a test error.
 */
class server_process {
public:
    /**
     * `nofile` > 0: the server runs under RLIMIT_NOFILE = nofile (soft and hard), as prlimit.
     * `as_user` > 0 (tests running as root): the server runs with that uid and gid, no groups.
     */
    explicit server_process(std::vector<std::string> args, long nofile = 0, uid_t as_user = 0);
    ~server_process();
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;

    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    /** Sends SIGTERM and waits up to `limit`; returns the exit status, or -1 on timeout. */
    int terminate(std::chrono::milliseconds limit);
    /** SIGKILL, reaped (a deliberate kill: not checked as an exit). */
    void kill9();
    /** Everything the server wrote to stderr so far. */
    std::string log() const;

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    int err_fd_ = -1;
    int exit_status_ = 0; // of a terminate() that saw the exit
    std::shared_ptr<std::string> log_;
    std::thread drain_;
};

/** Runs the server binary to completion (bounded); returns its exit status and stderr. */
std::pair<int, std::string> run_server_to_exit(std::vector<std::string> args,
                                               std::chrono::milliseconds limit);

/** A child process the test owns (e.g. `sleep 600`); killed and reaped by PID on destruction. */
class child_process {
public:
    explicit child_process(std::vector<std::string> args);
    ~child_process();
    pid_t pid() const { return pid_; }
    void kill_and_wait();

private:
    pid_t pid_ = -1;
};

struct http_reply {
    unsigned status = 0;
    std::string body;
    boost::json::value json; // null when the body is not JSON
    std::string header(const std::string& name) const;
    std::vector<std::pair<std::string, std::string>> headers;
};

/** One HTTP request to 127.0.0.1:port with a 5 s deadline. */
http_reply http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {});

/** Waits (up to 5 s) until a sweep of the server has seen this pid (it is in /api/processes/list).
 */
bool wait_seen(unsigned short port, int pid);

/** A WebSocket client with deadlines on every operation. */
class ws_client {
public:
    /** Connects and upgrades; throws boost::system::system_error when the upgrade is refused. */
    ws_client(unsigned short port, std::vector<std::pair<std::string, std::string>> headers = {},
              int receive_buffer = 0);

    void send(const std::string& text);
    void send_binary(const std::string& data);
    /** The next text message as JSON, or nullopt on timeout or close. */
    std::optional<boost::json::object> next(std::chrono::milliseconds limit = 5s);
    /** Reads until a message of this type arrives (skipping others); nullopt on timeout/close. */
    std::optional<boost::json::object> next_of(const std::string& type,
                                               std::chrono::milliseconds limit = 5s);
    /** The close code after the server closed the connection (0 when not closed). */
    int close_code() const { return close_code_; }
    bool closed() const { return closed_; }
    boost::beast::error_code last_error() const { return last_error_; }

private:
    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
    boost::beast::flat_buffer buf_;
    bool closed_ = false;
    int close_code_ = 0;
    boost::beast::error_code last_error_;
};

} // namespace procpulse::test
