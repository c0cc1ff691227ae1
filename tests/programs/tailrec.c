// Tail calls and deep recursion: self tail recursion (gcd, accumulate), mutual tail recursion (is_even/is_odd 100k deep, which -O0 keeps as real calls), sibling calls through pointers, and non-tail recursion (Ackermann, naive fib).
#include <stdint.h>
#include <stdio.h>

static uint64_t gcd(uint64_t a, uint64_t b) { return b == 0 ? a : gcd(b, a % b); }
static uint64_t sum_to(uint64_t n, uint64_t acc) { return n == 0 ? acc : sum_to(n - 1, acc + n); }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static unsigned long ack(unsigned long m, unsigned long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int collatz(uint64_t n, int steps) {
    if (n == 1) return steps;
    return collatz(n & 1 ? 3 * n + 1 : n / 2, steps + 1);
}
typedef long (*step_fn)(long, long);
static long step_a(long n, long acc);
static long step_b(long n, long acc);
static step_fn volatile next_fn[2] = {step_a, step_b};
static long step_a(long n, long acc) { return n <= 0 ? acc : next_fn[n & 1](n - 1, acc * 3 + n); }
static long step_b(long n, long acc) { return n <= 0 ? acc : next_fn[n & 1](n - 1, acc ^ (n << 2)); }

int main(void) {
    printf("gcd %llu %llu %llu\n", (unsigned long long)gcd(1071, 462), (unsigned long long)gcd(0xffffffffffffffc5ull, 0x7fffffffffffffe7ull),
           (unsigned long long)gcd(832040, 514229));
    printf("sum_to(1e5) %llu\n", (unsigned long long)sum_to(100000, 0));
    printf("is_even(100000) %d is_odd(77777) %d is_even(3) %d\n", is_even(100000), is_odd(77777), is_even(3));
    printf("ack(2,3)=%lu ack(3,5)=%lu\n", ack(2, 3), ack(3, 5));
    printf("fib(25)=%lu\n", fib(25));
    int best = 0; uint64_t arg = 0;
    for (uint64_t n = 1; n < 30000; n++) { int s = collatz(n, 0); if (s > best) { best = s; arg = n; } }
    printf("collatz longest below 30000: %llu with %d steps\n", (unsigned long long)arg, best);
    printf("pointer chain %ld\n", step_a(50000, 1));
    return 0;
}
