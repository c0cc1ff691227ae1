// One unoptimised function of about 19,000 instructions, translated with elfconv2 -O0. The
// back end once gave every value of such a function a Wasm local of its own, beyond the 50,000
// a function may have, and wasmtime refused the module (Debian's bash-static hit it).
// translate: -O0
#include <stdio.h>
#include <stdlib.h>

#define S(i) x = x * (2ul * (i) + 3) + (y ^ (x >> ((i) % 61 + 1))); y += x | (i);
#define S4(i) S(i) S((i) + 1) S((i) + 2) S((i) + 3)
#define S16(i) S4(i) S4((i) + 4) S4((i) + 8) S4((i) + 12)
#define S64(i) S16(i) S16((i) + 16) S16((i) + 32) S16((i) + 48)
#define S256(i) S64(i) S64((i) + 64) S64((i) + 128) S64((i) + 192)

__attribute__((noinline, optimize("O0"))) static unsigned long big(unsigned long x,
                                                                   unsigned long y) {
    S256(0) S256(256) S256(512) S256(768) S256(1024)
    return x ^ y;
}

int main(int argc, char **argv) {
    unsigned long seed = argc > 1 ? strtoul(argv[1], 0, 0) : 7;
    printf("%lx\n", big((unsigned long)argc, seed));
    printf("%lx\n", big(seed, 0x9e3779b97f4a7c15ul));
    return 0;
}
