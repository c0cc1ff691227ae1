// Big switch statements: a dense 64-case switch (jump table), a sparse switch with far-apart case values (binary search), ranges, fallthrough, and a switch on a 64-bit value.
#include <stdint.h>
#include <stdio.h>

static int dense(unsigned x) {
    switch (x) {
    case 0: return 17; case 1: return 4; case 2: return 99; case 3: return 12; case 4: return 7; case 5: return 63;
    case 6: return 1; case 7: return 88; case 8: return 23; case 9: return 45; case 10: return 6; case 11: return 71;
    case 12: return 30; case 13: return 2; case 14: return 57; case 15: return 14; case 16: return 91; case 17: return 38;
    case 18: return 76; case 19: return 5; case 20: return 49; case 21: return 82; case 22: return 27; case 23: return 60;
    case 24: return 9; case 25: return 33; case 26: return 95; case 27: return 41; case 28: return 18; case 29: return 67;
    case 30: return 3; case 31: return 54; case 32: return 86; case 33: return 29; case 34: return 72; case 35: return 11;
    case 36: return 44; case 37: return 97; case 38: return 20; case 39: return 65; case 40: return 8; case 41: return 51;
    case 42: return 79; case 43: return 36; case 44: return 13; case 45: return 93; case 46: return 26; case 47: return 58;
    case 48: return 40; case 49: return 84; case 50: return 15; case 51: return 69; case 52: return 31; case 53: return 98;
    case 54: return 22; case 55: return 47; case 56: return 75; case 57: return 10; case 58: return 62; case 59: return 35;
    case 60: return 90; case 61: return 19; case 62: return 53; case 63: return 81;
    default: return -1;
    }
}

static const char *sparse(int x) {
    switch (x) {
    case -1000000: return "minus a million";
    case -7: return "minus seven";
    case 0: return "zero";
    case 13: return "thirteen";
    case 404: return "not found";
    case 1 << 20: return "two to the twentieth";
    case 65535: return "u16 max";
    case 99991: return "a prime";
    case 2147483647: return "int max";
    case -2147483647 - 1: return "int min";
    default: return "other";
    }
}

static int ranges(int c) {
    switch (c) {
    case '0' ... '9': return 1;
    case 'a' ... 'f': case 'A' ... 'F': return 2;
    case ' ': case '\t': case '\n': return 3;
    default: return 0;
    }
}

static int fall(int x) {
    int r = 0;
    switch (x & 7) {
    case 0: r += 1; /* fall through */
    case 1: r += 10; /* fall through */
    case 2: r += 100; break;
    case 3: r += 1000; /* fall through */
    case 4: r += 10000; break;
    default: r = -x;
    }
    return r;
}

static int wide(uint64_t v) {
    switch (v) {
    case 0x100000000ull: return 1;
    case 0xffffffffffffffffull: return 2;
    case 0x8000000000000000ull: return 3;
    case 0x123456789ull: return 4;
    case 5: return 5;
    default: return 0;
    }
}

static volatile int probe[] = {-1000000, -7, 0, 13, 404, 1 << 20, 65535, 99991, 2147483647, -2147483647 - 1, 12, 405, -8, 1 << 21};
static volatile uint64_t wprobe[] = {0x100000000ull, ~0ull, 1ull << 63, 0x123456789ull, 5, 6, 0x123456788ull, 0};

int main(void) {
    long sum = 0;
    for (unsigned i = 0; i < 70; i++) { sum = sum * 3 + dense(i); printf("%d%c", dense(i), i % 16 == 15 ? '\n' : ' '); }
    printf("\ndense sum %ld\n", sum);
    for (unsigned i = 0; i < sizeof probe / sizeof probe[0]; i++) printf("sparse(%d) = %s\n", probe[i], sparse(probe[i]));
    const char *text = "Hex 0xBEEF and 42\tdigits\n";
    for (const char *p = text; *p; p++) printf("%d", ranges(*p));
    printf("\n");
    for (int i = 0; i < 10; i++) printf("fall(%d)=%d ", i, fall(i));
    printf("\n");
    for (unsigned i = 0; i < sizeof wprobe / sizeof wprobe[0]; i++) printf("wide %d ", wide(wprobe[i]));
    printf("\n");
    return 0;
}
