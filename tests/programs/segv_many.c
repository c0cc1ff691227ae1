// Many bad accesses caught by one SIGSEGV handler, each left with siglongjmp: from shallow and
// deep call chains (past the depth where translated calls stop nesting natively), on the normal
// stack and on a sigaltstack (SA_ONSTACK). 1000 faults in all, the most one translated run
// catches (every caught fault leaves Wasm frames behind; see docs/SYSCALLS-STATUS.md). Afterwards
// the program still recurses deeply and calls through function pointers as before.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf env;
static volatile long hits, on_alt;
static char alt[64 * 1024];

static void on_sigsegv(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  char here;
  hits++;
  if (&here >= alt && &here < alt + sizeof alt) on_alt++;
  siglongjmp(env, sig + (int)((uintptr_t)si->si_addr & 0xff));
}

// Recurses `depth` calls deep, then loads from `p`.
__attribute__((noinline, noclone)) static long descend(long depth, volatile long *p) {
  volatile long frame[2] = {depth, 0};  // keeps gcc from turning the recursion into a loop
  if (depth == 0) return *p;
  frame[1] = descend(depth - 1, p);
  return frame[1] + frame[0];
}

static long (*volatile through_pointer)(long, volatile long *) = descend;

static void install(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsegv;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSEGV, &sa, NULL) != 0) perror("sigaction");
}

int main(int argc, char **argv) {
  (void)argv;
  static const long depths[] = {0, 1, 7, 50, 300, 383, 384, 385, 1000, 5000};
  long bad = 8 * argc, sum = 0;
  install(0);
  for (int i = 0; i < 900; i++) {
    long depth = depths[i % 10];
    int got = sigsetjmp(env, 1);
    if (got == 0) {
      sum += (i & 1 ? through_pointer : descend)(depth, (volatile long *)(bad + i % 64));
      printf("fault %d did not happen\n", i);
    } else {
      sum += got;
    }
  }
  printf("normal stack: hits %ld, on the alternate stack %ld, sum %ld\n", hits, on_alt, sum);
  stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) perror("sigaltstack");
  install(SA_ONSTACK);
  for (int i = 0; i < 100; i++) {
    if (sigsetjmp(env, 1) == 0) descend(depths[i % 10], (volatile long *)(bad + 4096 + i));
  }
  printf("alternate stack: hits %ld, on the alternate stack %ld\n", hits, on_alt);
  long total = 0;
  for (int i = 0; i < 200; i++) {
    long v = i;
    total += through_pointer(20000 + i % 3, &v);
  }
  printf("after the faults: recursion total %ld\n", total);
  return 0;
}
