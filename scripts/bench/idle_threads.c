/*
 * One member of the sweep benchmark's population: an idle process with two extra threads.
 * Writes one byte to stdout once both threads exist (sweep.sh counts these to know the population
 * is up), then sleeps until a signal ends it.
 */
#include <pthread.h>
#include <unistd.h>

static void* idle(void* arg) {
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int i = 0; i < 2; ++i) {
        pthread_t t;
        if (pthread_create(&t, &attr, idle, NULL) != 0) return 1;
    }
    if (write(STDOUT_FILENO, "r", 1) != 1) return 1;
    close(STDOUT_FILENO);
    for (;;)
        pause();
}
