// Futexes and the thread bookkeeping glibc sets up, with one thread: FUTEX_WAIT on a changed value is EAGAIN, a WAIT with a timeout times out, WAKE wakes no one, WAKE_OP updates the second word, bad addresses are EFAULT and unaligned ones EINVAL; set_tid_address returns the tid; membarrier and rseq answer.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-40s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static long futex(void *addr, int op, uint32_t val, const struct timespec *ts, void *addr2, uint32_t val3) {
    return syscall(SYS_futex, addr, op, val, ts, addr2, val3);
}

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    static uint32_t word = 5, other = 1;
    SHOW("WAIT on a changed value", futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0));
    struct timespec t = {0, 20000000}, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    SHOW("WAIT 20 ms with the value unchanged", futex(&word, FUTEX_WAIT_PRIVATE, 5, &t, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("  waited >= 20 ms %d\n", ns(b) - ns(a) >= 20000000);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 10000000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    SHOW("WAIT_BITSET to an absolute deadline", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    SHOW("WAIT_BITSET with an empty bitset", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, &abs, NULL, 0));
    SHOW("WAIT with a bad timeout", futex(&word, FUTEX_WAIT_PRIVATE, 5, &(struct timespec){0, -1}, NULL, 0));
    SHOW("WAKE (nobody waits)", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    SHOW("WAKE_OP: other += 3 if other == 1", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &other, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 1)));
    printf("  other = %u\n", other);
    SHOW("CMP_REQUEUE with the wrong value", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &other, 99));
    SHOW("CMP_REQUEUE with the right value", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &other, 5));
    SHOW("WAIT on a bad address", futex(BAD_PTR, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0));
    SHOW("WAIT on an unaligned address", futex((char *)&word + 1, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0));
    SHOW("unknown futex op", futex(&word, 99, 0, NULL, NULL, 0));

    static int tid_word;
    long tid = syscall(SYS_set_tid_address, &tid_word);
    printf("set_tid_address returns gettid %d\n", tid == gettid());
    SHOW("membarrier QUERY", syscall(SYS_membarrier, 0, 0, 0) >= 0);
    SHOW("membarrier bad command", syscall(SYS_membarrier, 12345, 0, 0));
    /* Not checked: set_robust_list with a bad size (EINVAL on Linux; qemu 7.2 says ENOSYS to every call). */
    return 0;
}
