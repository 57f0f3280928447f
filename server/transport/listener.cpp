#include "transport/listener.hpp"

#include "util/log.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

namespace procpulse::transport {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

listener::listener(io_pool& pool, tcp::endpoint endpoint, server_context& ctx)
    : pool_(pool), acceptor_(pool.at(0)), ctx_(ctx), retry_(pool.at(0)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    if (endpoint.address().is_v6()) acceptor_.set_option(net::ip::v6_only(false));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

tcp::endpoint listener::local_endpoint() const {
    return acceptor_.local_endpoint();
}

void listener::run() {
    do_accept();
}

void listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->acceptor_.close(ec);
        self->retry_.cancel();
    });
}

void listener::do_accept() {
    // The new connection lives on the next context; the acceptor's handlers run on the first.
    acceptor_.async_accept(pool_.next(),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
        // EMFILE and the like persist until something closes: retrying at once would spin (and
        // log) at full speed. Pause with a growing backoff; log the first failure only.
        auto pause = backoff_.failed();
        if (backoff_.failures() == 1)
            log::warn("accept: " + ec.message() + "; pausing accepts, retrying every " +
                      std::to_string(backoff_.most().count()) +
                      " ms at most (logged once until an accept succeeds)");
        retry_.expires_after(pause);
        retry_.async_wait(beast::bind_front_handler(&listener::on_retry, shared_from_this()));
        return;
    }
    if (auto failed = backoff_.succeeded())
        log::info("accepting again after " + std::to_string(failed) + " failed accepts");
    beast::error_code e2;
    auto remote = socket.remote_endpoint(e2);
    std::string ip = e2 ? "?" : remote.address().to_string();
    auto slot = ctx_.limiter.try_acquire(ip);
    // At the limit, a connection of this address still waiting for its request (a half-sent
    // one, slowloris) gives its place to the newcomer rather than locking it out.
    if (!slot && ctx_.pending.evict_oldest(ip))
        slot = ctx_.limiter.acquire_in_place_of_evicted(ip);
    if (!slot) {
        if (!refused_logged_) log::warn("connection limit reached, refusing " + ip);
        refused_logged_ = true;
        socket.close(e2);
    } else {
        refused_logged_ = false;
        std::string peer = ip + ":" + std::to_string(e2 ? 0 : remote.port());
        std::make_shared<http_session>(std::move(socket), ctx_, std::move(slot), std::move(peer))
            ->run();
    }
    if (acceptor_.is_open()) do_accept();
}

void listener::on_retry(beast::error_code ec) {
    if (ec || !acceptor_.is_open()) return;
    do_accept();
}

} // namespace procpulse::transport
