// argv (argv[0]'s basename, spaces, empty args) and the environment (sorted).
// args: one "two words" '' --flag=x
// env: FOO=bar EMPTY= "SPACED=a b c"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    const char *base = strrchr(argv[0], '/');
    printf("argc=%d\n", argc);
    printf("argv[0] basename=%s\n", base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    if (argv[argc] != NULL) return 1;

    size_t n = 0;
    while (environ[n]) n++;
    char **sorted = malloc((n + 1) * sizeof *sorted);
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp);
    printf("envc=%zu\n", n);
    for (size_t i = 0; i < n; i++)
        printf("env: %s\n", sorted[i]);
    free(sorted);

    const char *foo = getenv("FOO");
    printf("getenv(FOO)=%s\n", foo ? foo : "(null)");
    const char *missing = getenv("NOT_SET_ANYWHERE");
    printf("getenv(NOT_SET_ANYWHERE)=%s\n", missing ? missing : "(null)");
    return 0;
}
