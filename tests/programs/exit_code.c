// A non-zero exit code through exit(); buffered output must still be flushed.
// exit: 42
#include <stdio.h>
#include <stdlib.h>

static void goodbye(void) { printf("atexit handler ran\n"); }

int main(void) {
    atexit(goodbye);
    printf("exiting with 42 (this line is still in the stdio buffer)");
    fputs("\n", stdout);
    fprintf(stderr, "about to exit\n");
    exit(42);
}
