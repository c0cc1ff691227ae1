// RISC-V integer division edge cases through inline asm: div/divu/rem/remu and divw/divuw/remw/remuw with x/0 and INT_MIN/-1 (the ISA defines them; no trap), plus mulh/mulhu/mulhsu.
#include <stdint.h>
#include <stdio.h>

#define OP(insn)                                                                         \
    static int64_t op_##insn(int64_t a, int64_t b) {                                     \
        int64_t r;                                                                       \
        __asm__ volatile(#insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));                \
        return r;                                                                        \
    }
OP(div) OP(divu) OP(rem) OP(remu) OP(divw) OP(divuw) OP(remw) OP(remuw) OP(mulh) OP(mulhu) OP(mulhsu) OP(mulw) OP(mul)

static const struct { const char *name; int64_t (*f)(int64_t, int64_t); } ops[] = {
    {"div", op_div}, {"divu", op_divu}, {"rem", op_rem}, {"remu", op_remu}, {"divw", op_divw}, {"divuw", op_divuw},
    {"remw", op_remw}, {"remuw", op_remuw}, {"mulh", op_mulh}, {"mulhu", op_mulhu}, {"mulhsu", op_mulhsu},
    {"mulw", op_mulw}, {"mul", op_mul},
};

static volatile int64_t vals[] = {0, 1, -1, 7, -7, 2, INT64_MIN, INT64_MAX, INT32_MIN, INT32_MAX, (int64_t)0xffffffff80000000ull,
                                  0x100000000LL, 0x1234567887654321LL, (int64_t)0x80000000ull};

int main(void) {
    int n = sizeof vals / sizeof vals[0];
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        uint64_t h = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                h = h * 1000003u ^ (uint64_t)ops[o].f(vals[i], vals[j]);
        printf("%-7s hash %016llx\n", ops[o].name, (unsigned long long)h);
    }
    /* the interesting cases, spelled out */
    static const int64_t cases[][2] = {{7, 0}, {-7, 0}, {0, 0}, {INT64_MIN, -1}, {INT32_MIN, -1}, {INT64_MIN, 0},
                                       {-7, 2}, {7, -2}, {0x100000005LL, 0x100000000LL}};
    for (int c = 0; c < 9; c++) {
        int64_t a = cases[c][0], b = cases[c][1];
        printf("a=%lld b=%lld:", (long long)a, (long long)b);
        for (int o = 0; o < 8; o++) printf(" %s=%lld", ops[o].name, (long long)ops[o].f(a, b));
        printf("\n");
    }
    /* and C division with nonzero divisors only (well-defined), volatile so it is not folded */
    volatile int ia = -17, ib = 5;
    volatile unsigned ua = 4000000000u, ub = 7;
    volatile long la = -9000000000000000000L, lb = -1000000007L;
    printf("C: %d %d %u %u %ld %ld\n", ia / ib, ia % ib, ua / ub, ua % ub, la / lb, la % lb);
    return 0;
}
