#pragma once
/**
 * One WebSocket connection. Runs on one network thread (io_pool) for its whole life; owns a
 * protocol::session_state and an outbox: one write in flight, replies queued up to a byte bound,
 * and ticks never queued: a lagging client's next delta is computed from what it last received to
 * the newest tick. A client whose write stays pending past the deadline, or whose queued replies
 * exceed the bound, is closed.
 */
#include "config/config.hpp"
#include "protocol/session.hpp"
#include "transport/limits.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace procpulse::transport {

class hub;

class ws_session : public std::enable_shared_from_this<ws_session> {
public:
    ws_session(boost::beast::tcp_stream&& stream, hub& h, const config::config& cfg,
               std::unique_ptr<connection_limiter::slot> slot, std::string peer);
    ~ws_session();

    /** Accepts the upgrade request and starts reading. */
    void run(boost::beast::http::request<boost::beast::http::string_body> req);

    /**
     * The execution context (network thread) this session lives on; sessions with the same lane
     * can be handed a tick by one posted handler (deliver_batch).
     */
    const void* lane() const { return lane_; }
    /**
     * A new tick for `batch` (sessions of one lane); any thread. Posts one handler to that lane,
     * which hands the tick to each session still open.
     */
    static void deliver_batch(std::vector<std::weak_ptr<ws_session>> batch, protocol::tick_ptr t);

    /** Close with 1001 (server going away); any thread. */
    void shutdown();

private:
    /** A new tick, on the session's own thread. */
    void take_tick(protocol::tick_ptr t);
    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void enqueue(std::string msg);
    void do_write();
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void on_write_timeout(boost::beast::error_code ec);
    void close_with(boost::beast::websocket::close_code code, const char* why);
    void fail(boost::beast::error_code ec, const char* what);
    static double now_wall();
    static double now_mono();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    const void* lane_;
    boost::beast::flat_buffer buffer_;
    boost::asio::steady_timer write_timer_;
    hub& hub_;
    const config::config& cfg_;
    std::unique_ptr<connection_limiter::slot> slot_;
    std::string peer_;
    std::unique_ptr<protocol::session_state> state_;
    token_bucket bucket_;
    std::size_t strikes_ = 0; // rate-limit refusals in a row

    std::deque<std::string> queue_; // front is in flight while writing_
    std::size_t queued_bytes_ = 0;
    protocol::tick_ptr pending_tick_;
    bool writing_ = false;
    bool timer_armed_ = false; // the write deadline is checked by one timer, not one per write
    std::chrono::steady_clock::time_point write_started_;
    bool closing_ = false;
    bool joined_ = false;
};

} // namespace procpulse::transport
