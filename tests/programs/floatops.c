// cflags: -lm
// Floating point, bit for bit: arithmetic, fused multiply-add, square root,
// min/max with NaNs and signed zeros, conversions that saturate or see NaN,
// NaN canonicalisation, float<->double, classification and printf of both.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile double dv[] = {0.0, -0.0, 1.0, -1.5, 3.141592653589793, 1e308, -1e-310, INFINITY, -INFINITY, NAN, 2.5, -2.5, 4294967296.5, -9.3e18, 9.3e18};
static volatile float fv[] = {0.0f, -0.0f, 1.0f, -1.5f, 3.1415927f, 3e38f, -1e-40f, INFINITY, -INFINITY, NAN, 2.5f, -2.5f, 16777217.0f};

static uint64_t bits_d(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t bits_f(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

int main(void) {
    uint64_t h = 1469598103934665603ULL;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ULL)
    int nd = sizeof dv / sizeof dv[0], nf = sizeof fv / sizeof fv[0];
    for (int i = 0; i < nd; i++) {
        double a = dv[i];
        MIX(bits_d(sqrt(a)));
        MIX((int64_t)(a > -9e18 && a < 9e18 ? (int64_t)a : 0));
        MIX(isnan(a));
        MIX(fpclassify(a));
        MIX(bits_f((float)a));
        MIX(bits_d(floor(a)));
        MIX(bits_d(ceil(a)));
        MIX(bits_d(trunc(a)));
        MIX(bits_d(round(a)));
        MIX(lrint(a > -9e18 && a < 9e18 ? a : 0.0));
        for (int j = 0; j < nd; j++) {
            double b = dv[j];
            MIX(bits_d(a + b));
            MIX(bits_d(a - b));
            MIX(bits_d(a * b));
            MIX(bits_d(a / b));
            MIX(bits_d(fma(a, b, 1.25)));
            MIX(bits_d(fmin(a, b)));
            MIX(bits_d(fmax(a, b)));
            MIX(bits_d(copysign(a, b)));
            MIX(a < b);
            MIX(a <= b);
            MIX(a == b);
        }
    }
    for (int i = 0; i < nf; i++) {
        float a = fv[i];
        MIX(bits_f(sqrtf(a)));
        MIX(bits_d((double)a));
        MIX((int32_t)(a > -2e9f && a < 2e9f ? (int32_t)a : 0));
        MIX((uint32_t)(a >= 0 && a < 4e9f ? (uint32_t)a : 0));
        for (int j = 0; j < nf; j++) {
            float b = fv[j];
            MIX(bits_f(a + b));
            MIX(bits_f(a * b));
            MIX(bits_f(a / b));
            MIX(bits_f(fmaf(a, b, -0.75f)));
            MIX(bits_f(fminf(a, b)));
            MIX(bits_f(fmaxf(a, b)));
            MIX(a < b);
        }
    }
    printf("hash %016llx\n", (unsigned long long)h);
    printf("%.17g %.9g %a %e\n", dv[4] * dv[10], fv[4] / fv[3], dv[4], exp(dv[2]) + sin(dv[4]) + pow(dv[10], 0.5) + log(dv[12]));
    return 0;
}
