// RV64IM edge cases, each instruction written in inline assembly so the
// compiler cannot fold or avoid it: register shift amounts >= 64 (and >= 32
// for the W forms) use only their low 6 (5) bits; W operations sign-extend
// bit 31 of their result; high multiplies with negative operands; division
// and remainder by zero and of INT_MIN by -1 (defined results, no trap).
// Every result is printed in hex.
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static volatile uint64_t vals[] = {
    0, 1, 2, UINT64_MAX, (uint64_t)-2, 7, (uint64_t)-7, 0x8000000000000000, 0x7fffffffffffffff,
    0x80000000, 0x7fffffff, 0xffffffff, 0xffffffff80000000, 0x100000000, 0x0123456789abcdef,
    31, 32, 63, 64, 65, 0x8000000000000020,
};
#define N_VALS (sizeof vals / sizeof vals[0])

typedef uint64_t (*binary_fn)(uint64_t, uint64_t);
typedef uint64_t (*unary_fn)(uint64_t);

#define BINARY(id)                                                                     \
    static uint64_t f_##id(uint64_t a, uint64_t b) {                                   \
        uint64_t r;                                                                    \
        __asm__ volatile(#id " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));                \
        return r;                                                                      \
    }
/// An immediate form with the immediate k, as function f_id_tag.
#define IMM(id, tag, k)                                                                \
    static uint64_t f_##id##_##tag(uint64_t a) {                                       \
        uint64_t r;                                                                    \
        __asm__ volatile(#id " %0, %1, " #k : "=r"(r) : "r"(a));                       \
        return r;                                                                      \
    }

BINARY(add) BINARY(sub) BINARY(sll) BINARY(srl) BINARY(sra) BINARY(slt) BINARY(sltu)
BINARY(addw) BINARY(subw) BINARY(sllw) BINARY(srlw) BINARY(sraw)
BINARY(mul) BINARY(mulh) BINARY(mulhu) BINARY(mulhsu) BINARY(mulw)
BINARY(div) BINARY(divu) BINARY(rem) BINARY(remu)
BINARY(divw) BINARY(divuw) BINARY(remw) BINARY(remuw)

IMM(slli, 0, 0) IMM(slli, 1, 1) IMM(slli, 31, 31) IMM(slli, 32, 32) IMM(slli, 63, 63)
IMM(srli, 0, 0) IMM(srli, 1, 1) IMM(srli, 31, 31) IMM(srli, 32, 32) IMM(srli, 63, 63)
IMM(srai, 0, 0) IMM(srai, 1, 1) IMM(srai, 31, 31) IMM(srai, 32, 32) IMM(srai, 63, 63)
IMM(slliw, 0, 0) IMM(slliw, 1, 1) IMM(slliw, 31, 31)
IMM(srliw, 0, 0) IMM(srliw, 1, 1) IMM(srliw, 31, 31)
IMM(sraiw, 0, 0) IMM(sraiw, 1, 1) IMM(sraiw, 31, 31)
IMM(addiw, 0, 0) IMM(addiw, 1, 1) IMM(addiw, m1, -1) IMM(addiw, 2047, 2047) IMM(addiw, m2048, -2048)
IMM(sltiu, 1, 1) IMM(sltiu, m1, -1) IMM(slti, 0, 0) IMM(slti, m2048, -2048)

#define B(id) {#id, f_##id},
static const struct {
    const char *name;
    binary_fn f;
} binaries[] = {
    B(add) B(sub) B(sll) B(srl) B(sra) B(slt) B(sltu)
    B(addw) B(subw) B(sllw) B(srlw) B(sraw)
    B(mul) B(mulh) B(mulhu) B(mulhsu) B(mulw)
    B(div) B(divu) B(rem) B(remu)
    B(divw) B(divuw) B(remw) B(remuw)
};

#define I(id, tag, k) {#id " " #k, f_##id##_##tag},
static const struct {
    const char *name;
    unary_fn f;
} immediates[] = {
    I(slli, 0, 0) I(slli, 1, 1) I(slli, 31, 31) I(slli, 32, 32) I(slli, 63, 63)
    I(srli, 0, 0) I(srli, 1, 1) I(srli, 31, 31) I(srli, 32, 32) I(srli, 63, 63)
    I(srai, 0, 0) I(srai, 1, 1) I(srai, 31, 31) I(srai, 32, 32) I(srai, 63, 63)
    I(slliw, 0, 0) I(slliw, 1, 1) I(slliw, 31, 31)
    I(srliw, 0, 0) I(srliw, 1, 1) I(srliw, 31, 31)
    I(sraiw, 0, 0) I(sraiw, 1, 1) I(sraiw, 31, 31)
    I(addiw, 0, 0) I(addiw, 1, 1) I(addiw, m1, -1) I(addiw, 2047, 2047) I(addiw, m2048, -2048)
    I(sltiu, 1, 1) I(sltiu, m1, -1) I(slti, 0, 0) I(slti, m2048, -2048)
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/// Division by the zero register, and results written over an operand.
static void special_registers(uint64_t a, uint64_t b) {
    uint64_t r[8];
    __asm__ volatile("div %0, %1, zero" : "=r"(r[0]) : "r"(a));
    __asm__ volatile("remu %0, %1, zero" : "=r"(r[1]) : "r"(a));
    __asm__ volatile("divw %0, %1, zero" : "=r"(r[2]) : "r"(a));
    __asm__ volatile("remw %0, %1, zero" : "=r"(r[3]) : "r"(a));
    __asm__ volatile("sraw %0, %1, zero" : "=r"(r[4]) : "r"(a)); /* sext.w */
    r[5] = a;
    __asm__ volatile("sll %0, %0, %1" : "+r"(r[5]) : "r"(b));
    r[6] = b;
    __asm__ volatile("mulhsu %0, %1, %0" : "+r"(r[6]) : "r"(a));
    r[7] = a;
    __asm__ volatile("subw %0, zero, %0\n\tsrlw %0, %0, %0" : "+r"(r[7]));
    printf("special %016" PRIx64 " %016" PRIx64 ":", a, b);
    for (unsigned i = 0; i < COUNT(r); i++)
        printf(" %" PRIx64, r[i]);
    printf("\n");
}

int main(void) {
    for (unsigned k = 0; k < COUNT(binaries); k++)
        for (unsigned i = 0; i < N_VALS; i++)
            for (unsigned j = 0; j < N_VALS; j++)
                printf("%s %016" PRIx64 " %016" PRIx64 " = %016" PRIx64 "\n", binaries[k].name,
                       vals[i], vals[j], binaries[k].f(vals[i], vals[j]));
    for (unsigned k = 0; k < COUNT(immediates); k++)
        for (unsigned i = 0; i < N_VALS; i++)
            printf("%s %016" PRIx64 " = %016" PRIx64 "\n", immediates[k].name, vals[i],
                   immediates[k].f(vals[i]));
    for (unsigned i = 0; i < N_VALS; i += 2)
        special_registers(vals[i], vals[N_VALS - 1 - i]);
    return 0;
}
