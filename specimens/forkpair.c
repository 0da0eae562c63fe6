/*
 * forkpair: a parent and the child it forks, for copy-on-write experiments (lab fork-cow, share).
 *
 * Before forking, the parent writes every page of a .data array (fork_data, 4 pages), a .bss array
 * (fork_bss, 4 pages), a heap block (8 pages) and, with --touch-mib N, an anonymous area of N MiB.
 * Then it forks and both print their facts ("name 0xADDRESS value"): pid, child, data, bss, heap,
 * touched; with --small-maps N, N one-page areas as layout makes them (small-maps). After "ready" the parent obeys lines on its standard input:
 *   parent-write ADDR   the parent writes one byte at ADDR      -> "written"
 *   child-write ADDR    the child writes one byte at ADDR       -> "written"
 * and both exit when the input closes. After the fork nothing else writes the data, bss or heap:
 * every line is read and written with read(2)/write(2) on stack buffers (stdio would write its
 * buffers in the heap or bss and copy those pages itself).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define PAGE 4096UL

char fork_data[4 * PAGE] = "forkpair data";
char fork_bss[4 * PAGE];

static void say(const char *name, const void *address, long value)
{
    char line[128];
    int n = snprintf(line, sizeof line, "%s 0x%lx %ld\n", name, (unsigned long)address, value);
    if (write(1, line, (size_t)n) < 0) _exit(2);
}

/* One line from fd into buffer (without the newline); 0 at end of input. */
static int read_line(int fd, char *buffer, size_t size)
{
    size_t used = 0;
    while (used + 1 < size) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n <= 0) return used > 0;
        if (c == '\n') break;
        buffer[used++] = c;
    }
    buffer[used] = 0;
    return 1;
}

int main(int argc, char **argv)
{
    long touch_mib = 0, small_maps = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--touch-mib") && i + 1 < argc) touch_mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--small-maps") && i + 1 < argc) small_maps = atol(argv[++i]);
        else { fprintf(stderr, "forkpair: unknown option %s\n", argv[i]); return 2; }
    }
    for (unsigned long i = 0; i < sizeof fork_data; i += PAGE) fork_data[i + 100] = 1;
    for (unsigned long i = 0; i < sizeof fork_bss; i += PAGE) fork_bss[i] = 1;
    char *heap = malloc(8 * PAGE);
    for (unsigned long i = 0; i < 8 * PAGE; i += PAGE) heap[i] = 1;
    char *touched = NULL;
    if (touch_mib > 0) {
        touched = mmap(NULL, touch_mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (touched == MAP_FAILED) { perror("mmap"); return 2; }
        madvise(touched, touch_mib << 20, MADV_NOHUGEPAGE);
        for (unsigned long i = 0; i < (unsigned long)touch_mib << 20; i += PAGE) touched[i] = 1;
    }
    /* One-page areas, alternately rw- and r-- so that neighbours never merge (bench: share of many VMAs). */
    char *small = NULL;
    for (long i = 0; i < small_maps; i++) {
        char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 2; }
        p[0] = 1;
        if (i % 2) mprotect(p, PAGE, PROT_READ);
        if (!small) small = p;
    }
    fflush(stdout);

    int to_child[2], from_child[2];
    if (pipe(to_child) || pipe(from_child)) { perror("pipe"); return 2; }
    pid_t child = fork();
    if (child < 0) { perror("fork"); return 2; }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        char line[128];
        while (read_line(to_child[0], line, sizeof line)) {
            unsigned long address = strtoul(line, NULL, 16);
            ((volatile char *)address)[0] += 1;
            if (write(from_child[1], "w", 1) < 0) _exit(2);
        }
        _exit(0);
    }
    say("pid", (void *)0, getpid());
    say("child", (void *)0, child);
    say("data", fork_data, 4);
    say("bss", fork_bss, 4);
    say("heap", heap, 8);
    if (touched) say("touched", touched, touch_mib);
    if (small) say("small-maps", small, small_maps);
    if (write(1, "ready\n", 6) < 0) return 2;

    char line[128];
    while (read_line(0, line, sizeof line)) {
        char *space = strchr(line, ' ');
        if (!space) continue;
        unsigned long address = strtoul(space + 1, NULL, 16);
        if (!strncmp(line, "parent-write", 12)) {
            ((volatile char *)address)[0] += 1;
        } else if (!strncmp(line, "child-write", 11)) {
            char request[64], ack;
            int n = snprintf(request, sizeof request, "%lx\n", address);
            if (write(to_child[1], request, (size_t)n) < 0 || read(from_child[0], &ack, 1) != 1) return 2;
        } else continue;
        if (write(1, "written\n", 8) < 0) return 2;
    }
    kill(child, SIGKILL);
    return 0;
}
