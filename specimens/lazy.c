/*
 * lazy: a process whose heap grows on command, for the lazy-allocation lab (seed 003) and watch.
 * Prints "pid PID", "brk 0xADDR" and "ready", then obeys lines on its standard input, answering each
 * with one line:
 *   malloc N       malloc(N) without writing the block   -> "block 0xADDR brk 0xBRK"
 *   sbrk N         move the break up by N pages           -> "grown 0xOLD brk 0xNEW"
 *   write ADDR     write one byte at ADDR                 -> "written 0xADDR"
 * Input is read with read(2) into a stack buffer and answers written with write(2), so nothing but
 * the commands themselves touches the heap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void answer(const char *format, unsigned long a, unsigned long b)
{
    char line[128];
    int n = snprintf(line, sizeof line, format, a, b);
    if (write(1, line, (size_t)n) < 0) _exit(2);
}

int main(void)
{
    answer("pid %lu\nbrk 0x%lx\n", (unsigned long)getpid(), (unsigned long)sbrk(0));
    answer("ready\n%.0lu%.0lu", 0, 0);
    char line[128];
    size_t used = 0;
    char c;
    while (read(0, &c, 1) == 1) {
        if (c != '\n') { if (used + 1 < sizeof line) line[used++] = c; continue; }
        line[used] = 0;
        used = 0;
        char *space = strchr(line, ' ');
        if (!space) continue;
        unsigned long value = strtoul(space + 1, NULL, 0);
        if (!strncmp(line, "malloc", 6)) {
            void *block = malloc(value);
            answer("block 0x%lx brk 0x%lx\n", (unsigned long)block, (unsigned long)sbrk(0));
        } else if (!strncmp(line, "sbrk", 4)) {
            void *old = sbrk((intptr_t)(value * 4096));
            answer("grown 0x%lx brk 0x%lx\n", (unsigned long)old, (unsigned long)sbrk(0));
        } else if (!strncmp(line, "write", 5)) {
            ((volatile char *)strtoul(space + 1, NULL, 16))[0] = 1;
            answer("written 0x%lx%.0lu\n", strtoul(space + 1, NULL, 16), 0);
        }
    }
    return 0;
}
