#include "core/collector.hpp"

#include "core/clock.hpp"
#include "core/sorted_merge.hpp"

#include "core/devices.hpp"
#include "core/rates.hpp"
#include "procfs/loadavg.hpp"
#include "procfs/meminfo.hpp"
#include "procfs/pid_cmdline.hpp"
#include "procfs/pid_io.hpp"
#include "procfs/pid_stat.hpp"
#include "procfs/pid_statm.hpp"
#include "procfs/pid_status.hpp"
#include "procfs/stat.hpp"
#include "procfs/uptime.hpp"
#include "procfs/vmstat.hpp"

#include <algorithm>

namespace procpulse::core {

using procfs::pid_file;
using procfs::read_status;

/** Per-process state kept between sweeps. */
struct collector::tracked_process {
    process_key key;
    procfs::pid_dir dir;
    std::string comm; // comm of the last cmdline read
    std::string name; // comm, extended from cmdline[0] as psutil does (15+ characters)
    std::shared_ptr<const std::string> cmdline;
    std::string cmdline_raw; // the cmdline file as last read (a changed file is re-parsed)
    std::int64_t detail_ns = 0; // when statm and status were last read (light sweeps keep them)
    std::int64_t prev_steady_ns = 0;
    std::uint64_t prev_cpu_ticks = 0, prev_minflt = 0, prev_majflt = 0;
    std::optional<std::uint64_t> prev_read_bytes, prev_write_bytes;
    std::optional<procfs::pid_io> prev_io; // all io counters of the previous read (idle test)
    std::int64_t prev_threads = 0;
    char prev_state = '?';
    std::int64_t prev_stat_rss = 0; // stat's own RSS and VSZ at the previous sweep: a change
    std::uint64_t prev_vsize = 0;   // of either makes the next sweep a full read
    process_sample detail;          // statm, status and io figures of the last full read
    bool has_prev = false;
    bool busy = false;         // the last sweep saw CPU ticks or I/O (keeps files first)
    std::uint8_t reported = 0; // problem bits already reported (one log line per cause)
};

/** System counters of the previous sweep. */
struct collector::system_prev {
    std::int64_t steady_ns = 0;
    procfs::kernel_stat stat;
    std::optional<procfs::vmstat> vm;
};

/** Disk and network counters of the previous sweep that read them, and when it read them. */
struct collector::device_prev {
    std::optional<std::int64_t> disk_ns, net_ns;
    std::vector<procfs::disk_stat> disks;
    std::vector<procfs::net_dev_stat> net;
};

std::size_t fd_budget_for(std::uint64_t nofile_limit, std::size_t max_connections) {
    const std::uint64_t reserve = 2 * static_cast<std::uint64_t>(max_connections) + 64;
    if (nofile_limit <= reserve) return 0;
    const std::uint64_t b = std::min(nofile_limit / 2, nofile_limit - reserve);
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(b, std::numeric_limits<std::size_t>::max()));
}

collector::collector(std::string proc_root, collector_options opts, user_lookup users)
    : root_(std::move(proc_root)), opts_(opts), users_(std::move(users)),
      budget_(opts.keep_open ? opts.fd_budget : 0) {
    if (!opts_.keep_open) opts_.fd_budget = 0;
}

collector::~collector() = default;

std::shared_ptr<const std::string> collector::user_name(std::uint32_t uid) {
    auto it = user_cache_.find(uid);
    if (it != user_cache_.end()) return it->second;
    std::string name = users_ ? users_(uid) : std::string{};
    if (name.empty()) name = std::to_string(uid); // psutil also falls back to the number
    auto p = std::make_shared<const std::string>(std::move(name));
    user_cache_.emplace(uid, p);
    return p;
}

namespace {

std::uint8_t bit_for(pid_file f) {
    switch (f) {
    case pid_file::io:
        return unavailable_io;
    case pid_file::status:
        return unavailable_status;
    case pid_file::cmdline:
        return unavailable_cmdline;
    case pid_file::statm:
        return unavailable_statm;
    default:
        return 0;
    }
}

/** The figures of statm, status and io, which light sweeps carry over from the last full read. */
void copy_detail(const process_sample& from, process_sample& to) {
    to.shared = from.shared, to.text = from.text, to.data = from.data;
    to.uid = from.uid, to.username = from.username;
    to.ctx_switches_voluntary = from.ctx_switches_voluntary;
    to.ctx_switches_involuntary = from.ctx_switches_involuntary;
    to.read_bytes = from.read_bytes, to.write_bytes = from.write_bytes;
    to.read_chars = from.read_chars, to.write_chars = from.write_chars;
    to.read_count = from.read_count, to.write_count = from.write_count;
    to.unavailable = from.unavailable;
    to.rss = from.rss, to.vms = from.vms, to.memory_percent = from.memory_percent;
}

/** Whether two readings of io show no activity in between. */
bool same_counters(const procfs::pid_io& a, const procfs::pid_io& b) {
    return a.rchar == b.rchar && a.wchar == b.wchar && a.syscr == b.syscr && a.syscw == b.syscw &&
           a.read_bytes == b.read_bytes && a.write_bytes == b.write_bytes &&
           a.cancelled_write_bytes == b.cancelled_write_bytes;
}

double seconds_between(std::int64_t a_ns, std::int64_t b_ns) {
    return static_cast<double>(b_ns - a_ns) / 1e9;
}

} // namespace

bool collector::sample_process(int pid, tracked_process& t, const sample_time& at, double mem_total,
                               double btime, bool focus, process_sample& out,
                               std::vector<problem>& problems) {
    // stat first: it decides identity. A kept-open file of a process that exited reads as gone;
    // the PID may already belong to a new process, so reopen the directory once.
    read_status s = read(t, pid_file::stat, buf_);
    if (s == read_status::gone && t.has_prev) {
        if (open_dir(t, pid, t.dir.keeps_open()) != read_status::ok) return false;
        s = read(t, pid_file::stat, buf_);
    }
    if (s != read_status::ok) return false;
    auto st = procfs::parse_pid_stat(buf_);
    if (!st) return false;

    process_key key{pid, st->starttime};
    if (t.has_prev && t.key != key) { // PID reused: a new process, its rates start fresh
        t.has_prev = false;
        t.reported = 0;
        t.cmdline.reset();
        t.cmdline_raw.clear();
        t.comm.clear();
        t.prev_io.reset();
    }
    t.key = key;

    out.key = key;
    out.ppid = st->ppid;
    out.name = st->comm;
    out.state = st->state;
    out.status = status_word(st->state);
    out.zombie = st->state == 'Z';
    out.kernel_thread = (st->flags & procfs::pf_kthread) != 0;
    out.nice = st->nice;
    out.num_threads = st->num_threads;
    const double tck = static_cast<double>(opts_.clk_tck);
    out.create_time = btime + static_cast<double>(st->starttime) / tck;
    out.cpu_user = static_cast<double>(st->utime) / tck;
    out.cpu_system = static_cast<double>(st->stime) / tck;
    out.minor_faults = st->minflt;
    out.major_faults = st->majflt;
    out.unavailable = 0;

    // Marks a file's fields unavailable; reports the cause once per process (not for `gone`).
    auto note = [&](pid_file f, read_status rs) {
        std::uint8_t bit = bit_for(f);
        out.unavailable |= bit;
        // Running out of descriptors is reported once for the sweep, not per process.
        if (rs != read_status::gone && rs != read_status::exhausted && !(t.reported & bit)) {
            t.reported |= bit;
            problems.push_back(problem{key, st->comm, f, rs});
        }
    };

    const auto page = static_cast<std::uint64_t>(opts_.page_size);
    const std::uint64_t cpu_ticks = st->utime + st->stime;
    bool quiet = opts_.full_read_every > 0 && !focus && t.has_prev &&
                 // Every Nth sweep reads everything, each process at its own phase.
                 (seq_ + static_cast<std::uint64_t>(pid)) %
                         static_cast<std::uint64_t>(opts_.full_read_every) !=
                     0 &&
                 cpu_ticks == t.prev_cpu_ticks && st->minflt == t.prev_minflt &&
                 st->majflt == t.prev_majflt && st->num_threads == t.prev_threads &&
                 st->state == t.prev_state && t.comm == st->comm &&
                 st->rss == t.prev_stat_rss && st->vsize == t.prev_vsize;
    t.prev_stat_rss = st->rss;
    t.prev_vsize = st->vsize;

    // io on every sweep: a process can read and write much with too little CPU to show a tick
    // in stat, and its byte rates must be measured, never assumed 0. Any change of its counters
    // (or of their readability) makes this sweep a full read.
    read_status io_s = read(t, pid_file::io, buf_);
    std::optional<procfs::pid_io> io;
    if (io_s == read_status::ok) io = procfs::parse_pid_io(buf_);
    if (quiet && (io.has_value() != t.prev_io.has_value() || (io && !same_counters(*io, *t.prev_io))))
        quiet = false;
    if (!io) {
        // A missing io file (no task I/O accounting) is unavailable, not zero. ENOENT here is a
        // problem to report (once) while the process itself still reads; else it exited mid-read.
        std::string probe;
        if (io_s == read_status::gone && read(t, pid_file::stat, probe) == read_status::ok)
            io_s = read_status::error;
    }

    if (quiet) {
        // Light sweep: memory and the rest as last read from statm and status. RSS and VMS are
        // not taken from stat: its RSS is the kernel's per-CPU approximation and statm's the
        // exact sum, and an idle process's figure would flip between the two. Any change of
        // stat's own RSS or VSZ makes the sweep a full read instead. Their age is reported.
        copy_detail(t.detail, out);
        out.cmdline = t.cmdline;
        out.name = t.name;
        out.detail_age = seconds_between(t.detail_ns, at.steady_ns);
    } else {
        s = read(t, pid_file::statm, buf_);
        std::optional<procfs::pid_statm> sm;
        if (s == read_status::ok) sm = procfs::parse_pid_statm(buf_);
        if (sm) {
            out.vms = sm->size * page;
            out.rss = sm->resident * page;
            out.shared = sm->shared * page;
            out.text = sm->text * page;
            out.data = sm->data * page;
        } else {
            if (s == read_status::gone) return false;
            note(pid_file::statm, s == read_status::ok ? read_status::error : s);
            out.vms = st->vsize;
            out.rss = st->rss > 0 ? static_cast<std::uint64_t>(st->rss) * page : 0;
        }
        out.memory_percent =
            mem_total > 0 ? static_cast<double>(out.rss) / mem_total * 100.0 : 0;

        s = read(t, pid_file::status, buf_);
        std::optional<procfs::pid_status> ps;
        if (s == read_status::ok) ps = procfs::parse_pid_status(buf_);
        if (ps) {
            out.uid = ps->uid_real;
            out.username = user_name(ps->uid_real);
            if (ps->has_ctxt) {
                out.ctx_switches_voluntary = ps->voluntary_ctxt_switches;
                out.ctx_switches_involuntary = ps->nonvoluntary_ctxt_switches;
            }
        } else {
            if (s == read_status::gone) return false;
            note(pid_file::status, s == read_status::ok ? read_status::error : s);
        }

        // cmdline on every full read: a process may rewrite its argv in place (postgres, nginx,
        // sshd) or exec keeping its name. An unchanged file keeps its parsed string.
        s = read(t, pid_file::cmdline, buf_);
        if (s == read_status::ok) {
            if (!t.cmdline || buf_ != t.cmdline_raw) {
                auto args = procfs::parse_pid_cmdline(buf_);
                t.cmdline = std::make_shared<const std::string>(procfs::join_cmdline(args));
                t.name = procfs::extended_name(st->comm, args);
                t.cmdline_raw = buf_;
            } else if (t.comm != st->comm) {
                t.name = procfs::extended_name(st->comm, procfs::parse_pid_cmdline(buf_));
            }
            t.comm = st->comm;
        } else {
            note(pid_file::cmdline, s);
            static const auto empty = std::make_shared<const std::string>();
            t.cmdline = empty;
            t.cmdline_raw.clear();
            t.comm.clear(); // not idle until the cmdline has been read
            t.name = st->comm;
        }
        out.cmdline = t.cmdline;
        out.name = t.name;
        t.detail_ns = at.steady_ns;
    }

    out.unavailable &= static_cast<std::uint8_t>(~unavailable_io);
    if (io) {
        out.read_bytes = io->read_bytes;
        out.write_bytes = io->write_bytes;
        out.read_chars = io->rchar;
        out.write_chars = io->wchar;
        out.read_count = io->syscr;
        out.write_count = io->syscw;
    } else {
        out.read_bytes = out.write_bytes = out.read_chars = out.write_chars = std::nullopt;
        out.read_count = out.write_count = std::nullopt;
        note(pid_file::io, io_s == read_status::ok ? read_status::error : io_s);
    }

    // Rates over the measured gap since this process's previous reading.
    if (t.has_prev) {
        double dt = seconds_between(t.prev_steady_ns, at.steady_ns);
        out.cpu_percent = cpu_percent(t.prev_cpu_ticks, cpu_ticks, opts_.clk_tck, dt);
        out.minor_faults_per_sec = counter_rate(t.prev_minflt, st->minflt, dt);
        out.major_faults_per_sec = counter_rate(t.prev_majflt, st->majflt, dt);
        out.read_bytes_per_sec = counter_rate(t.prev_read_bytes, out.read_bytes, dt);
        out.write_bytes_per_sec = counter_rate(t.prev_write_bytes, out.write_bytes, dt);
    }
    t.busy =
        t.has_prev && (cpu_ticks != t.prev_cpu_ticks || io.has_value() != t.prev_io.has_value() ||
                       (io && !same_counters(*io, *t.prev_io)));
    t.prev_steady_ns = at.steady_ns;
    if (!quiet) {
        t.prev_threads = st->num_threads;
        t.prev_state = st->state;
        if (opts_.full_read_every > 0) copy_detail(out, t.detail);
    }
    t.prev_cpu_ticks = cpu_ticks;
    t.prev_minflt = st->minflt;
    t.prev_majflt = st->majflt;
    t.prev_read_bytes = out.read_bytes;
    t.prev_write_bytes = out.write_bytes;
    t.prev_io = io;
    t.has_prev = true;
    return true;
}

void collector::sample_system(const sample_time& at, system_sample& out) {
    std::optional<procfs::kernel_stat> ks;
    std::optional<procfs::vmstat> vm;
    if (root_.read("meminfo", buf_) == read_status::ok) {
        if (auto m = procfs::parse_meminfo(buf_)) {
            // psutil 5.9 (Debian 12's python3-psutil) virtual_memory() on Linux
            out.mem_total = m->mem_total;
            out.mem_free = m->mem_free;
            out.mem_buffers = m->buffers;
            out.mem_cached = m->cached + m->sreclaimable;
            out.mem_shared = m->shmem;
            std::uint64_t avail = m->mem_available.value_or(m->mem_free + m->active_file +
                                                            m->inactive_file + m->sreclaimable);
            out.mem_available = avail <= m->mem_total ? avail : m->mem_free; // as psutil (LXC)
            std::uint64_t taken = m->mem_free + out.mem_cached + m->buffers;
            out.mem_used =
                taken <= m->mem_total ? m->mem_total - taken : m->mem_total - m->mem_free;
            out.mem_percent = m->mem_total
                                  ? 100.0 * static_cast<double>(m->mem_total - out.mem_available) /
                                        static_cast<double>(m->mem_total)
                                  : 0;
            out.swap_total = m->swap_total;
            out.swap_free = std::min(m->swap_free, m->swap_total);
            out.swap_used = out.swap_total - out.swap_free;
            out.swap_percent = m->swap_total ? 100.0 * static_cast<double>(out.swap_used) /
                                                   static_cast<double>(m->swap_total)
                                             : 0;
        }
    }
    if (root_.read("stat", buf_) == read_status::ok) ks = procfs::parse_stat(buf_);
    if (root_.read("vmstat", buf_) == read_status::ok) vm = procfs::parse_vmstat(buf_);
    if (root_.read("loadavg", buf_) == read_status::ok) {
        if (auto l = procfs::parse_loadavg(buf_)) {
            out.load1 = l->load1;
            out.load5 = l->load5;
            out.load15 = l->load15;
        }
    }
    if (root_.read("uptime", buf_) == read_status::ok) {
        if (auto u = procfs::parse_uptime(buf_)) out.uptime = u->up;
    }
    if (ks) {
        out.boot_time = static_cast<double>(ks->btime);
        out.cpu_count = static_cast<std::uint32_t>(ks->cpus.size());
        out.procs_running = static_cast<std::uint32_t>(ks->procs_running);
        out.procs_blocked = static_cast<std::uint32_t>(ks->procs_blocked);
        out.cpu_percent_per_core.assign(ks->cpus.size(), std::nullopt);
    }
    if (sys_prev_ && ks) {
        double dt = seconds_between(sys_prev_->steady_ns, at.steady_ns);
        const auto& p = sys_prev_->stat;
        out.cpu_percent =
            busy_percent(p.cpu.busy(), p.cpu.total(), ks->cpu.busy(), ks->cpu.total());
        for (std::size_t i = 0; i < ks->cpus.size() && i < p.cpus.size(); ++i)
            out.cpu_percent_per_core[i] = busy_percent(p.cpus[i].busy(), p.cpus[i].total(),
                                                       ks->cpus[i].busy(), ks->cpus[i].total());
        out.ctx_switches_per_sec = counter_rate(p.ctxt, ks->ctxt, dt);
        if (vm && sys_prev_->vm) {
            const auto& pv = *sys_prev_->vm;
            out.major_faults_per_sec = counter_rate(pv.pgmajfault, vm->pgmajfault, dt);
            out.minor_faults_per_sec =
                counter_rate(pv.pgfault - pv.pgmajfault, vm->pgfault - vm->pgmajfault, dt);
            out.swap_in_pages_per_sec = counter_rate(pv.pswpin, vm->pswpin, dt);
            out.swap_out_pages_per_sec = counter_rate(pv.pswpout, vm->pswpout, dt);
        }
    }
    sample_devices(at, out);
    if (ks) {
        if (!sys_prev_) sys_prev_ = std::make_unique<system_prev>();
        sys_prev_->steady_ns = at.steady_ns;
        sys_prev_->stat = std::move(*ks);
        sys_prev_->vm = vm;
    }
}

void collector::sample_devices(const sample_time& at, system_sample& out) {
    if (!dev_prev_) dev_prev_ = std::make_unique<device_prev>();
    auto& prev = *dev_prev_;
    auto gap = [&](const std::optional<std::int64_t>& ns) {
        return ns ? seconds_between(*ns, at.steady_ns) : 0.0;
    };
    if (root_.read("diskstats", buf_) == read_status::ok) {
        auto disks = listed_disks(procfs::parse_diskstats(buf_), max_system_devices);
        disk_rates(prev.disk_ns ? &prev.disks : nullptr, disks, gap(prev.disk_ns), out);
        prev.disks = std::move(disks);
        prev.disk_ns = at.steady_ns;
    }
    if (root_.read("net/dev", buf_) == read_status::ok) {
        auto net = procfs::parse_net_dev(buf_);
        if (net.size() > max_system_devices) net.resize(max_system_devices);
        net_rates(prev.net_ns ? &prev.net : nullptr, net, gap(prev.net_ns), out);
        prev.net = std::move(net);
        prev.net_ns = at.steady_ns;
    }
    if (opts_.fs_stat && root_.read("self/mountinfo", buf_) == read_status::ok) {
        for (const auto& m :
             procfs::storage_mounts(procfs::parse_mountinfo(buf_), max_system_devices))
            if (auto u = opts_.fs_stat(m.mount_point)) out.filesystems.push_back(fs_line(m, *u));
    }
}

std::optional<process_sample> collector::read_one(int pid, sample_time at,
                                                  const system_sample& sys) {
    tracked_process t;
    if (t.dir.open(root_.fd(), pid, false) != read_status::ok) return std::nullopt;
    process_sample ps;
    std::vector<problem> ignored; // the sweeps report problems, once per process
    if (!sample_process(pid, t, at, static_cast<double>(sys.mem_total), sys.boot_time, true, ps,
                        ignored))
        return std::nullopt;
    return ps;
}

read_status collector::open_dir(tracked_process& t, int pid, bool keep) {
    read_status s = t.dir.open(root_.fd(), pid, keep && !degraded_);
    if (s == read_status::exhausted) {
        release_kept(t);
        s = t.dir.open(root_.fd(), pid, false);
        if (s == read_status::exhausted) incomplete_ = true;
    }
    return s;
}

read_status collector::read(tracked_process& t, pid_file f, std::string& buf) {
    read_status s = t.dir.read(f, buf);
    if (s == read_status::exhausted) {
        release_kept(t);
        s = t.dir.read(f, buf); // open/read/close now; still exhausted: unavailable this sweep
        if (s == read_status::exhausted) incomplete_ = true;
    }
    return s;
}

void collector::release_kept(tracked_process& current) {
    if (!degraded_) {
        // The first time in this sweep: count what the kept files hold, halve the budget.
        std::size_t held = 0;
        auto count = [&](const auto& v) {
            for (const auto& [pid, t] : v)
                if (t && t.get() != &current) held += t->dir.open_fds();
        };
        count(procs_);
        count(fresh_);
        held += current.dir.open_fds();
        budget_ = std::min(budget_, held / 2);
        if (!in_episode_) exhausted_ = fd_exhaustion{held, budget_};
        in_episode_ = true;
        degraded_ = true;
    }
    // Entries the walk moved from are null; exited ones not yet cut off still hold fds.
    auto release = [&](auto& v) {
        for (auto& [pid, t] : v)
            if (t && t.get() != &current) t->dir.close();
    };
    release(procs_);
    release(fresh_);
    current.dir.release_files();
    open_fds_ = 0;
}

void collector::choose_kept(const std::vector<int>& pids, const std::vector<int>* focus,
                            std::size_t slots) {
    // Rank each listed pid: 0 focus, 1 busy in the last sweep, 2 files kept now, 3 the rest;
    // the first `slots` in (rank, listing order) keep their files.
    std::vector<std::uint64_t> order;
    order.reserve(pids.size());
    std::size_t j = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        const int pid = pids[i];
        while (j < procs_.size() && procs_[j].first < pid)
            ++j;
        const tracked_process* t =
            j < procs_.size() && procs_[j].first == pid ? procs_[j].second.get() : nullptr;
        std::uint64_t rank = 3;
        if (focus && std::binary_search(focus->begin(), focus->end(), pid))
            rank = 0;
        else if (t && t->busy)
            rank = 1;
        else if (t && t->dir.is_open())
            rank = 2;
        order.push_back(rank << 32 | i);
    }
    keep_flags_.assign(pids.size(), 0);
    if (slots < order.size())
        std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(slots),
                         order.end());
    for (std::size_t k = 0; k < slots && k < order.size(); ++k)
        keep_flags_[order[k] & 0xffffffffu] = 1;
}

collector::result collector::sweep(sample_time at, const std::vector<int>* focus) {
    at = monotonic_stamp(at, last_at_); // a wall clock set back must not reorder history
    last_at_ = at;
    result r;
    auto snap = std::make_shared<snapshot>();
    snap->seq = ++seq_;
    snap->at = at;
    if (sys_prev_) snap->gap_seconds = seconds_between(sys_prev_->steady_ns, at.steady_ns);
    sample_system(at, snap->system);
    const double mem_total = static_cast<double>(snap->system.mem_total);
    const double btime = snap->system.boot_time;

    std::vector<int> pids = root_.list_pids();
    std::sort(pids.begin(), pids.end());
    snap->processes.reserve(pids.size());

    // The fd budget: a clean sweep after EMFILE grows it back by a few processes' worth.
    degraded_ = false;
    incomplete_ = false;
    exhausted_.reset();
    open_fds_ = 0;
    if (budget_ < opts_.fd_budget)
        budget_ += std::min(opts_.fd_budget - budget_, 8 * procfs::pid_dir::max_fds);
    else
        in_episode_ = false;
    const std::size_t slots = budget_ / procfs::pid_dir::max_fds;
    const bool all_fit = pids.size() <= slots;
    if (!all_fit && slots > 0) choose_kept(pids, focus, slots);
    std::size_t kept = 0;

    std::uint64_t threads = 0;
    // procs_ and pids are both sorted: one merge walk. Entries of processes that were not listed
    // (exited) are moved out as the walk passes them; `keep` is where the next kept entry goes.
    std::size_t next = 0, keep = 0;
    fresh_.clear();
    for (std::size_t i = 0; i < pids.size(); ++i) {
        const int pid = pids[i];
        while (next < procs_.size() && procs_[next].first < pid)
            ++next; // not listed: exited (its entry is overwritten or cut off below)
        // Within the budget the files stay open between sweeps; beyond it, open/read/close.
        const bool keep_files = !degraded_ && (all_fit || (slots > 0 && keep_flags_[i]));
        tracked_process* t = nullptr;
        std::unique_ptr<tracked_process> made;
        if (next < procs_.size() && procs_[next].first == pid) {
            t = procs_[next].second.get();
            if (t->dir.is_open() && !keep_files) t->dir.close();
        } else {
            made = std::make_unique<tracked_process>();
            t = made.get();
        }
        bool ok = t->dir.is_open() || open_dir(*t, pid, keep_files) == read_status::ok;
        // Filled in place: a process_sample is a few hundred bytes, not worth a move per process.
        process_sample& ps = snap->processes.emplace_back();
        const bool in_focus = focus && std::binary_search(focus->begin(), focus->end(), pid);
        if (ok) ok = sample_process(pid, *t, at, mem_total, btime, in_focus, ps, r.problems);
        if (!ok || !t->dir.keeps_open()) {
            t->dir.close();
        } else {
            open_fds_ += t->dir.open_fds();
            ++kept;
        }
        if (!ok) {
            snap->processes.pop_back(); // vanished mid-read: dropped quietly
            if (!made) ++next;
            continue;
        }
        if (made) {
            fresh_.emplace_back(pid, std::move(made));
        } else {
            if (keep != next) procs_[keep] = std::move(procs_[next]);
            ++keep, ++next;
        }
        threads += static_cast<std::uint64_t>(std::max<std::int64_t>(ps.num_threads, 0));
    }
    // The rest were not listed (exited); new processes are merged in, still sorted.
    finish_merge_walk(procs_, keep, std::move(fresh_),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
    fresh_.clear();
    if (degraded_) kept = 0; // counted before the release
    snap->system.process_count = static_cast<std::uint32_t>(snap->processes.size());
    snap->system.thread_count = static_cast<std::uint32_t>(threads);
    snap->proc_files = proc_file_usage{open_fds_, budget_, kept};
    r.exhausted = exhausted_;
    r.incomplete = incomplete_;
    r.snap = std::move(snap);
    return r;
}

} // namespace procpulse::core
