// Dense double-precision matrix multiply C = A*B (i-k-j order), repeated; prints a checksum.
// Built with -ffp-contract=off so every build rounds identically (no fused multiply-add).
// Usage: matmul [n] [repeats]
// cflags: -ffp-contract=off
// quick-args: 64 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 400;
    int repeats = argc > 2 ? atoi(argv[2]) : 12;
    size_t nn = (size_t)n * n;
    double *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
    if (!a || !b || !c) return 1;
    uint32_t s = 12345;
    for (size_t i = 0; i < nn; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (double)((int32_t)(s >> 16) % 2001 - 1000) / 512.0;
        s = s * 1103515245u + 12345u;
        b[i] = (double)((int32_t)(s >> 16) % 2001 - 1000) / 512.0;
    }
    double total = 0.0;
    for (int r = 0; r < repeats; r++) {
        memset(c, 0, nn * sizeof *c);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[(size_t)i * n + k];
                const double *brow = b + (size_t)k * n;
                double *crow = c + (size_t)i * n;
                for (int j = 0; j < n; j++) crow[j] += aik * brow[j];
            }
        double trace = 0.0;
        for (int i = 0; i < n; i++) trace += c[(size_t)i * n + i];
        total += trace;
        /* feed the result back so repeats are not identical */
        double *t = a;
        a = c;
        c = t;
        for (size_t i = 0; i < nn; i++) a[i] *= 1.0 / 64.0;
    }
    double sum = 0.0;
    for (size_t i = 0; i < nn; i++) sum += a[i];
    printf("n=%d total trace=%.12e sum=%.12e\n", n, total, sum);
    free(a);
    free(b);
    free(c);
    return 0;
}
