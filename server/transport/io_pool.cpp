#include "transport/io_pool.hpp"

#include <algorithm>
#include <thread>

namespace procpulse::transport {

io_pool::io_pool(unsigned threads) {
    const unsigned n = std::max(threads, 1u);
    for (unsigned i = 0; i < n; ++i) {
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1)); // one thread each
        guards_.push_back(boost::asio::make_work_guard(*contexts_.back()));
    }
}

boost::asio::io_context& io_pool::next() {
    return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void io_pool::run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i)
        threads.emplace_back([ctx = contexts_[i].get()] { ctx->run(); });
    contexts_[0]->run();
    for (auto& t : threads)
        t.join();
}

void io_pool::stop() {
    for (auto& g : guards_)
        g.reset();
    for (auto& c : contexts_)
        c->stop();
}

} // namespace procpulse::transport
