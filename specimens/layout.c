/*
 * layout: a target process with a known memory layout, for PageAtlas tests, labs and benchmarks.
 *
 * It builds the areas its options ask for, prints one line per fact ("name 0xADDRESS [value]"),
 * prints "ready", then waits until its standard input closes (or it is killed). Every address it
 * prints is one PageAtlas must find in the state described on the line. While it waits, a line
 * "dump ADDR LEN" on its input makes it print "dump" and the LEN bytes at ADDR in hex, read by
 * the specimen itself: an independent view of its memory for tests that write into it.
 *
 *   --touch-mib N       an anonymous area of N MiB, every page written (bench: dense walk)
 *   --small-maps N      N separate one-page anonymous areas, alternately rw- and r--, each written
 *                       before the r-- ones are made read-only (bench: many VMAs)
 *   --reserve-gib N     an N GiB MAP_NORESERVE area with one page written per GiB (bench: sparse)
 *   --alternate-mib N   an anonymous area of N MiB with every other page written: each written page is
 *                       a populated range of its own (PAGEMAP_SCAN needs many vectors for it)
 *   --thp               a 2 MiB-aligned 4 MiB area with MADV_HUGEPAGE, fully written
 *   --threads N         N threads, each blocked in a read on a pipe, printing its stack and TLS
 *   --hugetlb-mib N     one hugetlbfs page of N MiB (2 or 1024), written; the pool must hold one
 *   --pattern N M       page tables in a designed pattern: an M GiB area at 16 TiB (a 512 GiB
 *                       region nothing else uses, so its PUD table is new) with THP off and one
 *                       page written in each of N distinct 2 MiB regions spread round-robin over
 *                       the M gigabytes. The kernel must then allocate exactly 1 PUD, M PMD and N
 *                       PTE tables, which it prints with VmPTE read just before and after
 *   --zero-mib N        an anonymous N MiB area (no THP) whose every page is read, never written:
 *                       each maps the kernel's shared zero page (where the kernel uses it)
 *   --high              one page written at an mmap hint of 4 PiB: above 128 TiB on 5-level paging,
 *                       wherever the kernel puts it on 4-level
 *   --pageout N         N pages written, then handed to swap with MADV_PAGEOUT (needs swap)
 *   --shared            one page each of System V shm, POSIX shm, memfd, shared anonymous memory and
 *                       a private mapping of a file it writes, each written once
 *   --guard             a 16-page anonymous area, every page written, then pages 4-7 made a guard
 *                       region (MADV_GUARD_INSTALL, Linux 6.13+); prints "guard ADDR 4", or
 *                       "guard-unsupported 0x0 ERRNO" where the kernel refuses
 * While it waits, a line "grow N" makes it recurse through N KiB of its own stack, writing each
 * frame, and print "grown ADDR" (the lowest byte it wrote): the kernel moves the stack VMA's start
 * down to cover it (mm/mmap.c, expand_downwards) and keeps it there after the recursion returns.
 *
 *   --write-refused     a written anonymous page ("write-ok") directly followed by one page of a file
 *                       mapped shared and read-only from a read-only descriptor ("write-refused"):
 *                       without VM_MAYWRITE even /proc/PID/mem's forced write is refused there
 *                       (mm/gup.c, check_vma_flags)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1024UL * 1024UL)
#define GIB (1024UL * MIB)

/* Initialised data and bss with recognisable content. */
char specimen_data[3 * PAGE] = "PageAtlas data segment";
char specimen_bss[5 * PAGE];
static __thread long specimen_tls = 0;

static int wait_pipe[2];
/* stdin's buffer, given before "ready" and written once: left to stdio, the first read after
 * "ready" would malloc it and grow the heap while a test compares two readings of it. */
static char stdin_buffer[4096] __attribute__((aligned(4096)));

static void fact(const char *name, const void *address, long value)
{
    printf("%s 0x%lx %ld\n", name, (unsigned long)address, value);
}

/* How many threads have printed their line: "ready" waits for all of them (a loaded machine may
 * run a new thread long after it exists). */
static long threads_printed;

static void *thread_main(void *arg)
{
    long index = (long)arg;
    long on_stack = 0x5157 + index;
    specimen_tls = 1000 + index;
    flockfile(stdout);
    printf("thread %ld tid %ld stack 0x%lx tls 0x%lx\n", index, (long)syscall(SYS_gettid),
           (unsigned long)&on_stack, (unsigned long)&specimen_tls);
    funlockfile(stdout);
    fflush(stdout);
    __atomic_add_fetch(&threads_printed, 1, __ATOMIC_RELEASE);
    char c;
    while (read(wait_pipe[0], &c, 1) < 0) { }
    return (void *)on_stack;
}

/* VmPTE in kB from /proc/self/status, read without stdio so that the read allocates nothing. */
static long vm_pte_kb(void)
{
    char text[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    if (n <= 0) return -1;
    text[n] = 0;
    char *line = strstr(text, "VmPTE:");
    return line ? atol(line + 6) : -1;
}

static void *map_anonymous(size_t length, int prot, int extra)
{
    void *p = mmap(NULL, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return p;
}

/* Recurses through kib KiB of stack, each frame a written KiB; returns the lowest address written. */
static unsigned long grow_stack(unsigned long kib)
{
    volatile unsigned char frame[1024];
    for (unsigned i = 0; i < sizeof frame; i += 64) frame[i] = (unsigned char)kib;
    unsigned long lowest = (unsigned long)frame;
    if (kib > 1) {
        unsigned long deeper = grow_stack(kib - 1);
        if (deeper < lowest) lowest = deeper;
    }
    return lowest + frame[0] * 0;
}

int main(int argc, char **argv)
{
    long touch_mib = 0, small_maps = 0, reserve_gib = 0, threads = 0, alternate_mib = 0;
    int thp = 0, shared = 0, guard = 0, high = 0, write_refused = 0;
    long zero_mib = 0, pageout = 0;
    long hugetlb_mib = 0, pattern_pages = 0, pattern_gib = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--touch-mib") && i + 1 < argc) touch_mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--small-maps") && i + 1 < argc) small_maps = atol(argv[++i]);
        else if (!strcmp(argv[i], "--reserve-gib") && i + 1 < argc) reserve_gib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--alternate-mib") && i + 1 < argc) alternate_mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atol(argv[++i]);
        else if (!strcmp(argv[i], "--thp")) thp = 1;
        else if (!strcmp(argv[i], "--shared")) shared = 1;
        else if (!strcmp(argv[i], "--guard")) guard = 1;
        else if (!strcmp(argv[i], "--high")) high = 1;
        else if (!strcmp(argv[i], "--zero-mib") && i + 1 < argc) zero_mib = atol(argv[++i]);
        else if (!strcmp(argv[i], "--pageout") && i + 1 < argc) pageout = atol(argv[++i]);
        else if (!strcmp(argv[i], "--write-refused")) write_refused = 1;
        else if (!strcmp(argv[i], "--pattern") && i + 2 < argc) { pattern_pages = atol(argv[++i]); pattern_gib = atol(argv[++i]); }
        else if (!strcmp(argv[i], "--hugetlb-mib") && i + 1 < argc) hugetlb_mib = atol(argv[++i]);
        else { fprintf(stderr, "layout: unknown option %s\n", argv[i]); return 2; }
    }
    if (pipe(wait_pipe) != 0) { perror("pipe"); return 2; }
    setvbuf(stdin, stdin_buffer, _IOLBF, sizeof stdin_buffer);
    stdin_buffer[0] = 0;

    printf("pid %ld\n", (long)getpid());
    fact("code", (void *)main, 0);
    specimen_data[PAGE] = 'D';                  /* the second data page is written: present */
    fact("data", specimen_data, specimen_data[0]);
    specimen_bss[0] = 'B';                      /* first bss page written, the rest untouched */
    fact("bss", specimen_bss, 5);
    fact("bss-untouched", specimen_bss + 3 * PAGE, 0);

    /* A heap block from brk: written page by page with its own page number. */
    char *heap = malloc(8 * PAGE);
    for (int i = 0; i < 8; i++) heap[i * PAGE] = (char)i;
    fact("heap", heap, 8);
    fact("brk", sbrk(0), 0);

    /* An anonymous area: pages 0, 2 and 5 of 8 written, the others never touched: page 2 a PTE leaf,
     * page 3 not populated. No THP: this is the first mmap, at the top of the mmap area, and the --thp
     * area's unaligned remainder merges with it into one VMA; where ASLR puts the mmap base less than
     * 6 pages above a 2 MiB boundary (6 in 512), that VMA covers the whole aligned 2 MiB range holding
     * page 2, and with THP "always" khugepaged collapses the range into a THP (max_ptes_none 511: one
     * present page is enough; mm/khugepaged.c, hpage_collapse_scan_pmd): page 2 became a PMD leaf, all
     * 8 pages present. VM_NOHUGEPAGE keeps khugepaged away and the area from merging with the THP's. */
    char *sparse = map_anonymous(8 * PAGE, PROT_READ | PROT_WRITE, 0);
    madvise(sparse, 8 * PAGE, MADV_NOHUGEPAGE);
    sparse[0] = 0x11; sparse[2 * PAGE] = 0x22; sparse[5 * PAGE] = 0x55;
    fact("sparse", sparse, 8);
    fact("sparse-present", sparse + 2 * PAGE, 0x22);
    fact("sparse-untouched", sparse + 3 * PAGE, 0);

    long stack_local = 0x57ac;
    fact("stack", &stack_local, stack_local);
    fact("tls-main", &specimen_tls, specimen_tls);

    if (thp) {
        char *raw = map_anonymous(6 * MIB, PROT_READ | PROT_WRITE, 0);
        char *aligned = (char *)(((uintptr_t)raw + 2 * MIB - 1) & ~(2 * MIB - 1));
        madvise(aligned, 4 * MIB, MADV_HUGEPAGE);
        memset(aligned, 0x7a, 4 * MIB);
        fact("thp", aligned, 4 * MIB);
    }
    if (touch_mib > 0) {
        char *big = map_anonymous(touch_mib * MIB, PROT_READ | PROT_WRITE, 0);
        madvise(big, touch_mib * MIB, MADV_NOHUGEPAGE);
        for (size_t off = 0; off < touch_mib * MIB; off += PAGE) big[off] = 1;
        fact("touched", big, touch_mib);
    }
    if (small_maps > 0) {
        /* Alternate protections so that neighbours never merge into one VMA. */
        char *first = NULL;
        for (long i = 0; i < small_maps; i++) {
            char *p = map_anonymous(PAGE, PROT_READ | PROT_WRITE, 0);
            p[0] = 1;
            if (i % 2) mprotect(p, PAGE, PROT_READ);
            if (!first) first = p;
        }
        fact("small-maps", first, small_maps);
    }
    if (reserve_gib > 0) {
        char *reserve = map_anonymous(reserve_gib * GIB, PROT_READ | PROT_WRITE, MAP_NORESERVE);
        madvise(reserve, reserve_gib * GIB, MADV_NOHUGEPAGE);
        for (long g = 0; g < reserve_gib; g++) reserve[g * GIB] = 1;
        fact("reserve", reserve, reserve_gib);
    }
    if (alternate_mib > 0) {
        char *alternate = map_anonymous(alternate_mib * MIB, PROT_READ | PROT_WRITE, 0);
        madvise(alternate, alternate_mib * MIB, MADV_NOHUGEPAGE);
        for (size_t off = 0; off < alternate_mib * MIB; off += 2 * PAGE) alternate[off] = 1;
        fact("alternate", alternate, alternate_mib);
    }
    if (pattern_pages > 0) {
        if (pattern_gib < 1 || pattern_pages > pattern_gib * 512) { fprintf(stderr, "layout: --pattern needs N <= 512 * M\n"); return 2; }
        char *base = mmap((void *)(16UL << 40), pattern_gib * GIB, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (base == MAP_FAILED) { perror("mmap pattern"); exit(2); }
        madvise(base, pattern_gib * GIB, MADV_NOHUGEPAGE);
        long before = vm_pte_kb();
        for (long i = 0; i < pattern_pages; i++) {
            /* region i: gigabyte i mod M, 2 MiB slot i div M, a page that varies within the slot */
            base[(i % pattern_gib) * GIB + (i / pattern_gib) * 2 * MIB + (i % 7) * PAGE] = 1;
        }
        long after = vm_pte_kb();
        fact("pattern", base, pattern_pages);
        fact("pattern-gib", base, pattern_gib);
        fact("vmpte-before", base, before);
        fact("vmpte-after", base, after);
    }
    if (hugetlb_mib > 0) {
        int shift = hugetlb_mib == 1024 ? 30 : 21;  /* MAP_HUGE_1GB or MAP_HUGE_2MB */
        char *huge = mmap(NULL, hugetlb_mib * MIB, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << 26), -1, 0);
        if (huge == MAP_FAILED) {
            char pool[96];
            snprintf(pool, sizeof pool, "/sys/kernel/mm/hugepages/hugepages-%ldkB", hugetlb_mib * 1024);
            if (access(pool, F_OK) != 0)
                fprintf(stderr, "layout: this machine offers no %ld MiB hugetlb pages (no %s%s)\n", hugetlb_mib, pool,
                        hugetlb_mib == 1024 ? "; the CPU lacks the pdpe1gb flag" : "");
            else
                fprintf(stderr, "layout: no free %ld MiB hugetlb page: reserve one with echo 1 > %s/nr_hugepages (%s)\n",
                        hugetlb_mib, pool, strerror(errno));
            exit(2);
        }
        huge[0] = 'H';
        fact("hugetlb", huge, hugetlb_mib);
    }
    if (zero_mib > 0) {
        volatile char *zero = map_anonymous(zero_mib * MIB, PROT_READ | PROT_WRITE, 0);
        madvise((void *)zero, zero_mib * MIB, MADV_NOHUGEPAGE);   /* the 4 KiB zero page, not the huge one */
        long sum = 0;
        for (size_t off = 0; off < zero_mib * MIB; off += PAGE) sum += zero[off];
        fact("zero", (void *)zero, zero_mib + sum);
    }
    if (high) {
        char *page = mmap((void *)(1UL << 52), PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) { perror("mmap high"); exit(2); }
        /* a PTE leaf, as the sparse page: on 4-level paging the hint is ignored and the page lands
         * beside other anonymous areas (--pageout's, a thread's stack) it merges with, into a VMA
         * that may hold the whole 2 MiB range around it: khugepaged's to collapse under THP "always" */
        madvise(page, PAGE, MADV_NOHUGEPAGE);
        page[0] = 'h';
        fact("high", page, (unsigned long)page >= 1UL << 47);
    }
    if (pageout > 0) {
        char *out = map_anonymous(pageout * PAGE, PROT_READ | PROT_WRITE, 0);
        for (long i = 0; i < pageout; i++) out[i * PAGE] = (char)(i + 1);
        if (madvise(out, pageout * PAGE, MADV_PAGEOUT) != 0) { perror("madvise MADV_PAGEOUT"); exit(2); }
        fact("pageout", out, pageout);
    }
    if (guard) {
        char *area = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        memset(area, 'g', 16 * PAGE);
        if (madvise(area + 4 * PAGE, 4 * PAGE, 102 /* MADV_GUARD_INSTALL */) == 0) fact("guard", area, 4);
        else fact("guard-unsupported", NULL, errno);
    }
    if (shared) {
        int id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
        char *sysv = shmat(id, NULL, 0);
        shmctl(id, IPC_RMID, NULL);             /* gone once detached: nothing left behind */
        sysv[0] = 'S';
        fact("sysv-shm", sysv, id);

        char name[64];
        snprintf(name, sizeof name, "/pageatlas-layout-%ld", (long)getpid());
        int posix_fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        shm_unlink(name);
        if (posix_fd < 0 || ftruncate(posix_fd, PAGE) != 0) { perror("shm_open"); exit(2); }
        char *posix = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, posix_fd, 0);
        posix[0] = 'P';
        fact("posix-shm", posix, 0);

        int memfd = memfd_create("pageatlas-layout", 0);
        if (memfd < 0 || ftruncate(memfd, PAGE) != 0) { perror("memfd_create"); exit(2); }
        char *mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
        mem[0] = 'M';
        fact("memfd", mem, 0);

        char *anon_shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        anon_shared[0] = 'A';
        fact("shared-anon", anon_shared, 0);

        char path[] = "/tmp/pageatlas-layout-XXXXXX";
        int file_fd = mkstemp(path);
        unlink(path);
        if (file_fd < 0 || ftruncate(file_fd, 2 * PAGE) != 0) { perror("mkstemp"); exit(2); }
        char *file = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, file_fd, 0);
        file[0] = 'F';
        fact("file", file, 0);
    }
    if (write_refused) {
        char path[] = "/tmp/pageatlas-refused-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0 || ftruncate(fd, PAGE) != 0) { perror("mkstemp"); exit(2); }
        int read_only = open(path, O_RDONLY);
        unlink(path);
        close(fd);
        char *pair = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE, 0);
        if (read_only < 0 || mmap(pair + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, read_only, 0) == MAP_FAILED) {
            perror("mmap read-only");
            exit(2);
        }
        memset(pair, 0x5a, PAGE);
        fact("write-ok", pair, 0);
        fact("write-refused", pair + PAGE, 0);
    }
    fflush(stdout);
    pthread_t *tids = calloc((size_t)threads + 1, sizeof *tids);
    for (long t = 0; t < threads; t++) pthread_create(&tids[t], NULL, thread_main, (void *)t);
    /* Let each thread print before "ready". Without threads the counter is never read: its .bss page
     * stays untouched (a read would map the zero page there, one page more than tests expect). */
    while (threads > 0 && __atomic_load_n(&threads_printed, __ATOMIC_ACQUIRE) < threads) usleep(1000);
    printf("ready\n");
    fflush(stdout);

    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        unsigned long address, length;
        if (sscanf(line, "grow %lu", &length) == 1 && length > 0 && length <= 65536) {
            printf("grown 0x%lx\n", grow_stack(length));
            fflush(stdout);
            continue;
        }
        if (sscanf(line, "dump %lx %lu", &address, &length) != 2) continue;
        printf("dump");
        for (unsigned long i = 0; i < length; i++) printf(" %02x", ((volatile unsigned char *)address)[i]);
        printf("\n");
        fflush(stdout);
    }
    return 0;
}
