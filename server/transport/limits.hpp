#pragma once
/** Admission limits for connections and client messages. No I/O; thread-safe where noted. */
#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace procpulse::transport {

/** Counts open connections in total and per client address. Thread-safe. */
class connection_limiter {
public:
    connection_limiter(std::size_t max_total, std::size_t max_per_ip)
        : max_total_(max_total), max_per_ip_(max_per_ip) {}

    /** Releases its place when destroyed. */
    class slot {
    public:
        slot(connection_limiter* l, std::string ip) : l_(l), ip_(std::move(ip)) {}
        ~slot() { l_->release(ip_); }
        slot(const slot&) = delete;
        slot& operator=(const slot&) = delete;

    private:
        connection_limiter* l_;
        std::string ip_;
    };

    /** A place for a new connection from ip, or null when a limit is reached. */
    std::unique_ptr<slot> try_acquire(const std::string& ip) {
        std::lock_guard lock(mutex_);
        if (total_ >= max_total_ || per_ip_[ip] >= max_per_ip_) return nullptr;
        ++total_;
        ++per_ip_[ip];
        return std::make_unique<slot>(this, ip);
    }

    std::size_t total() const {
        std::lock_guard lock(mutex_);
        return total_;
    }

private:
    void release(const std::string& ip) {
        std::lock_guard lock(mutex_);
        --total_;
        if (--per_ip_[ip] == 0) per_ip_.erase(ip);
    }
    mutable std::mutex mutex_;
    std::size_t max_total_, max_per_ip_;
    std::size_t total_ = 0;
    std::map<std::string, std::size_t> per_ip_;
};

/** Token bucket: `rate` tokens per second up to `burst`. Not thread-safe (one per connection). */
class token_bucket {
public:
    token_bucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

    /** Takes one token at time `now` (seconds, monotonic); false when the bucket is empty. */
    bool take(double now) {
        if (last_ > 0) tokens_ = std::min(burst_, tokens_ + (now - last_) * rate_);
        last_ = now;
        if (tokens_ < 1) return false;
        tokens_ -= 1;
        return true;
    }

private:
    double rate_, burst_, tokens_;
    double last_ = 0;
};

} // namespace procpulse::transport
