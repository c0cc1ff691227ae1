// A switch on each character of a string inside a loop that calls nothing (sash parses its
// arguments so): gcc keeps the jump table's base and its bound in caller-saved registers set
// once, before the loop, so neither is set on the path from the loop head to the jump.
// cflags: -fasynchronous-unwind-tables
// args: "a1b2,c3;d4 e5-f6+g7*h8/i9" "zz!yy?xx"
#include <stdio.h>

__attribute__((noinline)) static unsigned long classify(const char *s, int *counts) {
    unsigned long h = 0;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case 'a': h = h * 3 + 1; break;
        case 'b': h ^= 0x55; break;
        case 'c': h += 7; break;
        case 'd': h = h * 5 + 2; break;
        case 'e': h -= 3; break;
        case 'f': h ^= h >> 3; break;
        case 'g': h += h << 2; break;
        case 'h': h = ~h; break;
        case 'i': h += 11; break;
        case 'x': counts[0]++; break;
        case 'y': counts[1]++; break;
        case 'z': counts[2]++; break;
        case ',': case ';': counts[3]++; break;
        case '+': case '-': counts[4]++; break;
        case '*': case '/': counts[5]++; break;
        default: h += (unsigned char)*p; break;
        }
    }
    return h;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        int counts[6] = {0};
        unsigned long h = classify(argv[i], counts);
        printf("%lx %d %d %d %d %d %d\n", h, counts[0], counts[1], counts[2], counts[3],
               counts[4], counts[5]);
    }
    return 0;
}
