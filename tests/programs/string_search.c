// string.h searching and tokenising: strlen, strchr, strrchr, strstr, strspn, strcspn, strpbrk, strtok, strtok_r.
#include <stdio.h>
#include <string.h>

/* Hides a pointer from the optimiser so the libc functions are really called. */
static const char *opq(const char *p) { __asm__("" : "+r"(p)); return p; }

static long pos(const char *base, const char *p) { return p ? (long)(p - base) : -1L; }

int main(void) {
    const char *words[] = {"", "a", "hello", "a somewhat longer string with spaces", "0123456789abcdef0123456789abcdef0"};
    for (int i = 0; i < 5; i++)
        printf("strlen(\"%s\") = %zu\n", words[i], strlen(opq(words[i])));
    /* strlen at every alignment */
    char buf[80];
    memset(buf, 'q', sizeof buf);
    unsigned long acc = 0;
    for (int start = 0; start < 8; start++)
        for (int len = 0; len < 40; len++) {
            buf[start + len] = 0;
            acc = acc * 31 + strlen(buf + start);
            buf[start + len] = 'q';
        }
    printf("strlen alignment sum %lu\n", acc);

    const char *s = opq("the quick brown fox jumps over the lazy dog");
    printf("strchr q %ld, strchr z %ld, strchr NUL %ld, strchr X %ld\n",
           pos(s, strchr(s, 'q')), pos(s, strchr(s, 'z')), pos(s, strchr(s, '\0')), pos(s, strchr(s, 'X')));
    printf("strrchr o %ld, strrchr t %ld, strrchr NUL %ld\n",
           pos(s, strrchr(s, 'o')), pos(s, strrchr(s, 't')), pos(s, strrchr(s, '\0')));
    printf("strstr the %ld, strstr 'the l' %ld, strstr '' %ld, strstr cat %ld, strstr dog %ld\n",
           pos(s, strstr(s, "the")), pos(s, strstr(s, "the l")), pos(s, strstr(s, "")),
           pos(s, strstr(s, "cat")), pos(s, strstr(s, "dog")));
    printf("strstr aab in aaab %ld\n", pos("aaab", strstr("aaab", "aab")));
    printf("strspn %zu %zu, strcspn %zu %zu\n", strspn(s, "eht "), strspn(s, "xyz"),
           strcspn(s, "kxz"), strcspn(s, ""));
    printf("strpbrk %ld %ld\n", pos(s, strpbrk(s, "xyz")), pos(s, strpbrk(s, "123")));

    char text[] = "  alpha,beta;;gamma , delta,,  ";
    int n = 0;
    for (char *t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;"))
        printf("strtok[%d] = [%s]\n", n++, t);

    char text2[] = "k1=v1&k2=v2&&k3=";
    char *save1, *save2;
    for (char *pair = strtok_r(text2, "&", &save1); pair; pair = strtok_r(NULL, "&", &save1)) {
        char *k = strtok_r(pair, "=", &save2);
        char *v = strtok_r(NULL, "=", &save2);
        printf("pair key=[%s] value=[%s]\n", k, v ? v : "(none)");
    }
    char empty[] = ";;;";
    printf("strtok only delimiters: %s\n", strtok(empty, ";") ? "token" : "null");
    return 0;
}
