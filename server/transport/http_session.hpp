#pragma once
/** One HTTP connection: REST API, static files, /metrics, and the upgrade to WebSocket at /ws. */
#include "config/config.hpp"
#include "http/api.hpp"
#include "http/origins.hpp"
#include "http/prometheus.hpp"
#include "http/security.hpp"
#include "http/static_files.hpp"
#include "transport/limits.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace procpulse::transport {

class hub;

/** What every connection shares. Lives as long as the server. */
struct server_context {
    const config::config& cfg;
    transport::hub& hub;
    http::watch_list& watched;
    http::static_files files;
    http::listen_address addr;
    connection_limiter limiter;
    pending_budget pending{8}; ///< set from cfg.lim.max_pending_per_ip by whoever builds this
    std::atomic<double> last_sweep_seconds{0};
    /** History reaching into the store (REST). */
    std::function<std::optional<core::series>(int, std::optional<std::uint64_t>, double, double)>
        process_history;
    std::function<core::series(double, double)> system_history;
    http::alerts_api* alerts = nullptr;
    decltype(http::api_context::describe) describe;
    decltype(http::api_context::read_now) read_now;
    decltype(http::api_context::read_new) read_new;
    decltype(http::api_context::threads) threads;
    decltype(http::api_context::fds) fds;
    bool history_persisted = true;
    /** How history writes fare; empty without a database. */
    std::function<http::store_health()> store_health;
    /** Carries out and logs a process action (--allow-actions); unset: actions are off. */
    std::function<http::action_outcome(const http::action_request&, const std::string& peer,
                                       bool token)>
        act;
    decltype(http::api_context::recent_actions) recent_actions;
};

/** Seconds on the steady clock (for the pending budget's ages). */
double monotonic_seconds();

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(boost::asio::ip::tcp::socket&& socket, server_context& ctx,
                 std::unique_ptr<connection_limiter::slot> slot, std::string peer);
    void run();

private:
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    using response = boost::beast::http::response<boost::beast::http::string_body>;

    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t bytes);
    void send(std::shared_ptr<response> res);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
    void do_close();
    std::shared_ptr<response> handle(const request& req);
    /** The request as the CORS rules see it. */
    static http::cors_request cors_of(const request& req);
    /** Adds the CORS headers (http/origins.hpp) an answer to `req` carries. */
    std::shared_ptr<response> with_cors(const request& req, std::shared_ptr<response> res);

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    server_context& ctx_;
    std::unique_ptr<connection_limiter::slot> slot_;
    std::unique_ptr<pending_budget::ticket> waiting_; // while the first request is awaited
    bool served_ = false;                             // a whole request was read
    std::string peer_;
    std::shared_ptr<response> res_;
};

} // namespace procpulse::transport
