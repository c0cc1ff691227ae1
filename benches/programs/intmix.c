// A CoreMark-like integer mix, written for elfconv2: linked-list search/reverse/sort, small
// integer matrix kernels, a token-classifying state machine, and CRC-16 over all results.
// Usage: intmix [iterations]
// quick-args: 20
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CRC-16/CCITT, bit at a time ---- */
static uint16_t crc_byte(uint8_t b, uint16_t crc) {
    crc ^= (uint16_t)b << 8;
    for (int i = 0; i < 8; i++) crc = crc & 0x8000 ? (uint16_t)(crc << 1 ^ 0x1021) : (uint16_t)(crc << 1);
    return crc;
}
static uint16_t crc_u16(uint16_t v, uint16_t crc) { return crc_byte((uint8_t)(v >> 8), crc_byte((uint8_t)v, crc)); }
static uint16_t crc_u32(uint32_t v, uint16_t crc) { return crc_u16((uint16_t)(v >> 16), crc_u16((uint16_t)v, crc)); }

/* ---- linked list ---- */
typedef struct Node {
    struct Node *next;
    int16_t key;
    uint16_t order;
} Node;

#define LIST_LEN 300
static Node pool[LIST_LEN];

static Node *list_build(uint32_t seed) {
    Node *head = NULL;
    for (int i = LIST_LEN - 1; i >= 0; i--) {
        seed = seed * 1664525u + 1013904223u;
        pool[i].key = (int16_t)((seed >> 16) & 0x3ff) - 512;
        pool[i].order = (uint16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static Node *list_reverse(Node *h) {
    Node *prev = NULL;
    while (h) {
        Node *n = h->next;
        h->next = prev;
        prev = h;
        h = n;
    }
    return prev;
}

static int by_key(const Node *a, const Node *b) { return a->key != b->key ? a->key - b->key : a->order - b->order; }
static int by_order(const Node *a, const Node *b) { return a->order - b->order; }

/* bottom-up merge sort of a singly linked list */
static Node *list_sort(Node *list, int (*cmp)(const Node *, const Node *)) {
    for (int width = 1;; width *= 2) {
        Node *p = list, *tail = NULL;
        list = NULL;
        int merges = 0;
        while (p) {
            merges++;
            Node *q = p;
            int psize = 0;
            for (int i = 0; i < width && q; i++, psize++) q = q->next;
            int qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                Node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q || cmp(p, q) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
    }
}

static uint16_t list_work(uint32_t seed, uint16_t crc) {
    Node *l = list_build(seed);
    for (int16_t want = -512; want < 512; want += 37) {
        int pos = 0;
        Node *n = l;
        while (n && n->key != want) { n = n->next; pos++; }
        crc = crc_u16((uint16_t)(n ? pos : -1), crc);
    }
    l = list_reverse(l);
    crc = crc_u16((uint16_t)l->key, crc);
    l = list_sort(l, by_key);
    for (Node *n = l; n; n = n->next) crc = crc_u16((uint16_t)(n->key ^ n->order), crc);
    l = list_sort(l, by_order);
    int32_t acc = 0;
    for (Node *n = l; n; n = n->next) acc = acc * 3 + n->key;
    return crc_u32((uint32_t)acc, crc);
}

/* ---- matrices ---- */
#define MN 24
static int16_t ma[MN][MN], mb[MN][MN];
static int32_t mc[MN][MN];

static uint16_t matrix_work(uint32_t seed, uint16_t crc) {
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            seed = seed * 22695477u + 1u;
            ma[i][j] = (int16_t)((seed >> 16) % 201) - 100;
            mb[i][j] = (int16_t)((seed >> 8) % 101) - 50;
        }
    /* add a constant */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) ma[i][j] = (int16_t)(ma[i][j] + 7);
    /* matrix times vector */
    for (int i = 0; i < MN; i++) {
        int32_t s = 0;
        for (int j = 0; j < MN; j++) s += ma[i][j] * mb[j][0];
        crc = crc_u32((uint32_t)s, crc);
    }
    /* matrix times matrix */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t s = 0;
            for (int k = 0; k < MN; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    /* bit-field extract and multiply */
    uint32_t acc = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            uint32_t v = (uint32_t)mc[i][j];
            acc += ((v >> 2) & 0xf) * ((v >> 5) & 0x7f) + (v >> 31);
        }
    return crc_u32(acc, crc);
}

/* ---- state machine classifying comma-separated tokens ---- */
enum { S_START, S_INT, S_FRAC, S_EXP0, S_EXP, S_SIGN, S_BAD, S_COUNT };

static int classify(char c, int st) {
    int digit = c >= '0' && c <= '9';
    switch (st) {
    case S_START: return digit ? S_INT : (c == '-' || c == '+') ? S_SIGN : c == '.' ? S_FRAC : S_BAD;
    case S_SIGN: return digit ? S_INT : c == '.' ? S_FRAC : S_BAD;
    case S_INT: return digit ? S_INT : c == '.' ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP0 : S_BAD;
    case S_FRAC: return digit ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP0 : S_BAD;
    case S_EXP0: return digit || c == '-' || c == '+' ? S_EXP : S_BAD;
    case S_EXP: return digit ? S_EXP : S_BAD;
    default: return S_BAD;
    }
}

static char text[1200];

static uint16_t state_work(uint32_t seed, uint16_t crc) {
    static const char *const tokens[] = {"5012", "1234", "-874", "+122", "35.54", "0.001", ".5",
                                         "-110.700", "5.500e+3", "-.123e-2", "6E3", "T0.3e-1F",
                                         "-T.T++Tq", "1T3.4e4z", "34.0e-T^", "--", "7", "e5"};
    size_t len = 0;
    for (int i = 0; len < sizeof text - 16; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *t = tokens[(seed >> 16) % (sizeof tokens / sizeof *tokens)];
        size_t tl = strlen(t);
        memcpy(text + len, t, tl);
        len += tl;
        text[len++] = ',';
    }
    text[len] = '\0';
    uint32_t finals[S_COUNT] = {0}, transitions = 0;
    for (int pass = 0; pass < 4; pass++) {
        int st = S_START;
        for (const char *p = text; *p; p++) {
            if (*p == ',') {
                finals[st]++;
                st = S_START;
                continue;
            }
            int nst = classify(*p, st);
            transitions += nst != st;
            st = nst;
        }
        /* corrupt every 13th char, then undo on the next pass */
        for (size_t i = (size_t)pass; i < len; i += 13)
            if (text[i] != ',') text[i] ^= 0x01;
    }
    for (int i = 0; i < S_COUNT; i++) crc = crc_u32(finals[i], crc);
    return crc_u32(transitions, crc);
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 10000;
    uint16_t crc = 0xffff, crc_list = 0, crc_matrix = 0, crc_state = 0;
    for (int it = 0; it < iterations; it++) {
        uint32_t seed = (uint32_t)it * 2654435761u;
        crc_list = list_work(seed, crc_list);
        crc_matrix = matrix_work(seed, crc_matrix);
        crc_state = state_work(seed, crc_state);
        crc = crc_u16(crc_list ^ crc_matrix ^ crc_state, crc);
    }
    printf("iterations=%d crc list=%04x matrix=%04x state=%04x final=%04x\n", iterations, crc_list,
           crc_matrix, crc_state, crc);
    return 0;
}
