/*
 * walk: the reference whole-process walk PageAtlas is measured against. For every VMA of a pid it
 * does the same reads as PageAtlas' PageReader: PAGEMAP_SCAN for areas of 2+ MiB, pread of
 * /proc/<pid>/pagemap in batches of 16384 entries (neighbouring smaller areas, at most 64 pages
 * apart and 16384 pages in all, read with one pread across their gaps), and for the present pages of a batch
 * the kpageflags/kpagecount words of their frames (one span when it is at most 4 frames per page + 256, otherwise
 * sorted and read run by run with gaps of up to 32 frames bridged).
 *
 *   walk <pid> [repeats]   prints: pages <present> flagsum <x> mapsum <y> seconds <best of repeats>
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BATCH 16384
#define SCRATCH (BATCH * 4 + 256)
#define GAP 32
#define PAGEMAP_SCAN 0xC0606610UL
#define PAGE_IS_PRESENT (1UL << 3)
#define PAGE_IS_SWAPPED (1UL << 4)
#define PAGE_IS_HUGE (1UL << 6)
#define VEC 1024

struct pm_scan_arg { uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages,
                     category_inverted, category_mask, category_anyof_mask, return_mask; };
struct page_region { uint64_t start, end, categories; };

static int pagemap_fd, flags_fd, counts_fd;
static uint64_t entries[BATCH], pfns[BATCH], flags_buf[SCRATCH], counts_buf[SCRATCH];
static uint64_t present, flagsum, mapsum;
static struct page_region vec[VEC];

static void read_all(int fd, void *buf, size_t len, off_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);
        if (n <= 0) { memset((char *)buf + done, 0, len - done); return; }
        done += (size_t)n;
    }
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void read_run(uint64_t first, size_t len)
{
    read_all(flags_fd, flags_buf, len * 8, (off_t)(first * 8));
    read_all(counts_fd, counts_buf, len * 8, (off_t)(first * 8));
}

static void join(size_t count)
{
    size_t n = 0;
    uint64_t min = UINT64_MAX, max = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t e = entries[i];
        if (!(e >> 63)) continue;
        uint64_t pfn = e & ((1UL << 55) - 1);
        present++;
        if (!pfn) continue;
        pfns[n++] = pfn;
        if (pfn < min) min = pfn;
        if (pfn > max) max = pfn;
    }
    if (!n) return;
    if (max - min + 1 <= (uint64_t)n * 4 + 256) {   /* dense: one read of the span */
        read_run(min, max - min + 1);
        for (size_t k = 0; k < n; k++) { flagsum ^= flags_buf[pfns[k] - min]; mapsum += counts_buf[pfns[k] - min]; }
        return;
    }
    qsort(pfns, n, sizeof pfns[0], cmp);
    size_t first = 0;
    while (first < n) {
        uint64_t start = pfns[first];
        size_t last = first;
        while (last + 1 < n && pfns[last + 1] - pfns[last] <= GAP && pfns[last + 1] - start < SCRATCH) last++;
        read_run(start, pfns[last] - start + 1);
        for (size_t k = first; k <= last; k++) { flagsum ^= flags_buf[pfns[k] - start]; mapsum += counts_buf[pfns[k] - start]; }
        first = last + 1;
    }
}

static void read_range(uint64_t start, uint64_t end)
{
    for (uint64_t a = start; a < end;) {
        size_t n = (end - a) / 4096;
        if (n > BATCH) n = BATCH;
        read_all(pagemap_fd, entries, n * 8, (off_t)(a / 4096 * 8));
        join(n);
        a += n * 4096;
    }
}

static void scan_vma(uint64_t start, uint64_t end)
{
    uint64_t cursor = start;
    while (cursor < end) {
        struct pm_scan_arg arg = { .size = sizeof arg, .start = cursor, .end = end, .vec = (uint64_t)vec,
            .vec_len = VEC, .category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
            .return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_HUGE };
        int count = ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
        if (count < 0) { read_range(cursor, end); return; }
        for (int i = 0; i < count; i++) read_range(vec[i].start, vec[i].end);
        if (count < VEC || arg.walk_end <= cursor) break;   /* a short vector ends the walk on 6.18 */
        cursor = arg.walk_end;
    }
}

static double walk(int pid)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
    pagemap_fd = open(path, O_RDONLY);
    flags_fd = open("/proc/kpageflags", O_RDONLY);
    counts_fd = open("/proc/kpagecount", O_RDONLY);
    if (!maps || pagemap_fd < 0 || flags_fd < 0 || counts_fd < 0) { perror("walk: open"); exit(1); }
    present = flagsum = mapsum = 0;
    char line[4096];
    uint64_t group_start = 0, group_end = 0;       /* a run of small areas, read together */
    while (fgets(line, sizeof line, maps)) {
        uint64_t s, e;
        if (sscanf(line, "%lx-%lx", &s, &e) != 2) continue;
        int small = e - s < (2UL << 20);
        if (group_end && (!small || s - group_end > 64 * 4096 || e - group_start > BATCH * 4096UL)) {
            read_range(group_start, group_end);
            group_start = group_end = 0;
        }
        if (!small) { scan_vma(s, e); continue; }
        if (!group_end) group_start = s;
        group_end = e;
    }
    if (group_end) read_range(group_start, group_end);
    fclose(maps);
    close(pagemap_fd); close(flags_fd); close(counts_fd);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: walk <pid> [repeats]\n"); return 2; }
    int pid = atoi(argv[1]), repeats = argc > 2 ? atoi(argv[2]) : 5;
    double best = 1e9;
    for (int r = 0; r < repeats; r++) { double t = walk(pid); if (t < best) best = t; }
    printf("pages %lu flagsum %lx mapsum %lu seconds %.6f\n", present, flagsum, mapsum, best);
    return 0;
}
