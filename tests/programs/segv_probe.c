// Bad memory accesses caught by a SIGSEGV handler, the way memory probes and crash reporters use
// one: sigsetjmp, touch the address, siglongjmp out of the handler. The handler sees si_code
// SEGV_MAPERR, si_addr, the ucontext pc at the faulting instruction, and SIGSEGV blocked while it
// runs; the mask is restored by siglongjmp. A SA_RESETHAND handler runs once, and the second fault
// kills the process: 139 (128 + 11), with the output flushed before it.
// exit: 139
// fault: SIGSEGV: invalid memory access at 0x28
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf probe;
static volatile int hits;
static volatile int fault_code;
static volatile int blocked_in_handler;
static volatile uintptr_t fault_addr, fault_pc;

static int sigsegv_blocked(void) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  return sigismember(&now, SIGSEGV);
}

static void on_sigsegv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  hits++;
  fault_code = si->si_code;
  fault_addr = (uintptr_t)si->si_addr;
  fault_pc = uc->uc_mcontext.__gregs[0];
  blocked_in_handler = sigsegv_blocked();
  siglongjmp(probe, sig);
}

// A load from `addr` at a known address.
extern const char load_here[];
__attribute__((noinline, noclone)) static long bad_load(uintptr_t addr) {
  long v;
  __asm__ volatile(".globl load_here\n"
                   "load_here: ld %0, 0(%1)\n"
                   : "=r"(v)
                   : "r"(addr)
                   : "memory");
  return v;
}

// Is `addr` readable? The classic probe.
static int readable(const volatile long *addr) {
  if (sigsetjmp(probe, 1) != 0) return 0;
  (void)*addr;
  return 1;
}

// A store through a pointer that walks off into unmapped memory some iterations in.
__attribute__((noinline, noclone)) static long bad_store(long *p, long n) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    sum += i;
    p[i] = sum;
    if (i == 4) p = (long *)(uintptr_t)0x40;
  }
  return sum;
}

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
  install(0);
  for (long round = 1; round <= 3; round++) {
    uintptr_t addr = 0x100 * round + 8 * argc;
    int got = sigsetjmp(probe, 1);
    if (got == 0) {
      printf("round %ld: loaded %ld\n", round, bad_load(addr));
    } else {
      printf("round %ld: caught signal %d, hits %d, si_code %d, si_addr %#lx, pc %s, "
             "blocked in handler %d, blocked after siglongjmp %d\n",
             round, got, hits, fault_code, (unsigned long)fault_addr,
             fault_pc == (uintptr_t)load_here ? "at the load" : "elsewhere", blocked_in_handler,
             sigsegv_blocked());
    }
  }
  static long here = 42;
  printf("probe: static %d, null %d, page 0x1000 %d, high %d\n", readable(&here),
         readable((long *)(uintptr_t)0), readable((long *)(uintptr_t)0x1000),
         readable((long *)(uintptr_t)0xfffffff0u));
  long buf[8];
  if (sigsetjmp(probe, 1) == 0) {
    printf("store loop: sum %ld\n", bad_store(buf, 8));
  } else {
    printf("store loop: caught, si_addr %#lx, buf[4] %ld, hits %d\n", (unsigned long)fault_addr,
           buf[4], hits);
  }
  install(SA_RESETHAND);
  if (sigsetjmp(probe, 1) == 0) {
    bad_load(0x20);
  } else {
    printf("one-shot handler: si_addr %#lx, hits %d\n", (unsigned long)fault_addr, hits);
  }
  fflush(stdout);
  *(volatile long *)(uintptr_t)(0x20 + 8 * argc) = 1;
  puts("not reached");
  return 0;
}
