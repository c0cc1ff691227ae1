// An illegal instruction with a SIGILL handler installed, the way CPU-feature probes use it: sigsetjmp, try the instruction, siglongjmp out of the handler. The handler sees si_code ILL_ILLOPC, si_addr and the ucontext pc at the instruction, and the registers the code had set; the signal mask comes back with siglongjmp. Then, with SIG_DFL again, the same instruction kills the process: 132 (128 + 4).
// exit: 132
// fault: SIGILL: unsupported instruction at
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf probe;
static volatile int hits;
static volatile uintptr_t fault_addr, fault_pc;
static volatile int fault_code;
static volatile long seen_s1;

static void on_sigill(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  hits++;
  fault_code = si->si_code;
  fault_addr = (uintptr_t)si->si_addr;
  fault_pc = uc->uc_mcontext.__gregs[0];
  seen_s1 = uc->uc_mcontext.__gregs[9];
  siglongjmp(probe, sig);
}

// The defined illegal instruction (c.unimp, all zero bits), at a known address; s1 holds a
// value the handler reads back from the ucontext.
extern const char illegal_here[];
__attribute__((noinline, noclone)) static void try_illegal(long marker) {
  __asm__ volatile("mv s1, %0\n"
                   ".globl illegal_here\n"
                   "illegal_here: .2byte 0\n"
                   :
                   : "r"(marker)
                   : "s1", "memory");
}

static int sigill_blocked(void) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  return sigismember(&now, SIGILL);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigill;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGILL, &sa, NULL) != 0) {
    perror("sigaction");
    return 1;
  }
  for (long round = 1; round <= 3; round++) {
    int got = sigsetjmp(probe, 1);
    if (got == 0) {
      try_illegal(1000 + round);
      printf("round %ld: the illegal instruction ran\n", round);
    } else {
      printf("round %ld: caught signal %d, hits %d, si_code %d, si_addr %s, pc %s, s1 %ld, "
             "SIGILL blocked after siglongjmp: %d\n",
             round, got, hits, fault_code,
             fault_addr == (uintptr_t)illegal_here ? "at the instruction" : "elsewhere",
             fault_pc == (uintptr_t)illegal_here ? "at the instruction" : "elsewhere", seen_s1,
             sigill_blocked());
    }
  }
  fflush(stdout);
  signal(SIGILL, SIG_DFL);
  try_illegal(0);
  puts("not reached");
  return 0;
}
