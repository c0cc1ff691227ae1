// GCC __atomic and __sync builtins on 8/16/32/64-bit: fetch_op and op_fetch forms (add sub and or xor nand), exchange, compare_exchange_n, test_and_set, __sync_val/bool_compare_and_swap, __sync_lock_test_and_set (32/64-bit).
// cflags: -latomic
#include <stdint.h>
#include <stdio.h>

/* __sync_lock_test_and_set has no 8/16-bit form in libatomic (gcc 12); those use an acquire exchange. */
#define SUBWORD_TAS(p, x) __atomic_exchange_n(p, x, __ATOMIC_ACQUIRE)

#define TEST(T, fmt, init, TAS)                                                                             \
    do {                                                                                               \
        static T v = (T)(init);                                                                        \
        T r[14];                                                                                       \
        r[0] = __atomic_fetch_add(&v, 9, __ATOMIC_SEQ_CST);                                            \
        r[1] = __atomic_add_fetch(&v, 9, __ATOMIC_RELAXED);                                            \
        r[2] = __atomic_fetch_sub(&v, 100, __ATOMIC_ACQUIRE);                                          \
        r[3] = __atomic_sub_fetch(&v, 1, __ATOMIC_RELEASE);                                            \
        r[4] = __atomic_fetch_and(&v, (T)0x3c3c3c3c3c3c3c3cull, __ATOMIC_ACQ_REL);                      \
        r[5] = __atomic_or_fetch(&v, (T)0x4141, __ATOMIC_SEQ_CST);                                     \
        r[6] = __atomic_fetch_xor(&v, (T)0xffff0000ffff0000ull, __ATOMIC_SEQ_CST);                     \
        r[7] = __atomic_nand_fetch(&v, (T)0x0f0f0f0f0f0f0f0full, __ATOMIC_SEQ_CST);                    \
        r[8] = __atomic_fetch_nand(&v, (T)0x1234, __ATOMIC_SEQ_CST);                                   \
        r[9] = __atomic_exchange_n(&v, (T)42, __ATOMIC_SEQ_CST);                                       \
        T exp = 41;                                                                                    \
        int ok1 = __atomic_compare_exchange_n(&v, &exp, (T)7, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);  \
        r[10] = exp;                                                                                   \
        int ok2 = __atomic_compare_exchange_n(&v, &exp, (T)7, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);  \
        for (int k = 0; k < 50 && !ok2; k++)                                                           \
            ok2 = __atomic_compare_exchange_n(&v, &exp, (T)7, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);  \
        r[11] = __sync_val_compare_and_swap(&v, (T)7, (T)-2);                                          \
        int ok3 = __sync_bool_compare_and_swap(&v, (T)5, (T)6);                                        \
        r[12] = __sync_fetch_and_add(&v, (T)3);                                                        \
        r[13] = TAS(&v, (T)99);                                                   \
        __sync_lock_release(&v);                                                                       \
        printf("%-9s", #T);                                                                            \
        for (int k = 0; k < 14; k++) printf(" " fmt, r[k]);                                            \
        printf(" | %d %d %d | " fmt "\n", ok1, ok2, ok3, __atomic_load_n(&v, __ATOMIC_SEQ_CST));       \
    } while (0)

int main(void) {
    TEST(int8_t, "%d", 100, SUBWORD_TAS);
    TEST(uint8_t, "%u", 3, SUBWORD_TAS);
    TEST(int16_t, "%d", -32700, SUBWORD_TAS);
    TEST(uint16_t, "%u", 65000, SUBWORD_TAS);
    TEST(int32_t, "%d", -5, __sync_lock_test_and_set);
    TEST(uint32_t, "%u", 0x7ffffff0u, __sync_lock_test_and_set);
    TEST(int64_t, "%ld", 0x7ffffffffffffff0LL, __sync_lock_test_and_set);
    TEST(uint64_t, "%lu", 0, __sync_lock_test_and_set);
    unsigned char flag = 0;
    int a = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
    int b = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
    __atomic_clear(&flag, __ATOMIC_SEQ_CST);
    printf("test_and_set %d %d after clear %d\n", a, b, flag);
    long arr[4] = {1, 2, 3, 4};
    __atomic_store_n(&arr[2], -9, __ATOMIC_RELEASE);
    long out;
    __atomic_load(&arr[2], &out, __ATOMIC_ACQUIRE);
    __sync_synchronize();
    printf("store/load %ld %ld %ld %ld -> %ld\n", arr[0], arr[1], arr[2], arr[3], out);
    return 0;
}
