// Edges a hostile probe found: duplicate Host and Origin headers, a header line without a colon,
// methods /metrics and /healthz do not answer, --listen with a name. Raw bytes on a socket, so the
// request is exactly what a hostile client sends.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace procpulse::test;

namespace {

std::vector<std::string> fast() {
    return quick_server_args();
}

/** A TCP connection to 127.0.0.1:port (its descriptor), or -1. */
int connect_loopback(unsigned short port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/** Sends `bytes` to 127.0.0.1:port and reads the reply until the server closes (3 s at most). */
std::string exchange(unsigned short port, const std::string& bytes) {
    int fd = connect_loopback(port);
    if (fd < 0) return {};
    (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    std::string out;
    const auto end = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        // One reply is enough: stop at the end of its body.
        auto head_end = out.find("\r\n\r\n");
        auto cl = out.find("Content-Length: ");
        if (head_end != std::string::npos && cl != std::string::npos && cl < head_end) {
            auto len = std::stoul(out.substr(cl + 16));
            if (out.size() >= head_end + 4 + len) break;
        }
    }
    ::close(fd);
    return out;
}

unsigned status_of(const std::string& reply) {
    if (reply.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return static_cast<unsigned>(std::stoul(reply.substr(9, 3)));
}

} // namespace

BOOST_AUTO_TEST_CASE(duplicate_host_is_400_and_duplicate_origin_is_refused_where_it_matters) {
    server_process srv(fast());
    const std::string host = "Host: 127.0.0.1:" + std::to_string(srv.port()) + "\r\n";
    const std::string good = "Origin: http://127.0.0.1:" + std::to_string(srv.port()) + "\r\n";
    const std::string evil = "Origin: http://evil.example\r\n";
    // Two Hosts, the second one foreign: RFC 9112 says 400.
    auto r = exchange(srv.port(), "GET /api/system HTTP/1.1\r\n" + host +
                                      "Host: evil.example\r\nConnection: close\r\n\r\n");
    BOOST_TEST(status_of(r) == 400u, r);
    // Two Origins on a state-changing request: 403, whatever the first says.
    const std::string body = R"({"pid":1})";
    r = exchange(srv.port(), "POST /api/processes/monitor/add HTTP/1.1\r\n" + host + good + evil +
                                 "Content-Type: application/json\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                 body);
    BOOST_TEST(status_of(r) == 403u, r);
    // And on a WebSocket upgrade.
    r = exchange(srv.port(), "GET /ws HTTP/1.1\r\n" + host + good + evil +
                                 "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                 "Sec-WebSocket-Version: 13\r\n\r\n");
    BOOST_TEST(status_of(r) == 403u, r);
    // One good Origin still upgrades (the check is not simply "refuse Origin").
    r = exchange(srv.port(), "GET /ws HTTP/1.1\r\n" + host + good +
                                 "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                 "Sec-WebSocket-Version: 13\r\n\r\n");
    BOOST_TEST(status_of(r) == 101u, r);
    // A plain GET with two Origins reads nothing it could change: answered.
    r = exchange(srv.port(), "GET /api/system HTTP/1.1\r\n" + host + good + evil +
                                 "Connection: close\r\n\r\n");
    BOOST_TEST(status_of(r) == 200u, r);
}

BOOST_AUTO_TEST_CASE(a_header_line_without_a_colon_is_answered_400) {
    server_process srv(fast());
    const std::string host = "Host: 127.0.0.1:" + std::to_string(srv.port()) + "\r\n";
    for (const std::string bad : {"NoColonHere\r\n", "Bad Header\r\n", ": empty-name\r\n"}) {
        auto r = exchange(srv.port(), "GET /api/system HTTP/1.1\r\n" + host + bad + "\r\n");
        BOOST_TEST(status_of(r) == 400u, bad << " -> " << r);
    }
    // The server is fine afterwards.
    BOOST_TEST(http_request(srv.port(), "GET", "/healthz").status == 200u);
}

BOOST_AUTO_TEST_CASE(metrics_and_healthz_answer_other_methods_with_405_and_allow) {
    server_process srv(fast());
    for (const char* path : {"/metrics", "/healthz"})
        for (const char* method : {"PUT", "DELETE", "TRACE", "PATCH"}) {
            auto r = http_request(srv.port(), method, path);
            BOOST_TEST(r.status == 405u, method << " " << path);
            BOOST_TEST(r.header("Allow") == "GET, HEAD", method << " " << path);
        }
    BOOST_TEST(http_request(srv.port(), "GET", "/metrics").status == 200u);
    BOOST_TEST(http_request(srv.port(), "HEAD", "/healthz").status == 200u);
    // The REST API says which methods a resource has, too.
    auto r = http_request(srv.port(), "DELETE", "/api/processes/list");
    BOOST_TEST(r.status == 405u);
    BOOST_TEST(r.header("Allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(listen_on_localhost_resolves_and_says_the_address_bound) {
    // The harness reads "listening on http://127.0.0.1:PORT/": localhost resolves to it.
    server_process srv({"--listen", "localhost:0", "--interval", "200ms", "--log-level", "warn",
                        "--db", ":memory:"});
    BOOST_TEST(http_request(srv.port(), "GET", "/healthz").status == 200u);
    auto [status, text] = run_server_to_exit(
        {"--listen", "no-such-host.invalid:0", "--db", ":memory:", "--token", "x"}, 20s);
    BOOST_TEST(status != 0);
    BOOST_TEST(text.find("no-such-host.invalid") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_local_slowloris_does_not_lock_other_local_clients_out) {
    // 64 connections from 127.0.0.1 that send half a request and reopen when cut: they would fill
    // the per-address limit (64) and every other local client would be refused.
    server_process srv(fast());
    const unsigned short port = srv.port();
    std::atomic<bool> stop{false};
    std::atomic<int> opened{0};
    std::vector<std::thread> attackers;
    struct join_all { // the attack ends with the test, whatever happens in between
        std::atomic<bool>& stop;
        std::vector<std::thread>& threads;
        ~join_all() {
            stop = true;
            for (auto& t : threads)
                if (t.joinable()) t.join();
        }
    } joiner{stop, attackers};
    for (int i = 0; i < 4; ++i)
        attackers.emplace_back([&] {
            std::vector<int> fds;
            while (!stop) {
                // Keep 16 half-sent requests open per thread; replace those the server cut.
                for (auto it = fds.begin(); it != fds.end();) {
                    char c;
                    ssize_t n = ::recv(*it, &c, 1, MSG_DONTWAIT);
                    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                        ::close(*it);
                        it = fds.erase(it);
                    } else {
                        ++it;
                    }
                }
                while (fds.size() < 16 && !stop) {
                    int fd = connect_loopback(port);
                    if (fd < 0) break;
                    const std::string half = "GET /api/system HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ";
                    (void)::send(fd, half.data(), half.size(), MSG_NOSIGNAL);
                    fds.push_back(fd);
                    ++opened;
                }
                std::this_thread::sleep_for(5ms); // the attack's pace, not a wait in the test
            }
            for (int fd : fds)
                ::close(fd);
        });
    // Once the attack runs at full strength, a browser's requests and a WebSocket still get in.
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (opened < 64 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(5ms);
    BOOST_TEST(opened.load() >= 64);
    // The policy spares a waiting connection for its first second (a request sent at once is read
    // long before): the attack counts as running once its connections are older than that.
    std::this_thread::sleep_until(std::chrono::steady_clock::now() + 1100ms);
    int ok = 0;
    for (int i = 0; i < 42; ++i) {
        try {
            ok += http_request(port, "GET", "/api/system").status == 200u ? 1 : 0;
        } catch (const std::exception& e) {
            BOOST_TEST_MESSAGE("request " << i << ": " << e.what());
        }
    }
    bool ws_ok = false;
    try {
        ws_client ws(port);
        ws_ok = ws.next_of("hello").has_value();
    } catch (const std::exception&) {
    }
    stop = true;
    for (auto& t : attackers)
        t.join();
    BOOST_TEST(ok == 42);
    BOOST_TEST(ws_ok);
    BOOST_TEST(opened.load() > 64); // the server did cut half-sent requests to make room
}
