// fenv exception flags: feclearexcept/fetestexcept after 1/0, 0/0, overflow, underflow, inexact, invalid conversions and sqrt(-1); fegetenv/fesetenv/feholdexcept.
// cflags: -lm -frounding-math
#include <fenv.h>
#include <math.h>
#include <stdio.h>

static volatile double zero = 0.0, one = 1.0, three = 3.0, huge = 1e308, small = 1e-308, ten = 10.0, neg = -1.0, nan_ = NAN;
static volatile float fhuge = 3e38f, fsmall = 1e-38f;
static volatile double out;
static volatile float fout;
static volatile long lout;
static volatile int iout;
static volatile double dbig = 1e20;

static void show(const char *what) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-22s:%s%s%s%s%s%s\n", what, f & FE_DIVBYZERO ? " DIVBYZERO" : "", f & FE_INVALID ? " INVALID" : "",
           f & FE_OVERFLOW ? " OVERFLOW" : "", f & FE_UNDERFLOW ? " UNDERFLOW" : "", f & FE_INEXACT ? " INEXACT" : "",
           f == 0 ? " none" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
    feclearexcept(FE_ALL_EXCEPT);
    show("start");
    out = one + one;
    show("1+1");
    out = one / zero;
    show("1/0");
    out = zero / zero;
    show("0/0");
    out = huge * ten;
    show("1e308*10");
    out = small / 1e10;
    show("1e-308/1e10");
    out = one / three;
    show("1/3");
    fout = fhuge * 10.0f;
    show("float overflow");
    fout = fsmall * fsmall;
    show("float underflow");
    out = sqrt(neg);
    show("sqrt(-1)");
    out = nan_ + one;
    show("qNaN+1");
    out = (nan_ < one);
    show("qNaN<1");
    lout = (long)dbig * 0 + (long)nan_;
    show("(long)NaN");
    iout = (int)dbig;
    show("(int)1e20");
    out = (double)(long)0x7fffffffffffffffL;
    show("(double)LONG_MAX");
    out = log(zero);
    show("log(0)");
    out = rint(2.5 + zero);
    show("rint(2.5)");
    out = nearbyint(2.5 + zero);
    show("nearbyint(2.5)");

    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    show("feraiseexcept");
    out = one / zero;
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_DIVBYZERO);
    show("fesetexceptflag");
    fenv_t env;
    out = zero / zero;
    feholdexcept(&env);
    show("after feholdexcept");
    out = one / three;
    feupdateenv(&env);
    show("feupdateenv");
    fesetround(FE_UPWARD);
    fegetenv(&env);
    fesetround(FE_TONEAREST);
    fesetenv(&env);
    printf("fesetenv restored upward: %d\n", fegetround() == FE_UPWARD);
    fesetenv(FE_DFL_ENV);
    printf("FE_DFL_ENV nearest: %d\n", fegetround() == FE_TONEAREST);
    return 0;
}
