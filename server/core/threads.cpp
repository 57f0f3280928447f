#include "core/threads.hpp"

#include "core/process_sample.hpp"
#include "core/rates.hpp"

#include <algorithm>

namespace procpulse::core {

thread_report thread_rates::update(int pid, const std::vector<procfs::pid_stat>& tasks,
                                   std::int64_t steady_ns, std::size_t limit) {
    thread_report r;
    r.count = tasks.size();
    // The main thread (tid == pid) carries the process's start time; else the earliest thread.
    std::uint64_t start = tasks.empty() ? 0 : tasks.front().starttime;
    for (const auto& t : tasks) {
        if (t.pid == pid) {
            start = t.starttime;
            break;
        }
        start = std::min(start, t.starttime);
    }
    r.key = {pid, start};

    auto it = prev_.find(pid);
    const reading* before = nullptr;
    double gap = 0;
    if (it != prev_.end() && it->second.start == start && steady_ns > it->second.steady_ns) {
        before = &it->second;
        gap = static_cast<double>(steady_ns - it->second.steady_ns) / 1e9;
        r.gap_seconds = gap;
    }
    const double tck = clk_tck_ > 0 ? static_cast<double>(clk_tck_) : 100.0;
    reading now;
    now.start = start;
    now.steady_ns = steady_ns;
    now.ticks.reserve(tasks.size());
    for (const auto& t : tasks) {
        const std::uint64_t ticks = t.utime + t.stime;
        now.ticks[t.pid] = ticks;
        if (r.threads.size() >= limit) continue;
        thread_sample s;
        s.tid = t.pid;
        s.name = t.comm;
        s.status = status_word(t.state);
        s.cpu_user = static_cast<double>(t.utime) / tck;
        s.cpu_system = static_cast<double>(t.stime) / tck;
        if (before) {
            auto p = before->ticks.find(t.pid);
            if (p != before->ticks.end())
                s.cpu_percent = cpu_percent(p->second, ticks, clk_tck_, gap);
        }
        r.threads.push_back(std::move(s));
    }
    std::sort(r.threads.begin(), r.threads.end(),
              [](const thread_sample& a, const thread_sample& b) { return a.tid < b.tid; });

    if (it != prev_.end()) {
        lru_.erase(it->second.lru);
        prev_.erase(it);
    }
    lru_.push_front(pid);
    now.lru = lru_.begin();
    prev_.emplace(pid, std::move(now));
    while (prev_.size() > max_) {
        prev_.erase(lru_.back());
        lru_.pop_back();
    }
    return r;
}

} // namespace procpulse::core
