// libm rounding and remainders, bit for bit (%a): floor ceil round trunc rint nearbyint lrint llrint lround llround fmod remainder remquo modf frexp ldexp, double and float.
// cflags: -lm
#include <math.h>
#include <stdio.h>

static volatile double in[] = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, 2.4999999, -3.7,
                               4503599627370495.5, 4503599627370497.0, 1e300, -1e-300, 123.456, INFINITY, NAN, 9.3e18};

int main(void) {
    int n = sizeof in / sizeof in[0];
    for (int i = 0; i < n; i++) {
        double x = in[i];
        printf("x=%a: floor %a ceil %a round %a trunc %a rint %a nearbyint %a roundeven-free\n", x, floor(x), ceil(x),
               round(x), trunc(x), rint(x), nearbyint(x));
        float f = (float)x;
        printf("  float: floorf %a ceilf %a roundf %a truncf %a rintf %a\n", (double)floorf(f), (double)ceilf(f),
               (double)roundf(f), (double)truncf(f), (double)rintf(f));
        if (isfinite(x) && fabs(x) < 9e18) {
            printf("  lrint %ld llrint %lld lround %ld llround %lld lrintf %ld\n", lrint(x), llrint(x), lround(x), llround(x), lrintf(f));
        }
        double ip;
        double fr = modf(x, &ip);
        int ex;
        double mant = frexp(x, &ex);
        printf("  modf %a + %a frexp %a * 2^%d ldexp(x,-3) %a ilogb %d logb %a\n", ip, fr, mant, isfinite(x) ? ex : 0,
               ldexp(x, -3), isfinite(x) && x != 0 ? ilogb(x) : 0, logb(x));
    }
    static volatile double num[] = {10.0, -10.0, 5.5, -7.25, 1e18, 0x1p-1000, 3.0, INFINITY, 0.0};
    static volatile double den[] = {3.0, -3.0, 0.5, 2.0, 0.1, 0x1p-1060, 0.0, 1.0, -2.0};
    for (int i = 0; i < 9; i++)
        for (int j = 0; j < 9; j += 2) {
            int q = 0;
            double rq = remquo(num[i], den[j], &q);
            printf("%a %a: fmod %a remainder %a remquo %a q&7 %d fmodf %a\n", num[i], den[j], fmod(num[i], den[j]),
                   remainder(num[i], den[j]), rq, isnan(rq) ? 0 : q & 7, (double)fmodf((float)num[i], (float)den[j]));
        }
    printf("copysign %a %a nextafter %a %a fdim %a fmax %a fmin %a\n", copysign(3.0, -0.0), copysign(-2.0, 1.0),
           nextafter(1.0, 2.0), nextafter(0.0, -1.0), fdim(2.0, 5.0), fmax(NAN, 1.0), fmin(-0.0, 0.0));
    return 0;
}
