// A store through a null pointer: SIGSEGV, exit code 139 (128 + 11); output flushed before it still appears.
// exit: 139
// fault: SIGSEGV: invalid memory access at 0x10 
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    volatile int *p = (int *)(long)(argc - 1); /* 0, but not known to the compiler */
    printf("before the bad store\n");
    fflush(stdout);
    p[4] = 42;
    printf("after the bad store (must not appear)\n");
    return 0;
}
