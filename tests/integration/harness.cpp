#include "harness.hpp"

#include <grp.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace procpulse::test {

std::vector<std::string> quick_server_args(const std::string& interval) {
    return {"--listen",    "127.0.0.1:0", "--interval", interval,
            "--log-level", "warn",        "--db",       ":memory:"};
}

temp_dir::temp_dir(const std::string& prefix) {
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

std::string server_binary() {
    const char* over = std::getenv("PROCPULSE_SERVER_BIN");
    return over && *over ? over : PROCPULSE_BIN;
}

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

pid_t spawn(const std::vector<std::string>& args, int* err_read_fd, long nofile = 0,
            uid_t as_user = 0) {
    int fds[2] = {-1, -1};
    if (err_read_fd && ::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        if (err_read_fd) ::dup2(fds[1], 2);
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        if (nofile > 0) {
            rlimit rl{static_cast<rlim_t>(nofile), static_cast<rlim_t>(nofile)};
            if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) ::_exit(126);
        }
        if (as_user != 0 &&
            (::setgroups(0, nullptr) != 0 || ::setgid(as_user) != 0 || ::setuid(as_user) != 0))
            ::_exit(125);
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (err_read_fd) {
        ::close(fds[1]);
        *err_read_fd = fds[0];
    }
    return pid;
}

int wait_for(pid_t pid, std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::this_thread::sleep_for(10ms);
    }
    return -1;
}

/** The last lines of a log, for failure messages. */
std::string tail(const std::string& log, std::size_t bytes = 4000) {
    return log.size() <= bytes ? log : "..." + log.substr(log.size() - bytes);
}

} // namespace

bool sanitizer_report(const std::string& log) {
    return log.find("Sanitizer") != std::string::npos ||
           log.find("runtime error:") != std::string::npos;
}

server_process::server_process(std::vector<std::string> args, long nofile, uid_t as_user)
    : log_(std::make_shared<std::string>()) {
    args.insert(args.begin(), server_binary());
    pid_ = spawn(args, &err_fd_, nofile, as_user);
    // Read stderr until the "listening on" line (10 s at most).
    std::string text;
    auto end = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{err_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[4096];
        ssize_t n = ::read(err_fd_, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        auto at = text.find("listening on http://127.0.0.1:");
        if (at != std::string::npos && text.find('/', at + 30) != std::string::npos) {
            port_ = static_cast<unsigned short>(std::stoi(text.substr(at + 30)));
            break;
        }
    }
    *log_ = text;
    if (port_ == 0) {
        ::kill(pid_, SIGKILL);
        wait_for(pid_, 5s);
        throw std::runtime_error("server did not start: " + text);
    }
    // Keep draining stderr so the server never blocks on a full pipe.
    drain_ = std::thread([fd = err_fd_, log = log_] {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0)
            log->append(buf, static_cast<std::size_t>(n));
    });
}

int server_process::terminate(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int r = wait_for(pid_, limit);
    if (r >= 0) {
        pid_ = -1;
        exit_status_ = r;
    }
    return r;
}

std::string server_process::log() const {
    return *log_;
}

void server_process::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_for(pid_, 5s);
    pid_ = -1;
    exit_status_ = 0; // killed on purpose
}

std::pair<int, std::string> run_server_to_exit(std::vector<std::string> args,
                                               std::chrono::milliseconds limit) {
    args.insert(args.begin(), server_binary());
    int fd = -1;
    pid_t pid = spawn(args, &fd);
    std::string text;
    auto end = std::chrono::steady_clock::now() + limit;
    int status = -1;
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) {
            char buf[4096];
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0) text.append(buf, static_cast<std::size_t>(n));
        }
        int st = 0;
        if (::waitpid(pid, &st, WNOHANG) == pid) {
            status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
    }
    if (status < 0) {
        ::kill(pid, SIGKILL);
        wait_for(pid, 5s);
    }
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return {status, text};
}

server_process::~server_process() {
    // Every server a test starts must end cleanly: SIGTERM -> exit status 0 within a bound, and
    // no sanitizer report in its log. (A test that kills it on purpose calls kill9() first.)
    int status = 0;
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        status = wait_for(pid_, 10s);
        if (status < 0) {
            ::kill(pid_, SIGKILL);
            wait_for(pid_, 3s);
        }
        pid_ = -1;
    } else {
        status = exit_status_;
    }
    if (drain_.joinable()) drain_.join();
    if (err_fd_ >= 0) ::close(err_fd_);
    if (status < 0)
        BOOST_ERROR("the server did not exit within 10 s of SIGTERM; log:\n" + tail(*log_));
    else if (status != 0)
        BOOST_ERROR("the server exited with status " + std::to_string(status) + "; log:\n" +
                    tail(*log_));
    if (sanitizer_report(*log_))
        BOOST_ERROR("sanitizer report in the server's log:\n" + tail(*log_));
}

child_process::child_process(std::vector<std::string> args) {
    pid_ = spawn(args, nullptr);
}

void child_process::kill_and_wait() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_for(pid_, 5s);
    pid_ = -1;
}

child_process::~child_process() {
    kill_and_wait();
}

std::string http_reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (beast::iequals(k, name)) return v;
    return {};
}

http_reply http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body,
                        std::vector<std::pair<std::string, std::string>> headers) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(5s);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : headers)
        req.set(k, v);
    if (!body.empty() || method == "POST") {
        if (req.find(http::field::content_type) == req.end()) // unless the test set one
            req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
    }
    http_reply out;
    beast::error_code ec;
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    ioc.run();
    ioc.restart();
    if (ec) throw boost::system::system_error(ec);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    if (method == "HEAD") {
        http::response_parser<http::string_body> p;
        p.skip(true);
        http::async_read(stream, buf, p, [&](beast::error_code e, std::size_t) { ec = e; });
        ioc.run();
        res = p.release();
    } else {
        http::async_read(stream, buf, res, [&](beast::error_code e, std::size_t) { ec = e; });
        ioc.run();
    }
    if (ec) throw boost::system::system_error(ec);
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res)
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    boost::system::error_code jec;
    out.json = json::parse(out.body, jec);
    if (jec) out.json = nullptr;
    return out;
}

bool wait_seen(unsigned short port, int pid) {
    auto end = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < end) {
        // The list holds only what a sweep saw (metrics/<pid> also reads a newer pid at once).
        auto r = http_request(port, "GET", "/api/processes/list?sort=pid&limit=100000");
        if (r.status == 200)
            for (const auto& p : r.json.at("processes").as_array())
                if (p.at("pid").as_int64() == pid) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

ws_client::ws_client(unsigned short port, std::vector<std::pair<std::string, std::string>> headers,
                     int receive_buffer)
    : ws_(ioc_) {
    auto& sock = beast::get_lowest_layer(ws_);
    sock.open(tcp::v4());
    if (receive_buffer > 0) sock.set_option(net::socket_base::receive_buffer_size(receive_buffer));
    sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    std::string host = "127.0.0.1:" + std::to_string(port);
    for (const auto& [k, v] : headers)
        if (beast::iequals(k, "Host")) host = v;
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
        for (const auto& [k, v] : headers)
            if (!beast::iequals(k, "Host")) req.set(k, v);
    }));
    ws_.read_message_max(64 * 1024 * 1024);
    websocket::response_type res;
    ws_.handshake(res, host, "/ws");
}

void ws_client::send(const std::string& text) {
    ws_.text(true);
    ws_.write(net::buffer(text));
}

void ws_client::send_binary(const std::string& data) {
    ws_.binary(true);
    ws_.write(net::buffer(data));
}

std::optional<json::object> ws_client::next(std::chrono::milliseconds limit) {
    if (closed_) return std::nullopt;
    bool done = false;
    beast::error_code ec;
    ws_.async_read(buf_, [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    ioc_.restart();
    ioc_.run_for(limit);
    if (!done) {
        // Deadline: abandon the read by closing the socket.
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).cancel(ignored);
        ioc_.restart();
        ioc_.run_for(1s);
        closed_ = true;
        last_error_ = net::error::timed_out;
        return std::nullopt;
    }
    if (ec) {
        closed_ = true;
        last_error_ = ec;
        close_code_ = ws_.reason().code;
        return std::nullopt;
    }
    std::string text = beast::buffers_to_string(buf_.data());
    buf_.consume(buf_.size());
    boost::system::error_code jec;
    json::value v = json::parse(text, jec);
    if (jec || !v.is_object()) throw std::runtime_error("server sent non-JSON: " + text);
    return v.get_object();
}

std::optional<json::object> ws_client::next_of(const std::string& type,
                                               std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        auto m = next(left);
        if (!m) return std::nullopt;
        if (m->at("type").as_string() == type) return m;
    }
    return std::nullopt;
}

} // namespace procpulse::test
