// libm transcendental functions, bit for bit (%a): sin cos tan exp log pow sqrt cbrt fma hypot atan2 and a few more, at ordinary and edge inputs.
// cflags: -lm
#include <math.h>
#include <stdio.h>

static volatile double in[] = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.141592653589793, -2.718281828459045, 10.0, 100.5,
                               1e-300, 1e300, 710.0, -745.5, INFINITY, -INFINITY, NAN, 0x1p-1074, 1e22};

int main(void) {
    int n = sizeof in / sizeof in[0];
    for (int i = 0; i < n; i++) {
        double x = in[i];
        printf("x=%a\n", x);
        printf("  sin %a cos %a tan %a\n", sin(x), cos(x), tan(x));
        printf("  exp %a expm1 %a exp2 %a\n", exp(x), expm1(x), exp2(x));
        printf("  log %a log2 %a log10 %a log1p %a\n", log(x), log2(x), log10(x), log1p(x));
        printf("  sqrt %a cbrt %a asin %a atan %a sinh %a tanh %a\n", sqrt(x), cbrt(x), asin(x), atan(x), sinh(x), tanh(x));
        printf("  sqrtf %a sinf %a expf %a logf %a\n", (double)sqrtf((float)x), (double)sinf((float)x),
               (double)expf((float)x), (double)logf((float)x));
    }
    for (int i = 0; i < n; i += 2)
        for (int j = 1; j < n; j += 3) {
            double x = in[i], y = in[j];
            printf("x=%a y=%a pow %a hypot %a atan2 %a fma(x,y,1) %a fmaf %a\n", x, y, pow(x, y), hypot(x, y),
                   atan2(x, y), fma(x, y, 1.0), (double)fmaf((float)x, (float)y, -1.0f));
        }
    /* fma must round once: (1+2^-52)*(1-2^-52) - 1 = -2^-104 exactly */
    volatile double a = 1.0 + 0x1p-52, b = 1.0 - 0x1p-52;
    volatile double prod = a * b; /* rounded on its own, not contracted into an fma */
    printf("fma single rounding %a, mul-then-add %a\n", fma(a, b, -1.0), prod - 1.0);
    printf("pow specials %a %a %a %a %a\n", pow(-8.0, 1.0 / 3.0), pow(-2.0, 3.0), pow(0.0, -1.0), pow(1.0, NAN), pow(-1.0, INFINITY));
    double sum = 0;
    for (int k = 1; k <= 2000; k++)
        sum += sin(k * 0.001) * log(k) + sqrt((double)k);
    printf("sum %a\n", sum);
    return 0;
}
