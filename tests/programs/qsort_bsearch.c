// qsort and bsearch: ints, strings, structs with a multi-key comparator, stability-independent checks, bsearch hits and misses, large arrays.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

struct rec { char name[12]; int age; double score; };
static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->age != y->age) return x->age - y->age;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return strcmp(x->name, y->name);
}

struct big { char pad[37]; int key; };
static int cmp_big(const void *a, const void *b) {
    const struct big *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    return (x->pad[0] > y->pad[0]) - (x->pad[0] < y->pad[0]);
}

static unsigned rng = 12345;
static unsigned next(void) { rng = rng * 1103515245u + 12345u; return (rng >> 8) & 0xffffff; }

int main(void) {
    enum { N = 20000 };
    static int a[N];
    for (int i = 0; i < N; i++) a[i] = (int)(next() % 50000) - 25000;
    qsort(a, N, sizeof a[0], cmp_int);
    unsigned long h = 0;
    int sorted = 1;
    for (int i = 0; i < N; i++) { h = h * 31 + (unsigned)a[i]; if (i && a[i - 1] > a[i]) sorted = 0; }
    printf("ints sorted=%d first=%d last=%d median=%d hash=%lx\n", sorted, a[0], a[N - 1], a[N / 2], h);
    int hits = 0, misses = 0;
    for (int k = -25000; k < 25000; k += 37) {
        int *p = bsearch(&k, a, N, sizeof a[0], cmp_int);
        if (p) { hits++; if (*p != k) printf("bsearch returned wrong element\n"); } else misses++;
    }
    printf("bsearch hits=%d misses=%d\n", hits, misses);
    qsort(a, N, sizeof a[0], cmp_int_desc);
    printf("desc first=%d last=%d\n", a[0], a[N - 1]);
    qsort(a, 0, sizeof a[0], cmp_int);
    qsort(a, 1, sizeof a[0], cmp_int);
    int key = 5;
    printf("bsearch in empty: %s\n", bsearch(&key, a, 0, sizeof a[0], cmp_int) ? "found" : "null");

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apple", "date", "elderberry", "Zebra", "", "grape"};
    int nw = sizeof words / sizeof words[0];
    qsort(words, (size_t)nw, sizeof words[0], cmp_str);
    for (int i = 0; i < nw; i++) printf("[%s]", words[i]);
    printf("\n");
    const char *want = "date";
    const char **found = bsearch(&want, words, (size_t)nw, sizeof words[0], cmp_str);
    printf("date at %ld\n", found ? (long)(found - words) : -1L);

    struct rec recs[] = {{"ann", 30, 1.5}, {"bob", 25, 3.0}, {"cid", 30, 2.5}, {"dee", 25, 3.0}, {"eve", 41, 0.0},
                         {"fay", 30, 2.5}, {"gus", 19, 9.75}, {"hal", 41, -1.0}};
    int nr = sizeof recs / sizeof recs[0];
    qsort(recs, (size_t)nr, sizeof recs[0], cmp_rec);
    for (int i = 0; i < nr; i++) printf("%s/%d/%.2f ", recs[i].name, recs[i].age, recs[i].score);
    printf("\n");
    /* big elements (not a multiple of 8) go through the generic swap path */
    struct big *bigs = malloc(500 * sizeof *bigs);
    for (int i = 0; i < 500; i++) { memset(bigs[i].pad, i & 0x7f, sizeof bigs[i].pad); bigs[i].key = (int)(next() % 1000); }
    qsort(bigs, 500, sizeof *bigs, cmp_big);
    printf("big elements: ");
    int pads_ok = 1;
    for (int i = 0; i < 500; i++)
        for (int j = 1; j < 37; j++) if (bigs[i].pad[j] != bigs[i].pad[0]) pads_ok = 0;
    for (int i = 0; i < 500; i += 61) printf("%d/%d ", bigs[i].key, bigs[i].pad[0]);
    printf("pads intact %d", pads_ok);
    printf("\n");
    free(bigs);
    return 0;
}
