// Computed goto (&&label, goto *p): a threaded-code interpreter running a small program (loops, calls via a return stack), and a label table indexed by data.
#include <stdint.h>
#include <stdio.h>

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, PRINT, CALL, RET, HALT, OVER, DROP };

static int64_t run(const int *code) {
    static void *const labels[] = {&&l_push, &&l_add, &&l_sub, &&l_mul, &&l_dup, &&l_swap, &&l_jnz,
                                   &&l_dec, &&l_print, &&l_call, &&l_ret, &&l_halt, &&l_over, &&l_drop};
    int64_t st[64];
    int sp = 0, ip = 0, rs[16], rp = 0;
    long steps = 0;
#define NEXT do { steps++; goto *labels[code[ip++]]; } while (0)
    NEXT;
l_push: st[sp++] = code[ip++]; NEXT;
l_add: sp--; st[sp - 1] += st[sp]; NEXT;
l_sub: sp--; st[sp - 1] -= st[sp]; NEXT;
l_mul: sp--; st[sp - 1] *= st[sp]; NEXT;
l_dup: st[sp] = st[sp - 1]; sp++; NEXT;
l_swap: { int64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } NEXT;
l_over: st[sp] = st[sp - 2]; sp++; NEXT;
l_drop: sp--; NEXT;
l_jnz: { int target = code[ip++]; if (st[sp - 1]) ip = target; } NEXT;
l_dec: st[sp - 1]--; NEXT;
l_print: printf("print %lld\n", (long long)st[sp - 1]); NEXT;
l_call: rs[rp++] = ip + 1; ip = code[ip]; NEXT;
l_ret: ip = rs[--rp]; NEXT;
l_halt:
    printf("halt after %ld steps, sp=%d\n", steps, sp);
    return sp ? st[sp - 1] : 0;
#undef NEXT
}

static int classify(int x) {
    static void *const tbl[] = {&&zero, &&one, &&two, &&many};
    goto *tbl[x < 3 ? x : 3];
zero: return 100;
one: return 200;
two: return 300;
many: return 400 + x;
}

int main(void) {
    /* factorial-ish: acc=1, n=20; loop: acc*=n, n--, while n; also a subroutine that squares */
    static const int prog[] = {
        PUSH, 1, PUSH, 20,          /* 0: acc n */
        SWAP, OVER, MUL, SWAP,      /* 4: acc*n n */
        DEC, JNZ, 4,                /* 8: loop while n != 0 */
        DROP, PRINT,                /* 11 */
        PUSH, 12345, CALL, 24,      /* 13: square via subroutine */
        PRINT, PUSH, 7, CALL, 24,   /* 17 */
        ADD, HALT,                  /* 22 */
        DUP, MUL, RET,              /* 24: square */
    };
    int64_t r = run(prog);
    printf("result %lld\n", (long long)r);
    /* a long-running countdown loop */
    static const int count[] = {PUSH, 0, PUSH, 300000, SWAP, PUSH, 3, ADD, SWAP, DEC, JNZ, 4, DROP, HALT};
    printf("count %lld\n", (long long)run(count));
    for (int i = 0; i < 6; i++) printf("classify(%d)=%d ", i, classify(i));
    printf("\n");
    return 0;
}
