// Time: clock_gettime (MONOTONIC never goes backwards, REALTIME plausible and close to time()), gettimeofday, nanosleep/usleep elapse at least the requested time, clock() is non-negative, gmtime/strftime of a fixed epoch value. Prints only booleans and fixed values.
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    struct timespec a, b;
    int mono_ok = 1, rc_ok = 1;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 1000; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &b) != 0) rc_ok = 0;
        if (ns(b) < ns(a)) mono_ok = 0;
        if (b.tv_nsec < 0 || b.tv_nsec >= 1000000000L) mono_ok = 0;
        a = b;
    }
    printf("monotonic non-decreasing: %d, rc ok: %d\n", mono_ok, rc_ok);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    time_t now = time(NULL);
    printf("time() after 2020 and before 2100: %d\n", now > 1577836800 && now < 4102444800LL);
    printf("realtime within 5 s of time(): %d\n", rt.tv_sec - now < 5 && now - rt.tv_sec < 5);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday within 5 s: %d, usec in range: %d\n", tv.tv_sec - now < 5 && now - tv.tv_sec < 5, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    struct timespec res;
    printf("clock_getres monotonic ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 && ns(res) <= 10000000);
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec req = {0, 20 * 1000 * 1000};
    int nr = nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("nanosleep rc %d, slept >= 20 ms: %d, < 5 s: %d\n", nr, ns(b) - ns(a) >= 20000000LL, ns(b) - ns(a) < 5000000000LL);
    clock_gettime(CLOCK_MONOTONIC, &a);
    usleep(10000);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("usleep >= 10 ms: %d\n", ns(b) - ns(a) >= 10000000LL);
    printf("clock() non-negative: %d\n", clock() >= 0);
    struct timespec cpu;
    printf("process cputime ok: %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 && ns(cpu) >= 0);
    time_t fixed = 1700000000;
    struct tm tm;
    gmtime_r(&fixed, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %j", &tm);
    printf("gmtime(1700000000) = %s\n", buf);
    printf("mktime round trip (TZ=UTC): %d\n", mktime(&tm) == fixed);
    return 0;
}
