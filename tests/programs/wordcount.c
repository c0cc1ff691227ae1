// stdin processing: a wc-like count of lines, words and bytes over several lines of input (tabs, blank lines, long words), plus the most frequent words, reading with getchar and a final fgets at EOF.
// stdin: the quick brown fox
// stdin:   jumps over	the lazy dog
// stdin:
// stdin: The END the end THE
// stdin: supercalifragilisticexpialidocious antidisestablishmentarianism
// stdin: 12 345 6789 x
#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct entry { char word[48]; int count; };

int main(void) {
    static struct entry table[64];
    int nentries = 0;
    long lines = 0, words = 0, bytes = 0, longest = 0;
    char cur[48];
    int len = 0, c;
    int letters = 0, digits = 0, spaces = 0;
    for (;;) {
        c = getchar();
        if (c != EOF) {
            bytes++;
            if (c == '\n') lines++;
            if (isalpha(c)) letters++;
            if (isdigit(c)) digits++;
            if (isspace(c)) spaces++;
        }
        if (c != EOF && !isspace(c)) {
            if (len < 47) cur[len++] = (char)tolower(c);
            continue;
        }
        if (len) {
            cur[len] = 0;
            words++;
            if (len > longest) longest = len;
            int i;
            for (i = 0; i < nentries; i++)
                if (strcmp(table[i].word, cur) == 0) break;
            if (i == nentries && nentries < 64) { strcpy(table[nentries].word, cur); table[nentries++].count = 0; }
            if (i < 64) table[i].count++;
            len = 0;
        }
        if (c == EOF) break;
    }
    printf("lines %ld words %ld bytes %ld longest %ld\n", lines, words, bytes, longest);
    printf("letters %d digits %d spaces %d\n", letters, digits, spaces);
    for (int k = 0; k < nentries; k++)
        if (table[k].count > 1) printf("repeated: %s x%d\n", table[k].word, table[k].count);
    char buf[16];
    printf("fgets at EOF: %s, feof=%d\n", fgets(buf, sizeof buf, stdin) ? "got data" : "NULL", feof(stdin) != 0);
    return 0;
}
