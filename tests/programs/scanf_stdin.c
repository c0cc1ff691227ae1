// scanf from stdin: %d %i (hex, octal) %u %o %x %f %e %g %lf %Lf %c %s %[set] %[^set] %n %% %*d, length modifiers, and the return value at EOF.
// stdin: 42 -17 0x1f 017 4000000000 777 ff
// stdin: 3.25 -1e-3 6.02e23 0.1 2.5e-310 1.5
// stdin: Xword   next-word
// stdin: abc123def  [rest of the line]
// stdin: 100% 5 6 7
// stdin: 127 -129 70000 -5000000000 18446744073709551615
// stdin: inf -nan 0x1.8p3
#include <stdio.h>

int main(void) {
    int d, i1, i2, n;
    unsigned u, o, x;
    int r = scanf("%d %d %i %i %u %o %x", &d, &n, &i1, &i2, &u, &o, &x);
    printf("r=%d d=%d n=%d i1=%d i2=%d u=%u o=%u x=%u\n", r, d, n, i1, i2, u, o, x);

    float f, e;
    double g, lf;
    long double Lf;
    double sub;
    r = scanf("%f %e %lg %lf %lf %Lf", &f, &e, &g, &lf, &sub, &Lf);
    printf("r=%d f=%a e=%a g=%a lf=%a sub=%a Lf=%La\n", r, f, e, g, lf, sub, Lf);

    char c, word[32], word2[32];
    int pos1 = -1, pos2 = -1;
    r = scanf(" %c%n%31s %n%31s", &c, &pos1, word, &pos2, word2);
    printf("r=%d c=%c word=[%s] word2=[%s] pos1=%d pos2=%d\n", r, c, word, word2, pos1, pos2);

    char letters[16], digits[16], rest[64];
    r = scanf(" %15[a-z]%15[0-9]%*[a-z] %63[^\n]", letters, digits, rest);
    printf("r=%d letters=[%s] digits=[%s] rest=[%s]\n", r, letters, digits, rest);

    int pct, a, b;
    r = scanf("%d%% %*d %d %d", &pct, &a, &b);
    printf("r=%d pct=%d a=%d b=%d\n", r, pct, a, b);

    signed char hh;
    short h;
    long l;
    long long ll;
    unsigned long long ull;
    r = scanf("%hhd %hd %ld %lld %llu", &hh, &h, &l, &ll, &ull);
    printf("r=%d hh=%d h=%d l=%ld ll=%lld ull=%llu\n", r, hh, h, l, ll, ull);

    double inf, nan, hex;
    r = scanf("%lf %lf %lf", &inf, &nan, &hex);
    printf("r=%d inf=%f nan=%f hex=%f\n", r, inf, nan, hex);

    r = scanf("%d", &d);
    printf("at EOF r=%d (EOF is %d)\n", r, EOF);
    return 0;
}
