// A load from a wild address far above any mapping, through a negative offset: SIGSEGV, exit 139.
// exit: 139
// fault: SIGSEGV: invalid memory access at 0x7fff12345678 
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    /* 0x7fff12345680 when argc is 1, not known to the compiler */
    volatile long *p = (long *)(0x7fff12345678L + 8L * argc);
    printf("before the bad load\n");
    fflush(stdout);
    long x = p[-1];
    printf("after the bad load: %ld (must not appear)\n", x);
    return 0;
}
