/*
 * lazy: a process whose heap grows on command, for the lazy-allocation lab (seed 003) and watch.
 * Prints "pid PID", "brk 0xADDR" and "ready", then obeys lines on its standard input, answering each
 * with one line:
 *   malloc N       malloc(N) without writing the block   -> "block 0xADDR brk 0xBRK"
 *   sbrk N         move the break up by N pages           -> "grown 0xOLD brk 0xNEW"
 *   write ADDR     write one byte at ADDR                 -> "written 0xADDR"
 *   map N          map N private anonymous pages, untouched, after a PROT_NONE guard page so that
 *                  neighbouring areas never merge into one VMA -> "mapped 0xADDR N"
 *   unmap ADDR N   unmap N pages at ADDR                  -> "unmapped 0xADDR N"
 *   move ADDR N    move N pages at ADDR elsewhere (mremap) -> "moved 0xOLD 0xNEW"
 *   fork           fork a child that waits until this process exits, so that every private
 *                  page is shared copy-on-write           -> "forked PID"
 * Input is read with read(2) into a stack buffer and answers written with write(2), so nothing but
 * the commands themselves touches the heap.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
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
        if (!strcmp(line, "fork")) {
            pid_t child = fork();
            if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                for (;;) pause();
            }
            answer("forked %lu%.0lu\n", (unsigned long)child, 0);
            continue;
        }
        char *space = strchr(line, ' ');
        if (!space) continue;
        unsigned long value = strtoul(space + 1, NULL, 0);
        if (!strncmp(line, "malloc", 6)) {
            void *block = malloc(value);
            answer("block 0x%lx brk 0x%lx\n", (unsigned long)block, (unsigned long)sbrk(0));
        } else if (!strncmp(line, "sbrk", 4)) {
            void *old = sbrk((intptr_t)(value * 4096));
            answer("grown 0x%lx brk 0x%lx\n", (unsigned long)old, (unsigned long)sbrk(0));
        } else if (!strncmp(line, "map", 3)) {
            char *guard = mmap(NULL, (value + 1) * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (guard == MAP_FAILED) return 2;
            char *area = guard + 4096;
            mprotect(area, value * 4096, PROT_READ | PROT_WRITE);
            madvise(area, value * 4096, MADV_NOHUGEPAGE);
            answer("mapped 0x%lx %lu\n", (unsigned long)area, value);
        } else if (!strncmp(line, "move", 4)) {
            char *second;
            unsigned long address = strtoul(space + 1, &second, 16), pages = strtoul(second, NULL, 0);
            char *target = mmap(NULL, (pages + 1) * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            void *moved = mremap((void *)address, pages * 4096, pages * 4096, MREMAP_MAYMOVE | MREMAP_FIXED, target + 4096);
            if (target == MAP_FAILED || moved == MAP_FAILED) return 2;
            answer("moved 0x%lx 0x%lx\n", address, (unsigned long)moved);
        } else if (!strncmp(line, "unmap", 5)) {
            char *second;
            unsigned long address = strtoul(space + 1, &second, 16), pages = strtoul(second, NULL, 0);
            munmap((void *)address, pages * 4096);
            answer("unmapped 0x%lx %lu\n", address, pages);
        } else if (!strncmp(line, "write", 5)) {
            ((volatile char *)strtoul(space + 1, NULL, 16))[0] = 1;
            answer("written 0x%lx%.0lu\n", strtoul(space + 1, NULL, 16), 0);
        }
    }
    return 0;
}
