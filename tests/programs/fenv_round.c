// fenv rounding modes: fesetround/fegetround with each mode, then arithmetic, sqrt, fma, rint/nearbyint/lrint, int<->float conversions and printf under that mode.
// cflags: -lm -frounding-math
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static volatile double one = 1.0, three = 3.0, big = 0x1p53, tiny = 0x1p-1074, two = 2.0;
static volatile float fone = 1.0f, fthree = 3.0f;
static volatile double halves[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.7, -2.7};
static volatile long long ll = 9007199254740993LL; /* 2^53 + 1: not representable */
static volatile double to_int = -7.5;

int main(void) {
    static const struct { int mode; const char *name; } modes[] = {
        {FE_TONEAREST, "nearest"}, {FE_UPWARD, "upward"}, {FE_DOWNWARD, "downward"}, {FE_TOWARDZERO, "towardzero"},
    };
    for (int m = 0; m < 4; m++) {
        int rc = fesetround(modes[m].mode);
        printf("== %s: fesetround=%d fegetround matches=%d\n", modes[m].name, rc, fegetround() == modes[m].mode);
        printf("  1/3=%a -1/3=%a 1/3f=%a big+1=%a tiny/2=%a -tiny/2=%a\n", one / three, -one / three,
               (double)(fone / fthree), big + one, tiny / two, -tiny / two);
        printf("  sqrt(2)=%a sqrt(3)=%a fma=%a 0.1*3=%a\n", sqrt(two), sqrt(three), fma(one / three, three, -one), 0.1 * three);
        printf("  rint/nearbyint/lrint:");
        for (int i = 0; i < 8; i++)
            printf(" %g/%g/%ld", rint(halves[i]), nearbyint(halves[i]), lrint(halves[i]));
        printf("\n");
        printf("  (double)(2^53+1)=%a (float)(2^53+1)=%a (long)-7.5=%ld llrint(-7.5)=%lld\n", (double)ll, (double)(float)ll,
               (long)to_int, llrint(to_int));
        printf("  printf %.3f %.0f %.2e\n", 2.0005, 0.5, 1.005);
        printf("  x-x=%a\n", one - one);
    }
    fesetround(FE_TONEAREST);
    printf("bad mode rc=%d, still nearest=%d\n", fesetround(12345) != 0, fegetround() == FE_TONEAREST);
    return 0;
}
