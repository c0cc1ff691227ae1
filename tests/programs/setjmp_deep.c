// setjmp/longjmp: from deep recursion, values 0 and 1, nested jump buffers, volatile locals preserved, longjmp out of a qsort callback, sigsetjmp/siglongjmp with and without saved masks.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf top, inner;
static sigjmp_buf sjb;
static int depth_reached;

static int dive(int depth, int limit) {
    char pad[64];
    pad[depth % 64] = (char)depth;
    depth_reached = depth;
    if (depth == limit) longjmp(top, depth);
    return dive(depth + 1, limit) + pad[depth % 64];
}

static int calls;
static int cmp(const void *a, const void *b) {
    if (++calls == 50) longjmp(top, 777);
    return *(const int *)a - *(const int *)b;
}

static void nested(int n) {
    if (setjmp(inner) == 0) {
        if (n > 0) longjmp(inner, 0); /* longjmp with 0 makes setjmp return 1 */
        printf("nested: not jumped\n");
    } else {
        printf("nested: inner caught (n=%d), now jumping to top\n", n);
        longjmp(top, -5);
    }
}

int main(void) {
    volatile int counter = 0;
    int r = setjmp(top);
    counter++;
    if (r == 0) dive(0, 20000);
    printf("after deep dive: r=%d depth=%d counter=%d\n", r, depth_reached, counter);

    for (int limit = 1; limit <= 1000; limit *= 10) {
        r = setjmp(top);
        if (r == 0) dive(0, limit);
        printf("limit %d -> r=%d\n", limit, r);
    }

    int arr[200];
    for (int i = 0; i < 200; i++) arr[i] = (i * 7919) % 200;
    r = setjmp(top);
    if (r == 0) { qsort(arr, 200, sizeof arr[0], cmp); printf("qsort finished?\n"); }
    printf("out of qsort: r=%d calls=%d\n", r, calls);

    r = setjmp(top);
    if (r == 0) nested(1);
    printf("from nested: r=%d\n", r);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    volatile int round = 0;
    r = sigsetjmp(sjb, 1);
    round++;
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("sigsetjmp(savemask=1) r=%d round=%d usr1 blocked=%d\n", r, round, sigismember(&old, SIGUSR1));
    if (r == 0) {
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        siglongjmp(sjb, 3);
    }
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    r = sigsetjmp(sjb, 0);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("sigsetjmp(savemask=0) r=%d usr1 blocked=%d\n", r, sigismember(&old, SIGUSR1));
    if (r == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        siglongjmp(sjb, 4);
    }
    return 0;
}
