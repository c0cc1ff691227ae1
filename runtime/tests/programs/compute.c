// CPU work through the interpreter: integer, 64-bit, float, calls, memory.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200000;
    uint32_t *a = malloc(n * sizeof *a);
    uint32_t x = 12345;
    for (int i = 0; i < n; i++) { x = x * 1103515245u + 12345u; a[i] = x >> 8; }
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += (uint64_t)a[i] * (i | 1);
    double acc = 0;
    for (int i = 1; i < 1000; i++) acc += sin(i) / i + sqrt((double)i);
    printf("sum=%llu fib=%llu acc=%.12f div=%d\n", (unsigned long long)sum,
           (unsigned long long)fib(24), acc, (int)(sum % 1000003));
    return 0;
}
