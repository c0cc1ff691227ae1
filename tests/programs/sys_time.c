// Clocks and sleeping: clock_gettime and clock_getres for every clock (REALTIME, MONOTONIC, BOOTTIME, COARSE, RAW, the CPU-time clocks and a clock_getcpuclockid clock), clock_nanosleep relative and TIMER_ABSTIME, nanosleep, times, getrusage, gettimeofday; with the errno of every failure (EINVAL, EFAULT). Prints only properties of times, never times.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-44s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

/* The raw syscall, so that no vDSO fast path hides what the kernel does. */
static long raw_gettime(clockid_t c, void *ts) { return syscall(SYS_clock_gettime, c, ts); }

int main(void) {
    static const struct { clockid_t id; const char *name; } clocks[] = {
        {CLOCK_REALTIME, "REALTIME"}, {CLOCK_MONOTONIC, "MONOTONIC"}, {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"},
        {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"}, {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"},
        {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"}, {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"},
        {CLOCK_BOOTTIME, "BOOTTIME"}, {CLOCK_TAI, "TAI"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec a, b, res;
        int ok = raw_gettime(clocks[i].id, &a) == 0 && raw_gettime(clocks[i].id, &b) == 0;
        int sane = ok && a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && ns(b) >= ns(a);
        int res_ok = clock_getres(clocks[i].id, &res) == 0 && ns(res) > 0 && ns(res) <= 10000000;
        printf("%-20s gettime %d, non-decreasing %d, resolution 1 ns..10 ms %d\n", clocks[i].name, ok, sane, res_ok);
    }
    struct timespec ts;
    SHOW("clock_gettime invalid clock", raw_gettime(10, &ts));
    SHOW("clock_gettime clock -1", raw_gettime(-1, &ts));
    SHOW("clock_gettime bad pointer", raw_gettime(CLOCK_MONOTONIC, BAD_PTR));
    SHOW("clock_getres invalid clock", syscall(SYS_clock_getres, 10, &ts));
    SHOW("clock_getres NULL", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));

    clockid_t cpu;
    SHOW("clock_getcpuclockid(0)", clock_getcpuclockid(0, &cpu));
    SHOW("  readable", clock_gettime(cpu, &ts) == 0 && ns(ts) >= 0);

    struct timespec rt, mono;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    printf("realtime after 2020: %d\n", rt.tv_sec > 1577836800);
    struct timespec boot;
    clock_gettime(CLOCK_BOOTTIME, &boot);
    printf("boottime >= 0: %d\n", ns(boot) >= 0);

    /* sleeping */
    struct timespec a, b, req = {0, 20000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    SHOW("clock_nanosleep relative 20 ms", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("  slept >= 20 ms: %d\n", ns(b) - ns(a) >= 20000000);
    struct timespec until = b;
    until.tv_nsec += 30000000;
    if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
    SHOW("clock_nanosleep TIMER_ABSTIME +30 ms", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
    clock_gettime(CLOCK_MONOTONIC, &a);
    printf("  reached the deadline: %d\n", ns(a) >= ns(until));
    SHOW("clock_nanosleep TIMER_ABSTIME in the past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &b, NULL));
    SHOW("clock_nanosleep REALTIME abs in the past", ({ struct timespec past = {1, 0}; clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL); }));
    struct timespec bad = {0, 1000000000};
    /* clock_nanosleep returns the error number instead of setting errno. */
    printf("%-44s %s\n", "clock_nanosleep nsec = 1e9", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
    printf("%-44s %s\n", "clock_nanosleep invalid clock", strerrorname_np(clock_nanosleep(10, 0, &req, NULL)));
    printf("%-44s %s\n", "clock_nanosleep THREAD_CPUTIME", strerrorname_np(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL)));
    SHOW("nanosleep negative seconds", ({ struct timespec neg = {-1, 0}; nanosleep(&neg, NULL); }));
    /* Not checked: nanosleep with a bad pointer (EFAULT on Linux, EINVAL from qemu 7.2). */
    SHOW("nanosleep 0", ({ struct timespec zero = {0, 0}; nanosleep(&zero, NULL); }));

    /* process times */
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++) x += i * 0.5;
    struct tms t;
    clock_t c = times(&t);
    printf("times() succeeded: %d, utime >= 0: %d, no children: %d\n", c != (clock_t)-1, t.tms_utime >= 0, t.tms_cutime == 0 && t.tms_cstime == 0);
    printf("sysconf(_SC_CLK_TCK) = %ld\n", sysconf(_SC_CLK_TCK));
    printf("clock() >= 0: %d\n", clock() >= 0);
    struct rusage ru;
    SHOW("getrusage SELF", getrusage(RUSAGE_SELF, &ru));
    printf("  utime sane %d, maxrss > 0 %d\n", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000, ru.ru_maxrss > 0);
    SHOW("getrusage CHILDREN", getrusage(RUSAGE_CHILDREN, &ru));
    printf("  children used nothing %d\n", ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0);
    SHOW("getrusage invalid who", getrusage(7, &ru));
    SHOW("getrusage bad pointer", getrusage(RUSAGE_SELF, BAD_PTR));

    struct timeval tv;
    struct timezone tz;
    SHOW("gettimeofday with timezone", gettimeofday(&tv, &tz));
    printf("  usec in range %d\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    SHOW("time(NULL) after 2020", time(NULL) > 1577836800);
    return 0;
}
