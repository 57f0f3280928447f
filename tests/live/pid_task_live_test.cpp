/**
 * procfs::read_tasks and read_fds on the real /proc: a child the test forks starts two named
 * threads and opens a known file; forbidden and vanished processes give their statuses.
 */
#include "core/threads.hpp"
#include "procfs/pid_task.hpp"
#include "support/child.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>

namespace procpulse::procfs {
namespace {

/** The /proc directory fd for the readers (closed at the end of the test). */
struct proc_fd {
    int fd = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ~proc_fd() { ::close(fd); }
};

/**
 * A child with three threads (main, "worker-a" spinning on the CPU, "worker-b" idle) and
 * /dev/null open as fd 50. It answers 'r' when all are up and exits when the pipe closes.
 */
test::child three_threads() {
    return test::child([](int in, int out) {
        int fd = ::open("/dev/null", O_RDONLY);
        ::dup2(fd, 50);
        std::atomic<bool> stop{false};
        std::thread a([&] {
            pthread_setname_np(pthread_self(), "worker-a");
            volatile std::uint64_t x = 0;
            while (!stop)
                x = x + 1;
        });
        std::thread b([&] {
            pthread_setname_np(pthread_self(), "worker-b");
            char c;
            (void)!::read(in, &c, 1); // until the parent lets go
            stop = true;
        });
        // Names are set by the threads themselves: wait until both show.
        proc_fd proc;
        for (;;) {
            int named = 0;
            for (const auto& t : read_tasks(proc.fd, ::getpid()).threads)
                named += t.comm.rfind("worker-", 0) == 0;
            if (named == 2) break;
            std::this_thread::yield();
        }
        char r = 'r';
        (void)!::write(out, &r, 1);
        b.join();
        a.join();
        return 0;
    });
}

BOOST_AUTO_TEST_SUITE(pid_task_live_tests)

BOOST_AUTO_TEST_CASE(threads_of_a_child_with_three) {
    proc_fd proc;
    auto child = three_threads();
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    auto tasks = read_tasks(proc.fd, child.pid());
    BOOST_TEST_REQUIRE((tasks.status == read_status::ok));
    BOOST_TEST_REQUIRE(tasks.threads.size() == 3u);
    BOOST_TEST(tasks.threads[0].pid == child.pid()); // sorted by tid: the main thread first
    std::vector<std::string> names;
    for (const auto& t : tasks.threads)
        names.push_back(t.comm);
    BOOST_TEST(std::count(names.begin(), names.end(), "worker-a") == 1);
    BOOST_TEST(std::count(names.begin(), names.end(), "worker-b") == 1);

    // Per-thread CPU over a measured gap: the spinning worker, not the idle one.
    core::thread_rates rates(::sysconf(_SC_CLK_TCK));
    auto now_ns = [] {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
    auto first = rates.update(child.pid(), tasks.threads, now_ns(), 1000);
    BOOST_TEST(!first.threads[0].cpu_percent.has_value());
    // Wait until worker-a has used at least 20 ticks more (a condition, not a fixed sleep).
    auto ticks_of = [&](const char* name) -> std::uint64_t {
        for (const auto& t : read_tasks(proc.fd, child.pid()).threads)
            if (t.comm == name) return t.utime + t.stime;
        return 0;
    };
    const std::uint64_t a0 = ticks_of("worker-a");
    while (ticks_of("worker-a") < a0 + 20)
        std::this_thread::yield();
    auto second =
        rates.update(child.pid(), read_tasks(proc.fd, child.pid()).threads, now_ns(), 1000);
    BOOST_TEST_REQUIRE(second.gap_seconds.has_value());
    for (const auto& t : second.threads) {
        BOOST_TEST_REQUIRE(t.cpu_percent.has_value());
        if (t.name == "worker-a") BOOST_TEST(*t.cpu_percent > 20.0);
        if (t.name == "worker-b") BOOST_TEST(*t.cpu_percent < 5.0);
    }
    BOOST_TEST(second.key.pid == child.pid());

    child.send('q');
    BOOST_TEST(child.wait() == 0);
    auto after = read_tasks(proc.fd, child.pid());
    BOOST_TEST((after.status == read_status::gone));
    BOOST_TEST(after.threads.empty());
}

BOOST_AUTO_TEST_CASE(open_files_of_a_child) {
    proc_fd proc;
    auto child = three_threads();
    BOOST_TEST_REQUIRE(child.receive() == 'r');
    auto all = read_fds(proc.fd, child.pid(), 1000);
    BOOST_TEST_REQUIRE((all.status == read_status::ok));
    BOOST_TEST(all.total == all.files.size());
    BOOST_TEST(all.total >= 4u); // stdin/out/err or pipes, and fd 50 at least
    auto it = std::find_if(all.files.begin(), all.files.end(),
                           [](const fd_entry& e) { return e.fd == 50; });
    BOOST_TEST_REQUIRE((it != all.files.end()));
    BOOST_TEST(it->target == "/dev/null");
    BOOST_TEST(std::is_sorted(all.files.begin(), all.files.end(),
                              [](const fd_entry& a, const fd_entry& b) { return a.fd < b.fd; }));
    // Bounded: the lowest two with the total; 0 only counts.
    auto two = read_fds(proc.fd, child.pid(), 2);
    BOOST_TEST(two.files.size() == 2u);
    BOOST_TEST(two.total == all.total);
    auto count = read_fds(proc.fd, child.pid(), 0);
    BOOST_TEST(count.files.empty());
    BOOST_TEST(count.total == all.total);
    child.send('q');
    BOOST_TEST(child.wait() == 0);
    BOOST_TEST((read_fds(proc.fd, child.pid(), 10).status == read_status::gone));
}

BOOST_AUTO_TEST_CASE(another_users_open_files_are_forbidden) {
    if (::geteuid() != 0) return; // as an ordinary user, pid 1 is another user's already
    // A child that dropped to nobody may list pid 1's threads but not its descriptors.
    std::string r = test::run_unprivileged([] {
        int fd = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        auto fds = read_fds(fd, 1, 10);
        auto tasks = read_tasks(fd, 1);
        ::close(fd);
        return std::string(to_string(fds.status)) + "," + to_string(tasks.status);
    });
    BOOST_TEST(r == "forbidden,ok");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
