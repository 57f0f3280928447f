#pragma once
/**
 * The network threads: one io_context per thread. A connection lives on one context for its whole
 * life, so its handlers never run concurrently and need no strand; the hub hands each context the
 * tick once, and that context's thread walks its own sessions (one wake-up and one posted handler
 * per thread and tick instead of one per session).
 */
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace procpulse::transport {

class io_pool {
public:
    /** `threads` contexts (at least one). */
    explicit io_pool(unsigned threads);
    io_pool(const io_pool&) = delete;
    io_pool& operator=(const io_pool&) = delete;

    /** The context for the next connection (round robin). Any thread. */
    boost::asio::io_context& next();
    boost::asio::io_context& at(std::size_t i) { return *contexts_.at(i); }

    /** Runs every context, one per thread (the caller runs the first); returns after stop(). */
    void run();
    /** Lets every context finish: drops the work guards and stops them. Any thread. */
    void stop();

private:
    using guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<guard> guards_;
    std::atomic<std::size_t> next_{0};
};

} // namespace procpulse::transport
