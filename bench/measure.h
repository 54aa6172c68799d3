/* Timing and memory readings shared by the C bench programs (floor.c, c_bench.c). */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* VmHWM, not getrusage: ru_maxrss survives exec, so it would report the
 * forking parent's (Python's) peak instead of this program's. */
static long peak_rss_kb(void) {
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_now(void) { /* user + system time of every thread of this process */
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start of the measured run; workers stop once max_secs have passed since it. */
static double t0, max_secs;

/* Runs `threads` workers (each stores its call count through its `long *`
 * argument), then prints the result line every bench program prints. */
static int run_and_report(long threads, void *(*worker)(void *)) {
    pthread_t tid[256];
    long done[256] = {0};
    if (threads < 1 || threads > 256) return 2;
    double cpu0 = cpu_now();
    t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, worker, &done[i]);
    long total = 0;
    for (int i = 0; i < threads; i++) { pthread_join(tid[i], NULL); total += done[i]; }
    double secs = now() - t0, cpu = cpu_now() - cpu0;
    printf("{\"calls\":%ld,\"secs\":%.9f,\"cpu_s\":%.9f,\"maxrss_kb\":%ld}\n", total, secs, cpu, peak_rss_kb());
    return 0;
}

#endif
