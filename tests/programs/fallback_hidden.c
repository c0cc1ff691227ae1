// Code that discovery cannot find: functions reached only through pointers computed at run
// time (each stored plus an offset, so no data word and no instruction forms its address),
// in a file built without unwind tables (no FDE names them). elfconv2 has no translated code
// for them, and the syscall layer interprets them (syscalls/src/runtime/fallback.rs): they
// call translated libc functions and each other, branch through a jump table, make a system
// call directly, use atomics, and compute in floating point under every rounding mode, with
// the accrued exception flags read back by translated code.
// cflags: -fno-asynchronous-unwind-tables -fno-unwind-tables -lm
// interpreted: yes
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// Far beyond the image, so that `p + HIDE` is no code address.
#define HIDE 0x40000000u
static volatile uintptr_t hide = HIDE;

static long checksum;

__attribute__((noinline)) static long hidden_mix(long n) {
    unsigned long h = 0xcbf29ce484222325ul;
    for (long i = 0; i < n; i++) {
        h ^= (unsigned long)i * 0x9e3779b97f4a7c15ul;
        h = (h << 13) | (h >> 51);
        h += (unsigned long)(i % 7) * (h / 3 + 1);
        switch ((h >> 7) % 9) {
        case 0: h += 11; break;
        case 1: h ^= 0x5555; break;
        case 2: h -= i; break;
        case 3: h *= 3; break;
        case 4: h >>= 1; break;
        case 5: h = ~h; break;
        case 6: h += (long)(int)h / -5; break;
        case 7: h ^= h >> 17; break;
        default: h += 1; break;
        }
    }
    return (long)h;
}

__attribute__((noinline)) static double hidden_float(double x, float y) {
    double acc = 0;
    for (int i = 1; i <= 20; i++) {
        acc += x / i + sqrt(x * i) - (double)(y * (float)i);
        acc = acc * 1.0000001 + 1e-9; // a fused multiply-add under gcc's default contraction
        y = y / 3.0f + (float)i;
    }
    long truncated = (long)(acc * 1000.0);
    return acc + (double)truncated * 1e-12 + fmin(x, acc) - fmax(y, -1.0f);
}

__attribute__((noinline)) static long hidden_syscall_write(const char *s, long n) {
    register long a0 __asm__("a0") = 1;
    register long a1 __asm__("a1") = (long)s;
    register long a2 __asm__("a2") = n;
    register long a7 __asm__("a7") = 64; // write
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

__attribute__((noinline)) static int hidden_main(int rounds) {
    static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
    static const char *names[] = {"nearest", "towardzero", "downward", "upward"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        double r = hidden_float(2.0 + m, 1.5f);
        int inexact = fetestexcept(FE_INEXACT) != 0;
        float third = 1.0f / (float)(3 + m);
        printf("%-10s %a %a inexact=%d\n", names[m], r, third, inexact);
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double zero = 0.0;
    double q = 1.0 / zero;
    printf("1/0 = %f, divbyzero=%d\n", q, fetestexcept(FE_DIVBYZERO) != 0);

    long total = 0;
    for (int i = 0; i < rounds; i++) {
        total += hidden_mix(100 + i);
        __atomic_fetch_add(&checksum, total & 0xff, __ATOMIC_SEQ_CST);
        long expected = checksum;
        __atomic_compare_exchange_n(&checksum, &expected, expected ^ 1, 0, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
    }
    char line[64];
    int n = snprintf(line, sizeof line, "mix %lx checksum %lx\n", (unsigned long)total,
                     (unsigned long)checksum);
    return hidden_syscall_write(line, n) == n ? 0 : 1;
}

// The pointers, each stored with the offset added (the linker adds it: a relocation with an
// addend), so the data holds no code address.
static const uintptr_t hidden_main_plus = (uintptr_t)&hidden_main + HIDE;

int main(void) {
    int (*entry)(int) = (int (*)(int))(hidden_main_plus - hide);
    printf("calling a function discovery cannot see\n");
    int status = entry(5);
    printf("back in translated code: status %d, strlen %zu\n", status, strlen("four"));
    return status;
}
