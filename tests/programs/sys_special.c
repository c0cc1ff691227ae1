// Special files: /dev/null, /dev/zero, /dev/full, /dev/urandom and /dev/random (reads, writes, stat, lseek), /dev/stdout and /dev/stderr, /proc/self/fd/N links and reopening, /proc/self/exe, /proc/cpuinfo and /proc/meminfo (their contents differ between machines: only properties are printed).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-40s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static void show_dev(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) { printf("%-14s stat %s\n", path, strerrorname_np(errno)); return; }
    printf("%-14s char device %d, rdev %u:%u\n", path, S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
}

static int ends_with(const char *s, const char *tail) {
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

int main(int argc, char **argv) {
    (void)argc;
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[256];

    int fd = open("/dev/null", O_RDWR);
    SHOW("open /dev/null", fd >= 0);
    SHOW("  write", write(fd, "gone", 4));
    SHOW("  read", read(fd, buf, sizeof buf));
    SHOW("  lseek", lseek(fd, 100, SEEK_SET));
    SHOW("  isatty", isatty(fd));
    close(fd);
    SHOW("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY));
    SHOW("open /dev/null O_CREAT|O_EXCL", open("/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0644));
    show_dev("/dev/null");
    show_dev("/dev/zero");
    show_dev("/dev/full");
    show_dev("/dev/random");
    show_dev("/dev/urandom");

    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 0x77, sizeof buf);
    SHOW("read /dev/zero", read(fd, buf, sizeof buf));
    int zeros = 1;
    for (size_t i = 0; i < sizeof buf; i++) zeros &= buf[i] == 0;
    printf("  all zero %d\n", zeros);
    close(fd);
    fd = open("/dev/full", O_WRONLY);
    SHOW("write /dev/full", write(fd, "x", 1));
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    unsigned char r1[32], r2[32];
    SHOW("read /dev/urandom", read(fd, r1, sizeof r1));
    read(fd, r2, sizeof r2);
    printf("  two reads differ %d\n", memcmp(r1, r2, sizeof r1) != 0);
    close(fd);
    fd = open("/dev/random", O_RDONLY);
    SHOW("read /dev/random", read(fd, r1, 16));
    close(fd);

    fd = open("/dev/stdout", O_WRONLY);
    SHOW("open /dev/stdout", fd >= 0);
    dprintf(fd, "  written through /dev/stdout\n");
    close(fd);
    FILE *f = fopen("/dev/stderr", "w");
    fprintf(f, "written through /dev/stderr\n");
    fclose(f);
    memset(buf, 0, sizeof buf);
    SHOW("readlink /dev/stdout", readlink("/dev/stdout", buf, sizeof buf));
    printf("  -> %s\n", buf);

    /* /proc/self/fd */
    fd = open("some-file.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "contents\n", 9);
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    memset(buf, 0, sizeof buf);
    SHOW("readlink /proc/self/fd/N", readlink(link, buf, sizeof buf) > 0);
    printf("  names the file %d, absolute %d\n", ends_with(buf, "/some-file.txt"), buf[0] == '/');
    int again = open(link, O_RDONLY);
    SHOW("open /proc/self/fd/N", again >= 0);
    memset(buf, 0, sizeof buf);
    SHOW("  read it", pread(again, buf, sizeof buf, 0));
    printf("  \"%.8s\"\n", buf);
    close(again);
    struct stat st;
    SHOW("stat /proc/self/fd/N", stat(link, &st));
    printf("  size %lld\n", (long long)st.st_size);
    SHOW("lstat /proc/self/fd/N is a link", lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    close(fd);
    SHOW("readlink /proc/self/fd/999", readlink("/proc/self/fd/999", buf, sizeof buf));
    SHOW("open /proc/self/fd/999", open("/proc/self/fd/999", O_RDONLY));
    int p[2];
    pipe(p);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    memset(buf, 0, sizeof buf);
    readlink(link, buf, sizeof buf);
    printf("pipe link looks like pipe:[N] %d\n", strncmp(buf, "pipe:[", 6) == 0 && ends_with(buf, "]"));
    snprintf(link, sizeof link, "/dev/fd/%d", p[1]);
    int w = open(link, O_WRONLY);
    SHOW("open /dev/fd/N of a pipe", w >= 0);
    write(w, "via /dev/fd", 11);
    close(w);
    memset(buf, 0, sizeof buf);
    SHOW("  read the pipe", read(p[0], buf, sizeof buf));
    printf("  \"%s\"\n", buf);
    close(p[0]);
    close(p[1]);

    /* /proc/self/exe */
    memset(buf, 0, sizeof buf);
    SHOW("readlink /proc/self/exe", readlink("/proc/self/exe", buf, sizeof buf) > 0);
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    printf("  absolute %d, ends with the program name %d\n", buf[0] == '/', ends_with(buf, base));
    SHOW("readlink /proc/self/exe, 4 bytes", readlink("/proc/self/exe", buf, 4));
    SHOW("readlink /proc/self/exe, size 0", readlink("/proc/self/exe", buf, 0));

    /* /proc/cpuinfo and /proc/meminfo */
    f = fopen("/proc/cpuinfo", "r");
    int processors = 0;
    while (f && fgets(buf, sizeof buf, f))
        if (strncmp(buf, "processor", 9) == 0) processors++;
    if (f) fclose(f);
    printf("/proc/cpuinfo lists >= 1 processor %d\n", processors >= 1);
    f = fopen("/proc/meminfo", "r");
    long total = -1, free_kb = -1;
    while (f && fgets(buf, sizeof buf, f)) {
        sscanf(buf, "MemTotal: %ld kB", &total);
        sscanf(buf, "MemFree: %ld kB", &free_kb);
    }
    if (f) fclose(f);
    printf("/proc/meminfo MemTotal > 0 %d, MemFree <= MemTotal %d\n", total > 0, free_kb >= 0 && free_kb <= total);
    SHOW("stat /proc/meminfo size", stat("/proc/meminfo", &st) == 0 ? st.st_size : -1);
    return 0;
}
