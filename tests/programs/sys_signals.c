// Signals a process sends itself: handlers run for raise/kill/tgkill with the right siginfo and ucontext, return through rt_sigreturn with registers and mask restored; blocking and sigpending, delivery on unblock, SA_RESETHAND, SA_NODEFER, SA_SIGINFO, sigaltstack with SA_ONSTACK, siglongjmp out of a handler, SIG_IGN and default-ignored signals, sigsuspend, sigtimedwait, SIGPIPE from a pipe, and the errno of bad calls (EINVAL, EFAULT, ESRCH).
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-40s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static volatile sig_atomic_t hits[65];
static volatile int last_code, pid_ok, depth, max_depth, blocked_inside, pc_nonzero, raises_left;
static volatile uintptr_t handler_sp;

static void on_info(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    hits[sig]++;
    last_code = si->si_code;
    pid_ok = si->si_pid == getpid() && si->si_signo == sig && si->si_uid == getuid();
    pc_nonzero = uc->uc_mcontext.__gregs[REG_PC] != 0;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, sig);
    int here;
    handler_sp = (uintptr_t)&here;
}

static void on_plain(int sig) { hits[sig]++; }

static void nested(int sig) {
    hits[sig]++;
    depth++;
    if (depth > max_depth) max_depth = depth;
    if (raises_left > 0) {
        raises_left--;
        raise(sig);
    }
    depth--;
}

static sigjmp_buf jump;
static void jump_out(int sig) { hits[sig]++; siglongjmp(jump, sig); }

/* Registers that the interrupted code relies on survive the handler. */
static int __attribute__((noinline)) survive(int a, int b) {
    volatile int x = a * 3;
    raise(SIGUSR2);
    return x + b;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    SHOW("sigaction USR1 (SA_SIGINFO)", sigaction(SIGUSR1, &sa, NULL));

    SHOW("raise(SIGUSR1)", raise(SIGUSR1));
    printf("  ran %d, si_code SI_TKILL %d, pid/signo/uid ok %d, pc saved %d, blocked inside %d\n", hits[SIGUSR1], last_code == SI_TKILL, pid_ok, pc_nonzero, blocked_inside);
    SHOW("kill(getpid(), SIGUSR1)", kill(getpid(), SIGUSR1));
    printf("  ran %d, si_code SI_USER %d\n", hits[SIGUSR1], last_code == SI_USER);
    SHOW("tgkill", syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1));
    printf("  ran %d\n", hits[SIGUSR1]);
    sigset_t after;
    sigprocmask(SIG_BLOCK, NULL, &after);
    printf("  mask restored after the handler %d\n", !sigismember(&after, SIGUSR1));

    signal(SIGUSR2, on_plain);
    printf("register state survives a handler: %d\n", survive(5, 7) == 22);

    /* blocking */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    SHOW("block USR1", sigprocmask(SIG_BLOCK, &set, &old));
    raise(SIGUSR1);
    printf("  not run while blocked %d\n", hits[SIGUSR1] == 3);
    sigset_t pend;
    SHOW("sigpending", sigpending(&pend));
    printf("  USR1 pending %d\n", sigismember(&pend, SIGUSR1));
    raise(SIGUSR1);
    SHOW("unblock USR1", sigprocmask(SIG_SETMASK, &old, NULL));
    printf("  delivered once on unblock %d\n", hits[SIGUSR1] == 4);
    SHOW("sigprocmask bad how", sigprocmask(99, &set, NULL));
    SHOW("rt_sigprocmask bad pointer", syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD_PTR, NULL, 8));
    sigemptyset(&set);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, SIGSTOP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("  KILL and STOP cannot be blocked %d\n", !sigismember(&old, SIGKILL) && !sigismember(&old, SIGSTOP));

    /* flags */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_plain;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGHUP);
    struct sigaction cur;
    sigaction(SIGHUP, NULL, &cur);
    printf("SA_RESETHAND: ran %d, now SIG_DFL %d\n", hits[SIGHUP], cur.sa_handler == SIG_DFL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nested;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGALRM, &sa, NULL);
    raises_left = 2;
    raise(SIGALRM);
    printf("SA_NODEFER: ran %d, nested depth %d\n", hits[SIGALRM], max_depth);
    max_depth = 0;
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
    raises_left = 2;
    raise(SIGALRM);
    printf("without SA_NODEFER: ran %d more, depth %d\n", hits[SIGALRM] - 3, max_depth);
    sigaction(SIGUSR1, NULL, &cur);
    printf("sigaction reads back the handler %d and SA_SIGINFO %d\n", cur.sa_sigaction == on_info, (cur.sa_flags & SA_SIGINFO) != 0);

    /* an alternate stack */
    static char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0}, oss;
    SHOW("sigaltstack", sigaltstack(&ss, &oss));
    printf("  previously disabled %d\n", (oss.ss_flags & SS_DISABLE) != 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("  handler ran on it %d\n", handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + sizeof alt);
    sigaltstack(NULL, &oss);
    printf("  still set, not on it now %d\n", oss.ss_sp == alt && oss.ss_flags == 0);
    ss.ss_size = 100;
    SHOW("sigaltstack too small", sigaltstack(&ss, NULL));
    ss.ss_flags = 12345;
    SHOW("sigaltstack bad flags", sigaltstack(&ss, NULL));
    ss.ss_flags = SS_DISABLE;
    SHOW("sigaltstack disable", sigaltstack(&ss, NULL));

    /* leaving a handler with siglongjmp */
    signal(SIGINT, jump_out);
    int got = sigsetjmp(jump, 1);
    if (got == 0) {
        raise(SIGINT);
        printf("not reached\n");
    }
    printf("siglongjmp out of the handler: %d\n", got);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("  mask restored %d\n", !sigismember(&old, SIGINT));
    signal(SIGINT, on_plain);
    raise(SIGINT);
    printf("  and handlers still run afterwards: %d runs\n", hits[SIGINT]);

    /* ignoring */
    signal(SIGTERM, SIG_IGN);
    SHOW("raise ignored SIGTERM", raise(SIGTERM));
    SHOW("raise SIGCHLD (ignored by default)", raise(SIGCHLD));
    SHOW("raise SIGWINCH (ignored by default)", raise(SIGWINCH));
    signal(SIGPIPE, on_plain);
    int p[2];
    pipe(p);
    close(p[0]);
    SHOW("write to a pipe with no reader", write(p[1], "x", 1));
    printf("  SIGPIPE handled %d\n", hits[SIGPIPE]);
    close(p[1]);

    /* waiting */
    signal(SIGUSR2, on_plain);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR2);
    int before = hits[SIGUSR2];
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    SHOW("sigsuspend with USR2 pending", sigsuspend(&wait_mask));
    printf("  handler ran %d, USR2 blocked again %d\n", hits[SIGUSR2] - before, ({ sigset_t m; sigprocmask(SIG_BLOCK, NULL, &m); sigismember(&m, SIGUSR2); }));
    raise(SIGUSR2);
    siginfo_t si;
    struct timespec zero = {0, 0};
    SHOW("sigtimedwait takes the pending USR2", sigtimedwait(&set, &si, &zero));
    printf("  si_signo %d, handler not run %d\n", si.si_signo, hits[SIGUSR2] == before + 1);
    struct timespec short_wait = {0, 1000000};
    SHOW("sigtimedwait with nothing pending", sigtimedwait(&set, &si, &short_wait));
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* bad calls */
    SHOW("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
    SHOW("sigaction signal 0", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
    SHOW("sigaction signal 65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
    SHOW("rt_sigaction bad size", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
    SHOW("sigaction bad pointer", syscall(SYS_rt_sigaction, SIGUSR1, BAD_PTR, NULL, 8));
    SHOW("kill bad signal", kill(getpid(), 65));
    SHOW("tgkill wrong thread", syscall(SYS_tgkill, getpid(), 0x3ffffff0, SIGUSR1));
    SHOW("tgkill tid 0", syscall(SYS_tgkill, getpid(), 0, SIGUSR1));
    SHOW("kill(self, 0)", kill(getpid(), 0));
    printf("signals handled: USR1 %d, USR2 %d, HUP %d, ALRM %d, INT %d, PIPE %d\n", hits[SIGUSR1], hits[SIGUSR2], hits[SIGHUP], hits[SIGALRM], hits[SIGINT], hits[SIGPIPE]);
    return 0;
}
