// Files in the current directory: write, append, read back, rename, remove, mkdir.
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(void) {
    FILE *f = fopen("data.txt", "w");
    if (!f) { perror("fopen data.txt"); return 1; }
    for (int i = 0; i < 5; i++)
        fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);

    f = fopen("data.txt", "a");
    if (!f) { perror("fopen append"); return 1; }
    fputs("appended\n", f);
    fclose(f);

    f = fopen("data.txt", "r");
    if (!f) { perror("fopen read"); return 1; }
    char line[128];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        printf("read: %s", line);
    }
    fclose(f);
    printf("%d lines\n", n);

    f = fopen("scratch.tmp", "w");
    if (!f) { perror("fopen scratch"); return 1; }
    fputs("temporary\n", f);
    fclose(f);
    if (rename("scratch.tmp", "renamed.txt") != 0) { perror("rename"); return 1; }

    f = fopen("gone.txt", "w");
    if (!f) { perror("fopen gone"); return 1; }
    fclose(f);
    if (remove("gone.txt") != 0) { perror("remove"); return 1; }

    if (mkdir("subdir", 0755) != 0) { perror("mkdir"); return 1; }
    f = fopen("subdir/inner.bin", "wb");
    if (!f) { perror("fopen inner"); return 1; }
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);

    FILE *missing = fopen("does-not-exist.txt", "r");
    printf("open missing: %s\n", missing ? "opened?!" : "failed as expected");
    return 0;
}
