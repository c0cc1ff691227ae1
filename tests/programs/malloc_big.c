// malloc/calloc/realloc of sizes from 1 byte up to 64 MiB: touch every page, check contents after realloc growth and shrink, calloc zeroing, aligned_alloc/posix_memalign, free.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char pattern(size_t i, unsigned seed) { return (unsigned char)((i * 2654435761u) >> 13 ^ seed); }

static int fill_check(unsigned char *p, size_t n, unsigned seed, int write) {
    for (size_t i = 0; i < n; i += 4096) {
        if (write) p[i] = pattern(i, seed);
        else if (p[i] != pattern(i, seed)) return 0;
    }
    if (n) {
        if (write) p[n - 1] = pattern(n - 1, seed);
        else if (p[n - 1] != pattern(n - 1, seed)) return 0;
    }
    return 1;
}

int main(void) {
    static const size_t sizes[] = {1, 24, 4096, 65536, 131072, 1 << 20, 5 << 20, 16 << 20, 64 << 20};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        unsigned char *p = malloc(n);
        if (!p) { printf("malloc(%zu) failed\n", n); return 1; }
        fill_check(p, n, (unsigned)k, 1);
        int ok = fill_check(p, n, (unsigned)k, 0);
        unsigned char *z = calloc(n, 1);
        if (!z) { printf("calloc(%zu) failed\n", n); return 1; }
        int zero = 1;
        for (size_t i = 0; i < n; i += 512) if (z[i]) zero = 0;
        if (z[n - 1]) zero = 0;
        printf("size %9zu: malloc ok=%d aligned16=%d calloc zero=%d\n", n, ok, (int)((uintptr_t)p % 16 == 0), zero);
        free(z);
        free(p);
    }
    /* realloc growth keeps the contents, from small to 64 MiB and back down */
    size_t n = 100;
    unsigned char *p = malloc(n);
    for (size_t i = 0; i < n; i += 64) p[i] = pattern(i, 7);
    int ok = 1;
    while (n < (64u << 20)) {
        size_t m = n * 4 > (64u << 20) ? (64u << 20) : n * 4;
        p = realloc(p, m);
        if (!p) { printf("realloc(%zu) failed\n", m); return 1; }
        for (size_t i = 0; i < n; i += 64 * 17) if (p[i] != pattern(i, 7)) ok = 0;
        for (size_t i = n; i < m; i++)
            if (i % 64 == 0) p[i] = pattern(i, 7); /* every 64th byte: keeps qemu -O0 fast */
        n = m;
    }
    printf("realloc grow to %zu ok=%d\n", n, ok);
    p = realloc(p, 3000);
    for (size_t i = 0; i < 3000; i += 64) if (p[i] != pattern(i, 7)) ok = 0;
    printf("realloc shrink ok=%d\n", ok);
    free(p);
    /* many medium blocks alive at once */
    enum { M = 300 };
    static unsigned char *blocks[M];
    size_t total = 0;
    for (int i = 0; i < M; i++) {
        size_t sz = 1000 + (size_t)i * 997;
        blocks[i] = malloc(sz);
        memset(blocks[i], i & 0xff, sz);
        total += sz;
    }
    int good = 1;
    for (int i = 0; i < M; i += 2) {
        size_t sz = 1000 + (size_t)i * 997;
        for (size_t j = 0; j < sz; j += 333) if (blocks[i][j] != (i & 0xff)) good = 0;
        free(blocks[i]);
    }
    for (int i = 1; i < M; i += 2) free(blocks[i]);
    printf("%d blocks, %zu bytes, intact=%d\n", M, total, good);
    void *al = aligned_alloc(4096, 8192);
    void *pm = NULL;
    int rc = posix_memalign(&pm, 256, 1000);
    printf("aligned_alloc 4096: %d, posix_memalign rc=%d aligned=%d\n", (int)((uintptr_t)al % 4096 == 0), rc,
           (int)((uintptr_t)pm % 256 == 0));
    free(al);
    free(pm);
    void *huge = malloc((size_t)1 << 46);
    printf("malloc(64 TiB) %s\n", huge ? "succeeded" : "failed as expected");
    free(huge);
    return 0;
}
