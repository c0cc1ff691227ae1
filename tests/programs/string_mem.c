// string.h memory functions: memcpy, memmove with overlap both ways, memset, memcmp sign, memchr, memrchr-free.
#include <stdio.h>
#include <string.h>

static void show(const char *what, const unsigned char *p, size_t n) {
    printf("%-24s", what);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void) {
    unsigned char buf[64];
    for (int i = 0; i < 64; i++) buf[i] = (unsigned char)i;

    /* memmove: forward overlap (dst > src) and backward overlap (dst < src), odd sizes. */
    memmove(buf + 3, buf, 20);
    show("memmove dst>src", buf, 32);
    for (int i = 0; i < 64; i++) buf[i] = (unsigned char)i;
    memmove(buf, buf + 5, 27);
    show("memmove dst<src", buf, 32);
    for (int i = 0; i < 64; i++) buf[i] = (unsigned char)(i * 7);
    memmove(buf + 1, buf, 0);
    show("memmove zero", buf, 8);

    /* memcpy of every length 0..40 at every misalignment 0..7. */
    unsigned long h = 5381;
    for (int len = 0; len <= 40; len++)
        for (int so = 0; so < 8; so++)
            for (int dof = 0; dof < 8; dof++) {
                unsigned char src[64], dst[64];
                for (int i = 0; i < 64; i++) { src[i] = (unsigned char)(i * 13 + len); dst[i] = 0xee; }
                memcpy(dst + dof, src + so, (size_t)len);
                for (int i = 0; i < 64; i++) h = h * 33 + dst[i];
            }
    printf("memcpy hash %lx\n", h);

    /* memset with non-char values and lengths. */
    memset(buf, 0x1ab, 17);
    memset(buf + 17, -1, 3);
    show("memset", buf, 24);

    /* memcmp compares as unsigned char: 0x80 > 0x01. */
    unsigned char a[] = {1, 2, 3, 0x80, 5};
    unsigned char b[] = {1, 2, 3, 0x01, 5};
    printf("memcmp(a,b)=%d memcmp(b,a)=%d memcmp(a,a)=%d memcmp(n=3)=%d memcmp(n=0)=%d\n",
           sign(memcmp(a, b, 5)), sign(memcmp(b, a, 5)), sign(memcmp(a, a, 5)),
           sign(memcmp(a, b, 3)), sign(memcmp(a, b, 0)));
    char big1[300], big2[300];
    memset(big1, 'x', 300); memset(big2, 'x', 300);
    big2[257] = 'y';
    printf("memcmp long: %d %d\n", sign(memcmp(big1, big2, 300)), sign(memcmp(big1, big2, 257)));

    /* memchr: found, not found, finds a byte past a NUL, high byte values. */
    const char s[] = "abc\0def\xff";
    const char *p = memchr(s, 'e', sizeof s);
    printf("memchr e at %ld\n", p ? (long)(p - s) : -1L);
    p = memchr(s, 'z', sizeof s);
    printf("memchr z %s\n", p ? "found" : "null");
    p = memchr(s, 0xff, sizeof s);
    printf("memchr 0xff at %ld\n", p ? (long)(p - s) : -1L);
    p = memchr(s, 'e', 4);
    printf("memchr e in 4 %s\n", p ? "found" : "null");
    return 0;
}
