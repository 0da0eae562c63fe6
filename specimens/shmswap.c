/*
 * shmswap: shared memory of every kind, written, then pushed to swap in a known pattern on demand,
 * for PageAtlas' tests of memory that shared-memory objects keep in swap.
 *
 *   shmswap MIB
 *
 * It maps MIB MiB of each of these areas, writes every page, prints "NAME 0xADDRESS PAGES" per
 * area (and "sysv-id 0x0 SHMID"), prints "ready" and waits for lines on its standard input:
 *
 *   shm-anon      shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS)
 *   shm-memfd     a memfd, mapped shared
 *   shm-posix     a POSIX shm object (shm_open, unlinked at once), mapped shared
 *   shm-sysv      a System V segment (shmat, removed at once: it goes when detached)
 *   shm-file      a file on a tmpfs mounted over /tmp in the specimen's own mount namespace
 *                 (so maps calls it a plain file, and only mountinfo tells tmpfs), mapped shared
 *   shm-private   the same file mapped private, its first half written (copy-on-write copies)
 *
 *   pageout       pushes them out: every shared area wholly to swap (MADV_PAGEOUT, repeated until
 *                 smaps counts it all as Swap), then in each of the first four the first quarter is
 *                 written again (swapped in, mapped) and the second quarter written and dropped from
 *                 the page table (MADV_DONTNEED: resident in the object, not mapped), the second half
 *                 staying in swap; shm-private's copies go to swap (swap entries in its page table),
 *                 its second half is in swap through the file. Answers "pageout ok", or
 *                 "pageout failed NAME SWAP_KB" naming the first area smaps did not count in swap.
 *   dontneed      without swap: in each of the first four the second quarter dropped from the page
 *                 table (MADV_DONTNEED: resident in the object, not mapped); answers "dontneed ok"
 *   exit          returns
 *
 * The specimen pins itself to the CPU it starts on: MADV_PAGEOUT drains only this CPU's list of
 * pages waiting to join the LRU, and a page still on another CPU's list cannot be reclaimed.
 * "tmpfs-unavailable 0x0 ERRNO" is printed instead of shm-file and shm-private where the private
 * mount cannot be made (no CAP_SYS_ADMIN).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <unistd.h>

#define PAGE 4096UL

struct area { const char *name; char *start; size_t length; };
static struct area areas[6];
static int area_count;

static void add(const char *name, char *start, size_t length)
{
    if (start == MAP_FAILED || start == (char *)-1) { fprintf(stderr, "shmswap: %s: %s\n", name, strerror(errno)); exit(2); }
    areas[area_count++] = (struct area){ name, start, length };
    printf("%s 0x%lx %lu\n", name, (unsigned long)start, length / PAGE);
}

/* smaps' Swap (kB) of the VMA starting at start, or -1. */
static long smaps_swap_kb(const char *start)
{
    FILE *smaps = fopen("/proc/self/smaps", "r");
    char line[512];
    int in = 0;
    long kb = -1;
    while (smaps && fgets(line, sizeof line, smaps)) {
        unsigned long from, to;
        if (sscanf(line, "%lx-%lx ", &from, &to) == 2) {     /* a VMA's header line; field names never parse so */
            in = from == (unsigned long)start;
            continue;
        }
        if (in && !strncmp(line, "Swap:", 5)) { kb = atol(line + 5); break; }
    }
    if (smaps) fclose(smaps);
    return kb;
}

/* MADV_PAGEOUT until smaps counts the whole area in swap; 0 on success. */
static int page_out(const struct area *a)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        madvise(a->start, a->length, MADV_PAGEOUT);
        if (smaps_swap_kb(a->start) >= (long)(a->length / 1024)) return 0;
        usleep(20000);
    }
    return -1;
}

static void write_pages(char *start, size_t length, char value)
{
    for (size_t offset = 0; offset < length; offset += PAGE) start[offset] = value;
}

static void pageout(void)
{
    for (int i = 0; i < area_count; i++) {
        if (!strcmp(areas[i].name, "shm-private")) continue;
        if (page_out(&areas[i]) != 0) {
            printf("pageout failed %s %ld\n", areas[i].name, smaps_swap_kb(areas[i].start));
            return;
        }
    }
    for (int i = 0; i < area_count && i < 4; i++) {
        size_t quarter = areas[i].length / 4;
        write_pages(areas[i].start, 2 * quarter, 'i');
        madvise(areas[i].start + quarter, quarter, MADV_DONTNEED);
    }
    for (int i = 0; i < area_count; i++) {
        if (strcmp(areas[i].name, "shm-private")) continue;
        /* Its copies (the first half) to swap: then the whole area is in swap, half through the file. */
        if (page_out(&areas[i]) != 0) {
            printf("pageout failed %s %ld\n", areas[i].name, smaps_swap_kb(areas[i].start));
            return;
        }
    }
    printf("pageout ok\n");
}

int main(int argc, char **argv)
{
    if (argc != 2 || atol(argv[1]) <= 0) { fprintf(stderr, "usage: shmswap MIB\n"); return 2; }
    size_t length = (size_t)atol(argv[1]) << 20;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);

    add("shm-anon", mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), length);

    int memfd = memfd_create("pageatlas-shmswap", 0);
    if (memfd < 0 || ftruncate(memfd, (off_t)length) != 0) { perror("memfd"); return 2; }
    add("shm-memfd", mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0), length);

    char name[64];
    snprintf(name, sizeof name, "/pageatlas-shmswap-%ld", (long)getpid());
    int posix = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    shm_unlink(name);
    if (posix < 0 || ftruncate(posix, (off_t)length) != 0) { perror("shm_open"); return 2; }
    add("shm-posix", mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, posix, 0), length);

    int id = shmget(IPC_PRIVATE, length, IPC_CREAT | 0600);
    char *sysv = id < 0 ? (char *)-1 : shmat(id, NULL, 0);
    if (id >= 0) shmctl(id, IPC_RMID, NULL);    /* gone once detached: nothing left behind */
    add("shm-sysv", sysv, length);
    printf("sysv-id 0x0 %d\n", id);

    for (int i = 0; i < area_count; i++) write_pages(areas[i].start, areas[i].length, 'a' + i);

    /* A tmpfs of its own over /tmp, seen only in this process's mount namespace. */
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
        || mount("pageatlas-shmswap", "/tmp", "tmpfs", 0, "size=1g") != 0) {
        printf("tmpfs-unavailable 0x0 %d\n", errno);
    } else {
        int file = open("/tmp/pageatlas-shmswap-file", O_RDWR | O_CREAT | O_EXCL, 0600);
        if (file < 0 || ftruncate(file, (off_t)length) != 0) { perror("tmpfs file"); return 2; }
        char *shared = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
        add("shm-file", shared, length);
        write_pages(shared, length, 'f');
        char *private = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, file, 0);
        add("shm-private", private, length);
        write_pages(private, length / 2, 'p');
    }
    printf("ready\n");
    fflush(stdout);

    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        if (!strncmp(line, "pageout", 7)) pageout();
        else if (!strncmp(line, "dontneed", 8)) {
            for (int i = 0; i < area_count && i < 4; i++) madvise(areas[i].start + areas[i].length / 4, areas[i].length / 4, MADV_DONTNEED);
            printf("dontneed ok\n");
        }
        else if (!strncmp(line, "exit", 4)) break;
        fflush(stdout);
    }
    return 0;
}
