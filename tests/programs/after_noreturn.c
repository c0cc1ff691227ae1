// Functions reached only through a table of pointers, each placed right after a call to a
// `noreturn` function at the end of the one before it (bash's `exit` and `set` builtins sit so).
// Discovery must not take such a function for the fall-through of the call before it, a second
// entry of the preceding function: code after its first branch then had no translated code.
// cflags: -fasynchronous-unwind-tables
// args: 3 -1 12 40
#include <stdio.h>
#include <stdlib.h>

__attribute__((noreturn, noinline)) static void fatal(const char *what, long n) {
    printf("fatal: %s %ld\n", what, n);
    fflush(stdout);
    exit(3);
}

__attribute__((noinline)) static long builtin_check(long n) {
    if (n > 1000)
        fatal("too big", n);
    return n * 2;
}

__attribute__((noinline)) static long builtin_sum(long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        s += i % 7 == 0 ? i * 3 : i;
    if (n < 0)
        fatal("negative", n);
    return s > 100 ? s - 100 : s;
}

__attribute__((noinline)) static long builtin_shift(long n) {
    if (n == 0)
        fatal("zero", n);
    long r = n < 0 ? -n : n;
    while (r > 10)
        r = r / 2 + (r & 1);
    return r;
}

static long (*volatile const builtins[])(long) = {builtin_check, builtin_sum, builtin_shift};

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        long n = strtol(argv[i], 0, 0);
        for (int b = 0; b < 3; b++) {
            if (n < 0 && b == 1)
                continue;
            printf("%d(%ld) = %ld\n", b, n, builtins[b](n));
        }
    }
    builtins[1](-5);
    return 0;
}
