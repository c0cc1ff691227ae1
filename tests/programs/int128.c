// __int128 and unsigned __int128: add/sub/mul/div/mod/shifts/compares, overflow wrap, conversions to and from double, printed with its own decimal and hex routines.
#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static void put_u(u128 v) {
    char buf[48];
    int i = 47;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    fputs(buf + i, stdout);
}

static void put_i(i128 v) {
    if (v < 0) { putchar('-'); put_u(-(u128)v); } else put_u((u128)v);
}

static void put_hex(u128 v) {
    printf("%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
}

static void line(const char *what, i128 v) {
    printf("%-12s", what);
    put_i(v);
    printf(" 0x");
    put_hex((u128)v);
    printf("\n");
}

static volatile unsigned long long lo1 = 0xfedcba9876543210ULL, hi1 = 0x0123456789abcdefULL;
static volatile unsigned long long lo2 = 0x1111111111111111ULL, hi2 = 0x3ULL;
static volatile int sh = 67;

int main(void) {
    u128 x = ((u128)hi1 << 64) | lo1;
    u128 y = ((u128)hi2 << 64) | lo2;
    i128 sx = (i128)x, sy = -(i128)y;
    line("x", (i128)x);
    line("y", (i128)y);
    line("x+y", (i128)(x + y));
    line("x-y", (i128)(x - y));
    line("y-x", (i128)(y - x));
    line("x*y", (i128)(x * y));
    line("x/y", (i128)(x / y));
    line("x%y", (i128)(x % y));
    line("x/7", (i128)(x / 7));
    line("x%1000003", (i128)(x % 1000003));
    line("sx/sy", sx / sy);
    line("sx%sy", sx % sy);
    line("-sx/7", -sx / 7);
    line("-sx%7", -sx % 7);
    line("x<<sh", (i128)(x << sh));
    line("x>>sh", (i128)(x >> sh));
    line("sy>>sh", sy >> sh);
    line("~x", (i128)~x);
    u128 maxu = ~(u128)0;
    i128 maxi = (i128)(maxu >> 1), mini = -maxi - 1;
    line("maxu", (i128)maxu);
    printf("maxu dec    "); put_u(maxu); printf("\n");
    line("maxi", maxi);
    line("mini", mini);
    line("maxu+1", (i128)(maxu + 1));
    line("maxi*3", (i128)((u128)maxi * 3));
    printf("compares: %d %d %d %d %d\n", x > y, sx < sy, mini < maxi, (u128)mini > (u128)maxi, sy < 0);
    /* 64x64 -> 128 products, as used for hashing/multiword math */
    unsigned long long acc = 0;
    u128 p = 1;
    for (int i = 0; i < 1000; i++) {
        u128 m = (u128)(lo1 + (unsigned long long)i) * (hi1 ^ (unsigned long long)i);
        acc ^= (unsigned long long)(m >> 64) + (unsigned long long)m;
        p = p * 3 + (u128)i;
    }
    printf("mul acc %016llx\n", acc);
    line("p", (i128)p);
    /* factorial of 33 fits in u128 */
    u128 f = 1;
    for (int i = 2; i <= 33; i++) f *= (u128)i;
    printf("33! = "); put_u(f); printf("\n");
    /* conversions with floating point */
    volatile double dd = 1.2345678901234567e30;
    u128 fromd = (u128)dd;
    printf("from double "); put_u(fromd); printf("\n");
    printf("to double %a %a\n", (double)x, (double)sy);
    printf("to float %a\n", (double)(float)maxu);
    return 0;
}
