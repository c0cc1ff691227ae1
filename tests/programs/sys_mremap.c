// mremap beyond growing in place: MREMAP_FIXED (move to a chosen address, replacing what was
// there, growing or shrinking on the way), MREMAP_DONTUNMAP (move, the old range stays mapped
// and reads as zero), and the flag combinations Linux refuses.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static const long P = 4096;

static char *map(long pages) {
  char *p = mmap(NULL, pages * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) perror("mmap");
  return p;
}

static void fill(char *p, long len, char c) {
  for (long i = 0; i < len; i += 512) p[i] = (char)(c + i / 512);
}

static int same(const char *p, long len, char c) {
  for (long i = 0; i < len; i += 512)
    if (p[i] != (char)(c + i / 512)) return 0;
  return 1;
}

static int zero(const char *p, long len) {
  for (long i = 0; i < len; i++)
    if (p[i]) return 0;
  return 1;
}

static void refused(const char *what, void *r) {
  printf("%s: %s\n", what, r == MAP_FAILED ? strerror(errno) : "accepted");
}

int main(void) {
  // A window of 8 pages to move things into: both ends of each move are known free.
  char *window = map(8);
  char *a = map(2);
  fill(a, 2 * P, 'a');
  fill(window, 8 * P, 'w');

  // FIXED, same size, into the middle of the window: replaces those pages only.
  char *r = mremap(a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, window + 2 * P);
  printf("fixed same size: at target %d, moved %d, window before %d, window after %d\n",
         r == window + 2 * P, same(r, 2 * P, 'a'), window[P] == (char)('w' + P / 512),
         window[4 * P] == (char)('w' + 4 * P / 512));
  printf("fixed: old range unmapped %d\n", msync(a, P, MS_ASYNC) != 0 && errno == ENOMEM);

  // FIXED and growing: the new tail reads as zero.
  char *b = map(1);
  fill(b, P, 'b');
  r = mremap(b, P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, window + 5 * P);
  printf("fixed grow: at target %d, moved %d, tail zero %d\n", r == window + 5 * P,
         same(r, P, 'b'), zero(r + P, 2 * P));

  // FIXED and shrinking: only the head moves, the rest of the old mapping is gone.
  char *c = map(3);
  fill(c, 3 * P, 'c');
  r = mremap(c, 3 * P, P, MREMAP_MAYMOVE | MREMAP_FIXED, window);
  printf("fixed shrink: at target %d, moved %d, old tail unmapped %d\n", r == window,
         same(r, P, 'c'), msync(c + P, P, MS_ASYNC) != 0 && errno == ENOMEM);

  // DONTUNMAP: the data moves, the old range stays mapped and reads as zero.
  char *d = map(2);
  fill(d, 2 * P, 'd');
  r = mremap(d, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
  printf("dontunmap: moved %d, new place %d, old still mapped %d, old zero %d\n",
         r != MAP_FAILED && same(r, 2 * P, 'd'), r != d, msync(d, 2 * P, MS_ASYNC) == 0,
         zero(d, 2 * P));
  d[0] = 1;  // and writable

  // What Linux refuses.
  char *e = map(2);
  refused("fixed without maymove", mremap(e, P, P, MREMAP_FIXED, window));
  refused("fixed onto itself", mremap(e, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, e + P));
  refused("fixed unaligned target",
          mremap(e, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, window + 1));
  refused("dontunmap without maymove", mremap(e, P, P, MREMAP_DONTUNMAP, NULL));
  refused("dontunmap resizing", mremap(e, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL));
  refused("unknown flag", mremap(e, P, P, MREMAP_MAYMOVE | 64, NULL));
  char *gone = map(1);
  munmap(gone, P);
  refused("unmapped source", mremap(gone, P, P, MREMAP_MAYMOVE, NULL));
  return 0;
}
