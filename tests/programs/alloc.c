// malloc, calloc, realloc and free, small and large (mmap-sized) blocks.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long sum(const unsigned char *p, size_t n) {
    unsigned long s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

int main(void) {
    /* many small blocks */
    char *blocks[64];
    for (int i = 0; i < 64; i++) {
        blocks[i] = malloc(16 + i * 8);
        if (!blocks[i]) return 1;
        memset(blocks[i], 'a' + i % 26, 16 + i * 8);
    }
    unsigned long total = 0;
    for (int i = 0; i < 64; i += 2) {
        total += sum((unsigned char *)blocks[i], 16 + i * 8);
        free(blocks[i]);
    }
    for (int i = 1; i < 64; i += 2) {
        total += sum((unsigned char *)blocks[i], 16 + i * 8);
        free(blocks[i]);
    }
    printf("small blocks: %lu\n", total);

    /* calloc must zero */
    int *z = calloc(1000, sizeof(int));
    if (!z) return 2;
    int nonzero = 0;
    for (int i = 0; i < 1000; i++) nonzero += z[i] != 0;
    printf("calloc nonzero: %d\n", nonzero);
    free(z);

    /* realloc keeps contents while growing */
    size_t n = 10;
    char *s = malloc(n);
    if (!s) return 3;
    for (size_t i = 0; i < n; i++) s[i] = (char)('0' + i);
    for (int step = 0; step < 12; step++) {
        s = realloc(s, n * 2);
        if (!s) return 4;
        memcpy(s + n, s, n);
        n *= 2;
    }
    printf("realloc: size %zu sum %lu\n", n, sum((unsigned char *)s, n));
    free(s);

    /* a large block, above the mmap threshold */
    size_t big = 4u << 20;
    unsigned char *b = malloc(big);
    if (!b) return 5;
    for (size_t i = 0; i < big; i++) b[i] = (unsigned char)(i * 7 + (i >> 12));
    printf("big block: %lu\n", sum(b, big));
    free(b);
    return 0;
}
