// Bit-manipulation builtins on 32 and 64 bits: popcount, clz, ctz, ffs, parity, clrsb, bswap16/32/64, rotates written as shifts, bit reversal, sign/zero extension.
#include <stdint.h>
#include <stdio.h>

static inline uint32_t rotl32(uint32_t x, unsigned r) { r &= 31; return (x << r) | (x >> ((32 - r) & 31)); }
static inline uint64_t rotr64(uint64_t x, unsigned r) { r &= 63; return (x >> r) | (x << ((64 - r) & 63)); }

static uint32_t rev32(uint32_t x) {
    uint32_t r = 0;
    for (int i = 0; i < 32; i++) r |= ((x >> i) & 1u) << (31 - i);
    return r;
}

static volatile uint64_t vals[] = {0, 1, 2, 3, 0x80, 0xff, 0x8000, 0x80000000u, 0xffffffffu, 0x100000000ull,
                                   0x8000000000000000ull, 0xffffffffffffffffull, 0x0123456789abcdefull,
                                   0xf0f0f0f00f0f0f0full, 0x5555555555555555ull, 0x7fffffffffffffffull};

int main(void) {
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        uint64_t v = vals[i];
        uint32_t w = (uint32_t)v;
        printf("%016llx: pop %2d/%2d par %d/%d ffs %2d/%2d clrsb %2d/%2d", (unsigned long long)v,
               __builtin_popcountll(v), __builtin_popcount(w), __builtin_parityll(v), __builtin_parity(w),
               __builtin_ffsll((long long)v), __builtin_ffs((int)w), __builtin_clrsbll((long long)v), __builtin_clrsb((int)w));
        if (v) printf(" clz64 %2d ctz64 %2d", __builtin_clzll(v), __builtin_ctzll(v));
        if (w) printf(" clz32 %2d ctz32 %2d", __builtin_clz(w), __builtin_ctz(w));
        printf("\n   bswap64 %016llx bswap32 %08x bswap16 %04x rev32 %08x\n", (unsigned long long)__builtin_bswap64(v),
               __builtin_bswap32(w), __builtin_bswap16((uint16_t)w), rev32(w));
        printf("   rotl32:");
        for (unsigned r = 0; r < 32; r += 7) printf(" %08x", rotl32(w, r));
        printf(" rotr64:");
        for (unsigned r = 0; r < 64; r += 13) printf(" %016llx", (unsigned long long)rotr64(v, r));
        printf("\n   sext8 %lld sext16 %lld sext32 %lld zext32 %llu andn %016llx orn %016llx xnor %016llx\n",
               (long long)(int8_t)v, (long long)(int16_t)v, (long long)(int32_t)v, (unsigned long long)(uint32_t)v,
               (unsigned long long)(v & ~0x0ff0ff0ff0ff0ff0ull), (unsigned long long)(v | ~0x0ff0ff0ff0ff0ff0ull),
               (unsigned long long)~(v ^ 0x1234ull));
    }
    /* shifts by variable amounts, arithmetic vs logical */
    volatile int64_t s = -123456789012345LL;
    volatile int32_t s32 = -1234567;
    for (int sh = 0; sh < 64; sh += 9)
        printf("sh %2d: sra %lld srl %llx sll %llx sra32 %d srl32 %x\n", sh, (long long)(s >> sh),
               (unsigned long long)((uint64_t)s >> sh), (unsigned long long)((uint64_t)s << sh), s32 >> (sh & 31),
               (uint32_t)s32 >> (sh & 31));
    /* min/max/abs branchless patterns */
    volatile long p = -5, q = 7;
    printf("min %ld max %ld abs %ld umin %lu\n", p < q ? p : q, p > q ? p : q, p < 0 ? -p : p,
           (unsigned long)p < (unsigned long)q ? (unsigned long)p : (unsigned long)q);
    return 0;
}
