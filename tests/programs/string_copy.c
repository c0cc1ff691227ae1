// string.h copying and comparing: strcpy, strncpy NUL padding and no termination, strcat, strncat, strcmp/strncmp/strcasecmp signs, strdup, strndup, stpcpy.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Hides a pointer from the optimiser so the libc functions are really called. */
static const char *opq(const char *p) { __asm__("" : "+r"(p)); return p; }

static int sign(int x) { return (x > 0) - (x < 0); }

static void dump(const char *what, const char *p, size_t n) {
    printf("%-14s", what);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 32 && c < 127) printf("%c", c); else printf("\\%02x", c);
    }
    printf("\n");
}

int main(void) {
    char buf[16];
    memset(buf, '#', sizeof buf);
    strncpy(buf, "abc", 10);
    dump("strncpy pad", buf, 16);
    memset(buf, '#', sizeof buf);
    strncpy(buf, "abcdefghij", 5);
    dump("strncpy trunc", buf, 16);
    memset(buf, '#', sizeof buf);
    strcpy(buf, "xyz");
    dump("strcpy", buf, 16);
    strcat(buf, "123");
    dump("strcat", buf, 16);
    strncat(buf, "456789", 3);
    dump("strncat", buf, 16);
    char *end = stpcpy(buf, "hi");
    end = stpcpy(end, "-there");
    dump("stpcpy", buf, 16);
    printf("stpcpy end offset %ld\n", (long)(end - buf));

    const char *pairs[][2] = {{"abc", "abd"}, {"abc", "abc"}, {"abc", "ab"}, {"", "a"},
                              {"\x80", "\x01"}, {"Hello", "hello"}, {"HELLO", "help"}};
    for (int i = 0; i < 7; i++)
        printf("cmp %d: strcmp %d strncmp3 %d strncmp2 %d strcasecmp %d\n", i,
               sign(strcmp(opq(pairs[i][0]), pairs[i][1])), sign(strncmp(opq(pairs[i][0]), pairs[i][1], 3)),
               sign(strncmp(opq(pairs[i][0]), pairs[i][1], 2)), sign(strcasecmp(opq(pairs[i][0]), pairs[i][1])));

    char *d = strdup("duplicated string");
    char *nd = strndup("truncate me please", 8);
    printf("strdup [%s] len %zu; strndup [%s] len %zu\n", d, strlen(d), nd, strlen(nd));
    free(d);
    free(nd);
    char big[200];
    for (int i = 0; i < 199; i++) big[i] = (char)('a' + i % 26);
    big[199] = 0;
    char *bd = strdup(big);
    printf("strdup big equal %d\n", strcmp(bd, big) == 0);
    free(bd);
    return 0;
}
