// Control flow the translator must get right: function pointers, a switch
// (jump table), setjmp/longjmp across several frames, deep recursion
// (100k frames, past the native call-depth limit) and qsort callbacks.
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;

static int classify(int x) {
    switch (x % 9) {
    case 0: return 10;
    case 1: return 21;
    case 2: return 32;
    case 3: return 43;
    case 4: return 54;
    case 5: return 65;
    case 6: return 76;
    case 7: return 87;
    default: return 98;
    }
}

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

static __attribute__((noinline)) void dive(int depth) {
    if (depth == 0)
        longjmp(env, 7);
    dive(depth - 1);
    printf("never printed\n");
}

static __attribute__((noinline)) long recurse(long n) {
    return n == 0 ? 0 : 1 + recurse(n - 1);
}

static int cmp(const void *a, const void *b) {
    return *(const int *)a - *(const int *)b;
}

int main(void) {
    int (*ops[3])(int, int) = {add, sub, mul};
    long sum = 0;
    for (int i = 0; i < 30; i++)
        sum += ops[i % 3](i, 3) + classify(i);
    printf("ops+switch: %ld\n", sum);

    int r = setjmp(env);
    if (r == 0) {
        dive(50);
        printf("not reached\n");
    } else {
        printf("longjmp returned %d\n", r);
    }

    volatile int round = 0;
    if (setjmp(env) < 3) {
        round++;
        if (round < 3)
            longjmp(env, round);
    }
    printf("rounds: %d\n", round);

    printf("recursion: %ld\n", recurse(100000));

    int v[16];
    for (int i = 0; i < 16; i++)
        v[i] = (i * 7919) % 31;
    qsort(v, 16, sizeof v[0], cmp);
    for (int i = 0; i < 16; i++)
        printf("%d%c", v[i], i == 15 ? '\n' : ' ');
    return 0;
}
