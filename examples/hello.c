// elfconv2 quick-start example: greets every name given on the command line (or "world"),
// using printf and malloc, and exits with the number of names greeted.
//
//   riscv64-linux-gnu-gcc -O2 -static examples/hello.c -o hello
//   elfconv2 translate hello -o hello.wasm
//   wasmtime run hello.wasm Ada Grace; echo "exit code $?"     # or: elfconv2 run hello Ada Grace
//
// args: Ada Grace
// exit: 2
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *prog = strrchr(argv[0], '/');
    prog = prog ? prog + 1 : argv[0];

    int names = argc > 1 ? argc - 1 : 1;
    for (int i = 0; i < names; i++) {
        const char *name = argc > 1 ? argv[i + 1] : "world";
        size_t len = strlen("Hello, !") + strlen(name) + 1;
        char *greeting = malloc(len);
        if (!greeting) {
            fprintf(stderr, "%s: out of memory\n", prog);
            return 100;
        }
        snprintf(greeting, len, "Hello, %s!", name);
        printf("%s (%zu bytes from malloc)\n", greeting, len);
        free(greeting);
    }
    printf("%s greeted %d name%s; exit code %d\n", prog, names, names == 1 ? "" : "s", names);
    return names;
}
