#include "http/prometheus.hpp"

#include <charconv>

namespace procpulse::http {

namespace {

void head(std::string& out, const char* name, const char* type, const char* help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(std::string& out, const char* name, const std::string& labels, double v) {
    // Shortest text that reads back as v: byte counts stay exact (no "2.527650202e+10").
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    *end = '\0';
    out += name;
    if (!labels.empty()) out += "{" + labels + "}";
    out += ' ';
    out += buf;
    out += '\n';
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"')
            out += '\\', out += c;
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace

std::string prometheus_text(const core::snapshot& snap, const std::vector<int>& watched,
                            const server_stats& stats) {
    std::string out;
    out.reserve(4096);
    const auto& s = snap.system;
    head(out, "procpulse_memory_bytes", "gauge", "System memory by kind (psutil virtual_memory).");
    sample(out, "procpulse_memory_bytes", "kind=\"total\"", static_cast<double>(s.mem_total));
    sample(out, "procpulse_memory_bytes", "kind=\"available\"",
           static_cast<double>(s.mem_available));
    sample(out, "procpulse_memory_bytes", "kind=\"used\"", static_cast<double>(s.mem_used));
    sample(out, "procpulse_memory_bytes", "kind=\"free\"", static_cast<double>(s.mem_free));
    sample(out, "procpulse_memory_bytes", "kind=\"cached\"", static_cast<double>(s.mem_cached));
    sample(out, "procpulse_memory_bytes", "kind=\"buffers\"", static_cast<double>(s.mem_buffers));
    head(out, "procpulse_swap_bytes", "gauge", "Swap by kind.");
    sample(out, "procpulse_swap_bytes", "kind=\"total\"", static_cast<double>(s.swap_total));
    sample(out, "procpulse_swap_bytes", "kind=\"used\"", static_cast<double>(s.swap_used));
    if (s.cpu_percent) {
        head(out, "procpulse_cpu_percent", "gauge", "CPU busy percent over the last interval.");
        sample(out, "procpulse_cpu_percent", "", *s.cpu_percent);
    }
    head(out, "procpulse_load_average", "gauge", "Load averages.");
    sample(out, "procpulse_load_average", "period=\"1m\"", s.load1);
    sample(out, "procpulse_load_average", "period=\"5m\"", s.load5);
    sample(out, "procpulse_load_average", "period=\"15m\"", s.load15);
    head(out, "procpulse_processes", "gauge", "Processes and threads.");
    sample(out, "procpulse_processes", "kind=\"processes\"", s.process_count);
    sample(out, "procpulse_processes", "kind=\"threads\"", s.thread_count);
    if (s.minor_faults_per_sec) {
        head(out, "procpulse_page_faults_per_second", "gauge", "System page faults per second.");
        sample(out, "procpulse_page_faults_per_second", "kind=\"minor\"", *s.minor_faults_per_sec);
        sample(out, "procpulse_page_faults_per_second", "kind=\"major\"",
               s.major_faults_per_sec.value_or(0));
    }
    head(out, "procpulse_connections", "gauge", "Open WebSocket connections.");
    sample(out, "procpulse_connections", "", static_cast<double>(stats.connections));
    head(out, "procpulse_history_bytes", "gauge", "Bytes of in-memory history.");
    sample(out, "procpulse_history_bytes", "", static_cast<double>(stats.history_bytes));
    head(out, "procpulse_sweep_seconds", "gauge", "Duration of the last /proc sweep.");
    sample(out, "procpulse_sweep_seconds", "", stats.last_sweep_seconds);
    if (stats.store.enabled) {
        head(out, "procpulse_store_write_failing", "gauge",
             "1 while history writes to the database fail (disk full, file gone).");
        sample(out, "procpulse_store_write_failing", "", stats.store.failing ? 1.0 : 0.0);
        head(out, "procpulse_store_pending_rows", "gauge", "History rows waiting to be written.");
        sample(out, "procpulse_store_pending_rows", "",
               static_cast<double>(stats.store.pending_rows));
        head(out, "procpulse_store_dropped_rows_total", "counter",
             "History rows dropped because the database refused writes for too long.");
        sample(out, "procpulse_store_dropped_rows_total", "",
               static_cast<double>(stats.store.dropped_rows));
    }
    head(out, "procpulse_proc_files_open", "gauge",
         "Descriptors of per-process /proc files kept open between sweeps.");
    sample(out, "procpulse_proc_files_open", "", static_cast<double>(snap.proc_files.open));
    head(out, "procpulse_proc_files_budget", "gauge",
         "Most descriptors kept /proc files may hold (from RLIMIT_NOFILE; lower after EMFILE).");
    sample(out, "procpulse_proc_files_budget", "", static_cast<double>(snap.proc_files.budget));
    head(out, "procpulse_proc_files_kept_processes", "gauge",
         "Processes whose /proc files stay open; the rest are read with open/read/close.");
    sample(out, "procpulse_proc_files_kept_processes", "",
           static_cast<double>(snap.proc_files.kept_processes));

    struct metric {
        const char* name;
        const char* help;
    };
    static constexpr metric per_proc[] = {
        {"procpulse_process_rss_bytes", "Resident set size of a watched process."},
        {"procpulse_process_vms_bytes", "Virtual memory size of a watched process."},
        {"procpulse_process_cpu_percent", "CPU percent of a watched process (100 = one core)."},
        {"procpulse_process_page_faults_per_second",
         "Page faults per second of a watched process."},
        {"procpulse_process_threads", "Threads of a watched process."},
    };
    std::vector<const core::process_sample*> procs;
    for (int pid : watched)
        if (const auto* p = snap.find(pid)) procs.push_back(p);
    for (std::size_t m = 0; m < std::size(per_proc) && !procs.empty(); ++m) {
        head(out, per_proc[m].name, "gauge", per_proc[m].help);
        for (const auto* p : procs) {
            std::string labels =
                "pid=\"" + std::to_string(p->key.pid) + "\",name=\"" + escape(p->name) + "\"";
            double v = 0;
            switch (m) {
            case 0:
                v = static_cast<double>(p->rss);
                break;
            case 1:
                v = static_cast<double>(p->vms);
                break;
            case 2:
                if (!p->cpu_percent) continue;
                v = *p->cpu_percent;
                break;
            case 3:
                if (!p->minor_faults_per_sec) continue;
                v = *p->minor_faults_per_sec + p->major_faults_per_sec.value_or(0);
                break;
            case 4:
                v = static_cast<double>(p->num_threads);
                break;
            }
            sample(out, per_proc[m].name, labels, v);
        }
    }
    return out;
}

} // namespace procpulse::http
