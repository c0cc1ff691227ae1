// A small integer loop: xorshift, multiply, rotate, divide; prints checksums.
#include <stdint.h>
#include <stdio.h>

static uint64_t xorshift(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

int main(void) {
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint64_t acc = 0;
    uint32_t acc32 = 0;
    int64_t sacc = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t r = xorshift(&state);
        acc += r * (uint64_t)(i | 1);
        acc = (acc << 5) | (acc >> 59);
        acc32 ^= (uint32_t)(r >> 32) + (uint32_t)i;
        int64_t d = (int64_t)(r % 1000003) - 500000;
        sacc += d / ((i % 7) + 1) + d % 13;
    }
    printf("acc=%016llx acc32=%08x sacc=%lld\n", (unsigned long long)acc, acc32,
           (long long)sacc);
    return 0;
}
