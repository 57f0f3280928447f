#include "sampler/on_demand.hpp"

#include "sampler/sampler.hpp"

#include <algorithm>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>

namespace procpulse::sampler {

namespace {

core::collector_options reading_once(core::collector_options o) {
    o.keep_open = false;
    return o;
}

} // namespace

on_demand::on_demand(const std::string& proc_root, core::collector_options opts,
                     core::user_lookup users)
    : coll_(proc_root, reading_once(opts), std::move(users)), root_(proc_root) {}

std::optional<core::process_sample> on_demand::read_locked(int pid, const core::snapshot& latest) {
    if (cache_seq_ != latest.seq) {
        cache_.clear();
        cache_seq_ = latest.seq;
    }
    if (auto it = cache_.find(pid); it != cache_.end()) {
        struct ::stat st {};
        if (::fstatat(root_.fd(), std::to_string(pid).c_str(), &st, 0) == 0) return it->second;
        cache_.erase(it); // exited since it was read
    }
    auto s = coll_.read_one(pid, sampler::now(), latest.system);
    if (!s) return std::nullopt; // absent: not cached, it may appear any moment
    reads_.fetch_add(1, std::memory_order_relaxed);
    cache_.emplace(pid, *s);
    return s;
}

std::optional<core::process_sample> on_demand::read(int pid, const core::snapshot& latest) {
    if (const auto* p = latest.find(pid)) return *p;
    std::lock_guard lock(mutex_);
    return read_locked(pid, latest);
}

bool on_demand::exists(int pid) {
    struct ::stat st {};
    std::lock_guard lock(mutex_);
    return ::fstatat(root_.fd(), std::to_string(pid).c_str(), &st, 0) == 0 && S_ISDIR(st.st_mode);
}

std::vector<core::process_sample> on_demand::read_new(const core::snapshot& latest,
                                                      std::size_t cap) {
    std::vector<core::process_sample> out;
    std::lock_guard lock(mutex_);
    for (int pid : root_.list_pids()) {
        if (out.size() >= cap) break;
        if (latest.find(pid)) continue;
        if (auto s = read_locked(pid, latest)) out.push_back(std::move(*s));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.key.pid < b.key.pid; });
    return out;
}

} // namespace procpulse::sampler
