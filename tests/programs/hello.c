// printf with strings, integers and a few formats; one line to stderr.
#include <stdio.h>

int main(void) {
    puts("Hello, world!");
    printf("%s|%10s|%-10s|%.3s\n", "str", "right", "left", "truncated");
    printf("%d %i %u %d\n", 42, -17, 4000000000u, 0);
    printf("%x %X %#x %o %#o\n", 0xbeef, 0xcafe, 255, 8, 8);
    printf("%ld %lld %llu\n", -1234567890123L, 9223372036854775807LL,
           18446744073709551615ULL);
    printf("[%5d] [%-5d] [%05d] [%+d]\n", 42, 42, 42, 42);
    printf("%c%c%c %%\n", 'a', 'b', 'c');
    printf("%.2f %e %g\n", 3.14159, 12345.678, 0.0001);
    fprintf(stderr, "a line on stderr\n");
    return 0;
}
