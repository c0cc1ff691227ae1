// argv, environment and exit code as the guest sees them.
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    const char *g = getenv("GREETING");
    printf("GREETING=%s\n", g ? g : "(unset)");
    printf("HOME=%s\n", getenv("HOME") ? "set" : "(unset)");
    return argc > 1 ? atoi(argv[1]) : 0;
}
