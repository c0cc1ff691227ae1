// Integer semantics edge cases: division by zero and overflow (RISC-V
// defines their results), shifts by large amounts, 32-bit (W) operations and
// their sign extension, high multiplies, and 128-bit integers.
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v64[] = {0, 1, -1, 7, -7, INT64_MIN, INT64_MAX, 0x123456789abcdefLL};
static volatile int32_t v32[] = {0, 1, -1, 7, -7, INT32_MIN, INT32_MAX, 0x12345678};
static volatile int shifts[] = {0, 1, 31, 32, 63};

int main(void) {
    uint64_t h = 1469598103934665603ULL;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
            int64_t a = v64[i], b = v64[j];
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                MIX(a / b);
                MIX(a % b);
                MIX((uint64_t)a / (uint64_t)b);
                MIX((uint64_t)a % (uint64_t)b);
            }
            int32_t c = v32[i], d = v32[j];
            if (d != 0 && !(c == INT32_MIN && d == -1)) {
                MIX(c / d);
                MIX(c % d);
                MIX((uint32_t)c / (uint32_t)d);
            }
            MIX(a * b);
            MIX((int32_t)(c * d));
            MIX((uint64_t)(((__int128)a * b) >> 64));
            MIX((uint64_t)(((unsigned __int128)(uint64_t)a * (uint64_t)b) >> 64));
            MIX(a < b);
            MIX((uint64_t)a < (uint64_t)b);
            MIX(c + d);
            MIX(c - d);
        }
        for (int s = 0; s < 5; s++) {
            int sh = shifts[s];
            MIX((uint64_t)v64[i] << sh);
            MIX((uint64_t)v64[i] >> sh);
            MIX(v64[i] >> sh);
            if (sh < 32) {
                MIX((int32_t)((uint32_t)v32[i] << sh));
                MIX((uint32_t)v32[i] >> sh);
                MIX(v32[i] >> sh);
            }
        }
    }
    unsigned __int128 big = (unsigned __int128)v64[7] * v64[6] + v64[3];
    printf("hash %016llx\n", (unsigned long long)h);
    printf("int128 %016llx%016llx\n", (unsigned long long)(big >> 64), (unsigned long long)big);
    printf("min/-1 via asm-visible path: %lld\n", (long long)(v64[5] / (v64[2] + 0 * v64[0] ? v64[2] : 1)));
    return 0;
}
