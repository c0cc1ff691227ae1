// abort(): SIGABRT ends the process with exit code 134 under qemu; output flushed before still appears, atexit handlers must not run.
// exit: 134
#include <stdio.h>
#include <stdlib.h>

static void handler(void) { printf("atexit handler ran (it should not)\n"); }

int main(void) {
    atexit(handler);
    printf("about to abort\n");
    fflush(stdout);
    fprintf(stderr, "stderr before abort\n");
    printf("this line is still buffered and is lost");
    abort();
}
