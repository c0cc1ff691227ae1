// argv and envp edge cases: empty arguments, arguments with spaces, tabs, quotes and non-ASCII bytes, a long argument, '=' in env values, an empty env value; envp as main's third parameter agrees with environ and getenv.
// args: '' "with space" '  leading and trailing  ' "tab	inside" 'quote"s' "it's" -- - --long=opt=val
// args: 'ünïcödé' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ''
// env: EQ=a=b=c EMPTYVAL= "SP=  x  " UNI=ß
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *s) {
    putchar('[');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') printf("\\n");
        else if (*p == '\t') printf("\\t");
        else if (*p >= 0x80) printf("\\x%02x", *p);
        else putchar(*p);
    }
    putchar(']');
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv, char **envp) {
    const char *base = strrchr(argv[0], '/');
    printf("argc %d, argv[0] basename %s, argv[argc] is NULL: %d\n", argc, base ? base + 1 : argv[0], argv[argc] == NULL);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d] len %zu ", i, strlen(argv[i]));
        show(argv[i]);
        printf("\n");
    }
    int n = 0;
    while (envp[n]) n++;
    printf("envp count %d, same as environ: %d\n", n, envp == environ);
    char **sorted = malloc(sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) sorted[i] = envp[i];
    qsort(sorted, (size_t)n, sizeof sorted[0], cmp);
    for (int i = 0; i < n; i++) { show(sorted[i]); printf("\n"); }
    free(sorted);
    const char *keys[] = {"EQ", "EMPTYVAL", "SP", "UNI", "MISSING", "TZ"};
    for (int i = 0; i < 6; i++) {
        const char *v = getenv(keys[i]);
        printf("getenv(%s) = ", keys[i]);
        if (v) show(v); else printf("NULL");
        printf("\n");
    }
    setenv("NEWVAR", "set in program", 1);
    setenv("EQ", "not overwritten", 0);
    unsetenv("SP");
    printf("after setenv/unsetenv: NEWVAR=%s EQ=%s SP=%s\n", getenv("NEWVAR"), getenv("EQ"), getenv("SP") ? getenv("SP") : "NULL");
    return 0;
}
