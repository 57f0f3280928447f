#include "support/proc_tree.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace procpulse::test {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

const char* state_word(char state) {
    switch (state) {
    case 'R':
        return "R (running)";
    case 'S':
        return "S (sleeping)";
    case 'D':
        return "D (disk sleep)";
    case 'T':
        return "T (stopped)";
    case 't':
        return "t (tracing stop)";
    case 'Z':
        return "Z (zombie)";
    case 'X':
        return "X (dead)";
    case 'I':
        return "I (idle)";
    default:
        return "? (unknown)";
    }
}

std::string cpu_line(const char* name, const procfs::cpu_times& t) {
    std::ostringstream o;
    o << name << ' ' << t.user << ' ' << t.nice << ' ' << t.system << ' ' << t.idle << ' '
      << t.iowait << ' ' << t.irq << ' ' << t.softirq << ' ' << t.steal << ' ' << t.guest << ' '
      << t.guest_nice << '\n';
    return o.str();
}

} // namespace

std::string fixture_path(std::string_view rel) {
    return std::string(PROCPULSE_FIXTURES) + "/" + std::string(rel);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}

std::string fixture_text(std::string_view rel) {
    return read_file(fixture_path(rel));
}

std::string fake_process::stat_text() const {
    std::ostringstream o;
    // (1) pid (2) comm (3) state (4) ppid (5) pgrp (6) session (7) tty_nr (8) tpgid (9) flags
    o << pid << " (" << comm << ") " << state << ' ' << ppid << ' ' << pid << ' ' << pid << " 0 -1 "
      << flags
      // (10) minflt (11) cminflt (12) majflt (13) cmajflt (14) utime (15) stime
      << ' ' << minflt << " 0 " << majflt << " 0 " << utime << ' '
      << stime
      // (16) cutime (17) cstime (18) priority (19) nice (20) num_threads (21) itrealvalue
      << " 0 0 " << 20 + nice << ' ' << nice << ' ' << num_threads
      << " 0"
      // (22) starttime (23) vsize in bytes (4096-byte pages) (24) rss in pages
      << ' ' << starttime << ' ' << size * 4096 << ' '
      << stat_rss.value_or(resident)
      // (25) rsslim … (38) exit_signal (39) processor … (52) exit_code
      << " 18446744073709551615 94189360881664 94189361671069 140723459105760 0 0 0 0 0 0 0 0 0"
         " 17 1 0 0 0 0 0 94189361904368 94189361952612 94189407502336 140723459111738"
         " 140723459111753 140723459111753 140723459112938 0\n";
    return o.str();
}

std::string fake_process::statm_text() const {
    std::ostringstream o;
    o << size << ' ' << resident << ' ' << shared << ' ' << text << " 0 " << data << " 0\n";
    return o.str();
}

std::string fake_process::status_text() const {
    std::ostringstream o;
    o << "Name:\t" << comm << "\nUmask:\t0022\nState:\t" << state_word(state) << "\nTgid:\t" << pid
      << "\nNgid:\t0\nPid:\t" << pid << "\nPPid:\t" << ppid << "\nTracerPid:\t0\n"
      << "Uid:\t" << uid << '\t' << uid << '\t' << uid << '\t' << uid << "\n"
      << "Gid:\t" << uid << '\t' << uid << '\t' << uid << '\t' << uid << "\n"
      << "FDSize:\t64\nGroups:\t \nKthread:\t0\n"
      << "VmSize:\t" << size * 4 << " kB\nVmRSS:\t" << resident * 4 << " kB\n"
      << "Threads:\t" << num_threads << "\nSigQ:\t0/96365\n"
      << "Cpus_allowed_list:\t0-1\n"
      << "voluntary_ctxt_switches:\t" << voluntary_ctxt_switches << "\n"
      << "nonvoluntary_ctxt_switches:\t" << nonvoluntary_ctxt_switches << "\n";
    return o.str();
}

std::string fake_process::io_text() const {
    const fake_io& i = io.value();
    std::ostringstream o;
    o << "rchar: " << i.rchar << "\nwchar: " << i.wchar << "\nsyscr: " << i.syscr
      << "\nsyscw: " << i.syscw << "\nread_bytes: " << i.read_bytes
      << "\nwrite_bytes: " << i.write_bytes
      << "\ncancelled_write_bytes: " << i.cancelled_write_bytes << "\n";
    return o.str();
}

std::string fake_process::cmdline_text() const {
    std::string s;
    for (const auto& a : cmdline) {
        s += a;
        s += '\0';
    }
    return s;
}

std::string fake_system::meminfo_text() const {
    std::ostringstream o;
    auto line = [&](const char* key, std::uint64_t kb) { o << key << ":\t" << kb << " kB\n"; };
    line("MemTotal", mem_total_kb);
    line("MemFree", mem_free_kb);
    if (mem_available_kb) line("MemAvailable", *mem_available_kb);
    line("Buffers", buffers_kb);
    line("Cached", cached_kb);
    line("SwapCached", 0);
    line("Active(file)", active_file_kb);
    line("Inactive(file)", inactive_file_kb);
    line("SwapTotal", swap_total_kb);
    line("SwapFree", swap_free_kb);
    line("Shmem", shmem_kb);
    line("SReclaimable", sreclaimable_kb);
    o << "HugePages_Total:       0\n";
    return o.str();
}

std::string fake_system::stat_text() const {
    std::string s = cpu_line("cpu ", cpu);
    for (std::size_t i = 0; i < cpus.size(); ++i)
        s += cpu_line(("cpu" + std::to_string(i)).c_str(), cpus[i]);
    std::ostringstream o;
    o << "intr 195789 0 0 0 0 0\nctxt " << ctxt << "\nbtime " << btime << "\nprocesses "
      << processes << "\nprocs_running " << procs_running << "\nprocs_blocked " << procs_blocked
      << "\nsoftirq 122792 0 9564 4 4170 67400 0 3 20948 1 20702\n";
    return s + o.str();
}

std::string fake_system::vmstat_text() const {
    std::ostringstream o;
    o << "nr_free_pages 1270456\npgpgin 1248661\npgpgout 1184552\npswpin " << pswpin << "\npswpout "
      << pswpout << "\npgalloc_normal 3041234\npgfault " << pgfault << "\npgmajfault " << pgmajfault
      << "\npgrefill 0\n";
    return o.str();
}

proc_tree::proc_tree() {
    std::string templ = (fs::temp_directory_path() / "procpulse-test-XXXXXX").string();
    if (!::mkdtemp(templ.data())) fail("mkdtemp " + templ);
    path_ = templ;
    fs::permissions(path_, fs::perms(0755));
}

proc_tree::proc_tree(const std::string& copy_of) : proc_tree() {
    fs::copy(copy_of, path_, fs::copy_options::recursive);
    for (const auto& e : fs::recursive_directory_iterator(path_))
        fs::permissions(e.path(), fs::perms(e.is_directory() ? 0755 : 0644));
}

namespace {

/** Gives back the owner's permissions a test took away (chmod 0), so that remove_all works. */
void make_removable(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(p, ec))) return;
    fs::permissions(p, fs::perms(0755), ec);
    for (const auto& e : fs::directory_iterator(p, ec))
        make_removable(e.path());
}

} // namespace

proc_tree::~proc_tree() {
    make_removable(path_);
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string proc_tree::path_of(std::string_view rel) const {
    return path_ + "/" + std::string(rel);
}

void proc_tree::write(std::string_view rel, std::string_view content) {
    std::string p = path_of(rel);
    fs::path parent = fs::path(p).parent_path();
    if (!fs::exists(parent)) {
        fs::create_directories(parent);
        fs::permissions(parent, fs::perms(0755));
    }
    // In place: the collector may hold this inode open and pread it again.
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("open " + p);
    ::fchmod(fd, 0644);
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            errno = err;
            fail("write " + p);
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

void proc_tree::write(const fake_process& p) {
    const std::string dir = std::to_string(p.pid) + "/";
    write(dir + "stat", p.stat_text());
    write(dir + "statm", p.statm_text());
    write(dir + "status", p.status_text());
    write(dir + "cmdline", p.cmdline_text());
    if (p.io)
        write(dir + "io", p.io_text());
    else if (fs::exists(path_of(dir + "io")))
        remove(dir + "io");
}

void proc_tree::write(const fake_system& s) {
    write("meminfo", s.meminfo_text());
    write("stat", s.stat_text());
    write("vmstat", s.vmstat_text());
    write("loadavg", s.loadavg);
    write("uptime", s.uptime);
}

void proc_tree::remove(std::string_view rel) {
    std::string p = path_of(rel);
    if (::unlink(p.c_str()) != 0) fail("unlink " + p);
}

void proc_tree::remove_pid(int pid) {
    std::string p = path_of(std::to_string(pid));
    if (fs::remove_all(p) == 0) throw std::runtime_error("no such pid directory " + p);
}

void proc_tree::chmod(std::string_view rel, mode_t mode) {
    std::string p = path_of(rel);
    if (::chmod(p.c_str(), mode) != 0) fail("chmod " + p);
}

} // namespace procpulse::test
