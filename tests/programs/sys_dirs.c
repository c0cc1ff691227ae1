// Directories: mkdir/rmdir, chdir/fchdir and getcwd (printed relative to where the program started), openat and friends relative to a directory fd, readdir through getdents64 (sorted), rewinddir/seekdir, and the errno of every failure (EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EISDIR, EBADF, EFAULT, ERANGE). Leaves a tree behind.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-36s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static char start[4096];

/* The current directory relative to where the program started. */
static void where(void) {
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) { printf("getcwd: %s\n", strerrorname_np(errno)); return; }
    size_t n = strcmp(start, "/") == 0 ? 0 : strlen(start);
    if (strncmp(cwd, start, n) == 0 && (cwd[n] == '/' || cwd[n] == 0))
        printf("  cwd = <start>%s\n", cwd + n);
    else
        printf("  cwd outside the start directory\n");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerrorname_np(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        char tag = e->d_type == DT_DIR ? '/' : e->d_type == DT_REG ? ' ' : e->d_type == DT_LNK ? '@' : '?';
        char *s = malloc(strlen(e->d_name) + 2);
        sprintf(s, "%s%c", e->d_name, tag);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp);
    printf("  %s:", dir);
    for (int i = 0; i < n; i++) { printf(" [%s]", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    umask(022);
    if (!getcwd(start, sizeof start)) { perror("getcwd"); return 1; }
    SHOW("getcwd is absolute", start[0] == '/');
    char small[2];
    SHOW("getcwd ERANGE", getcwd(small, sizeof small) ? 0 : -1);
    SHOW("getcwd bad buffer", syscall(SYS_getcwd, BAD_PTR, 4096));
    /* elfconv2 run --self-hosted hands runtime.wasm the module through this directory; the guest must not see it. */
    SHOW("the self-hosted runtime's own directory", access("/.elfconv2-self-hosted", F_OK));

    SHOW("mkdir top", mkdir("top", 0755));
    SHOW("mkdir top again", mkdir("top", 0755));
    SHOW("mkdir missing/parent", mkdir("missing/x", 0755));
    SHOW("mkdir bad pointer", mkdir(BAD_PTR, 0755));
    SHOW("mkdir top/a", mkdir("top/a", 0755));
    SHOW("mkdir top/b", mkdir("top/b", 0700));
    int fd = open("top/file", O_CREAT | O_WRONLY, 0644);
    write(fd, "data\n", 5);
    close(fd);
    SHOW("mkdir under a file", mkdir("top/file/x", 0755));
    SHOW("symlink to a dir", symlink("a", "top/link"));
    list("top");

    SHOW("chdir top", chdir("top"));
    where();
    SHOW("open file relative to new cwd", (fd = open("file", O_RDONLY)) >= 0);
    close(fd);
    SHOW("chdir a", chdir("a"));
    where();
    fd = open("made-in-a", O_CREAT | O_WRONLY, 0644);
    close(fd);
    SHOW("chdir ..", chdir(".."));
    where();
    SHOW("chdir through symlink", chdir("link"));
    SHOW("  and see made-in-a", access("made-in-a", F_OK));
    SHOW("chdir ../..", chdir("../.."));
    where();
    SHOW("chdir missing", chdir("nope"));
    SHOW("chdir to a file", chdir("top/file"));
    SHOW("chdir bad pointer", chdir(BAD_PTR));
    where();

    int dfd = open("top", O_RDONLY | O_DIRECTORY);
    SHOW("open top O_DIRECTORY", dfd >= 0);
    SHOW("openat(dfd, file)", (fd = openat(dfd, "file", O_RDONLY)) >= 0);
    char buf[16] = {0};
    read(fd, buf, sizeof buf - 1);
    printf("  read \"%.4s\"\n", buf);
    close(fd);
    SHOW("mkdirat(dfd, c)", mkdirat(dfd, "c", 0755));
    SHOW("fstatat(dfd, c)", ({ struct stat st; fstatat(dfd, "c", &st, 0) == 0 && S_ISDIR(st.st_mode); }));
    SHOW("renameat(dfd, c -> d)", renameat(dfd, "c", dfd, "d"));
    SHOW("unlinkat(dfd, d, REMOVEDIR)", unlinkat(dfd, "d", AT_REMOVEDIR));
    SHOW("unlinkat(dfd, d) again", unlinkat(dfd, "d", AT_REMOVEDIR));
    SHOW("unlinkat dir without flag", unlinkat(dfd, "a", 0));
    SHOW("unlinkat file with REMOVEDIR", unlinkat(dfd, "file", AT_REMOVEDIR));
    SHOW("unlinkat bad flag", unlinkat(dfd, "file", 0x4000));
    int ffd = open("top/file", O_RDONLY);
    SHOW("openat with a file as dirfd", openat(ffd, "x", O_RDONLY));
    SHOW("fchdir to a file", fchdir(ffd));
    close(ffd);
    SHOW("openat with a closed dirfd", openat(99, "x", O_RDONLY));
    SHOW("openat absolute ignores dirfd", ({ char p[4200]; snprintf(p, sizeof p, "%s/top/file", start); int f = openat(99, p, O_RDONLY); if (f >= 0) close(f); f >= 0; }));
    SHOW("fchdir top", fchdir(dfd));
    where();
    SHOW("fchdir bad fd", fchdir(-1));
    SHOW("chdir back by absolute path", chdir(start));
    where();

    /* readdir positions */
    DIR *d = opendir("top");
    int count = 0;
    long second = -1;
    while (readdir(d)) {
        if (++count == 2) second = telldir(d);
    }
    printf("  entries in top: %d\n", count);
    rewinddir(d);
    int again = 0;
    while (readdir(d)) again++;
    printf("  after rewinddir: %d\n", again);
    seekdir(d, second);
    int rest = 0;
    while (readdir(d)) rest++;
    printf("  after seekdir to the 2nd: %d\n", rest);
    closedir(d);
    fd = open("top/file", O_RDONLY);
    char dbuf[256];
    SHOW("getdents64 on a file", syscall(SYS_getdents64, fd, dbuf, sizeof dbuf));
    close(fd);
    fd = open("top", O_RDONLY | O_DIRECTORY);
    SHOW("getdents64 tiny buffer", syscall(SYS_getdents64, fd, dbuf, 8));
    SHOW("getdents64 bad buffer", syscall(SYS_getdents64, fd, BAD_PTR, 256));
    close(fd);
    SHOW("getdents64 bad fd", syscall(SYS_getdents64, 77, dbuf, sizeof dbuf));
    SHOW("opendir a file", opendir("top/file") ? 0 : -1);
    SHOW("opendir missing", opendir("nope") ? 0 : -1);

    SHOW("rmdir non-empty", rmdir("top"));
    SHOW("rmdir missing", rmdir("nope"));
    SHOW("rmdir .", rmdir("."));
    SHOW("rmdir top/b", rmdir("top/b"));
    SHOW("rename dir over non-empty dir", rename("top/a", "top"));
    SHOW("rename dir to new name", rename("top/a", "top/renamed"));
    SHOW("rename dir into itself", rename("top", "top/renamed/x"));
    list("top");
    list("top/renamed");
    return 0;
}
