#include "terminal.hpp"
#include "protocol/json_text.hpp"

#include "core/collector.hpp"
#include "protocol/records.hpp"
#include "sampler/sampler.hpp"
#include "sampler/users.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace procpulse {

namespace json = boost::json;

namespace {

core::collector make_collector(const config::config& cfg) {
    core::collector_options o;
    o.clk_tck = ::sysconf(_SC_CLK_TCK);
    o.page_size = ::sysconf(_SC_PAGESIZE);
    o.keep_open = cfg.keep_open;
    return core::collector(cfg.proc_root, o, sampler::system_user_name);
}

std::atomic<bool> stop_requested{false};
void on_signal(int) {
    stop_requested = true;
}

std::string human_bytes(std::uint64_t b) {
    const char* units[] = {"B", "K", "M", "G", "T"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024 && u < 4)
        v /= 1024, ++u;
    char out[32];
    std::snprintf(out, sizeof out, u == 0 ? "%.0f%s" : "%.1f%s", v, units[u]);
    return out;
}

} // namespace

int run_once(const config::config& cfg) {
    auto coll = make_collector(cfg);
    coll.sweep(sampler::sampler::now());
    std::this_thread::sleep_for(std::min(cfg.interval, config::milliseconds(250)));
    auto r = coll.sweep(sampler::sampler::now());
    const auto& snap = *r.snap;
    json::object out;
    out["seq"] = snap.seq;
    out["timestamp"] = protocol::round_to(snap.at.wall, 3);
    out["interval_ms"] = snap.gap_seconds ? std::llround(*snap.gap_seconds * 1000) : 0;
    out["system"] = protocol::system_record(snap.system, snap.at.wall);
    json::array procs;
    procs.reserve(snap.processes.size());
    for (const auto& p : snap.processes)
        procs.push_back(protocol::process_record(p));
    out["processes"] = std::move(procs);
    std::string text = protocol::to_json(out);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int run_watch(const config::config& cfg) {
    auto coll = make_collector(cfg);
    sampler::sampler s(coll, cfg.interval);
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const bool tty = ::isatty(STDOUT_FILENO);
    s.on_snapshot([tty](const core::snapshot_ptr& snap) {
        std::vector<const core::process_sample*> rows;
        for (const auto& p : snap->processes)
            if (!p.kernel_thread) rows.push_back(&p);
        std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) {
            double ca = a->cpu_percent.value_or(-1), cb = b->cpu_percent.value_or(-1);
            return ca != cb ? ca > cb : a->rss > b->rss;
        });
        if (rows.size() > 30) rows.resize(30);
        const auto& sys = snap->system;
        std::string out = tty ? "\x1b[H\x1b[2J" : "";
        char line[512];
        std::snprintf(
            line, sizeof line,
            "procpulse  procs %u  threads %u  load %.2f %.2f %.2f  cpu %5.1f%%  mem %s/%s "
            "(%.1f%%)  swap %.1f%%\n",
            sys.process_count, sys.thread_count, sys.load1, sys.load5, sys.load15,
            sys.cpu_percent.value_or(0), human_bytes(sys.mem_used).c_str(),
            human_bytes(sys.mem_total).c_str(), sys.mem_percent, sys.swap_percent);
        out += line;
        std::snprintf(line, sizeof line, "%7s %-10s %1s %6s %5s %8s %8s %4s %9s  %s\n", "PID",
                      "USER", "S", "CPU%", "MEM%", "RSS", "VMS", "THR", "FLT/s", "NAME");
        out += line;
        for (auto* p : rows) {
            std::string cpu = p->cpu_percent ? std::to_string(*p->cpu_percent).substr(0, 5) : "-";
            std::snprintf(line, sizeof line, "%7d %-10.10s %c %6s %5.1f %8s %8s %4lld %9.0f  %s\n",
                          p->key.pid, p->username ? p->username->c_str() : "?", p->state,
                          cpu.c_str(), p->memory_percent, human_bytes(p->rss).c_str(),
                          human_bytes(p->vms).c_str(), static_cast<long long>(p->num_threads),
                          p->minor_faults_per_sec.value_or(0) + p->major_faults_per_sec.value_or(0),
                          p->name.c_str());
            out += line;
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
    });
    s.start();
    while (!stop_requested)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s.stop();
    return 0;
}

} // namespace procpulse
