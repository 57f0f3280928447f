/*
 * (b) of the sweep benchmark: the practical limit of a /proc sweep, for comparison with procpulse's
 * collector (bench_sweep). It does the same file work per sweep as the collector:
 *   - one readdir of the root per sweep (the directory stays open and is rewound);
 *   - per process, stat, statm, status and io, each opened once on first sight, kept open, and read
 *     with pread at offset 0 on every sweep;
 *   - cmdline read once on first sight (the collector re-reads it only when the name changes);
 *   - the system files meminfo, stat, vmstat, loadavg and uptime, kept open, read once per sweep.
 * What it skips, that the collector does: all parsing (fields, the name, status and io lines), the
 * process model, rates and user names, PID-reuse detection (start time), sorting the PIDs,
 * mark-and-sweep of exited processes (their fds stay open until the program ends), the snapshot.
 * One pread per file unless the buffer fills: a short read of a /proc file is its end (procps and
 * htop rely on that too).
 * Prints one line of key=value pairs in the format of bench_sweep.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { pid_files = 4, sys_files = 5 };
static const char* const pid_file_names[pid_files] = {"stat", "statm", "status", "io"};
static const char* const sys_file_names[sys_files] = {"meminfo", "stat", "vmstat", "loadavg",
                                                      "uptime"};

/* Open files of one PID; the table is indexed by PID and grows on demand. */
struct slot {
    int fd[pid_files];
    int open;
};

static struct slot* slots;
static size_t slot_count;
static int root_fd;
static char* buf;
static size_t buf_size = 4096;

/* pread from offset 0 until a short read; returns the length or -1. */
static ssize_t read_file(int fd) {
    size_t used = 0;
    for (;;) {
        ssize_t n = pread(fd, buf + used, buf_size - used, (off_t)used);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        used += (size_t)n;
        if (used < buf_size) return (ssize_t)used;
        buf_size *= 2;
        buf = realloc(buf, buf_size);
        if (!buf) abort();
    }
}

static void close_slot(struct slot* s) {
    for (int i = 0; i < pid_files; ++i)
        if (s->fd[i] >= 0) close(s->fd[i]);
    s->open = 0;
}

/* Opens a new PID's files and reads its cmdline once; 0 when the process is gone. */
static int open_slot(struct slot* s, const char* pid) {
    char path[NAME_MAX + 16];
    for (int i = 0; i < pid_files; ++i) {
        snprintf(path, sizeof path, "%s/%s", pid, pid_file_names[i]);
        s->fd[i] = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
    }
    s->open = 1;
    if (s->fd[0] < 0) {
        close_slot(s);
        return 0;
    }
    snprintf(path, sizeof path, "%s/cmdline", pid);
    int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        read_file(fd);
        close(fd);
    }
    return 1;
}

static struct slot* slot_for(long pid) {
    if ((size_t)pid >= slot_count) {
        size_t n = slot_count ? slot_count : 1024;
        while (n <= (size_t)pid)
            n *= 2;
        slots = realloc(slots, n * sizeof *slots);
        if (!slots) abort();
        memset(slots + slot_count, 0, (n - slot_count) * sizeof *slots);
        slot_count = n;
    }
    return &slots[pid];
}

/* One sweep; returns how many processes were read. */
static long sweep(DIR* dir, const int* sys_fd) {
    for (int i = 0; i < sys_files; ++i)
        if (sys_fd[i] >= 0) read_file(sys_fd[i]);
    long processes = 0;
    rewinddir(dir);
    struct dirent* e;
    while ((e = readdir(dir))) {
        const char* p = e->d_name;
        if (*p < '1' || *p > '9') continue;
        long pid = 0;
        for (; *p >= '0' && *p <= '9'; ++p)
            pid = pid * 10 + (*p - '0');
        if (*p) continue;
        struct slot* s = slot_for(pid);
        if (!s->open && !open_slot(s, e->d_name)) continue;
        if (read_file(s->fd[0]) < 0) { /* exited: forget it */
            close_slot(s);
            continue;
        }
        for (int i = 1; i < pid_files; ++i)
            if (s->fd[i] >= 0) read_file(s->fd[i]);
        ++processes;
    }
    return processes;
}

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double seconds(struct timeval tv) {
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char** argv) {
    int sweeps = 50;
    const char* root = "/proc";
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--sweeps") && i + 1 < argc)
            sweeps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--proc-root") && i + 1 < argc)
            root = argv[++i];
        else
            sweeps = 0;
    }
    if (sweeps <= 0) {
        fprintf(stderr, "usage: %s [--sweeps K] [--proc-root DIR]\n", argv[0]);
        return 2;
    }
    root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR* dir = root_fd < 0 ? NULL : fdopendir(dup(root_fd));
    buf = malloc(buf_size);
    if (!dir || !buf) {
        perror(root);
        return 1;
    }
    int sys_fd[sys_files];
    for (int i = 0; i < sys_files; ++i)
        sys_fd[i] = openat(root_fd, sys_file_names[i], O_RDONLY | O_CLOEXEC);

    sweep(dir, sys_fd); /* warm-up: opens every process's files */

    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double cpu0 = cpu_seconds();
    long processes = 0;
    for (int k = 0; k < sweeps; ++k)
        processes += sweep(dir, sys_fd);
    double cpu = cpu_seconds() - cpu0;
    getrusage(RUSAGE_SELF, &ru1);

    double per = 1e6 / (double)(processes ? processes : 1);
    printf("impl=raw_reader sweeps=%d processes=%.1f cpu_us=%.3f user_us=%.3f sys_us=%.3f\n",
           sweeps, (double)processes / sweeps, cpu * per,
           (seconds(ru1.ru_utime) - seconds(ru0.ru_utime)) * per,
           (seconds(ru1.ru_stime) - seconds(ru0.ru_stime)) * per);
    return 0;
}
