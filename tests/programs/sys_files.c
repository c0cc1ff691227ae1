// Files: open flags (CREAT, EXCL, TRUNC, APPEND, DIRECTORY, NOFOLLOW, CLOEXEC), read/write/pread/pwrite/readv/writev/preadv/pwritev, lseek, ftruncate/truncate, fsync, stat/lstat/fstat/statx, chmod and umask, utimensat, link/symlink/readlink, rename/renameat2, sendfile, copy_file_range, statfs; with the errno of every failure (ENOENT, EEXIST, EISDIR, ENOTDIR, EBADF, EFAULT, EINVAL, ESPIPE). Leaves files behind.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* An address that is never mapped: EFAULT when the kernel reads it. */
#define BAD_PTR ((void *)16)

static const char *err(long rc) {
    if (rc >= 0) return "ok";
    return strerrorname_np(errno);
}

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-34s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

static void show_mode(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) { printf("lstat %s: %s\n", path, strerrorname_np(errno)); return; }
    const char *type = S_ISREG(st.st_mode) ? "reg" : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "lnk" : "other";
    printf("%-12s %s", path, type);
    if (!S_ISDIR(st.st_mode)) printf(" size=%lld", (long long)st.st_size);
    if (!S_ISLNK(st.st_mode)) printf(" perm=%o", st.st_mode & 07777);
    printf(" nlink=%lu\n", (unsigned long)st.st_nlink);
}

int main(void) {
    umask(022);
    char buf[64];

    /* open flags */
    int fd = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0640);
    SHOW("open O_CREAT 0640", fd);
    SHOW("write", write(fd, "hello world\n", 12));
    SHOW("read on O_WRONLY", read(fd, buf, 4));
    SHOW("close", close(fd));
    SHOW("close again", close(fd));
    SHOW("open O_CREAT|O_EXCL existing", open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
    SHOW("open missing", open("missing.txt", O_RDONLY));
    SHOW("open missing/x", open("missing/x", O_RDONLY));
    SHOW("open a.txt/x", open("a.txt/x", O_RDONLY));
    SHOW("open O_DIRECTORY on file", open("a.txt", O_RDONLY | O_DIRECTORY));
    SHOW("mkdir d", mkdir("d", 0750));
    SHOW("open dir O_WRONLY", open("d", O_WRONLY));
    SHOW("open dir O_RDWR", open("d", O_RDWR));
    SHOW("open bad path pointer", open(BAD_PTR, O_RDONLY));
    SHOW("open empty path", open("", O_RDONLY));
    fd = open("d", O_RDONLY | O_DIRECTORY);
    SHOW("open dir O_DIRECTORY", fd >= 0);
    SHOW("read on a directory", read(fd, buf, 4));
    close(fd);

    fd = open("a.txt", O_RDWR | O_APPEND | O_CLOEXEC);
    SHOW("FD_CLOEXEC set", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    SHOW("O_APPEND in GETFL", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    lseek(fd, 0, SEEK_SET);
    SHOW("append write", write(fd, "more\n", 5));
    SHOW("offset after append", lseek(fd, 0, SEEK_CUR));
    close(fd);

    /* positioned and vectored I/O */
    fd = open("b.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct iovec iov[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    SHOW("writev", writev(fd, iov, 3));
    SHOW("pwrite at 4", pwrite(fd, "TWO", 3, 4));
    memset(buf, 0, sizeof buf);
    SHOW("pread 8 at 0", pread(fd, buf, 8, 0));
    printf("  pread got \"%s\"\n", buf);
    SHOW("offset unchanged by pread", lseek(fd, 0, SEEK_CUR));
    char p1[4] = {0}, p2[8] = {0};
    struct iovec riov[2] = {{p1, 3}, {p2, 7}};
    SHOW("preadv at 1", preadv(fd, riov, 2, 1));
    printf("  preadv got \"%s\" \"%s\"\n", p1, p2);
    struct iovec wiov[1] = {{"!!", 2}};
    SHOW("pwritev at 14", pwritev(fd, wiov, 1, 14));
    SHOW("pread negative offset", pread(fd, buf, 1, -1));
    SHOW("lseek SEEK_END", lseek(fd, 0, SEEK_END));
    SHOW("lseek past end", lseek(fd, 100, SEEK_SET));
    SHOW("lseek negative", lseek(fd, -1, SEEK_SET));
    SHOW("lseek bad whence", lseek(fd, 0, 7));
    SHOW("read at EOF", read(fd, buf, 8));
    SHOW("read into bad pointer", pread(fd, BAD_PTR, 4, 0));
    SHOW("write from bad pointer", write(fd, BAD_PTR, 4));
    SHOW("fsync", fsync(fd));
    SHOW("fdatasync", fdatasync(fd));
    struct stat st;
    fstat(fd, &st);
    printf("  fstat size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    close(fd);
    SHOW("read on closed fd", read(fd, buf, 1));
    SHOW("write on fd -1", write(-1, "x", 1));
    SHOW("lseek on fd 999", lseek(999, 0, SEEK_SET));

    /* sizes */
    fd = open("c.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    SHOW("ftruncate grow", ftruncate(fd, 5000));
    fstat(fd, &st);
    printf("  size %lld\n", (long long)st.st_size);
    SHOW("pread in the hole", pread(fd, buf, 4, 4000));
    printf("  hole bytes %d %d\n", buf[0], buf[3]);
    SHOW("ftruncate shrink", ftruncate(fd, 100));
    SHOW("ftruncate negative", ftruncate(fd, -1));
    close(fd);
    fd = open("c.bin", O_RDONLY);
    SHOW("ftruncate read-only fd", ftruncate(fd, 10));
    close(fd);
    SHOW("truncate path", truncate("c.bin", 10));
    SHOW("truncate missing", truncate("nope", 10));
    SHOW("truncate directory", truncate("d", 10));
    show_mode("c.bin");

    /* modes */
    umask(077);
    fd = open("private.txt", O_CREAT | O_WRONLY, 0666);
    close(fd);
    umask(022);
    show_mode("a.txt");
    show_mode("private.txt");
    show_mode("d");
    SHOW("chmod 0604", chmod("a.txt", 0604));
    show_mode("a.txt");
    SHOW("chmod missing", chmod("nope", 0644));
    fd = open("a.txt", O_RDONLY);
    SHOW("fchmod 0600", fchmod(fd, 0600));
    close(fd);
    show_mode("a.txt");
    SHOW("chown to own ids", chown("a.txt", (uid_t)-1, (gid_t)-1));
    SHOW("umask returns old", umask(022));

    /* times */
    /* Whole seconds: node:wasi drops the sub-second part of the times it sets. */
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
    SHOW("utimensat", utimensat(AT_FDCWD, "a.txt", times, 0));
    stat("a.txt", &st);
    printf("  atime %lld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {99, 0}};
    SHOW("utimensat UTIME_OMIT", utimensat(AT_FDCWD, "a.txt", omit, 0));
    stat("a.txt", &st);
    printf("  atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    struct timespec bad[2] = {{0, 2000000000}, {0, 0}};
    SHOW("utimensat bad nsec", utimensat(AT_FDCWD, "a.txt", bad, 0));
    SHOW("utimensat missing", utimensat(AT_FDCWD, "nope", times, 0));

    /* links */
    SHOW("link", link("a.txt", "hard.txt"));
    show_mode("a.txt");
    SHOW("link existing target", link("a.txt", "hard.txt"));
    SHOW("link missing source", link("nope", "x"));
    SHOW("symlink", symlink("a.txt", "sym"));
    SHOW("symlink existing", symlink("a.txt", "sym"));
    SHOW("symlink dangling", symlink("nowhere", "dangling"));
    memset(buf, 0, sizeof buf);
    SHOW("readlink", readlink("sym", buf, sizeof buf));
    printf("  -> %s\n", buf);
    SHOW("readlink short buffer", readlink("sym", buf, 3));
    SHOW("readlink not a link", readlink("a.txt", buf, sizeof buf));
    SHOW("readlink missing", readlink("nope", buf, sizeof buf));
    show_mode("sym");
    SHOW("stat through symlink", stat("sym", &st));
    printf("  size %lld\n", (long long)st.st_size);
    SHOW("stat dangling", stat("dangling", &st));
    SHOW("lstat dangling", lstat("dangling", &st));
    SHOW("open O_NOFOLLOW on symlink", open("sym", O_RDONLY | O_NOFOLLOW));

    /* renames */
    fd = open("r1", O_CREAT | O_WRONLY, 0644);
    write(fd, "r1", 2);
    close(fd);
    fd = open("r2", O_CREAT | O_WRONLY, 0644);
    close(fd);
    SHOW("renameat2 NOREPLACE existing", renameat2(AT_FDCWD, "r1", AT_FDCWD, "r2", RENAME_NOREPLACE));
    SHOW("rename over file", rename("r1", "r2"));
    SHOW("rename missing", rename("r1", "r3"));
    SHOW("rename file over dir", rename("r2", "d"));
    SHOW("renameat2 NOREPLACE new", renameat2(AT_FDCWD, "r2", AT_FDCWD, "r3", RENAME_NOREPLACE));

    /* copying */
    int in = open("b.bin", O_RDONLY);
    int out = open("copy1.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    off_t off = 4;
    SHOW("sendfile from offset 4", sendfile(out, in, &off, 100));
    printf("  offset now %lld, in fd at %lld\n", (long long)off, (long long)lseek(in, 0, SEEK_CUR));
    SHOW("sendfile bad out fd", sendfile(-1, in, NULL, 10));
    close(out);
    out = open("copy2.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    SHOW("copy_file_range", copy_file_range(in, NULL, out, NULL, 8, 0));
    SHOW("copy_file_range bad flags", copy_file_range(in, NULL, out, NULL, 8, 1));
    close(out);
    close(in);

    /* file system */
    struct statfs sf;
    SHOW("statfs .", statfs(".", &sf));
    printf("  bsize>0 %d namelen %ld\n", sf.f_bsize > 0, (long)sf.f_namelen);
    SHOW("statfs missing", statfs("nope", &sf));

    /* statx */
    struct statx sx;
    SHOW("statx", statx(AT_FDCWD, "b.bin", 0, STATX_BASIC_STATS, &sx));
    printf("  statx size %llu regular %d mask has size %d\n", (unsigned long long)sx.stx_size, S_ISREG(sx.stx_mode), (sx.stx_mask & STATX_SIZE) != 0);
    SHOW("statx missing", statx(AT_FDCWD, "nope", 0, STATX_BASIC_STATS, &sx));
    SHOW("statx AT_EMPTY_PATH no flag", statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx));
    SHOW("fstatat AT_EMPTY_PATH cwd", fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH));
    printf("  cwd is dir %d\n", S_ISDIR(st.st_mode));
    SHOW("stat bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "a.txt", BAD_PTR, 0));

    /* access */
    SHOW("access a.txt R_OK", access("a.txt", R_OK));
    SHOW("access missing", access("nope", F_OK));
    SHOW("access bad mode", access("a.txt", 0100));

    SHOW("unlink", unlink("hard.txt"));
    SHOW("unlink missing", unlink("hard.txt"));
    SHOW("unlink directory", unlink("d"));
    SHOW("rmdir file", rmdir("a.txt"));
    SHOW("rmdir", rmdir("d"));
    return 0;
}
