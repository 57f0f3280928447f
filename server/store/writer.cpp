#include "store/writer.hpp"

#include "util/log.hpp"

namespace procpulse::store {

writer::writer(store& s, std::vector<core::tier> tiers, std::chrono::milliseconds flush_interval,
               std::function<std::vector<int>()> watched)
    : store_(s), tiers_(tiers), flush_interval_(flush_interval), watched_(std::move(watched)),
      down_(std::move(tiers)) {
    thread_ = std::thread([this] { run(); });
}

writer::~writer() {
    stop();
}

void writer::submit(core::snapshot_ptr snap) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back(std::move(snap));
        if (queue_.size() > 3600) queue_.pop_front(); // the disk is stuck: keep the newest hour
    }
    cv_.notify_one();
}

void writer::submit_event(event_row e) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        events_.push_back(std::move(e));
        if (events_.size() > max_pending_events) {
            events_.pop_front();
            ++health_.dropped_events;
        }
    }
    cv_.notify_one();
}

void writer::on_recreated(std::function<void()> f) {
    std::lock_guard lock(mutex_);
    on_recreated_ = std::move(f);
}

std::optional<std::string> writer::failure() const {
    std::lock_guard lock(mutex_);
    if (!health_.failing) return std::nullopt;
    return health_.last_error;
}

writer::health writer::status() const {
    std::lock_guard lock(mutex_);
    return health_;
}

void writer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void writer::drain(std::deque<core::snapshot_ptr>& batch) {
    if (batch.empty()) return;
    auto pids = watched_ ? watched_() : std::vector<int>{};
    for (const auto& snap : batch) {
        std::set<core::process_key> keep;
        for (int pid : pids)
            if (const auto* p = snap->find(pid)) keep.insert(p->key);
        auto rows = down_.add(*snap, keep);
        pending_.insert(pending_.end(), std::make_move_iterator(rows.begin()),
                        std::make_move_iterator(rows.end()));
        last_time_ = snap->at.wall;
    }
    batch.clear();
}

void writer::flush(bool final_flush) {
    if (final_flush) {
        auto rows = down_.flush();
        pending_.insert(pending_.end(), rows.begin(), rows.end());
    }
    if (pending_.empty() && pending_events_.empty()) return;
    std::string error;
    try {
        if (auto what = store_.replace_if_gone()) {
            log::error("database " + store_.path() + " " + *what +
                       " while procpulse ran: started a new one there (history stored before is "
                       "gone from disk; the last hour is still in memory)");
            std::function<void()> hook;
            {
                std::lock_guard lock(mutex_);
                hook = on_recreated_;
            }
            if (hook) hook();
        }
        store_.add_events(pending_events_);
        pending_events_.clear();
        store_.write(pending_, tiers_, last_time_);
        pending_.clear();
    } catch (const std::exception& e) {
        error = e.what();
    }
    // A disk that refuses writes: keep the newest rows up to a bound, drop the oldest (counted).
    std::size_t dropped = 0, dropped_events = 0;
    if (pending_events_.size() > max_pending_events) {
        dropped_events = pending_events_.size() - max_pending_events;
        pending_events_.erase(pending_events_.begin(),
                              pending_events_.begin() +
                                  static_cast<std::ptrdiff_t>(dropped_events));
    }
    if (pending_.size() > max_pending_rows) {
        dropped = pending_.size() - max_pending_rows;
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(dropped));
    }
    bool first_failure = false, recovered = false;
    {
        std::lock_guard lock(mutex_);
        health_.dropped_rows += dropped;
        health_.dropped_events += dropped_events;
        health_.pending_rows = pending_.size();
        first_failure = !error.empty() && !health_.failing;
        recovered = error.empty() && health_.failing;
        health_.failing = !error.empty();
        if (!error.empty()) health_.last_error = error;
    }
    // Logged once per episode, not once per flush.
    if (first_failure) {
        log::error("history write to " + store_.path() + " failed: " + error +
                   " (rows wait in memory, at most " + std::to_string(max_pending_rows) +
                   "; retrying at each flush)");
    }
    if (!error.empty()) ++failures_;
    if (recovered) {
        log::warn("history writes to " + store_.path() + " resumed after " +
                  std::to_string(failures_) + " failed flushes");
        failures_ = 0;
    }
}

void writer::run() {
    auto next_flush = std::chrono::steady_clock::now() + flush_interval_;
    std::deque<core::snapshot_ptr> batch;
    for (;;) {
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            cv_.wait_until(lock, next_flush,
                           [&] { return stopping_ || !queue_.empty() || !events_.empty(); });
            batch.swap(queue_);
            for (auto& e : events_)
                pending_events_.push_back(std::move(e));
            events_.clear();
            stop = stopping_;
        }
        drain(batch);
        if (stop) {
            flush(true);
            return;
        }
        if (std::chrono::steady_clock::now() >= next_flush) {
            flush(false);
            next_flush += flush_interval_;
            if (next_flush < std::chrono::steady_clock::now())
                next_flush = std::chrono::steady_clock::now() + flush_interval_;
        }
    }
}

} // namespace procpulse::store
