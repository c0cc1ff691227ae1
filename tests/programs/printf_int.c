// printf integer conversions %d %i %u %o %x %X with flags (- + space # 0), widths, precisions, `*`, and length modifiers hh h l ll z j t.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
    static const int vals[] = {0, 1, -1, 42, -42, 255, 65535, 2147483647, -2147483647 - 1};
    static const char *fmts[] = {
        "[%d]", "[%i]", "[%5d]", "[%-5d]", "[%05d]", "[%+d]", "[% d]", "[%+05d]", "[%.3d]",
        "[%8.3d]", "[%-8.3d]", "[%.0d]", "[%u]", "[%o]", "[%#o]", "[%x]", "[%#x]", "[%X]",
        "[%#X]", "[%#010x]", "[%-#10o]", "[%.0x]", "[%#.0o]", "[%+ d]",
    };
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        printf("%-10s", fmts[f]);
        for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++)
            printf(fmts[f], vals[v]);
        printf("\n");
    }
    /* `*` width and precision, negative `*` width means left-justify, negative precision is ignored. */
    printf("[%*d] [%-*d] [%*d] [%.*d] [%.*d] [%*.*x]\n", 6, 12, 6, 12, -6, 12, 4, 7, -1, 7, 8, 5, 0xab);
    /* length modifiers */
    printf("hh: [%hhd] [%hhu] [%hhx] [%hhi]\n", (signed char)-5, (unsigned char)250, (unsigned char)0xfe, 300);
    printf("h:  [%hd] [%hu] [%hx] [%ho]\n", (short)-1234, (unsigned short)60000, (unsigned short)0xbeef, 70000);
    printf("l:  [%ld] [%lu] [%lx] [%lo]\n", -9000000000L, 18000000000UL, 0xdeadbeefcafeUL, 01234567012345UL);
    printf("ll: [%lld] [%llu] [%llX] [%lli]\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
           0x0123456789abcdefULL, 1234567890123456789LL);
    printf("z:  [%zu] [%zd] [%zx]\n", (size_t)-1, (ptrdiff_t)-77, sizeof(long double));
    printf("j:  [%jd] [%ju] [%jx]\n", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX, (uintmax_t)0xfeedface);
    printf("t:  [%td] [%tx] [%tu]\n", (ptrdiff_t)-123456789012, (ptrdiff_t)4096, (ptrdiff_t)99);
    printf("mixed: [%3hhd|%-6hd|%+lld|%#llo|%020lld]\n", (char)7, (short)-3, 5LL, 8LL, -1LL);
    /* return values */
    int n = printf("%d%s%x\n", 123, "abc", 0xfff);
    printf("printf returned %d\n", n);
    char small[8];
    n = snprintf(small, sizeof small, "%d-%d-%d", 111111, 222222, 333333);
    printf("snprintf returned %d, buffer [%s]\n", n, small);
    n = snprintf(NULL, 0, "%lld", -9223372036854775807LL);
    printf("snprintf(NULL, 0) returned %d\n", n);
    return 0;
}
