// printf %c %s %% %n, string precision and width, snprintf truncation, dprintf, and a long formatted line.
#include <stdio.h>
#include <string.h>

int main(void) {
    printf("[%c][%5c][%-5c][%c]\n", 'a', 'b', 'c', 0x41 + 256);
    printf("[%s][%10s][%-10s][%.3s][%10.2s][%-*s][%.*s]\n", "str", "right", "left", "truncate", "xy", 6, "st", 2, "abcdef");
    printf("[%s]\n", "");
    printf("100%% done, %%%d%%\n", 5);
    int n1 = -1, n2 = -1;
    signed char hn = -1;
    short sn = -1;
    long ln = -1;
    long long lln = -1;
    printf("abc%ndefgh%n|%hhn%hn%ln%lln\n", &n1, &n2, &hn, &sn, &ln, &lln);
    printf("n: %d %d %d %d %ld %lld\n", n1, n2, hn, sn, ln, lln);
    char buf[32];
    for (int size = 0; size <= 12; size += 3) {
        memset(buf, '*', sizeof buf);
        int r = snprintf(buf, (size_t)size, "%s=%d", "value", 123456);
        buf[31] = 0;
        printf("snprintf size %2d -> %d [%.*s]\n", size, r, size ? size : 1, size ? buf : "-");
    }
    char big[4096];
    int len = 0;
    for (int i = 0; i < 200; i++)
        len += snprintf(big + len, sizeof big - (size_t)len, "%d,", i * i);
    printf("long line %d chars, ends with [%s]\n", len, big + len - 12);
    fflush(stdout);
    dprintf(1, "dprintf %s %d\n", "to fd 1", 1);
    dprintf(2, "dprintf %s %d\n", "to fd 2", 2);
    fprintf(stderr, "%-8s|%08.3f|%x\n", "stderr", -3.25, 0xabcu);
    /* sprintf with positional arguments */
    printf("%2$s %1$s %2$s %3$05d\n", "world", "hello", 42);
    return 0;
}
