// A process that sends itself SIGTERM with the default action dies of it: exit code 143 (128 + 15), after the output it wrote directly.
// exit: 143
#include <signal.h>
#include <unistd.h>

int main(void) {
    write(1, "sending SIGTERM to myself\n", 26);
    kill(getpid(), SIGTERM);
    write(1, "not reached\n", 12);
    return 0;
}
