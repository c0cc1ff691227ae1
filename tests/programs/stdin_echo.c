// Reads standard input to EOF: counts lines and words, echoes lines upper-cased.
// stdin: hello world
// stdin: the quick brown fox
// stdin:
// stdin: last line
#include <ctype.h>
#include <stdio.h>

int main(void) {
    char buf[256];
    int lines = 0, words = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        lines++;
        int in_word = 0;
        for (char *p = buf; *p; p++) {
            if (isspace((unsigned char)*p)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                words++;
            }
            *p = (char)toupper((unsigned char)*p);
        }
        printf("%d: %s", lines, buf);
    }
    printf("lines=%d words=%d eof=%d\n", lines, words, feof(stdin) ? 1 : 0);
    return 0;
}
