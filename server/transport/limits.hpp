#pragma once
/** Admission limits for connections and client messages. No I/O; thread-safe where noted. */
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

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

    /**
     * A place beyond the limits, for a connection that took the place of one just evicted (which
     * releases its own when its close completes): the overshoot is brief and bounded by evictions.
     */
    std::unique_ptr<slot> acquire_in_place_of_evicted(const std::string& ip) {
        std::lock_guard lock(mutex_);
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

/**
 * Connections waiting for (or reading) a request, per client address: at most `per_ip` of them;
 * a new one makes room by evicting the oldest that has waited at least `min_age` seconds (1 s: a
 * loaded server may take a while to read a request sent at once; a scrape must not lose to churn).
 * Half-sent requests (slowloris) from one address can then hold only a few places, and a browser
 * on the same host (every local client is 127.0.0.1) still gets in: its request, sent at once, is
 * read long before it could be evicted. Thread-safe; eviction callbacks run outside the lock.
 */
class pending_budget {
public:
    explicit pending_budget(std::size_t per_ip, double min_age = 1.0)
        : per_ip_(std::max<std::size_t>(per_ip, 1)), min_age_(min_age) {}

    /** Holds a place until destroyed (the request was read, or the connection ended). */
    class ticket {
    public:
        ticket(pending_budget* b, std::string ip, std::uint64_t id)
            : b_(b), ip_(std::move(ip)), id_(id) {}
        ~ticket() { b_->release(ip_, id_); }
        ticket(const ticket&) = delete;
        ticket& operator=(const ticket&) = delete;

    private:
        pending_budget* b_;
        std::string ip_;
        std::uint64_t id_;
    };

    /**
     * A place for a connection of `ip` that waits for a request since `now` (seconds, monotonic);
     * `evict` is called (any thread, at most once) if a newer one needs the place. When every
     * waiting connection of the address is younger than `min_age`, none is evicted and the newcomer
     * is admitted beyond the budget.
     */
    std::unique_ptr<ticket> admit(const std::string& ip, double now, std::function<void()> evict) {
        std::function<void()> evicted;
        std::unique_ptr<ticket> t;
        {
            std::lock_guard lock(mutex_);
            auto& q = by_ip_[ip];
            if (q.size() >= per_ip_) evicted = take_oldest(q, now);
            q.push_back(entry{++next_id_, now, std::move(evict)});
            t = std::make_unique<ticket>(this, ip, next_id_);
        }
        if (evicted) evicted();
        return t;
    }

    /**
     * Evicts the oldest waiting connection of `ip`, whatever its age (for a new connection the
     * per-address limit would refuse: the oldest waiting one is the likeliest half-sent request,
     * since the newcomer's own request was sent at once); false when none waits.
     */
    bool evict_oldest(const std::string& ip) {
        std::function<void()> evicted;
        {
            std::lock_guard lock(mutex_);
            auto it = by_ip_.find(ip);
            if (it == by_ip_.end()) return false;
            evicted = take_oldest(it->second, std::numeric_limits<double>::infinity());
        }
        if (!evicted) return false;
        evicted();
        return true;
    }

    /** Waiting connections of one address (for tests). */
    std::size_t waiting(const std::string& ip) const {
        std::lock_guard lock(mutex_);
        auto it = by_ip_.find(ip);
        return it == by_ip_.end() ? 0 : it->second.size();
    }
    std::uint64_t evictions() const {
        std::lock_guard lock(mutex_);
        return evictions_;
    }

private:
    struct entry {
        std::uint64_t id;
        double since;
        std::function<void()> evict;
    };
    /** Removes the oldest entry if it is old enough; returns its callback (lock held). */
    std::function<void()> take_oldest(std::deque<entry>& q, double now) {
        if (q.empty() || now - q.front().since < min_age_) return {};
        auto f = std::move(q.front().evict);
        q.pop_front();
        ++evictions_;
        return f;
    }
    void release(const std::string& ip, std::uint64_t id) {
        std::lock_guard lock(mutex_);
        auto it = by_ip_.find(ip);
        if (it == by_ip_.end()) return;
        auto& q = it->second;
        for (auto e = q.begin(); e != q.end(); ++e)
            if (e->id == id) {
                q.erase(e);
                break;
            }
        if (q.empty()) by_ip_.erase(it);
    }
    mutable std::mutex mutex_;
    std::size_t per_ip_;
    double min_age_;
    std::uint64_t next_id_ = 0;
    std::uint64_t evictions_ = 0;
    std::map<std::string, std::deque<entry>> by_ip_;
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

/**
 * Pauses between accept attempts after failures (EMFILE when the descriptors run out): doubling
 * from `first` up to `most`, so a listener never spins on an error that persists. An episode is
 * the run of failures between two successful accepts. Not thread-safe (the listener's context).
 */
class accept_backoff {
public:
    explicit accept_backoff(std::chrono::milliseconds first = std::chrono::milliseconds(20),
                            std::chrono::milliseconds most = std::chrono::milliseconds(500))
        : first_(first), most_(most) {}

    /** A failed accept: returns the pause before the next attempt. */
    std::chrono::milliseconds failed() {
        ++failures_;
        pause_ = failures_ == 1 ? first_ : std::min(most_, pause_ * 2);
        return pause_;
    }

    /** A successful accept: returns how many failures the episode it ends had (0: none). */
    std::uint64_t succeeded() { return std::exchange(failures_, 0); }

    /** Failures in the current episode (1 right after its first: the one to log). */
    std::uint64_t failures() const { return failures_; }

    std::chrono::milliseconds most() const { return most_; }

private:
    std::chrono::milliseconds first_, most_;
    std::chrono::milliseconds pause_{0};
    std::uint64_t failures_ = 0;
};

} // namespace procpulse::transport
