/*
 * The floor under issue #3's fan-out latency on this machine: what the kernel alone costs to
 * deliver one message of BYTES bytes to each of C loopback TCP connections, with no encoding, no
 * WebSocket framing and no event library. A sender process with S threads (each owning C/S
 * sockets) writes one message per socket per tick with blocking send(); a receiver process with
 * one thread (like fanout_client) waits in epoll and reads. Latency = receipt wall clock - the
 * wall clock taken just before the tick's first send (so it excludes any /proc sweep: procpulse's
 * latency adds its sweep on top of this). Loopback only; bounded: TICKS ticks, one per second.
 * Prints one JSON object.
 * usage: fanout_floor [--connections 1000] [--threads 2] [--ticks 20] [--bytes 1950]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int conns = 1000, threads = 2, ticks = 20, bytes = 1950;

static double wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char* what) {
    perror(what);
    exit(1);
}

static int cmp(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

static double pct(const double* v, size_t n, double p) {
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* ---- receiver (child process) ---- */
static int receive(int port, int out_fd) {
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    int* fill = calloc((size_t)conns, sizeof(int));
    char** msg = calloc((size_t)conns, sizeof(char*));
    for (int i = 0; i < conns; ++i) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(s, (struct sockaddr*)&a, sizeof a) < 0 && errno != EINPROGRESS) die("connect");
        struct epoll_event ev = {.events = EPOLLIN};
        msg[i] = malloc((size_t)bytes);
        ev.data.u64 = ((unsigned long long)(unsigned)s << 32) | (unsigned)i;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) < 0) die("epoll_ctl");
    }
    size_t want = (size_t)conns * (size_t)ticks, got = 0;
    double* lat = malloc(want * sizeof(double));
    double* tick_first = calloc((size_t)ticks + 1, sizeof(double));
    double* spread = malloc(want * sizeof(double));
    double* recv_at = malloc(want * sizeof(double));
    int* tick_of = malloc(want * sizeof(int));
    struct epoll_event evs[256];
    double deadline = wall() + ticks + 30.0;
    while (got < want && wall() < deadline) {
        int n = epoll_wait(ep, evs, 256, 1000);
        for (int k = 0; k < n; ++k) {
            int s = (int)(evs[k].data.u64 >> 32), i = (int)(evs[k].data.u64 & 0xffffffffu);
            for (;;) {
                ssize_t r = read(s, msg[i] + fill[i], (size_t)(bytes - fill[i]));
                if (r <= 0) break;
                fill[i] += (int)r;
                if (fill[i] == bytes) {
                    double now = wall(), t0;
                    int tick;
                    memcpy(&t0, msg[i], sizeof t0);
                    memcpy(&tick, msg[i] + sizeof t0, sizeof tick);
                    fill[i] = 0;
                    if (got < want) {
                        lat[got] = (now - t0) * 1e3;
                        recv_at[got] = now;
                        tick_of[got] = tick;
                        if (tick >= 0 && tick <= ticks &&
                            (tick_first[tick] == 0 || now < tick_first[tick]))
                            tick_first[tick] = now;
                        ++got;
                    }
                }
            }
        }
    }
    for (size_t j = 0; j < got; ++j)
        spread[j] = (recv_at[j] - tick_first[tick_of[j]]) * 1e3;
    qsort(lat, got, sizeof(double), cmp);
    qsort(spread, got, sizeof(double), cmp);
    char line[512];
    int len =
        snprintf(line, sizeof line,
                 "{\"connections\": %d, \"sender_threads\": %d, \"ticks\": %d, \"bytes\": %d, "
                 "\"received\": %zu, \"expected\": %zu, \"latency_ms\": {\"p50\": %.3f, "
                 "\"p99\": %.3f, \"max\": %.3f}, \"spread_ms\": {\"p50\": %.3f, \"p99\": %.3f}}\n",
                 conns, threads, ticks, bytes, got, want, got ? pct(lat, got, 0.5) : 0,
                 got ? pct(lat, got, 0.99) : 0, got ? lat[got - 1] : 0,
                 got ? pct(spread, got, 0.5) : 0, got ? pct(spread, got, 0.99) : 0);
    if (write(out_fd, line, (size_t)len) != len) return 1;
    return got == want ? 0 : 1;
}

/* ---- sender (parent process) ---- */
static int* socks;
static pthread_barrier_t start_barrier, done_barrier;
static double tick_t0;
static int tick_no;
static volatile int stop_senders;

static void* sender(void* arg) {
    int id = (int)(long)arg;
    char* buf = calloc((size_t)bytes, 1);
    for (;;) {
        pthread_barrier_wait(&start_barrier);
        if (stop_senders) break;
        memcpy(buf, &tick_t0, sizeof tick_t0);
        memcpy(buf + sizeof tick_t0, &tick_no, sizeof tick_no);
        for (int i = id; i < conns; i += threads) {
            int off = 0;
            while (off < bytes) {
                ssize_t w = send(socks[i], buf + off, (size_t)(bytes - off), MSG_NOSIGNAL);
                if (w <= 0) die("send");
                off += (int)w;
            }
        }
        pthread_barrier_wait(&done_barrier);
    }
    free(buf);
    return NULL;
}

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        int v = atoi(argv[i + 1]);
        if (!strcmp(argv[i], "--connections"))
            conns = v;
        else if (!strcmp(argv[i], "--threads"))
            threads = v;
        else if (!strcmp(argv[i], "--ticks"))
            ticks = v;
        else if (!strcmp(argv[i], "--bytes"))
            bytes = v;
        else {
            fprintf(
                stderr,
                "usage: fanout_floor [--connections C] [--threads S] [--ticks N] [--bytes B]\n");
            return 2;
        }
    }
    if (conns < 1 || threads < 1 || ticks < 1 || bytes < 16) return 2;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (bind(ls, (struct sockaddr*)&a, sizeof a) < 0 || listen(ls, 4096) < 0) die("listen");
    getsockname(ls, (struct sockaddr*)&a, &al);
    int pipefd[2];
    if (pipe(pipefd) < 0) die("pipe");
    pid_t child = fork();
    if (child == 0) {
        close(pipefd[0]);
        close(ls);
        _exit(receive(ntohs(a.sin_port), pipefd[1]));
    }
    close(pipefd[1]);
    socks = malloc((size_t)conns * sizeof(int));
    for (int i = 0; i < conns; ++i)
        if ((socks[i] = accept(ls, NULL, NULL)) < 0) die("accept");
    pthread_barrier_init(&start_barrier, NULL, (unsigned)threads + 1);
    pthread_barrier_init(&done_barrier, NULL, (unsigned)threads + 1);
    pthread_t* th = malloc((size_t)threads * sizeof(pthread_t));
    for (int t = 0; t < threads; ++t)
        pthread_create(&th[t], NULL, sender, (void*)(long)t);
    double next = (double)(long)wall() + 2.0; /* on whole seconds, like the sampler */
    for (tick_no = 0; tick_no < ticks; ++tick_no, next += 1.0) {
        double d = next - wall();
        if (d > 0) {
            struct timespec ts = {(time_t)d, (long)((d - (double)(long)d) * 1e9)};
            nanosleep(&ts, NULL);
        }
        tick_t0 = wall();
        pthread_barrier_wait(&start_barrier);
        pthread_barrier_wait(&done_barrier);
    }
    stop_senders = 1;
    pthread_barrier_wait(&start_barrier);
    for (int t = 0; t < threads; ++t)
        pthread_join(th[t], NULL);
    char out[512];
    ssize_t n = read(pipefd[0], out, sizeof out - 1);
    int status = 0;
    waitpid(child, &status, 0);
    if (n > 0) fwrite(out, 1, (size_t)n, stdout);
    for (int i = 0; i < conns; ++i)
        close(socks[i]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
