// File I/O in the current directory: open/creat/write/pread/lseek/ftruncate, stdio fseek/ftell, rename over an existing file, unlink, mkdir/rmdir/opendir/readdir (sorted), stat sizes, O_EXCL/O_APPEND, errno of failing calls. Leaves files behind for comparison.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerror(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) {
        char path[256];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0) printf(" %s%s(%lld)", names[i], S_ISDIR(st.st_mode) ? "/" : "", S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
        free(names[i]);
    }
    printf("\n");
}

int main(void) {
    int fd = open("raw.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { perror("open raw.bin"); return 1; }
    unsigned char block[1000];
    for (int i = 0; i < 1000; i++) block[i] = (unsigned char)(i * 7);
    for (int k = 0; k < 5; k++) if (write(fd, block, sizeof block) != (ssize_t)sizeof block) { perror("write"); return 1; }
    printf("lseek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
    lseek(fd, 10000, SEEK_SET);
    write(fd, "tail", 4); /* a hole from 5000 to 10000 */
    close(fd);
    fd = open("raw.bin", O_RDWR);
    unsigned char got[8];
    ssize_t r = pread(fd, got, 8, 1003);
    printf("pread %zd: %u %u %u\n", r, got[0], got[1], got[7]);
    r = pread(fd, got, 8, 6000);
    printf("hole reads zeros: %zd %u %u\n", r, got[0], got[7]);
    ftruncate(fd, 2500);
    struct stat st;
    fstat(fd, &st);
    printf("after ftruncate size %lld\n", (long long)st.st_size);
    close(fd);

    int ex = open("raw.bin", O_CREAT | O_EXCL | O_WRONLY, 0644);
    printf("O_EXCL on existing: %d errno=%s\n", ex, ex < 0 && errno == EEXIST ? "EEXIST" : "other");
    fd = open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0644);
    write(fd, "first\n", 6);
    lseek(fd, 0, SEEK_SET);
    write(fd, "second (appended despite lseek)\n", 32);
    close(fd);

    FILE *f = fopen("notes.txt", "w+");
    fprintf(f, "alpha\nbeta\ngamma\n");
    printf("ftell after write %ld\n", ftell(f));
    fseek(f, 6, SEEK_SET);
    char line[64];
    fgets(line, sizeof line, f);
    printf("line at 6: %s", line);
    fseek(f, -6, SEEK_END);
    fgets(line, sizeof line, f);
    printf("last line: %s", line);
    rewind(f);
    int ch, count = 0;
    while ((ch = fgetc(f)) != EOF) if (ch == 'a') count++;
    printf("a's: %d\n", count);
    fclose(f);

    int r1 = mkdir("sub", 0755);
    int r2 = mkdir("sub", 0755);
    printf("mkdir sub %d, mkdir again %d errno=%s\n", r1, r2, errno == EEXIST ? "EEXIST" : "other");
    mkdir("sub/deeper", 0755);
    f = fopen("sub/deeper/file.txt", "w");
    fputs("nested file\n", f);
    fclose(f);
    f = fopen("sub/old.txt", "w");
    fputs("will be renamed\n", f);
    fclose(f);
    f = fopen("sub/target.txt", "w");
    fputs("will be replaced\n", f);
    fclose(f);
    printf("rename over existing %d\n", rename("sub/old.txt", "sub/target.txt"));
    r1 = rename("nope.txt", "x.txt");
    printf("rename missing %d errno=%s\n", r1, errno == ENOENT ? "ENOENT" : "other");
    f = fopen("temp.txt", "w");
    fputs("gone soon\n", f);
    fclose(f);
    r1 = unlink("temp.txt");
    r2 = unlink("temp.txt");
    printf("unlink %d, unlink again %d errno=%s\n", r1, r2, errno == ENOENT ? "ENOENT" : "other");
    mkdir("empty", 0755);
    mkdir("removed", 0755);
    r1 = rmdir("removed");
    r2 = rmdir("sub");
    printf("rmdir %d, rmdir non-empty %d errno=%s\n", r1, r2, errno == ENOTEMPTY ? "ENOTEMPTY" : "other");
    r1 = open("missing/file", O_RDONLY);
    printf("open missing: %d errno=%s\n", r1, errno == ENOENT ? "ENOENT" : "other");
    printf("access raw.bin R %d, missing %d\n", access("raw.bin", R_OK), access("missing", F_OK));
    list(".");
    list("sub");
    list("sub/deeper");
    return 0;
}
