// printf floating conversions %e %E %f %F %g %G %a %A with flags, widths, precisions, `*`, and the L modifier; inf/nan; rounding of halfway cases.
#include <math.h>
#include <stdio.h>

int main(void) {
    static const double vals[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 3.5, 123456.789, 1e-5, 1e21, 6.02214076e23,
                                  -1.602176634e-19, 0.000123456, 9.9999999, 5e-324, 1.7976931348623157e308};
    static const char *fmts[] = {
        "[%e]", "[%E]", "[%.0e]", "[%#.0e]", "[%12.3e]", "[%f]", "[%F]", "[%.0f]", "[%#.0f]",
        "[%.10f]", "[%+.2f]", "[% 010.2f]", "[%-12.1f]", "[%g]", "[%G]", "[%.3g]", "[%#g]",
        "[%.0g]", "[%#.10g]", "[%a]", "[%A]", "[%.3a]", "[%.0a]", "[%#a]", "[%+20.4a]",
    };
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        printf("%s\n", fmts[f]);
        for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++) {
            if (vals[v] > 1e300 && fmts[f][2] == 'f') continue; /* %f of 1e308: long but fine; keep lines short */
            printf(fmts[f], vals[v]);
        }
        printf("\n");
    }
    static const double specials[] = {INFINITY, -INFINITY, NAN, -NAN};
    for (int i = 0; i < 4; i++)
        printf("[%f] [%E] [%g] [%a] [%10F] [%-+8G] [%05e]\n", specials[i], specials[i], specials[i], specials[i],
               specials[i], specials[i], specials[i]);
    /* halfway rounding: the exact binary value decides */
    static const double halves[] = {0.125, 0.375, 2.675, 1.005, 0.5, 1.5, 2.5, 1e15 + 0.5};
    for (int i = 0; i < 8; i++)
        printf("%.2f %.0f %.1e | ", halves[i], halves[i], halves[i]);
    printf("\n");
    printf("[%*.*f] [%-*.*e] [%.*g]\n", 10, 3, 3.14159265, 12, 2, 2.71828, 17, 0.1);
    printf("%f %.20f %.40e\n", 1e300 * 1e8 / 1e8, 1.0 / 3.0, 0.1);
    /* float promotes to double */
    float fl = 16777217.0f;
    printf("float %f %a %g\n", fl, fl, (double)3.4028235e38f);
    /* long double with L */
    long double ld = 1.0L / 3.0L;
    printf("L: [%Lf] [%.30Le] [%La] [%Lg] [%.36LG]\n", ld, ld, ld, ld * 1e100L, ld);
    printf("L: [%Le] [%La] [%LA]\n", (long double)1e4000L, -(long double)1e-4900L, (long double)0.1L);
    printf("%.1000f\n", 1e-300);
    return 0;
}
