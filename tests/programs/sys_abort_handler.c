// abort() with a SIGABRT handler that returns: the handler runs once, then abort still ends the process with SIGABRT (exit code 134); stdio buffers are not flushed.
// exit: 134
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_abort(int sig) {
    const char *msg = sig == SIGABRT ? "SIGABRT handler ran\n" : "wrong signal\n";
    write(1, msg, strlen(msg));
}

int main(void) {
    signal(SIGABRT, on_abort);
    write(1, "calling abort\n", 14);
    printf("buffered, never flushed");
    abort();
}
