#pragma once
/** Accepts TCP connections and hands each to an http_session on one of the pool's contexts. */
#include "transport/http_session.hpp"
#include "transport/io_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace procpulse::transport {

/**
 * Owns the acceptor on the pool's first context; a failed accept (EMFILE when descriptors run out)
 * pauses accepting with a backoff and is logged once per episode.
 */
class listener : public std::enable_shared_from_this<listener> {
public:
    /** Opens, binds and listens; throws std::system_error when the address cannot be used. */
    listener(io_pool& pool, boost::asio::ip::tcp::endpoint endpoint, server_context& ctx);

    /** Starts accepting. */
    void run();
    /** Closes the acceptor and cancels a pending retry (posted to the acceptor's context). */
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const;

private:
    void do_accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
    void on_retry(boost::beast::error_code ec);

    io_pool& pool_;
    boost::asio::ip::tcp::acceptor acceptor_;
    server_context& ctx_;
    bool refused_logged_ = false;
    /// After a failed accept (EMFILE, say) the next waits on this timer, never at once.
    boost::asio::steady_timer retry_;
    accept_backoff backoff_;
};

} // namespace procpulse::transport
