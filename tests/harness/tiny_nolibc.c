// A riscv64 program without libc (built with -nostdlib -static), the seed that
// tests/tests/malformed.rs and lifter/fuzz mutate: small enough that each mutation
// translates in well under a second, yet it has what discovery looks for: direct
// calls, a jump table (the switch), code pointers in data, and unwind tables.
// It writes one line per argument kind and exits with a code computed from argc.

static long syscall3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

// write(1, s, strlen(s)) for a string literal (a strlen loop would become a libc call).
#define say(s) syscall3(64, 1, (long)(s), sizeof(s) - 1)

static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
static int (*const scale[])(int) = {twice, thrice};

static int kind(int c) {
    switch (c) {
    case 0: say("zero\n"); return 5;
    case 1: say("one\n"); return 7;
    case 2: say("two\n"); return 11;
    case 3: say("three\n"); return 13;
    case 4: say("four\n"); return 17;
    case 5: say("five\n"); return 19;
    default: say("many\n"); return 23;
    }
}

void __attribute__((noreturn)) _start_c(long *sp) {
    int argc = (int)sp[0];
    int code = scale[argc & 1](kind(argc));
    syscall3(93, code & 0x7f, 0, 0); // exit(code)
    for (;;) {}
}

__asm__(".globl _start\n_start:\n  mv a0, sp\n  j _start_c\n");
