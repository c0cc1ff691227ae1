// Two switches on bytes read from constant arrays, each inside a loop that calls a function, in
// one function with unwind tables (as distributions build). gcc keeps each jump table's base in
// a callee-saved register set before its loop (the same register for both tables), and the
// first switch has no bound check: its index cannot be out of range. Discovery once took the
// first loop's cases, which only its table reaches, as entered with any register value, so the
// table base looked unknown, and the unbounded table was refused (Debian's bash-static has this
// shape). Under `elfconv2 run --no-interpret` a missed case is a failure.
// cflags: -fasynchronous-unwind-tables
// args: one two
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_NAME, K_NUM, K_PATH, K_LIST, K_FLAG, K_TEXT, K_SKIP };
static const unsigned char kinds[17] = {0, 0, 1, 4, 3, 2, 6, 0, 2, 1, 4, 0, 5, 0, 0, 1, 4};
static const unsigned char later[9] = {3, 1, 0, 2, 4, 1, 3, 0, 2};

__attribute__((noinline)) static char *make(const char *what, int i) {
    char *s = malloc(32);
    snprintf(s, 32, "%s%d", what, i);
    return s;
}

__attribute__((noinline)) static int fill(char **slots, char **more) {
    int made = 0;
    for (int i = 0; i < 17; i++) {
        if (slots[i])
            continue;
        switch ((enum kind)kinds[i]) {
        case K_NAME: slots[i] = make("name", i); break;
        case K_NUM: slots[i] = make("num", i * 7); break;
        case K_PATH: slots[i] = make("/p/", i); break;
        case K_LIST: slots[i] = make("a,b,", i); break;
        case K_FLAG: slots[i] = make("-f", i); break;
        case K_TEXT: slots[i] = make("text ", i); break;
        case K_SKIP: continue;
        default: __builtin_unreachable();
        }
        made++;
    }
    for (int i = 0; i < 9; i++) {
        switch (later[i]) {
        case 0: more[i] = make("zero", made); break;
        case 1: more[i] = make("one", i); break;
        case 2: more[i] = make("two", made + i); break;
        case 3: more[i] = make("three", made * i); break;
        case 4: more[i] = make("four", made - i); break;
        default: __builtin_unreachable();
        }
    }
    return made;
}

int main(int argc, char **argv) {
    char *slots[17], *more[9];
    memset(slots, 0, sizeof slots);
    slots[argc % 17] = argv[0];
    int made = fill(slots, more);
    for (int i = 0; i < 17; i++)
        printf("%d %s\n", i, slots[i] && slots[i] != argv[0] ? slots[i] : "-");
    for (int i = 0; i < 9; i++)
        printf("%d %s\n", i, more[i]);
    return made;
}
