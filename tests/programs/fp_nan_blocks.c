// NaN canonicalisation across guest blocks, loops and calls: an FP
// arithmetic NaN stored, moved or sign-injected in a later block must be the
// canonical NaN, while a NaN loaded from memory (any payload, signaling or
// negative) must keep its bits wherever the paths join. Each case is one asm
// block, so the branches are the guest's own and not the compiler's.
#include <stdint.h>
#include <stdio.h>

__attribute__((used)) const uint64_t raw_nan_d = 0xfff0000000000123ULL; // negative signaling NaN
static const uint64_t raw_nan_s = 0xffffffffff800045ULL; // boxed negative signaling NaN
static const double inf = __builtin_inf();
static const float inf_f = __builtin_inff();

// Case 1: inf - inf, then a branch, then the store.
static uint64_t after_branch(long flag) {
    uint64_t out;
    __asm__ volatile(
        "fsub.d ft0, %[inf], %[inf]\n"
        "beqz %[flag], 1f\n"
        "addi %[flag], %[flag], 1\n"
        "1:\n"
        "fsd ft0, 0(%[out])\n"
        : [flag] "+r"(flag)
        : [inf] "f"(inf), [out] "r"(&out)
        : "ft0", "memory");
    return out;
}

// Case 2: a loaded NaN on one path, an arithmetic NaN on the other.
static uint64_t join_raw_or_result(long take_raw) {
    uint64_t out;
    __asm__ volatile(
        "beqz %[take], 1f\n"
        "fld ft0, 0(%[raw])\n"
        "j 2f\n"
        "1:\n"
        "fsub.d ft0, %[inf], %[inf]\n"
        "2:\n"
        "fsd ft0, 0(%[out])\n"
        :
        : [take] "r"(take_raw), [raw] "r"(&raw_nan_d), [inf] "f"(inf), [out] "r"(&out)
        : "ft0", "memory");
    return out;
}

// Case 3: a single's NaN on one path, a double's on the other (the pending
// widths differ), observed by fmv.x.d.
static uint64_t join_widths(long single) {
    uint64_t out;
    __asm__ volatile(
        "beqz %[single], 1f\n"
        "fsub.s ft0, %[inf_f], %[inf_f]\n"
        "j 2f\n"
        "1:\n"
        "fsub.d ft0, %[inf], %[inf]\n"
        "2:\n"
        "fmv.x.d %[out], ft0\n"
        : [out] "=r"(out)
        : [single] "r"(single), [inf_f] "f"(inf_f), [inf] "f"(inf)
        : "ft0");
    return out;
}

// Case 4: a loop that keeps adding to a NaN, then sign injection after it.
static uint64_t loop_then_negate(long n) {
    uint64_t out;
    __asm__ volatile(
        "fsub.d ft0, %[inf], %[inf]\n"
        "1:\n"
        "fadd.d ft0, ft0, %[inf]\n"
        "addi %[n], %[n], -1\n"
        "bnez %[n], 1b\n"
        "fneg.d ft1, ft0\n"
        "fmv.x.d %[out], ft1\n"
        : [out] "=r"(out), [n] "+r"(n)
        : [inf] "f"(inf)
        : "ft0", "ft1");
    return out;
}

// Case 5: a single-precision NaN carried round a loop whose body reloads the
// raw NaN on alternate iterations; `last_raw` picks which comes last.
static uint64_t loop_mixed_single(long n, long last_raw) {
    uint64_t out;
    __asm__ volatile(
        "fsub.s ft0, %[inf_f], %[inf_f]\n"
        "1:\n"
        "addi %[n], %[n], -1\n"
        "andi t0, %[n], 1\n"
        "xor t0, t0, %[last_raw]\n"
        "beqz t0, 2f\n"
        "fld ft0, 0(%[raw])\n"
        "j 3f\n"
        "2:\n"
        "fmul.s ft0, ft0, %[inf_f]\n"
        "3:\n"
        "bnez %[n], 1b\n"
        "fsd ft0, 0(%[out])\n"
        : [n] "+r"(n)
        : [last_raw] "r"(last_raw), [inf_f] "f"(inf_f), [raw] "r"(&raw_nan_s), [out] "r"(&out)
        : "t0", "ft0", "memory");
    return out;
}

// Case 6: a pending NaN across a call that leaves ft0 alone, and a call that
// loads a raw NaN into ft0 (ft0 is caller-saved: the callee may write it).
// The callees are asm so that they touch nothing but t1 and ft0.
extern void leave_ft0(void), load_raw_ft0(void);
__asm__(".text\n"
        ".globl leave_ft0\n"
        "leave_ft0:\n"
        "  ret\n"
        ".globl load_raw_ft0\n"
        "load_raw_ft0:\n"
        "  lla t1, raw_nan_d\n"
        "  fld ft0, 0(t1)\n"
        "  ret\n");
static uint64_t across_call(int replace) {
    uint64_t out;
    void (*callee)(void) = replace ? load_raw_ft0 : leave_ft0;
    __asm__ volatile(
        "fsub.d ft0, %[inf], %[inf]\n"
        "jalr %[callee]\n"
        "fsd ft0, 0(%[out])\n"
        :
        : [inf] "f"(inf), [callee] "r"(callee), [out] "r"(&out)
        : "ra", "t1", "ft0", "memory");
    return out;
}

int main(int argc, char **argv) {
    long one = argc, zero = argc - 1; // not constants to the compiler
    printf("after_branch      %016llx %016llx\n", (unsigned long long)after_branch(zero),
           (unsigned long long)after_branch(one));
    printf("join_raw          %016llx\n", (unsigned long long)join_raw_or_result(one));
    printf("join_result       %016llx\n", (unsigned long long)join_raw_or_result(zero));
    printf("join_widths s     %016llx\n", (unsigned long long)join_widths(one));
    printf("join_widths d     %016llx\n", (unsigned long long)join_widths(zero));
    printf("loop_then_negate  %016llx\n", (unsigned long long)loop_then_negate(one + 9));
    printf("loop_mixed result %016llx\n", (unsigned long long)loop_mixed_single(one + 4, zero));
    printf("loop_mixed raw    %016llx\n", (unsigned long long)loop_mixed_single(one + 4, one));
    printf("across_call keep  %016llx\n", (unsigned long long)across_call(0));
    printf("across_call raw   %016llx\n", (unsigned long long)across_call(1));
    return 0;
}
