#pragma once
/** Accepts TCP connections and hands each to an http_session on one of the pool's contexts. */
#include "transport/http_session.hpp"
#include "transport/io_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace procpulse::transport {

class listener : public std::enable_shared_from_this<listener> {
public:
    /** Opens, binds and listens; throws std::system_error when the address cannot be used. */
    listener(io_pool& pool, boost::asio::ip::tcp::endpoint endpoint, server_context& ctx);

    void run();
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const;

private:
    void do_accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

    io_pool& pool_;
    boost::asio::ip::tcp::acceptor acceptor_;
    server_context& ctx_;
    bool refused_logged_ = false;
};

} // namespace procpulse::transport
