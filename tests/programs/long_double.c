// long double (IEEE binary128, software on riscv64): arithmetic, comparisons, conversions to and from integers/double/float, printf %La %Lf %Le %Lg, strtold, and libm's l-suffixed functions.
// cflags: -lm
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile long double a = 1.0L, b = 3.0L, c = 0x1.123456789abcdef0123456789abcp+100L, d = -2.5L;

static void bits(const char *what, long double x) {
    unsigned char p[16];
    memcpy(p, &x, 16);
    printf("%-10s", what);
    for (int i = 15; i >= 0; i--) printf("%02x", p[i]);
    printf("  %La\n", x);
}

int main(void) {
    printf("sizeof(long double)=%zu LDBL_MANT_DIG-ish digits: %d\n", sizeof(long double), (int)(sizeof(long double) * 8));
    bits("a/b", a / b);
    bits("a+b", a + b);
    bits("c*c", c * c);
    bits("c-a", c - a);
    bits("d/b", d / b);
    bits("c/b", c / b);
    bits("sqrtl 2", sqrtl(2.0L));
    bits("1e4000", strtold("1e4000", NULL));
    bits("min sub", strtold("6.4751751194380251109244389582276465525e-4966", NULL));
    bits("huge*huge", strtold("1e4000", NULL) * strtold("1e4000", NULL));
    bits("0/0", (a - a) / (b - b));
    bits("fmal", fmal(a / b, b, -a));
    printf("cmp: %d %d %d %d\n", a < b, c > b, d <= d, (a / b) * b == a);
    long double third = a / b;
    printf("Lf %Lf | %.30Lf\n", third, third);
    printf("Le %Le | %.33Le\n", c, c);
    printf("Lg %Lg | %.20Lg | %LG\n", c, d, strtold("1e-4000", NULL));
    printf("La %La %LA\n", third, d);
    /* conversions */
    volatile long double big = 0x1.fffffffffffffffep+62L;
    printf("to long %ld to ulong %lu to int %d to double %a to float %a\n", (long)big, (unsigned long)(big * 2 - 1),
           (int)d, (double)third, (double)(float)third);
    volatile long lv = -9007199254740993L;
    volatile unsigned long ulv = 18446744073709551615UL;
    volatile double dv = 0.1;
    printf("from long %La from ulong %La from double %La from float %La\n", (long double)lv, (long double)ulv,
           (long double)dv, (long double)(float)dv);
    /* a small series: sum of 1/k^2 to many digits */
    long double s = 0;
    for (int k = 1; k <= 2000; k++) s += 1.0L / ((long double)k * k);
    printf("zeta(2) partial %.33Lf\n", s);
    printf("expl %La logl %La sinl %La powl %La\n", expl(1.0L), logl(10.0L), sinl(1.0L), powl(2.0L, 0.5L));
    printf("floorl %Lf ceill %Lf roundl %Lf truncl %Lf fmodl %Lf\n", floorl(d), ceill(d), roundl(d), truncl(d), fmodl(c, 7.0L));
    return 0;
}
