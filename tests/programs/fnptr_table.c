// Indirect calls: a bytecode interpreter dispatching through a function-pointer table, callbacks with different signatures, function pointers stored in structs and returned from functions.
#include <stdint.h>
#include <stdio.h>

typedef int64_t (*binop)(int64_t, int64_t);
static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_div(int64_t a, int64_t b) { return b ? a / b : 0; }
static int64_t op_and(int64_t a, int64_t b) { return a & b; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
static int64_t op_shl(int64_t a, int64_t b) { return (int64_t)((uint64_t)a << (b & 63)); }
static int64_t op_max(int64_t a, int64_t b) { return a > b ? a : b; }
static const binop table[8] = {op_add, op_sub, op_mul, op_div, op_and, op_xor, op_shl, op_max};
static const char *names[8] = {"add", "sub", "mul", "div", "and", "xor", "shl", "max"};

struct vm { int64_t stack[64]; int sp; };
typedef void (*insn)(struct vm *, int64_t);
static void i_push(struct vm *m, int64_t v) { m->stack[m->sp++] = v; }
static void i_bin(struct vm *m, int64_t which) { m->sp--; m->stack[m->sp - 1] = table[which & 7](m->stack[m->sp - 1], m->stack[m->sp]); }
static void i_dup(struct vm *m, int64_t v) { (void)v; m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; }
static void i_swap(struct vm *m, int64_t v) { (void)v; int64_t t = m->stack[m->sp - 1]; m->stack[m->sp - 1] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = t; }
static const insn insns[4] = {i_push, i_bin, i_dup, i_swap};

static binop pick(int k) { return table[(k * 5 + 3) & 7]; }

static double apply_d(double (*f)(double, int), double x, int n) { return f(x, n); }
static double powi(double x, int n) { double r = 1; while (n-- > 0) r *= x; return r; }
static double scale(double x, int n) { return x * n; }

struct shape { const char *name; double (*area)(const double *); double dims[2]; };
static double rect(const double *d) { return d[0] * d[1]; }
static double tri(const double *d) { return d[0] * d[1] / 2; }
static double sq(const double *d) { return d[0] * d[0]; }

int main(void) {
    for (int i = 0; i < 8; i++)
        printf("%s(1000, 7) = %lld, %s(-9, 3) = %lld\n", names[i], (long long)table[i](1000, 7), names[i], (long long)table[i](-9, 3));
    /* program: pseudo-random bytecode, deterministic */
    struct vm m = {{0}, 0};
    uint32_t s = 99;
    int64_t acc = 0;
    for (int step = 0; step < 200000; step++) {
        s = s * 1664525u + 1013904223u;
        int op = (s >> 28) & 3;
        if (m.sp < 2 && (op == 1 || op == 3)) op = 0;
        if (m.sp > 60) op = 1;
        insns[op](&m, (int64_t)(s >> 8) % 1000 - (op == 0 ? 500 : 0));
        if (m.sp) acc = acc * 31 + m.stack[m.sp - 1];
    }
    printf("vm: sp=%d acc=%lld\n", m.sp, (long long)acc);
    int64_t v = 1;
    for (int k = 0; k < 40; k++) v = pick(k)(v, k + 1);
    printf("picked chain = %lld\n", (long long)v);
    printf("apply: %g %g\n", apply_d(powi, 1.5, 10), apply_d(scale, 2.25, 4));
    struct shape shapes[] = {{"rect", rect, {3, 4}}, {"tri", tri, {3, 4}}, {"square", sq, {2.5, 0}}};
    for (int i = 0; i < 3; i++) printf("%s area %.3f\n", shapes[i].name, shapes[i].area(shapes[i].dims));
    return 0;
}
