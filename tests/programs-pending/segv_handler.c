// Bad memory accesses with a SIGSEGV handler installed, the way memory probes and crash reporters use it: sigsetjmp, touch the address, siglongjmp out of the handler. The handler sees si_code SEGV_MAPERR, si_addr, the ucontext pc at the faulting instruction, and the integer and FP registers as they were just before it, including ones written in the same block and an FP result whose NaN must be canonical. Then, with SIG_DFL again, a bad store kills the process: 139 (128 + 11).
// exit: 139
// fault: SIGSEGV: invalid memory access at 0x18
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf probe;
static volatile int hits;
static volatile int fault_code;
static volatile uintptr_t fault_addr, fault_pc, fault_sp, fault_s1, fault_s2, fault_s3;
static volatile uint64_t fault_fs0;
uintptr_t sp_before;

static void on_sigsegv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  hits++;
  fault_code = si->si_code;
  fault_addr = (uintptr_t)si->si_addr;
  fault_pc = uc->uc_mcontext.__gregs[0];
  fault_sp = uc->uc_mcontext.__gregs[2];
  fault_s1 = uc->uc_mcontext.__gregs[9];
  fault_s2 = uc->uc_mcontext.__gregs[18];
  fault_s3 = uc->uc_mcontext.__gregs[19];
  memcpy((void *)&fault_fs0, &uc->uc_mcontext.__fpregs.__d.__f[8], 8);
  siglongjmp(probe, sig);
}

// A load from `addr` at a known address. In the same block, just before it, s1 and s2 are set,
// s3 is set to 77 (and to 99 after it), fs0 gets inf - inf (a NaN that must show up canonical)
// and sp is recorded.
extern const char load_here[];
__attribute__((noinline, noclone)) static void bad_load(uintptr_t addr, long marker) {
  __asm__ volatile("mv s1, %1\n"
                   "addi s2, %1, 1\n"
                   "li s3, 77\n"
                   "sd sp, %2\n"
                   "fmv.d.x ft0, %3\n"
                   "fsub.d fs0, ft0, ft0\n"
                   ".globl load_here\n"
                   "load_here: ld t0, 0(%0)\n"
                   "li s3, 99\n"
                   :
                   : "r"(addr), "r"(marker), "m"(sp_before), "r"(0x7ff0000000000000ull)
                   : "s1", "s2", "s3", "t0", "ft0", "fs0", "memory");
}

// A store through a pointer that walks off the end of a loop; the fault is some iterations in,
// after the registers have changed in earlier blocks.
__attribute__((noinline, noclone)) static long bad_store(long *p, long n) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    sum += i;
    p[i] = sum;
    if (i == 4) p = (long *)(uintptr_t)0x40;
  }
  return sum;
}

static int sigsegv_blocked(void) {
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  return sigismember(&now, SIGSEGV);
}

int main(int argc, char **argv) {
  (void)argv;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsegv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSEGV, &sa, NULL) != 0) {
    perror("sigaction");
    return 1;
  }
  for (long round = 1; round <= 3; round++) {
    uintptr_t addr = 0x100 * round + 8 * argc;
    int got = sigsetjmp(probe, 1);
    if (got == 0) {
      bad_load(addr, 1000 + round);
      printf("round %ld: the load ran\n", round);
    } else {
      printf("round %ld: caught signal %d, hits %d, si_code %d, si_addr %#lx, pc %s, sp %s, "
             "s1 %ld, s2 %ld, s3 %ld, fs0 %#llx, SIGSEGV blocked after siglongjmp: %d\n",
             round, got, hits, fault_code, (unsigned long)fault_addr,
             fault_pc == (uintptr_t)load_here ? "at the load" : "elsewhere",
             fault_sp == sp_before ? "as before" : "different", (long)fault_s1, (long)fault_s2,
             (long)fault_s3, (unsigned long long)fault_fs0, sigsegv_blocked());
    }
  }
  long buf[8];
  if (sigsetjmp(probe, 1) == 0) {
    printf("store loop: sum %ld\n", bad_store(buf, 8));
  } else {
    printf("store loop: caught, si_addr %#lx, buf[4] %ld\n", (unsigned long)fault_addr, buf[4]);
  }
  fflush(stdout);
  signal(SIGSEGV, SIG_DFL);
  *(volatile long *)(uintptr_t)(0x10 + 8 * argc) = 1;
  puts("not reached");
  return 0;
}
