/**
 * The collector on the real /proc against children the tests fork themselves. Children and tests
 * synchronise through pipes (support/child.hpp); each child is killed and reaped by its PID.
 * Assertions are on what the children did (pages touched, threads started, CPU consumed), never
 * on how long anything took.
 */
#include "core/collector.hpp"
#include "support/child.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace procpulse::core {
namespace {

const long page_size = ::sysconf(_SC_PAGESIZE);

collector_options live_options() {
    collector_options o;
    o.clk_tck = ::sysconf(_SC_CLK_TCK);
    o.page_size = page_size;
    o.keep_open = true;
    return o;
}

/** A sweep time read from the clocks (the collector itself reads none). */
sample_time now() {
    auto steady = std::chrono::steady_clock::now().time_since_epoch();
    auto wall = std::chrono::system_clock::now().time_since_epoch();
    return sample_time{std::chrono::duration_cast<std::chrono::nanoseconds>(steady).count(),
                       std::chrono::duration<double>(wall).count()};
}

/** The collector over /proc, with the sample of one PID from each sweep. */
struct live {
    collector c{"/proc", live_options(), test::user_table{}.lookup()};
    collector::result last;

    /** Sweeps; nullptr when pid is not in the snapshot. Valid until the next sweep. */
    const process_sample* sweep(pid_t pid) {
        last = c.sweep(now());
        return last.snap->find(pid);
    }
};

void write_byte(int fd, char c) {
    (void)!::write(fd, &c, 1);
}
char read_byte(int fd) {
    char c = 0;
    (void)!::read(fd, &c, 1);
    return c;
}

BOOST_AUTO_TEST_SUITE(collector_live_tests)

BOOST_AUTO_TEST_CASE(touching_memory_grows_rss_and_minor_faults) {
    constexpr std::uint64_t n = 64ull << 20; // 64 MiB
    const std::uint64_t pages = n / static_cast<std::uint64_t>(page_size);
    test::child child([&](int in, int out) {
        void* p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return 1;
        ::madvise(p, n, MADV_NOHUGEPAGE); // one fault per 4 KiB page, not one per 2 MiB
        write_byte(out, 'r');             // mapped, not touched
        read_byte(in);
        auto* bytes = static_cast<volatile char*>(p);
        for (std::uint64_t i = 0; i < n; i += static_cast<std::uint64_t>(page_size))
            bytes[i] = 1;
        write_byte(out, 't'); // touched
        read_byte(in);        // until killed
        return 0;
    });
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    live l;
    const process_sample* before = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(before != nullptr);
    const std::uint64_t rss0 = before->rss, vms0 = before->vms, minflt0 = before->minor_faults;
    BOOST_TEST(vms0 >= n); // the mapping counts in VMS before it is touched, not in RSS
    BOOST_TEST(rss0 < n);
    BOOST_TEST(!before->minor_faults_per_sec.has_value());

    child.send('g');
    BOOST_TEST_REQUIRE(child.receive() == 't');
    const process_sample* after = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(after != nullptr);
    BOOST_TEST_MESSAGE("rss " << rss0 << " -> " << after->rss << ", minor faults " << minflt0
                              << " -> " << after->minor_faults);
    BOOST_TEST(after->rss >= rss0 + n * 95 / 100);
    BOOST_TEST(after->rss <= rss0 + n + (16u << 20)); // sanitizer shadow memory included
    BOOST_TEST(after->minor_faults >= minflt0 + pages * 9 / 10);
    BOOST_TEST(after->minor_faults <= minflt0 + 2 * pages);
    BOOST_TEST_REQUIRE(after->minor_faults_per_sec.has_value());
    BOOST_TEST(*after->minor_faults_per_sec > 0.0);
    const double mem_total = static_cast<double>(l.last.snap->system.mem_total);
    BOOST_TEST(after->memory_percent == static_cast<double>(after->rss) / mem_total * 100,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(after->rss == after->rss / static_cast<std::uint64_t>(page_size) *
                                 static_cast<std::uint64_t>(page_size)); // whole pages
}

BOOST_AUTO_TEST_CASE(writes_without_cpu_ticks_add_up_over_light_sweeps) {
    // A writer with too little CPU to show a tick in stat, watched by nobody, under light sweeps
    // (--full-read-every 10): the byte rates times the measured gaps add up to what it wrote.
    constexpr std::size_t chunk = 1 << 20;
    constexpr int steps = 20;
    const std::string path = "procpulse-live-write-" + std::to_string(::getpid()) + ".tmp";
    test::child child([&](int in, int out) {
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) return 1;
        std::string block(chunk, 'x');
        write_byte(out, 'r');
        while (read_byte(in) == 'w') {
            if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()))
                return 2;
            write_byte(out, 'd');
        }
        return 0;
    });
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    collector_options o = live_options();
    o.full_read_every = 10;
    collector c("/proc", o, test::user_table{}.lookup());
    auto first = c.sweep(now());
    const process_sample* p0 = first.snap->find(child.pid());
    BOOST_TEST_REQUIRE(p0 != nullptr);
    BOOST_TEST_REQUIRE(p0->write_bytes.has_value()); // our own child: io is readable
    const std::uint64_t wb0 = *p0->write_bytes;
    double sum = 0;
    std::int64_t prev_ns = first.snap->at.steady_ns;
    int light = 0;
    for (int i = 0; i < steps; ++i) {
        child.send('w');
        BOOST_TEST_REQUIRE(child.receive() == 'd');
        auto r = c.sweep(now());
        const process_sample* p = r.snap->find(child.pid());
        BOOST_TEST_REQUIRE(p != nullptr);
        BOOST_TEST_REQUIRE(p->write_bytes_per_sec.has_value()); // measured, never made up
        sum += *p->write_bytes_per_sec * static_cast<double>(r.snap->at.steady_ns - prev_ns) / 1e9;
        prev_ns = r.snap->at.steady_ns;
        light += p->detail_age ? 1 : 0;
    }
    auto last = c.sweep(now());
    const std::uint64_t wb1 = *last.snap->find(child.pid())->write_bytes;
    child.send('q');
    child.wait();
    std::remove(path.c_str());
    const double written = static_cast<double>(chunk) * steps;
    BOOST_TEST_MESSAGE("write_bytes " << wb0 << " -> " << wb1 << ", rate x dt " << sum
                                      << ", written " << written << ", light " << light);
    // The kernel counts the pages dirtied: the counter moved by what was written (5 %).
    BOOST_TEST(static_cast<double>(wb1 - wb0) >= written * 0.95);
    BOOST_TEST(sum >= written * 0.95);
    BOOST_TEST(sum <= static_cast<double>(wb1 - wb0) * 1.0001);
}

BOOST_AUTO_TEST_CASE(extra_threads_are_counted) {
    constexpr int k = 3;
    test::child child([&](int in, int out) {
        static std::mutex m;
        static std::condition_variable cv;
        for (int i = 0; i < k; ++i)
            std::thread([] {
                std::unique_lock lock(m);
                cv.wait(lock, [] { return false; }); // until the process is killed
            }).detach();
        write_byte(out, 'r'); // the threads exist once their std::thread was constructed
        read_byte(in);
        return 0;
    });
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    live l;
    const process_sample* p = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->num_threads == 1 + k);
    BOOST_TEST(p->ppid == ::getpid());
    BOOST_TEST(l.last.snap->system.thread_count >= static_cast<std::uint32_t>(1 + k));
}

BOOST_AUTO_TEST_CASE(exited_child_is_gone_from_the_next_sweep) {
    test::child child([](int in, int out) {
        write_byte(out, 'r');
        return read_byte(in) == 'q' ? 0 : 3; // exits on its own when told
    });
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    const pid_t pid = child.pid();
    live l;
    BOOST_TEST_REQUIRE(l.sweep(pid) != nullptr);
    BOOST_TEST_REQUIRE(l.sweep(pid) != nullptr);

    child.send('q');
    siginfo_t info{};
    BOOST_TEST_REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0);
    const process_sample* zombie = l.sweep(pid); // exited, not reaped yet: a zombie
    BOOST_TEST_REQUIRE(zombie != nullptr);
    BOOST_TEST(zombie->zombie);
    BOOST_TEST(std::string(zombie->status) == "zombie");
    BOOST_TEST(zombie->rss == 0u);

    int status = child.wait();
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    BOOST_TEST(l.sweep(pid) == nullptr);
    for (const auto& pr : l.last.problems)
        BOOST_TEST(pr.key.pid != pid);
}

BOOST_AUTO_TEST_CASE(exec_gives_name_cmdline_and_identity) {
    test::child child([](int, int out) {
        ::fcntl(out, F_SETFD, FD_CLOEXEC); // closes when exec succeeds
        ::execl("/bin/sleep", "sleep", "3600", static_cast<char*>(nullptr));
        write_byte(out, 'E');
        return 127;
    });
    BOOST_TEST_REQUIRE(!child.try_receive().has_value()); // end of file: exec succeeded
    live l;
    const process_sample* p = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->name == "sleep");
    BOOST_TEST_REQUIRE(p->cmdline != nullptr);
    BOOST_TEST(*p->cmdline == "sleep 3600");
    BOOST_TEST(p->ppid == ::getpid());
    BOOST_TEST_REQUIRE(p->uid.has_value());
    BOOST_TEST(*p->uid == ::getuid());
    BOOST_TEST(!p->kernel_thread);
    BOOST_TEST(!p->zombie);
    const double boot = l.last.snap->system.boot_time;
    BOOST_TEST(boot > 0.0);
    BOOST_TEST(p->create_time >= boot);
    BOOST_TEST(p->create_time <= l.last.snap->at.wall + 2.0);
    const process_key key = p->key;
    const process_sample* again = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(again != nullptr);
    BOOST_TEST((again->key == key));
}

BOOST_AUTO_TEST_CASE(consumed_cpu_and_read_characters) {
    constexpr double cpu_seconds = 0.3;
    constexpr std::uint64_t read_size = 10u << 20;
    test::child child([&](int in, int out) {
        write_byte(out, 'r');
        read_byte(in);
        // Spin until this process has used cpu_seconds of CPU (its own clock, not wall time).
        timespec ts{};
        volatile std::uint64_t x = 0;
        do {
            for (int i = 0; i < 100000; ++i)
                x = x + static_cast<std::uint64_t>(i);
            ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        } while (static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9 <
                 cpu_seconds);
        int zero = ::open("/dev/zero", O_RDONLY);
        static char buf[1 << 16];
        for (std::uint64_t done = 0; done < read_size;) {
            ssize_t got = ::read(zero, buf, sizeof buf);
            if (got <= 0) return 2;
            done += static_cast<std::uint64_t>(got);
        }
        write_byte(out, 'd');
        read_byte(in);
        return 0;
    });
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    live l;
    const process_sample* a = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(a != nullptr);
    const double cpu0 = a->cpu_user + a->cpu_system;
    BOOST_TEST_REQUIRE(a->read_chars.has_value()); // our own child: io is readable
    const std::uint64_t rchar0 = *a->read_chars;
    const std::int64_t t0 = l.last.snap->at.steady_ns;

    child.send('g');
    BOOST_TEST_REQUIRE(child.receive() == 'd');
    const process_sample* b = l.sweep(child.pid());
    BOOST_TEST_REQUIRE(b != nullptr);
    const double cpu1 = b->cpu_user + b->cpu_system;
    const double gap = static_cast<double>(l.last.snap->at.steady_ns - t0) / 1e9;
    BOOST_TEST_MESSAGE("cpu " << cpu0 << " -> " << cpu1 << " s over " << gap << " s");
    BOOST_TEST(cpu1 - cpu0 >= cpu_seconds - 0.05);
    BOOST_TEST_REQUIRE(b->cpu_percent.has_value());
    // psutil's formula on the real counters: CPU seconds used / measured gap × 100.
    BOOST_TEST(*b->cpu_percent == (cpu1 - cpu0) / gap * 100, boost::test_tools::tolerance(1e-6));
    BOOST_TEST_REQUIRE(b->read_chars.has_value());
    BOOST_TEST(*b->read_chars >= rchar0 + read_size);
}

BOOST_AUTO_TEST_CASE(io_of_another_users_process_is_forbidden) {
    // The collector runs as nobody (support/child.hpp) and looks at a process it does not own:
    // this test process when it runs as root, otherwise PID 1 when that belongs to someone else.
    pid_t target = ::getpid();
    if (::geteuid() != 0) {
        struct stat st {};
        if (::stat("/proc/1", &st) != 0 || st.st_uid == ::geteuid()) {
            BOOST_TEST_MESSAGE("no process of another user to look at; skipped");
            return;
        }
        target = 1;
    }
    std::string result = test::run_unprivileged([&] {
        collector c("/proc", live_options(), nullptr);
        auto first = c.sweep(now());
        auto second = c.sweep(now());
        return test::describe_io(first, target) + "\n" + test::describe_io(second, target);
    });
    BOOST_TEST(result == "unavailable=io; read_bytes=null write_bytes=null read_bytes_per_sec=null "
                         "rss_known=1 problems=[io forbidden]\n"
                         "unavailable=io; read_bytes=null write_bytes=null read_bytes_per_sec=null "
                         "rss_known=1 problems=");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
