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
    if (pending_.empty()) return;
    try {
        store_.write(pending_, tiers_, last_time_);
        pending_.clear();
    } catch (const std::exception& e) {
        log::error(std::string("history write to ") + store_.path() + " failed: " + e.what());
        if (pending_.size() > 1000000) pending_.clear(); // do not grow without bound
    }
}

void writer::run() {
    auto next_flush = std::chrono::steady_clock::now() + flush_interval_;
    std::deque<core::snapshot_ptr> batch;
    for (;;) {
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            cv_.wait_until(lock, next_flush, [&] { return stopping_ || !queue_.empty(); });
            batch.swap(queue_);
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
