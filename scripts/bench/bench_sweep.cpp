// (a) of the sweep benchmark: CPU time of procpulse's collector per process per full sweep.
// A warm-up sweep opens every process's files and reads each cmdline once; the K timed sweeps that
// follow read stat, statm, status and io of every process (and the system files), as the sampler
// does on every tick. Prints one line of key=value pairs; scripts/bench/sweep.sh parses it.
#include "core/collector.hpp"
#include "sampler/users.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

namespace {

using namespace procpulse;

double process_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double seconds(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

core::sample_time now() {
    using namespace std::chrono;
    return {duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count(),
            duration<double>(system_clock::now().time_since_epoch()).count()};
}

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s [--sweeps K] [--proc-root DIR] [--full-read-every N]\n", argv0);
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    int sweeps = 50;
    std::string proc_root = "/proc";
    int full_read_every = 0; // 0: every file of every process every sweep (what raw_reader does)
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--sweeps") && i + 1 < argc)
            sweeps = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--proc-root") && i + 1 < argc)
            proc_root = argv[++i];
        else if (!std::strcmp(argv[i], "--full-read-every") && i + 1 < argc)
            full_read_every = std::atoi(argv[++i]);
        else
            usage(argv[0]);
    }
    if (sweeps <= 0) usage(argv[0]);

    core::collector_options opts;
    opts.clk_tck = ::sysconf(_SC_CLK_TCK);
    opts.page_size = ::sysconf(_SC_PAGESIZE);
    opts.keep_open = true;
    opts.full_read_every = full_read_every;
    core::collector coll(proc_root, opts, sampler::system_user_name);

    // The sampler keeps the previous snapshot alive until the next one replaces it; so does this.
    core::collector::result last = coll.sweep(now());

    rusage ru0{};
    ::getrusage(RUSAGE_SELF, &ru0);
    const double cpu0 = process_cpu_seconds();
    std::size_t processes = 0;
    for (int k = 0; k < sweeps; ++k) {
        last = coll.sweep(now());
        processes += last.snap->processes.size();
    }
    const double cpu = process_cpu_seconds() - cpu0;
    rusage ru1{};
    ::getrusage(RUSAGE_SELF, &ru1);

    const double per = 1e6 / static_cast<double>(processes ? processes : 1);
    std::printf("impl=collector full_read_every=%d sweeps=%d processes=%.1f cpu_us=%.3f "
                "user_us=%.3f sys_us=%.3f\n",
                full_read_every, sweeps, static_cast<double>(processes) / sweeps, cpu * per,
                (seconds(ru1.ru_utime) - seconds(ru0.ru_utime)) * per,
                (seconds(ru1.ru_stime) - seconds(ru0.ru_stime)) * per);
    return 0;
}
