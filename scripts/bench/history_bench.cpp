// History benchmark (issue #5): memory of the in-memory history for N processes over one hour at
// 1 Hz (accelerated: synthetic sweeps, no sleeping), bytes per stored point in memory and on disk,
// and query latency for one hour of one process, from memory and from SQLite.
//
// Usage: history_bench [processes=1000] [sweeps=3600] [busy_percent=5] [db_path]
// busy_percent of the processes change CPU, RSS and faults every sweep; the rest are idle.
#include "core/downsample.hpp"
#include "core/history.hpp"
#include "store/store.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

using namespace procpulse;

namespace {

long rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int sweeps = argc > 2 ? std::atoi(argv[2]) : 3600;
    const int busy_pct = argc > 3 ? std::atoi(argv[3]) : 5;
    const std::string db_path = argc > 4 ? argv[4] : "/tmp/procpulse-history-bench.db";
    std::filesystem::remove(db_path);
    std::filesystem::remove(db_path + "-wal");
    std::filesystem::remove(db_path + "-shm");

    std::mt19937 rng(42);
    core::snapshot base;
    for (int i = 0; i < n; ++i) {
        core::process_sample p;
        p.key = {1000 + i, static_cast<std::uint64_t>(5000 + i)};
        p.name = "worker";
        p.rss = (2000 + rng() % 50000) * 4096ull;
        p.vms = p.rss * 4;
        p.shared = p.rss / 2;
        p.num_threads = 3;
        p.cpu_percent = 0.0;
        p.minor_faults_per_sec = 0.0;
        p.major_faults_per_sec = 0.0;
        base.processes.push_back(p);
    }
    const long rss_before = rss_kib();
    core::history hist(static_cast<std::size_t>(sweeps), 4096);
    core::downsampler down(*core::parse_tiers("1s:1h,10s:24h,1m:7d"));
    store::store db(db_path);
    std::set<core::process_key> watched;
    for (int i = 0; i < 8; ++i)
        watched.insert(base.processes[static_cast<std::size_t>(i * 97 % n)].key);

    std::vector<core::history_row> pending;
    double t0 = 1795650000.0;
    auto start = std::chrono::steady_clock::now();
    double append_ms = 0;
    for (int s = 0; s < sweeps; ++s) {
        core::snapshot snap = base;
        snap.at.wall = t0 + s;
        snap.system.mem_used = 1ull << 30;
        snap.system.cpu_percent = static_cast<double>(rng() % 1000) / 10.0;
        for (std::size_t i = 0; i < snap.processes.size(); ++i) {
            auto& p = snap.processes[i];
            if (static_cast<int>(i % 100) < busy_pct) { // the busy share of processes: all moves
                p.cpu_percent = static_cast<double>(rng() % 2000) / 10.0;
                p.rss = base.processes[i].rss + (rng() % 64) * 4096;
                p.minor_faults_per_sec = static_cast<double>(rng() % 5000);
            }
        }
        auto a0 = std::chrono::steady_clock::now();
        hist.append(snap);
        append_ms += ms_since(a0);
        auto rows = down.add(snap, watched);
        pending.insert(pending.end(), rows.begin(), rows.end());
        if (s % 5 == 4) { // the writer flushes every 5 s
            db.write(pending, down.tiers(), snap.at.wall);
            pending.clear();
        }
    }
    db.write(pending, down.tiers(), t0 + sweeps);
    const double total_ms = ms_since(start);
    const long rss_after = rss_kib();
    const double points = static_cast<double>(n) * sweeps;

    // Query latency: one hour of one process.
    core::process_key k = *watched.begin();
    auto q0 = std::chrono::steady_clock::now();
    int reps = 20;
    std::size_t got = 0;
    for (int i = 0; i < reps; ++i)
        got += hist.process(k, 0, 1e18)->t.size();
    const double mem_query_ms = ms_since(q0) / reps;
    auto q1 = std::chrono::steady_clock::now();
    std::size_t got_db = 0;
    for (int i = 0; i < reps; ++i)
        got_db += db.process_history(k, t0, t0 + sweeps, 1000)->t.size();
    const double db_query_ms = ms_since(q1) / reps;

    std::uintmax_t disk = std::filesystem::file_size(db_path);
    if (std::filesystem::exists(db_path + "-wal"))
        disk += std::filesystem::file_size(db_path + "-wal");
    const auto rows = db.history_rows();

    std::printf("{\"processes\":%d,\"sweeps\":%d,\"busy_percent\":%d,\n", n, sweeps, busy_pct);
    std::printf(" \"history_memory_bytes\":%zu,\"history_bytes_per_point\":%.2f,\n",
                hist.memory_bytes(), static_cast<double>(hist.memory_bytes()) / points);
    std::printf(" \"process_rss_growth_kib\":%ld,\"rss_bytes_per_point\":%.2f,\n",
                rss_after - rss_before,
                static_cast<double>(rss_after - rss_before) * 1024.0 / points);
    std::printf(" \"append_ms_per_sweep\":%.3f,\"total_ms\":%.0f,\n", append_ms / sweeps, total_ms);
    std::printf(" \"db_rows\":%lld,\"db_bytes\":%llu,\"db_bytes_per_row\":%.1f,\n",
                static_cast<long long>(rows), static_cast<unsigned long long>(disk),
                rows ? static_cast<double>(disk) / static_cast<double>(rows) : 0.0);
    std::printf(" \"query_1h_memory_ms\":%.3f,\"query_1h_sqlite_ms\":%.3f,\"points_memory\":%zu,"
                "\"points_sqlite\":%zu}\n",
                mem_query_ms, db_query_ms, got / reps, got_db / reps);
    return 0;
}
