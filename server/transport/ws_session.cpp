#include "transport/ws_session.hpp"

#include "http/security.hpp"
#include "transport/hub.hpp"
#include "util/log.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>

namespace procpulse::transport {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace http = beast::http;

ws_session::ws_session(beast::tcp_stream&& stream, hub& h, const config::config& cfg,
                       std::unique_ptr<connection_limiter::slot> slot, std::string peer)
    : ws_(std::move(stream)), lane_(&net::query(ws_.get_executor(), net::execution::context)),
      write_timer_(ws_.get_executor()), hub_(h), cfg_(cfg), slot_(std::move(slot)),
      peer_(std::move(peer)), bucket_(cfg.lim.messages_per_sec, cfg.lim.message_burst) {}

ws_session::~ws_session() {
    if (joined_) hub_.leave(this);
    log::info("websocket closed: " + peer_);
}

double ws_session::now_wall() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
}

double ws_session::now_mono() {
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count() / 1e6;
}

void ws_session::fail(beast::error_code ec, const char* what) {
    if (ec == net::error::operation_aborted || ec == websocket::error::closed) return;
    log::debug(peer_ + ": " + what + ": " + ec.message());
}

void ws_session::run(http::request<http::string_body> req) {
    // The HTTP timeout no longer applies: the websocket has its own.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = cfg_.lim.handshake_timeout;
    t.idle_timeout = cfg_.lim.idle_timeout / 2;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(cfg_.lim.max_message_bytes);
    ws_.auto_fragment(false);
    bool offered = false;
    if (auto it = req.find(http::field::sec_websocket_protocol); it != req.end())
        offered = procpulse::http::offers_subprotocol(it->value(), "procpulse.v1");
    ws_.set_option(websocket::stream_base::decorator([offered](websocket::response_type& res) {
        res.set(http::field::server, "procpulse");
        if (offered) res.set(http::field::sec_websocket_protocol, "procpulse.v1");
    }));
    ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
}

void ws_session::on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "accept");
    log::info("websocket open: " + peer_);
    ws_.text(true);
    state_ = std::make_unique<protocol::session_state>(hub_, hub_.info(), cfg_.lim);
    hub_.join(shared_from_this());
    joined_ = true;
    enqueue(state_->hello(now_wall()));
    do_read();
}

void ws_session::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
}

void ws_session::on_read(beast::error_code ec, std::size_t) {
    if (ec) {
        write_timer_.cancel(); // the connection is over: do not keep the session alive
        if (ec == websocket::error::message_too_big)
            log::info(peer_ + ": message too big, closed with 1009");
        return fail(ec, "read");
    }
    if (closing_) return;
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        return close_with(websocket::close_code::unknown_data, "binary frame");
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!bucket_.take(now_mono())) {
        // Refused messages still cost the client: persistent flooding closes the connection.
        if (++strikes_ > 10 * static_cast<std::size_t>(cfg_.lim.message_burst))
            return close_with(websocket::close_code::policy_error, "rate limit");
        enqueue(state_->rate_limited());
    } else {
        strikes_ = 0;
        for (auto& m : state_->on_message(text, now_wall()))
            enqueue(std::move(m));
    }
    if (!closing_) do_read();
}

void ws_session::deliver_batch(std::vector<std::weak_ptr<ws_session>> batch, protocol::tick_ptr t) {
    std::shared_ptr<ws_session> first;
    for (const auto& w : batch)
        if ((first = w.lock())) break;
    if (!first) return;
    net::post(first->ws_.get_executor(), [batch = std::move(batch), t = std::move(t)] {
        for (const auto& w : batch)
            if (auto s = w.lock()) s->take_tick(t);
    });
}

void ws_session::take_tick(protocol::tick_ptr t) {
    if (closing_ || !state_) return;
    // A newer tick replaces one not yet sent; only its alert events must still go out.
    if (pending_tick_ && !pending_tick_->alert_events.empty())
        for (auto& m : state_->alert_messages(*pending_tick_))
            enqueue(std::move(m));
    pending_tick_ = std::move(t);
    do_write();
}

void ws_session::shutdown() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        self->close_with(websocket::close_code::going_away, "server shutdown");
    });
}

void ws_session::close_with(websocket::close_code code, const char* why) {
    if (closing_) return;
    closing_ = true;
    pending_tick_.reset();
    // The write deadline's handler holds the session: cancel it so that a closed session (and its
    // connection slot) ends with its last operation, not up to --write-timeout later.
    write_timer_.cancel();
    log::debug(peer_ + ": closing (" + why + ")");
    ws_.async_close(code, [self = shared_from_this()](beast::error_code ec) {
        if (ec) self->fail(ec, "close");
    });
}

void ws_session::enqueue(std::string msg) {
    if (closing_) return;
    queued_bytes_ += msg.size();
    queue_.push_back(std::move(msg));
    if (queued_bytes_ > cfg_.lim.outbox_bytes) {
        log::warn(peer_ + ": outbox over " + std::to_string(cfg_.lim.outbox_bytes) +
                  " bytes, closing the lagging client");
        write_timer_.cancel();
        beast::get_lowest_layer(ws_).socket().close();
        closing_ = true;
        return;
    }
    do_write();
}

void ws_session::do_write() {
    if (writing_ || closing_) return;
    if (queue_.empty() && pending_tick_) {
        auto t = std::move(pending_tick_);
        pending_tick_.reset();
        for (auto& m : state_->on_tick(*t)) {
            queued_bytes_ += m.size();
            queue_.push_back(std::move(m));
        }
    }
    if (queue_.empty()) return;
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    if (!timer_armed_) { // armed once and re-armed only while writes keep pending
        timer_armed_ = true;
        write_timer_.expires_at(write_started_ + cfg_.lim.write_timeout);
        write_timer_.async_wait(net::bind_executor(
            ws_.get_executor(),
            beast::bind_front_handler(&ws_session::on_write_timeout, shared_from_this())));
    }
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
}

void ws_session::on_write_timeout(beast::error_code ec) {
    timer_armed_ = false;
    if (ec || !writing_ || closing_) return;
    auto due = write_started_ + cfg_.lim.write_timeout;
    const auto now = std::chrono::steady_clock::now();
    // A timer that fires much later than it was due means the server itself was not running
    // (SIGSTOP, a suspended VM): the client had no chance to read. Count from now instead.
    if (now - write_timer_.expiry() > std::chrono::seconds(1)) {
        write_started_ = now;
        due = now + cfg_.lim.write_timeout;
    }
    if (now < due) { // the pending write started later: wait for it
        timer_armed_ = true;
        write_timer_.expires_at(due);
        write_timer_.async_wait(net::bind_executor(
            ws_.get_executor(),
            beast::bind_front_handler(&ws_session::on_write_timeout, shared_from_this())));
        return;
    }
    log::warn(peer_ + ": write pending for over " + std::to_string(cfg_.lim.write_timeout.count()) +
              " ms, closing the client");
    closing_ = true;
    beast::get_lowest_layer(ws_).socket().close();
}

void ws_session::on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
        write_timer_.cancel();
        return fail(ec, "write");
    }
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
    do_write();
}

} // namespace procpulse::transport
