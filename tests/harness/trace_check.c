// The program tests/tests/trace.rs traces: built for riscv64 (traced by `elfconv2 run --strace`)
// and for the build machine (traced by the real strace, the format oracle). Each call is one
// that both traces must show identically.
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
static void on_usr1(int sig) { (void)sig; }
static sigjmp_buf after_fault;
static void on_segv(int sig) { siglongjmp(after_fault, sig); }
int main(void) {
    open("missing.txt", O_RDONLY);
    close(-1);
    write(1, "hello\n", 6);
    int p[2];
    pipe2(p, O_CLOEXEC);
    write(p[1], "abc", 3);
    char buf[16];
    read(p[0], buf, sizeof buf);
    int fd = open("made.txt", O_WRONLY | O_CREAT | O_TRUNC, 0640);
    struct stat st;
    fstat(fd, &st);
    syscall(500, 1, 2, 3, 4, 5, 6);
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    // A bad access caught by a handler: strace's fault line names si_code and si_addr.
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(after_fault, 1) == 0) *(volatile int *)16 = 1;
    _exit(3);
}
