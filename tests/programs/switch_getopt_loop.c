// An option loop as e2fsck has it: `while ((c = getopt(...)) != -1) switch (c)`, in a function
// with unwind tables. getopt is called on every iteration, so gcc keeps the jump table's base
// and the bound its index is checked against in callee-saved registers set once, before the
// loop; neither is set on the path from the loop head to the jump.
// cflags: -fasynchronous-unwind-tables
// args: -a -b 3 -c -dfoo -e -f -g 7 -h -k -l -m x -n -p -q -r -s -t -v -y -z rest
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long flags = 0, sum = 0;
    int c;
    while ((c = getopt(argc, argv, "ab:cd:efg:hklm:npqrstvyz")) != -1) {
        switch (c) {
        case 'a': flags |= 1; break;
        case 'b': sum += atoi(optarg); break;
        case 'c': flags |= 4; break;
        case 'd': printf("d=%s\n", optarg); break;
        case 'e': flags |= 16; break;
        case 'f': flags |= 32; break;
        case 'g': sum += 10 * atoi(optarg); break;
        case 'h': flags |= 128; break;
        case 'k': flags |= 256; break;
        case 'l': flags |= 512; break;
        case 'm': printf("m=%s\n", optarg); break;
        case 'n': flags |= 2048; break;
        case 'p': flags |= 4096; break;
        case 'q': flags |= 8192; break;
        case 'r': flags ^= 3; break;
        case 's': sum *= 2; break;
        case 't': sum -= 1; break;
        case 'v': flags |= 1 << 20; break;
        case 'y': flags |= 1 << 21; break;
        case 'z': flags |= 1 << 22; break;
        default: printf("unknown option\n"); return 2;
        }
    }
    printf("flags=%lx sum=%ld rest=%s\n", flags, sum, optind < argc ? argv[optind] : "-");
    return 0;
}
