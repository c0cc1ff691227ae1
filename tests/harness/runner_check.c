// Self-check of the Wasm runner scripts: compiled for riscv64 (run under qemu) and straight to
// wasm32-wasi with clang (run by scripts/run-wasi-*.{mjs,py}); both runs must agree.
// args: alpha "beta gamma" '' --opt=1
// env: FOO=bar EMPTY= "SPACED=x y"
// stdin: first line of input
// stdin: second line
// exit: 7
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    /* argv[0]: the ELF path under qemu, the module path under a WASI runner. */
    char name[256];
    const char *slash = strrchr(argv[0], '/');
    snprintf(name, sizeof name, "%s", slash ? slash + 1 : argv[0]);
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, ".wasm") == 0) name[len - 5] = '\0';
    printf("argv[0] basename=%s\nargc=%d\n", name, argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=[%s]\n", i, argv[i]);

    size_t n = 0;
    while (environ[n]) n++;
    char **sorted = malloc((n + 1) * sizeof *sorted);
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp);
    for (size_t i = 0; i < n; i++) printf("env: %s\n", sorted[i]);
    free(sorted);

    char line[128];
    while (fgets(line, sizeof line, stdin)) printf("stdin: %s", line);

    FILE *f = fopen("written.txt", "w");
    if (!f) return 100;
    fprintf(f, "argc=%d\n", argc);
    fclose(f);
    if (mkdir("dir", 0755) != 0) return 101;
    f = fopen("dir/nested.txt", "w");
    if (!f) return 102;
    fputs("nested\n", f);
    fclose(f);
    f = fopen("written.txt", "r");
    if (!f || !fgets(line, sizeof line, f)) return 103;
    fclose(f);
    printf("read back: %s", line);

    fprintf(stderr, "to stderr\n");
    return 7;
}
