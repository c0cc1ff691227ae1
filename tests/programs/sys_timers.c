// Interval timers: setitimer/getitimer (ITIMER_REAL, interval reloads, disarming), alarm, and the waits a timer's SIGALRM interrupts with EINTR (nanosleep with the time left, pause/sigsuspend, poll, select); with the errno of bad calls. Prints counts and booleans, never times.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-44s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static volatile sig_atomic_t alarms;
static volatile int last_code = -1;
static void on_alarm(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; alarms++; last_code = si->si_code; }

static void arm(long usec, long interval_usec) {
    struct itimerval it = {{0, interval_usec}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static long long ms_since(struct timespec a) {
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((long long)b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);

    struct itimerval cur;
    SHOW("getitimer, nothing armed", getitimer(ITIMER_REAL, &cur));
    printf("  value 0 %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);

    /* nanosleep interrupted */
    arm(30000, 0);
    SHOW("getitimer after arming 30 ms", getitimer(ITIMER_REAL, &cur));
    printf("  0 < value <= 30 ms %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 30000);
    struct timespec req = {2, 0}, rem = {0, 0}, t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    SHOW("nanosleep 2 s, SIGALRM after 30 ms", nanosleep(&req, &rem));
    printf("  alarms %d, si_code SI_KERNEL %d, woke early %d, rem > 1 s %d\n", alarms, last_code == SI_KERNEL, ms_since(t0) < 1500, rem.tv_sec >= 1);
    SHOW("getitimer after it fired", getitimer(ITIMER_REAL, &cur));
    printf("  disarmed %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);

    /* pause */
    arm(20000, 0);
    SHOW("pause until SIGALRM", pause());
    printf("  alarms %d\n", alarms);

    /* sigsuspend with SIGALRM blocked outside */
    sigset_t block, old, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, &old);
    arm(20000, 0);
    SHOW("sigsuspend until SIGALRM", sigsuspend(&none));
    printf("  alarms %d\n", alarms);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* poll and select */
    int p[2];
    pipe(p);
    struct pollfd pf = {p[0], POLLIN, 0};
    arm(20000, 0);
    SHOW("poll forever on an empty pipe", poll(&pf, 1, -1));
    printf("  alarms %d\n", alarms);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = {5, 0};
    arm(20000, 0);
    SHOW("select 5 s on an empty pipe", select(p[0] + 1, &rs, NULL, NULL, &tv));
    printf("  alarms %d\n", alarms);
    close(p[0]);
    close(p[1]);

    /* an interval timer reloads */
    int before = alarms;
    arm(10000, 10000);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (ms_since(t0) < 200) {
        struct timespec step = {0, 5000000};
        nanosleep(&step, NULL);
    }
    struct itimerval off = {{0, 0}, {0, 0}}, was;
    SHOW("disarm", setitimer(ITIMER_REAL, &off, &was));
    printf("  interval timer fired >= 5 times %d, old interval 10 ms %d\n", alarms - before >= 5, was.it_interval.tv_sec == 0 && was.it_interval.tv_usec == 10000);

    /* alarm() */
    SHOW("alarm(10) with none pending", alarm(10));
    SHOW("alarm(0) returns the seconds left", alarm(0));

    /* an ignored SIGALRM does not interrupt */
    signal(SIGALRM, SIG_IGN);
    arm(10000, 0);
    struct timespec short_req = {0, 50000000};
    SHOW("nanosleep 50 ms, ignored SIGALRM at 10 ms", nanosleep(&short_req, NULL));

    /* bad calls */
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    SHOW("setitimer usec = 1e6", setitimer(ITIMER_REAL, &bad, NULL));
    SHOW("setitimer bad which", setitimer(7, &off, NULL));
    SHOW("getitimer bad which", getitimer(7, &cur));
    return 0;
}
