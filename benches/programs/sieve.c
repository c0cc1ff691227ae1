// Sieve of Eratosthenes over a bit array, repeated; prints the prime count and a checksum.
// Usage: sieve [limit] [repeats]
// quick-args: 2000000 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    uint32_t limit = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 50000000u;
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    size_t words = limit / 64 + 1;
    uint64_t *composite = malloc(words * sizeof *composite);
    if (!composite) return 1;

    uint64_t count = 0, sum = 0, mix = 0;
    for (int r = 0; r < repeats; r++) {
        memset(composite, 0, words * sizeof *composite);
        composite[0] |= 3; /* 0 and 1 */
        for (uint64_t p = 2; p * p <= limit; p++) {
            if (composite[p >> 6] >> (p & 63) & 1) continue;
            for (uint64_t m = p * p; m <= limit; m += p)
                composite[m >> 6] |= (uint64_t)1 << (m & 63);
        }
        count = 0;
        sum = 0;
        for (uint64_t n = 0; n <= limit; n++) {
            if (!(composite[n >> 6] >> (n & 63) & 1)) {
                count++;
                sum += n;
                mix = (mix ^ n) * 0x100000001b3ull;
            }
        }
    }
    printf("primes<=%u: %llu sum=%llu mix=%016llx\n", limit, (unsigned long long)count,
           (unsigned long long)sum, (unsigned long long)mix);
    free(composite);
    return 0;
}
