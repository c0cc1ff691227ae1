// Files and directories inside the preopened current directory, and escapes that must fail.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

int main(void) {
    FILE *f = fopen("a.txt", "w");
    fputs("first line\n", f);
    fclose(f);
    f = fopen("a.txt", "a");
    fputs("appended\n", f);
    fclose(f);
    int fd = open("a.txt", O_RDONLY);
    char buf[64] = {0};
    lseek(fd, 6, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);
    struct stat st;
    fstat(fd, &st);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    close(fd);
    mkdir("sub", 0755);
    f = fopen("sub/b.txt", "w");
    fputs("in sub\n", f);
    fclose(f);
    rename("sub/b.txt", "sub/c.txt");
    DIR *d = opendir("sub");
    char *names[16];
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 16) names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, k, sizeof *names, cmp);
    for (int i = 0; i < k; i++) printf("sub: %s\n", names[i]);
    f = fopen("../escape.txt", "w");
    printf("escape: %s\n", f ? "opened" : "refused");
    f = fopen("/etc/passwd", "r");
    printf("absolute: %s\n", f ? "opened" : "refused");
    unlink("a.txt");
    printf("a.txt after unlink: %s\n", access("a.txt", F_OK) == 0 ? "exists" : "gone");
    f = fopen("result.txt", "w");
    fprintf(f, "done %d\n", 42);
    fclose(f);
    return 3;
}
