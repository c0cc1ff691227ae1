// Every F/D operation class under every rounding mode, with the exception flags each raises: add, sub, mul, div, sqrt, fma, float<->double, int<->float, float->int, compares and min/max, in both formats, with the dynamic mode set by fesetround (and RMM by fsrmi) and with each static rm field; edge operands for every flag (exact, inexact, overflow, underflow, invalid, divide by zero, signaling NaNs); several operations between flag reads, with NX already set and not.
// cflags: -lm -frounding-math
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static double d(uint64_t bits) { double x; memcpy(&x, &bits, 8); return x; }
static float f(uint32_t bits) { float x; memcpy(&x, &bits, 4); return x; }
static uint64_t bd(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static uint32_t bf(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }

static void flags(void) {
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf(" %c%c%c%c%c\n", e & FE_INVALID ? 'V' : '-', e & FE_DIVBYZERO ? 'Z' : '-', e & FE_OVERFLOW ? 'O' : '-',
           e & FE_UNDERFLOW ? 'U' : '-', e & FE_INEXACT ? 'X' : '-');
    feclearexcept(FE_ALL_EXCEPT);
}

/* Operands: exact and inexact results, overflow, underflow (tiny after rounding or exact), invalid, 0, inf, NaNs. */
static const uint64_t D[] = {
    0x3ff0000000000000, /* 1 */        0x4008000000000000, /* 3 */      0xbfe0000000000000, /* -0.5 */
    0x7fefffffffffffff, /* max */      0x0010000000000000, /* min normal */ 0x000fffffffffffff, /* max subnormal */
    0x0000000000000001, /* min subnormal */ 0x0000000000000000, /* +0 */ 0x8000000000000000, /* -0 */
    0x7ff0000000000000, /* inf */      0xfff0000000000000, /* -inf */   0x7ff8000000000000, /* qNaN */
    0x7ff4000000000000, /* sNaN */     0x3ca0000000000000, /* 2^-53 */  0x4340000000000001, /* 2^54 + 2 */
    0x3fe5555555555555, /* ~1/3 */
};
static const uint32_t F[] = {
    0x3f800000, 0x40400000, 0xbf000000, 0x7f7fffff, 0x00800000, 0x007fffff, 0x00000001, 0x00000000,
    0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0x33800000, 0x4b800001, 0x3eaaaaab,
};
#define N (int)(sizeof D / sizeof D[0])

static volatile uint64_t sink;

/* The binary operations with the dynamic rounding mode. */
static void binary_dynamic(const char *mode) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double a = d(D[i]), b = d(D[j]), r[4];
            float fa = f(F[i]), fb = f(F[j]), s[4];
            __asm__ volatile("fadd.d %0,%1,%2" : "=f"(r[0]) : "f"(a), "f"(b));
            printf("%s d add %d %d %016llx", mode, i, j, (unsigned long long)bd(r[0])), flags();
            __asm__ volatile("fsub.d %0,%1,%2" : "=f"(r[1]) : "f"(a), "f"(b));
            printf("%s d sub %d %d %016llx", mode, i, j, (unsigned long long)bd(r[1])), flags();
            __asm__ volatile("fmul.d %0,%1,%2" : "=f"(r[2]) : "f"(a), "f"(b));
            printf("%s d mul %d %d %016llx", mode, i, j, (unsigned long long)bd(r[2])), flags();
            __asm__ volatile("fdiv.d %0,%1,%2" : "=f"(r[3]) : "f"(a), "f"(b));
            printf("%s d div %d %d %016llx", mode, i, j, (unsigned long long)bd(r[3])), flags();
            __asm__ volatile("fadd.s %0,%1,%2" : "=f"(s[0]) : "f"(fa), "f"(fb));
            printf("%s s add %d %d %08x", mode, i, j, bf(s[0])), flags();
            __asm__ volatile("fsub.s %0,%1,%2" : "=f"(s[1]) : "f"(fa), "f"(fb));
            printf("%s s sub %d %d %08x", mode, i, j, bf(s[1])), flags();
            __asm__ volatile("fmul.s %0,%1,%2" : "=f"(s[2]) : "f"(fa), "f"(fb));
            printf("%s s mul %d %d %08x", mode, i, j, bf(s[2])), flags();
            __asm__ volatile("fdiv.s %0,%1,%2" : "=f"(s[3]) : "f"(fa), "f"(fb));
            printf("%s s div %d %d %08x", mode, i, j, bf(s[3])), flags();
        }
}

/* Unary and ternary operations and conversions with the dynamic rounding mode. */
static void others_dynamic(const char *mode) {
    for (int i = 0; i < N; i++) {
        double a = d(D[i]), r;
        float fa = f(F[i]), s;
        long l;
        unsigned long lu;
        int w;
        unsigned wu;
        __asm__ volatile("fsqrt.d %0,%1" : "=f"(r) : "f"(a));
        printf("%s d sqrt %d %016llx", mode, i, (unsigned long long)bd(r)), flags();
        __asm__ volatile("fsqrt.s %0,%1" : "=f"(s) : "f"(fa));
        printf("%s s sqrt %d %08x", mode, i, bf(s)), flags();
        __asm__ volatile("fcvt.s.d %0,%1" : "=f"(s) : "f"(a));
        printf("%s cvt.s.d %d %08x", mode, i, bf(s)), flags();
        __asm__ volatile("fcvt.d.s %0,%1" : "=f"(r) : "f"(fa));
        printf("%s cvt.d.s %d %016llx", mode, i, (unsigned long long)bd(r)), flags();
        __asm__ volatile("fcvt.l.d %0,%1" : "=r"(l) : "f"(a));
        printf("%s cvt.l.d %d %ld", mode, i, l), flags();
        __asm__ volatile("fcvt.lu.d %0,%1" : "=r"(lu) : "f"(a));
        printf("%s cvt.lu.d %d %lu", mode, i, lu), flags();
        __asm__ volatile("fcvt.w.d %0,%1" : "=r"(w) : "f"(a));
        printf("%s cvt.w.d %d %d", mode, i, w), flags();
        __asm__ volatile("fcvt.wu.d %0,%1" : "=r"(wu) : "f"(a));
        printf("%s cvt.wu.d %d %u", mode, i, wu), flags();
        __asm__ volatile("fcvt.w.s %0,%1" : "=r"(w) : "f"(fa));
        printf("%s cvt.w.s %d %d", mode, i, w), flags();
        __asm__ volatile("fcvt.lu.s %0,%1" : "=r"(lu) : "f"(fa));
        printf("%s cvt.lu.s %d %lu", mode, i, lu), flags();
        for (int j = 0; j < 4; j++) {
            double b = d(D[(i + 3 * j + 1) % N]), c = d(D[(i * 5 + j) % N]);
            float fb = f(F[(i + 3 * j + 1) % N]), fc = f(F[(i * 5 + j) % N]);
            __asm__ volatile("fmadd.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c));
            printf("%s d fmadd %d %d %016llx", mode, i, j, (unsigned long long)bd(r)), flags();
            __asm__ volatile("fnmsub.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c));
            printf("%s d fnmsub %d %d %016llx", mode, i, j, (unsigned long long)bd(r)), flags();
            __asm__ volatile("fmsub.s %0,%1,%2,%3" : "=f"(s) : "f"(fa), "f"(fb), "f"(fc));
            printf("%s s fmsub %d %d %08x", mode, i, j, bf(s)), flags();
            __asm__ volatile("fnmadd.s %0,%1,%2,%3" : "=f"(s) : "f"(fa), "f"(fb), "f"(fc));
            printf("%s s fnmadd %d %d %08x", mode, i, j, bf(s)), flags();
        }
    }
    static const long ints[] = {0, 1, -1, 16777217, -16777217, 9007199254740993, -9007199254740993,
                                0x7fffffffffffffff, (long)0x8000000000000000, 2147483647, -2147483647 - 1, 123456789};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        long x = ints[i];
        double r;
        float s;
        __asm__ volatile("fcvt.d.l %0,%1" : "=f"(r) : "r"(x));
        printf("%s cvt.d.l %ld %016llx", mode, x, (unsigned long long)bd(r)), flags();
        __asm__ volatile("fcvt.d.lu %0,%1" : "=f"(r) : "r"(x));
        printf("%s cvt.d.lu %ld %016llx", mode, x, (unsigned long long)bd(r)), flags();
        __asm__ volatile("fcvt.s.l %0,%1" : "=f"(s) : "r"(x));
        printf("%s cvt.s.l %ld %08x", mode, x, bf(s)), flags();
        __asm__ volatile("fcvt.s.lu %0,%1" : "=f"(s) : "r"(x));
        printf("%s cvt.s.lu %ld %08x", mode, x, bf(s)), flags();
        __asm__ volatile("fcvt.s.w %0,%1" : "=f"(s) : "r"(x));
        printf("%s cvt.s.w %ld %08x", mode, x, bf(s)), flags();
        __asm__ volatile("fcvt.s.wu %0,%1" : "=f"(s) : "r"(x));
        printf("%s cvt.s.wu %ld %08x", mode, x, bf(s)), flags();
        __asm__ volatile("fcvt.d.w %0,%1" : "=f"(r) : "r"(x));
        printf("%s cvt.d.w %ld %016llx", mode, x, (unsigned long long)bd(r)), flags();
    }
}

/* Compares and min/max (no rounding): quiet and signaling NaNs. */
static void compares(void) {
    for (int i = 0; i < N; i += 3)
        for (int j = 0; j < N; j++) {
            double a = d(D[i]), b = d(D[j]), r;
            float fa = f(F[i]), fb = f(F[j]), s;
            long c;
            __asm__ volatile("feq.d %0,%1,%2" : "=r"(c) : "f"(a), "f"(b));
            printf("feq.d %d %d %ld", i, j, c), flags();
            __asm__ volatile("flt.d %0,%1,%2" : "=r"(c) : "f"(a), "f"(b));
            printf("flt.d %d %d %ld", i, j, c), flags();
            __asm__ volatile("fle.s %0,%1,%2" : "=r"(c) : "f"(fa), "f"(fb));
            printf("fle.s %d %d %ld", i, j, c), flags();
            __asm__ volatile("feq.s %0,%1,%2" : "=r"(c) : "f"(fa), "f"(fb));
            printf("feq.s %d %d %ld", i, j, c), flags();
            __asm__ volatile("fmin.d %0,%1,%2" : "=f"(r) : "f"(a), "f"(b));
            printf("fmin.d %d %d %016llx", i, j, (unsigned long long)bd(r)), flags();
            __asm__ volatile("fmax.s %0,%1,%2" : "=f"(s) : "f"(fa), "f"(fb));
            printf("fmax.s %d %d %08x", i, j, bf(s)), flags();
        }
}

/* Static rounding modes in the instruction (the dynamic mode is RNE here). */
static void static_modes(void) {
    for (int i = 0; i < N; i++) {
        double a = d(D[i]), b = d(D[(i + 1) % N]), r;
        float fa = f(F[i]), fb = f(F[(i + 1) % N]), s;
        long l;
#define STATIC(rm)                                                                                     \
    __asm__ volatile("fadd.d %0,%1,%2," rm : "=f"(r) : "f"(a), "f"(b));                                \
    printf(rm " d add %d %016llx", i, (unsigned long long)bd(r)), flags();                             \
    __asm__ volatile("fdiv.s %0,%1,%2," rm : "=f"(s) : "f"(fa), "f"(fb));                              \
    printf(rm " s div %d %08x", i, bf(s)), flags();                                                    \
    __asm__ volatile("fmul.d %0,%1,%2," rm : "=f"(r) : "f"(a), "f"(b));                                \
    printf(rm " d mul %d %016llx", i, (unsigned long long)bd(r)), flags();                             \
    __asm__ volatile("fsqrt.d %0,%1," rm : "=f"(r) : "f"(a));                                          \
    printf(rm " d sqrt %d %016llx", i, (unsigned long long)bd(r)), flags();                            \
    __asm__ volatile("fcvt.s.d %0,%1," rm : "=f"(s) : "f"(a));                                         \
    printf(rm " cvt.s.d %d %08x", i, bf(s)), flags();                                                  \
    __asm__ volatile("fcvt.l.d %0,%1," rm : "=r"(l) : "f"(a));                                         \
    printf(rm " cvt.l.d %d %ld", i, l), flags();                                                       \
    __asm__ volatile("fcvt.wu.s %0,%1," rm : "=r"(l) : "f"(fa));                                       \
    printf(rm " cvt.wu.s %d %ld", i, l), flags();                                                      \
    __asm__ volatile("fcvt.s.l %0,%1," rm : "=f"(s) : "r"((long)D[i]));                                \
    printf(rm " cvt.s.l %d %08x", i, bf(s)), flags();                                                  \
    __asm__ volatile("fcvt.d.lu %0,%1," rm : "=f"(r) : "r"((long)D[i]));                               \
    printf(rm " cvt.d.lu %d %016llx", i, (unsigned long long)bd(r)), flags();
        STATIC("rne")
        STATIC("rtz")
        STATIC("rdn")
        STATIC("rup")
        STATIC("rmm")
    }
}

/* Several operations between two flag reads, in one straight line: the
   flags must be the union, whether or not NX was set before. */
static void sequences(const char *mode) {
    for (int preset = 0; preset < 2; preset++)
        for (int i = 0; i < N; i++) {
            double a = d(D[i]), b = d(D[(i + 5) % N]), c = d(D[(i + 7) % N]), r1, r2, r3, r4;
            if (preset) feraiseexcept(FE_INEXACT);
            __asm__ volatile("fmul.d %0,%4,%5\n\tfadd.d %1,%0,%6\n\tfdiv.d %2,%1,%5\n\tfsub.d %3,%2,%4"
                             : "=&f"(r1), "=&f"(r2), "=&f"(r3), "=&f"(r4)
                             : "f"(a), "f"(b), "f"(c));
            printf("%s seq%d %d %016llx %016llx %016llx %016llx", mode, preset, i, (unsigned long long)bd(r1),
                   (unsigned long long)bd(r2), (unsigned long long)bd(r3), (unsigned long long)bd(r4)),
                flags();
        }
}

int main(void) {
    static const struct { int mode; const char *name; } modes[] = {
        {FE_TONEAREST, "rne"}, {FE_TOWARDZERO, "rtz"}, {FE_DOWNWARD, "rdn"}, {FE_UPWARD, "rup"},
    };
    feclearexcept(FE_ALL_EXCEPT);
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m].mode);
        binary_dynamic(modes[m].name);
        others_dynamic(modes[m].name);
        sequences(modes[m].name);
    }
    /* Round to nearest, ties to max magnitude: only through frm directly. */
    __asm__ volatile("fsrmi 4");
    binary_dynamic("rmm");
    others_dynamic("rmm");
    sequences("rmm");
    fesetround(FE_TONEAREST);
    compares();
    static_modes();
    return 0;
}
