// C11 <stdatomic.h> on 8/16/32/64-bit objects (sub-word ones via libatomic): fetch_add/sub/and/or/xor, exchange, compare_exchange strong/weak (success and failure), load/store, flags and fences; prints every returned value.
// cflags: -latomic
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define TEST(T, fmt, init)                                                                              \
    do {                                                                                                \
        static _Atomic T a = (T)(init);                                                                 \
        T r1 = atomic_fetch_add(&a, (T)5);                                                              \
        T r2 = atomic_fetch_sub_explicit(&a, (T)200, memory_order_relaxed);                             \
        T r3 = atomic_fetch_and(&a, (T)0x5a5a5a5a5a5a5a5aull);                                          \
        T r4 = atomic_fetch_or_explicit(&a, (T)0x0180, memory_order_acq_rel);                           \
        T r5 = atomic_fetch_xor(&a, (T)-1);                                                             \
        T r6 = atomic_exchange(&a, (T)0x77);                                                            \
        T expected = (T)0x76;                                                                           \
        _Bool ok1 = atomic_compare_exchange_strong(&a, &expected, (T)1);                                \
        T seen1 = expected;                                                                             \
        _Bool ok2 = atomic_compare_exchange_strong(&a, &expected, (T)-3);                               \
        T seen2 = expected;                                                                             \
        expected = (T)-3;                                                                               \
        _Bool ok3;                                                                                      \
        int tries = 0;                                                                                  \
        do { ok3 = atomic_compare_exchange_weak(&a, &expected, (T)(expected * 3)); tries++; }           \
        while (!ok3 && tries < 100);                                                                    \
        atomic_store_explicit(&a, atomic_load(&a) + (T)1, memory_order_release);                        \
        T fin = atomic_load_explicit(&a, memory_order_acquire);                                         \
        printf("%-9s " fmt " " fmt " " fmt " " fmt " " fmt " " fmt " | cas %d " fmt " %d " fmt " weak %d | " fmt "\n", \
               #T, r1, r2, r3, r4, r5, r6, ok1, seen1, ok2, seen2, ok3, fin);                           \
    } while (0)

int main(void) {
    TEST(int8_t, "%d", -100);
    TEST(uint8_t, "%u", 250);
    TEST(int16_t, "%d", 30000);
    TEST(uint16_t, "%u", 65530);
    TEST(int32_t, "%d", 2147483600);
    TEST(uint32_t, "%u", 4294967290u);
    TEST(int64_t, "%ld", -9223372036854775800LL);
    TEST(uint64_t, "%lu", 18446744073709551600ULL);

    /* neighbours of small atomics must be untouched (sub-word atomics are emulated on RISC-V) */
    static struct { uint8_t pre; _Atomic uint8_t b; uint8_t post; _Atomic uint16_t h; uint8_t tail; } s = {0x11, 0xf0, 0x22, 0xfff0, 0x33};
    for (int i = 0; i < 40; i++) {
        atomic_fetch_add(&s.b, 3);
        atomic_fetch_sub(&s.h, 700);
    }
    printf("neighbours %02x %02x %02x %04x %02x\n", s.pre, atomic_load(&s.b), s.post, atomic_load(&s.h), s.tail);

    atomic_flag f = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&f);
    int t2 = atomic_flag_test_and_set(&f);
    atomic_flag_clear(&f);
    int t3 = atomic_flag_test_and_set(&f);
    printf("flag %d %d %d\n", t1, t2, t3);
    atomic_thread_fence(memory_order_seq_cst);
    atomic_signal_fence(memory_order_seq_cst);
    _Atomic long counter = 0;
    for (long i = 0; i < 100000; i++) atomic_fetch_add_explicit(&counter, i & 7, memory_order_relaxed);
    printf("counter %ld lock-free: %d %d %d %d\n", atomic_load(&counter), atomic_is_lock_free(&s.b),
           atomic_is_lock_free(&s.h), (int)ATOMIC_INT_LOCK_FREE, (int)ATOMIC_LLONG_LOCK_FREE);
    return 0;
}
