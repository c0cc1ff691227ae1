// sscanf of every conversion: partial matches and return counts, field widths, %n, %[ sets incl. ] and -, %p-free, %i bases, strtol/strtod family on the same inputs.
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

int main(void) {
    int a = -1, b = -1, c = -1, n = -1;
    int r = sscanf("12 34 xx", "%d %d %d", &a, &b, &c);
    printf("partial: r=%d a=%d b=%d c=%d\n", r, a, b, c);
    r = sscanf("", "%d", &a);
    printf("empty: r=%d\n", r);
    r = sscanf("   ", "%d", &a);
    printf("blank: r=%d\n", r);
    r = sscanf("123456789", "%3d%2d%n%d", &a, &b, &n, &c);
    printf("widths: r=%d a=%d b=%d n=%d c=%d\n", r, a, b, n, c);
    static const char *ints[] = {"0x7fffffff", "-0x80000000", "0777", "-077", "0", "0x", "08", "+5", "- 5"};
    for (int i = 0; i < 9; i++) {
        int v = -99, cnt = -1;
        r = sscanf(ints[i], "%i%n", &v, &cnt);
        printf("%%i [%s]: r=%d v=%d consumed=%d\n", ints[i], r, v, cnt);
    }
    unsigned x;
    r = sscanf("DeadBeef", "%x", &x);
    printf("%%x: r=%d x=%x\n", r, x);
    r = sscanf("-1", "%u", &x);
    printf("%%u of -1: r=%d x=%u\n", r, x);
    char set1[16] = "", set2[16] = "", set3[16] = "";
    r = sscanf("]a-b]c-x:rest", "%15[]a-]%15[^:]:%15s", set1, set2, set3);
    printf("sets: r=%d [%s] [%s] [%s]\n", r, set1, set2, set3);
    char ch[4] = "...";
    r = sscanf("xyz", "%3c", ch);
    printf("%%3c: r=%d [%s]\n", r, ch);
    double d1, d2, d3, d4;
    r = sscanf("1e5 -.5 0x1p-2 1.7976931348623157e309", "%lf %lf %lf %lf", &d1, &d2, &d3, &d4);
    printf("doubles: r=%d %a %a %a %a\n", r, d1, d2, d3, d4);
    r = sscanf("12abc", "%d%n", &a, &n);
    printf("stop at letters: r=%d a=%d n=%d\n", r, a, n);
    r = sscanf("key = value ; 7", "key = %15s ; %d", set1, &a);
    printf("literal text: r=%d [%s] %d\n", r, set1, a);
    r = sscanf("abc", "abd%d", &a);
    printf("literal mismatch: r=%d\n", r);

    /* strtol family, with errno on overflow and end pointers */
    static const char *nums[] = {"9223372036854775807", "9223372036854775808", "-9223372036854775809", "  -0x10zz", "z", "1010"};
    for (int i = 0; i < 6; i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, 0);
        int e1 = errno;
        errno = 0;
        unsigned long uv = strtoul(nums[i], NULL, 2);
        int e2 = errno;
        printf("strtol [%s] = %ld errno=%s end=+%ld | strtoul base2 = %lu errno=%s\n", nums[i], v,
               e1 == ERANGE ? "ERANGE" : e1 ? "other" : "0", (long)(end - nums[i]), uv,
               e2 == ERANGE ? "ERANGE" : e2 ? "other" : "0");
    }
    static const char *dbls[] = {"1e400", "-1e-400", "0.1", "nan(123)", "-InFiNiTy", "0x1.fffffffffffff8p1023", "4.9406564584124654e-324"};
    for (int i = 0; i < 7; i++) {
        char *end;
        errno = 0;
        double v = strtod(dbls[i], &end);
        float fv = strtof(dbls[i], NULL);
        printf("strtod [%s] = %a errno=%s end=+%ld strtof=%a\n", dbls[i], v, errno == ERANGE ? "ERANGE" : errno ? "other" : "0",
               (long)(end - dbls[i]), (double)fv);
    }
    printf("atoi %d atol %ld atoll %lld atof %g\n", atoi(" -42x"), atol("2147483648"), atoll("-77"), atof("2.5e3"));
    return 0;
}
