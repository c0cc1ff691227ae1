// File descriptors: dup/dup2/dup3 and fcntl (DUPFD, DUPFD_CLOEXEC, GETFD/SETFD, GETFL/SETFL, record locks), shared offsets between duplicates, close_range, pipes (pipe2, EOF, EAGAIN, EPIPE with SIGPIPE ignored, FIONREAD, fstat), poll and select, isatty, ioctl ENOTTY, flock; with the errno of every failure (EBADF, EINVAL, EFAULT, EMFILE).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-36s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

int main(void) {
    char buf[64];
    int fd = open("f.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);

    /* duplicates share the offset and status flags */
    int d = dup(fd);
    SHOW("dup is lowest free", d == fd + 1);
    lseek(fd, 2, SEEK_SET);
    SHOW("dup shares offset", lseek(d, 0, SEEK_CUR));
    SHOW("F_SETFL O_APPEND on one", fcntl(d, F_SETFL, O_APPEND));
    SHOW("  seen through the other", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    fcntl(d, F_SETFL, 0);
    SHOW("dup of bad fd", dup(77));
    SHOW("dup2 onto 10", dup2(fd, 10));
    SHOW("dup2 same fd", dup2(fd, fd));
    SHOW("dup2 bad old", dup2(77, 11));
    SHOW("dup2 to negative", dup2(fd, -1));
    SHOW("dup3 same fd", dup3(fd, fd, 0));
    SHOW("dup3 O_CLOEXEC onto 11", dup3(fd, 11, O_CLOEXEC));
    SHOW("  FD_CLOEXEC on 11", fcntl(11, F_GETFD));
    SHOW("  FD_CLOEXEC on 10", fcntl(10, F_GETFD));
    SHOW("dup3 bad flags", dup3(fd, 12, 1));
    SHOW("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20));
    SHOW("F_DUPFD_CLOEXEC from 20", fcntl(fd, F_DUPFD_CLOEXEC, 20));
    SHOW("  its FD_CLOEXEC", fcntl(21, F_GETFD));
    SHOW("F_SETFD", fcntl(20, F_SETFD, FD_CLOEXEC));
    SHOW("  F_GETFD", fcntl(20, F_GETFD));
    SHOW("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
    SHOW("F_GETFL access mode", fcntl(fd, F_GETFL) & O_ACCMODE);
    SHOW("fcntl bad command", fcntl(fd, 9999));
    SHOW("fcntl bad fd", fcntl(88, F_GETFD));

    /* record locks: the only process gets every lock */
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5};
    SHOW("F_SETLK write lock", fcntl(fd, F_SETLK, &lk));
    lk.l_type = F_WRLCK;
    SHOW("F_GETLK", fcntl(fd, F_GETLK, &lk));
    printf("  l_type after F_GETLK is F_UNLCK %d\n", lk.l_type == F_UNLCK);
    SHOW("flock LOCK_EX", flock(fd, LOCK_EX | LOCK_NB));
    SHOW("flock LOCK_UN", flock(fd, LOCK_UN));
    SHOW("flock bad op", flock(fd, 0));
    SHOW("flock bad fd", flock(99, LOCK_SH));

    /* close_range */
    SHOW("close_range 20..21", close_range(20, 21, 0));
    SHOW("  20 closed", fcntl(20, F_GETFD));
    SHOW("close_range CLOEXEC 10..10", close_range(10, 10, CLOSE_RANGE_CLOEXEC));
    SHOW("  10 now cloexec", fcntl(10, F_GETFD));
    SHOW("close_range first > last", close_range(5, 4, 0));
    SHOW("close_range bad flags", close_range(10, 11, 0x100));
    SHOW("close_range 10..~0", close_range(10, ~0U, 0));
    SHOW("  11 closed", fcntl(11, F_GETFD));

    /* the fd limit */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    SHOW("dup2 at the limit", dup2(fd, (int)rl.rlim_cur));
    SHOW("F_DUPFD at the limit", fcntl(fd, F_DUPFD, (int)rl.rlim_cur));
    close(d);
    close(fd);

    /* pipes */
    int p[2];
    SHOW("pipe", pipe(p));
    SHOW("pipe bad pointer", syscall(SYS_pipe2, BAD_PTR, 0));
    SHOW("pipe2 bad flags", pipe2(p + 0, 0x12345));
    struct stat st;
    fstat(p[0], &st);
    printf("  read end is a FIFO %d, size %lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);
    SHOW("write to pipe", write(p[1], "through the pipe", 16));
    int avail = -1;
    SHOW("FIONREAD", ioctl(p[0], FIONREAD, &avail));
    printf("  available %d\n", avail);
    SHOW("lseek on a pipe", lseek(p[0], 0, SEEK_SET));
    SHOW("pread on a pipe", pread(p[0], buf, 4, 0));
    SHOW("read from write end", read(p[1], buf, 4));
    SHOW("write to read end", write(p[0], "x", 1));
    memset(buf, 0, sizeof buf);
    SHOW("read 7", read(p[0], buf, 7));
    printf("  got \"%s\"\n", buf);
    struct pollfd pf[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}};
    SHOW("poll", poll(pf, 3, 0));
    printf("  revents %#x %#x %#x\n", pf[0].revents, pf[1].revents, pf[2].revents);
    SHOW("read the rest", read(p[0], buf, sizeof buf));
    pf[0].revents = 0;
    SHOW("poll empty pipe, 10 ms", poll(pf, 1, 10));
    printf("  revents %#x\n", pf[0].revents);
    SHOW("F_SETFL O_NONBLOCK", fcntl(p[0], F_SETFL, O_NONBLOCK));
    SHOW("read empty non-blocking", read(p[0], buf, 4));
    fd_set rs, ws;
    FD_ZERO(&rs);
    FD_ZERO(&ws);
    FD_SET(p[0], &rs);
    FD_SET(p[1], &ws);
    struct timeval tv = {0, 0};
    SHOW("select", select(p[1] + 1, &rs, &ws, NULL, &tv));
    printf("  read ready %d, write ready %d\n", FD_ISSET(p[0], &rs) != 0, FD_ISSET(p[1], &ws) != 0);
    struct pollfd bad = {77, POLLIN, 0};
    SHOW("poll a closed fd", poll(&bad, 1, 0));
    printf("  revents POLLNVAL %d\n", bad.revents == POLLNVAL);
    SHOW("poll bad pointer", poll(BAD_PTR, 1, 0));
    close(p[1]);
    pf[0].revents = 0;
    SHOW("poll after writer closed", poll(pf, 1, 0));
    printf("  POLLHUP %d\n", (pf[0].revents & POLLHUP) != 0);
    SHOW("read at EOF", read(p[0], buf, 4));
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    pipe2(p, O_CLOEXEC);
    SHOW("pipe2 O_CLOEXEC", fcntl(p[0], F_GETFD));
    close(p[0]);
    SHOW("write with no reader", write(p[1], "x", 1));
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    static char big[70000];
    SHOW("big non-blocking write (partial)", write(p[1], big, sizeof big));
    SHOW("then the pipe is full", write(p[1], big, 10));
    SHOW("F_GETPIPE_SZ", fcntl(p[1], F_GETPIPE_SZ));
    long total = 0, n;
    while ((n = read(p[0], big, sizeof big)) > 0) total += n;
    printf("  drained %ld bytes, last read %s\n", total, err(n));
    close(p[0]);
    close(p[1]);

    /* dup2 over stdout redirects it */
    fd = open("out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    int saved = dup(1);
    fflush(stdout);
    dup2(fd, 1);
    printf("this line goes to out.txt\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(fd);
    printf("stdout restored\n");

    /* terminals */
    fd = open("f.txt", O_RDONLY);
    SHOW("isatty(file)", isatty(fd));
    printf("  errno %s\n", strerrorname_np(errno));
    struct winsize ws2;
    SHOW("TIOCGWINSZ on a file", ioctl(fd, TIOCGWINSZ, &ws2));
    SHOW("ioctl bad fd", ioctl(99, TIOCGWINSZ, &ws2));
    int on = 1;
    SHOW("FIONBIO", ioctl(fd, FIONBIO, &on));
    SHOW("  O_NONBLOCK set", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    SHOW("FIOCLEX", ioctl(fd, FIOCLEX));
    SHOW("  FD_CLOEXEC", fcntl(fd, F_GETFD));
    close(fd);
    return 0;
}
