/*
 * kcheck: the companion's checks in the QEMU guest, each against a source independent of the
 * module: pagemap, kpageflags, VmPTE, the errno the ABI promises. Prints what it compared and
 * one MISMATCH line per difference; exits 1 on any, 2 when it could not check.
 *
 *   kcheck info                       the module's INFO
 *   kcheck walk-all PID               every page of every VMA: the module's leaf = pagemap's frame
 *                                     (swap entries: type and offset), leaf sizes = huge leaves
 *   kcheck leaf PID ADDR pte|pmd|pud  ADDR is mapped by a leaf at that level, frame = pagemap's
 *   kcheck five PID ADDR              ADDR (above 128 TiB) walks through five real levels
 *   kcheck tables PID                 TABLES of the whole user range: linked, one parent each,
 *                                     total = VmPTE with the tables reserved under anonymous THPs;
 *                                     prints "tables pgd=… p4d=… pud=… pmd=… pte=…"
 *   kcheck zero PID ADDR PAGES        each page maps the shared zero page (kpageflags ZERO_PAGE)
 *   kcheck errors                     every bad input gets its errno
 *   kcheck maptest                    the kernel page's pattern and PFN, shared by fork, freed after
 *   kcheck hold-maptest               maps a maptest page and waits for stdin to close
 *   kcheck collapsible                a 2 MiB range with one written page that khugepaged may collapse;
 *                                     prints "collapsible ADDR" and waits for stdin to close
 *   kcheck json-walk PID ADDR FILE LEVEL kernel|user
 *                                     `pageatlas walk --json` (FILE) says: leaf at LEVEL, its size, the
 *                                     module's physical address; with kernel, each level's table and
 *                                     entry address and raw entry = the module's; with user, none shown
 *   kcheck path-tables PID START END  the tables on the path of every present page of [START, END) (pagemap),
 *                                     by the module's walk of each: one line "table LEVEL SPAN PA" per
 *                                     table (LEVEL upper case, SPAN the first address it covers), the
 *                                     same table always at the same address; for the explorer's
 *                                     page-table view in a browser on the host (kmod/test.sh)
 *   kcheck json-tables PID FILE kernel|user [per-thp]
 *                                     `pageatlas pagetable --json` (FILE) has, per level, as many
 *                                     tables as the module (and, with per-thp, one more PTE table for
 *                                     every PMD leaf the module reports: before Linux 6.7 user space
 *                                     alone reads a PMD-mapped THP as 512 PTEs), each (kernel) at a
 *                                     physical address the module reports at that level, or (user)
 *                                     with none shown
 */
#include "common.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define KPF_ANON 12
#define KPF_THP 22
#define KPF_ZERO_PAGE 24

static int info(int fd)
{
    struct pageatlas_info i = companion_info(fd);
    printf("abi %u levels %u page_offset 0x%" PRIx64 " user_end 0x%" PRIx64 " maptest_pages %" PRIu64 " pti %u\n",
           i.abi_version, i.levels, (uint64_t)i.page_offset, (uint64_t)i.user_address_end,
           (uint64_t)i.maptest_pages, i.flags & PAGEATLAS_INFO_PTI);
    if (i.abi_version != PAGEATLAS_ABI_VERSION) fail("abi %u, expected %u", i.abi_version, PAGEATLAS_ABI_VERSION);
    return 0;
}

static int walk_all(int fd, int pid)
{
    struct pageatlas_info i = companion_info(fd);
    static struct vma vmas[4096];
    int count = read_maps(pid, i.user_address_end, vmas, 4096);
    long leaves[PAGEATLAS_LEVELS] = { 0 }, present = 0, swapped = 0, empty = 0;
    for (int v = 0; v < count; v++) {
        uint64_t *pagemap = read_pagemap(pid, vmas[v].start, vmas[v].end);
        for (uint64_t address = vmas[v].start; address < vmas[v].end;) {
            struct pageatlas_walk walk;
            int error = companion_walk(fd, pid, address, &walk);
            uint64_t entry = pagemap[(address - vmas[v].start) / PAGE];
            uint64_t step = PAGE;
            if (error) { fail("walk 0x%" PRIx64 ": %s", address, strerror(error)); address += step; continue; }
            if (walk.outcome == PAGEATLAS_WALK_MAPPED) {
                leaves[walk.stop_level]++;
                /* every 4 KiB page under a huge leaf: pagemap's frame = the leaf's frame + page */
                uint64_t leaf_start = address & ~(walk.leaf_size - 1);
                uint64_t first_frame = (walk.phys >> 12) - (address - leaf_start) / PAGE;
                uint64_t stop = leaf_start + walk.leaf_size < vmas[v].end ? leaf_start + walk.leaf_size : vmas[v].end;
                for (uint64_t page = address; page < stop; page += PAGE) {
                    uint64_t e = pagemap[(page - vmas[v].start) / PAGE];
                    uint64_t expected = first_frame + (page - leaf_start) / PAGE;
                    present++;
                    if (!(e & PM_PRESENT) || (e & PM_PFN_MASK) != expected)
                        fail("0x%" PRIx64 " (%s): module frame 0x%" PRIx64 " (%s leaf), pagemap 0x%016" PRIx64,
                             page, vmas[v].path, expected, level_names[walk.stop_level], e);
                }
                step = stop - address;
            } else if (walk.outcome == PAGEATLAS_WALK_SWAP) {
                swapped++;
                uint64_t type = entry & 31, offset = (entry & PM_PFN_MASK) >> 5;
                if (!(entry & PM_SWAP) || type != walk.swap_type || offset != walk.swap_offset)
                    fail("0x%" PRIx64 ": module swap %" PRIu64 ":0x%" PRIx64 ", pagemap 0x%016" PRIx64,
                         address, (uint64_t)walk.swap_type, (uint64_t)walk.swap_offset, entry);
            } else {
                empty++;
                if (entry & (PM_PRESENT | PM_SWAP))
                    fail("0x%" PRIx64 ": module outcome %u at %s, pagemap 0x%016" PRIx64,
                         address, walk.outcome, level_names[walk.stop_level], entry);
            }
            address += step;
        }
        free(pagemap);
    }
    printf("walk-all: %d VMAs, %ld pages present (leaves: pte %ld, pmd %ld, pud %ld), %ld swapped, %ld not populated\n",
           count, present, leaves[PAGEATLAS_PTE], leaves[PAGEATLAS_PMD], leaves[PAGEATLAS_PUD], swapped, empty);
    if (present == 0) fail("no present page at all");
    return 0;
}

static int leaf(int fd, int pid, uint64_t address, const char *level_name)
{
    static const uint64_t sizes[PAGEATLAS_LEVELS] = { 0, 0, 1UL << 30, 1UL << 21, 1UL << 12 };
    int level = -1;
    for (int l = PAGEATLAS_PUD; l < PAGEATLAS_LEVELS; l++) if (!strcmp(level_name, level_names[l])) level = l;
    if (level < 0) { fprintf(stderr, "level: pte, pmd or pud\n"); return 2; }
    struct pageatlas_walk walk;
    int error = companion_walk(fd, pid, address, &walk);
    if (error) { fail("walk: %s", strerror(error)); return 0; }
    uint64_t *pagemap = read_pagemap(pid, address & ~(PAGE - 1), (address & ~(PAGE - 1)) + PAGE);
    printf("leaf 0x%" PRIx64 ": %s, size 0x%" PRIx64 ", phys 0x%" PRIx64 ", pagemap frame 0x%" PRIx64 "\n", address,
           level_names[walk.stop_level], (uint64_t)walk.leaf_size, (uint64_t)walk.phys, pagemap[0] & PM_PFN_MASK);
    if (walk.outcome != PAGEATLAS_WALK_MAPPED || (int)walk.stop_level != level || walk.leaf_size != sizes[level])
        fail("expected a %s leaf of 0x%" PRIx64 " bytes, got outcome %u at %s, size 0x%" PRIx64, level_name,
             sizes[level], walk.outcome, level_names[walk.stop_level], (uint64_t)walk.leaf_size);
    if (!(walk.level[level].flags & PAGEATLAS_ENTRY_LEAF) || !(walk.level[level].entry & (1 << 7)) != (level == PAGEATLAS_PTE))
        fail("the %s entry 0x%" PRIx64 " is not marked a leaf with the PS bit", level_name, (uint64_t)walk.level[level].entry);
    if (!(pagemap[0] & PM_PRESENT) || walk.phys >> 12 != (pagemap[0] & PM_PFN_MASK))
        fail("module frame 0x%" PRIx64 ", pagemap 0x%016" PRIx64, (uint64_t)walk.phys >> 12, pagemap[0]);
    free(pagemap);
    return 0;
}

static int five(int fd, int pid, uint64_t address)
{
    struct pageatlas_walk walk;
    int error = companion_walk(fd, pid, address, &walk);
    if (error) { fail("walk: %s", strerror(error)); return 0; }
    printf("five 0x%" PRIx64 ": levels %u, pgd[%u] p4d[%u] pud[%u] pmd[%u] pte[%u], p4d table 0x%" PRIx64 "\n", address,
           walk.levels, walk.level[0].index, walk.level[1].index, walk.level[2].index, walk.level[3].index,
           walk.level[4].index, (uint64_t)walk.level[1].table_phys);
    if (address < UINT64_C(1) << 47) fail("0x%" PRIx64 " is below 128 TiB", address);
    if (walk.levels != 5) fail("the module says %u-level paging", walk.levels);
    for (int l = 0; l < PAGEATLAS_LEVELS; l++)
        if (!(walk.level[l].flags & PAGEATLAS_ENTRY_READ) || (walk.level[l].flags & PAGEATLAS_ENTRY_FOLDED))
            fail("level %s not read as a real level (flags 0x%x)", level_names[l], walk.level[l].flags);
    if (walk.level[1].table_phys == walk.level[0].table_phys) fail("the P4D table is the PGD");
    if (walk.level[0].index != ((address >> 48) & 511) || walk.level[1].index != ((address >> 39) & 511))
        fail("indices are not 5-level's");
    if (walk.outcome != PAGEATLAS_WALK_MAPPED || walk.stop_level != PAGEATLAS_PTE) fail("not mapped by a PTE");
    return 0;
}

/* The module's TABLES of pid's whole user range (malloc'd); *count records. */
static struct pageatlas_table_record *read_tables(int fd, int pid, uint32_t *count)
{
    struct pageatlas_info i = companion_info(fd);
    struct pageatlas_tables request = { .abi_version = PAGEATLAS_ABI_VERSION, .pid = pid, .start = 0, .end = i.user_address_end };
    if (ioctl(fd, PAGEATLAS_IOC_TABLES, &request) != 0 && errno != ENOSPC) die("PAGEATLAS_IOC_TABLES (count)");
    struct pageatlas_table_record *records = calloc(request.count, sizeof *records);
    request.records = (uintptr_t)records;
    request.capacity = request.count;
    if (ioctl(fd, PAGEATLAS_IOC_TABLES, &request) != 0) die("PAGEATLAS_IOC_TABLES");
    *count = request.count;
    return records;
}

static int tables(int fd, int pid)
{
    struct pageatlas_info i = companion_info(fd);
    uint32_t n;
    struct pageatlas_table_record *records = read_tables(fd, pid, &n);

    long per_level[PAGEATLAS_LEVELS] = { 0 }, thp_reserved = 0, entries = 0;
    for (uint32_t r = 0; r < n; r++) {
        if (records[r].kind == PAGEATLAS_RECORD_TABLE) { per_level[records[r].level]++; continue; }
        entries++;
        uint64_t value = records[r].value;
        int level = records[r].level;
        int is_leaf = level == PAGEATLAS_PTE || (level >= PAGEATLAS_PUD && (value & (1 << 7)));
        if (!(value & 1)) continue;
        if (!is_leaf) {
            /* a table entry: exactly one table record names the address it points to */
            uint64_t child = value & UINT64_C(0x000ffffffffff000);
            int found = 0;
            for (uint32_t t = 0; t < n; t++)
                found += records[t].kind == PAGEATLAS_RECORD_TABLE && records[t].value == child && records[t].level == level + 1 + (level == 0 && i.levels == 4);
            if (found != 1) fail("%s entry at 0x%" PRIx64 " points to 0x%" PRIx64 ", found as a table %d times", level_names[level], (uint64_t)records[r].address, child, found);
        } else if (level == PAGEATLAS_PMD) {
            /* an anonymous THP mapped by a PMD keeps a PTE table in reserve (pgtable_trans_huge_deposit) */
            uint64_t flags = page_flags((value & UINT64_C(0x000fffffffe00000)) >> 12);
            if ((flags & (UINT64_C(1) << KPF_THP)) && (flags & (UINT64_C(1) << KPF_ANON))) thp_reserved++;
        }
    }
    long vmpte_kb = -1;
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *status = fopen(path, "r");
    while (status && fgets(line, sizeof line, status)) if (!strncmp(line, "VmPTE:", 6)) vmpte_kb = atol(line + 6);
    if (status) fclose(status);
    /* VmPTE is mm->pgtables_bytes: PUD, PMD and PTE tables (mm_inc_nr_puds/pmds/ptes), and the PTE
     * tables deposited under THPs; neither the PGD nor P4D tables (__p4d_alloc counts nothing). */
    long below_pgd = per_level[2] + per_level[3] + per_level[4];
    printf("tables pgd=%ld p4d=%ld pud=%ld pmd=%ld pte=%ld\n", per_level[0], per_level[1], per_level[2], per_level[3], per_level[4]);
    printf("tables: %u records, %ld entries; PUD+PMD+PTE %ld tables + %ld reserved under THPs = %ld KiB; VmPTE %ld kB\n",
           n, entries, below_pgd, thp_reserved, (below_pgd + thp_reserved) * 4, vmpte_kb);
    if (per_level[0] != 1) fail("%ld PGD tables", per_level[0]);
    if ((i.levels == 4) != (per_level[1] == 0)) fail("%ld P4D tables on %u-level paging", per_level[1], i.levels);
    if ((below_pgd + thp_reserved) * 4 != vmpte_kb) fail("tables do not add up to VmPTE");
    free(records);
    return 0;
}

static int zero(int fd, int pid, uint64_t address, long pages)
{
    uint64_t *pagemap = read_pagemap(pid, address, address + pages * PAGE);
    uint64_t frame = pagemap[0] & PM_PFN_MASK;
    for (long p = 0; p < pages; p++) {
        struct pageatlas_walk walk;
        int error = companion_walk(fd, pid, address + p * PAGE, &walk);
        if (!(pagemap[p] & PM_PRESENT) || (pagemap[p] & PM_PFN_MASK) != frame) fail("page %ld: pagemap 0x%016" PRIx64, p, pagemap[p]);
        if (error || walk.outcome != PAGEATLAS_WALK_MAPPED || walk.phys >> 12 != frame) fail("page %ld: module walk differs", p);
    }
    uint64_t flags = page_flags(frame);
    printf("zero: %ld pages on frame 0x%" PRIx64 ", kpageflags 0x%" PRIx64 "\n", pages, frame, flags);
    if (!(flags & (UINT64_C(1) << KPF_ZERO_PAGE))) fail("frame 0x%" PRIx64 " is not the zero page", frame);
    free(pagemap);
    return 0;
}

static void expect_errno(const char *what, int result, int expected)
{
    int got = result == 0 ? 0 : errno;
    printf("errors: %-44s -> %s\n", what, got ? strerrorname_np(got) : "success");
    if (got != expected) fail("%s: expected %s", what, strerrorname_np(expected));
}

/* A pid that was just used and is now free: a child reaped. */
static int free_pid(void)
{
    fflush(stdout);     /* or the child's copy of the buffer is printed twice */
    pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, NULL, 0);
    return child;
}

static int errors(int fd)
{
    struct pageatlas_info i = companion_info(fd);
    struct pageatlas_walk walk;
    int self = getpid();
    #define WALK(pid_, vaddr_, version_) (memset(&walk, 0, sizeof walk), walk.abi_version = (version_), walk.pid = (pid_), walk.vaddr = (vaddr_), ioctl(fd, PAGEATLAS_IOC_WALK, &walk))
    expect_errno("walk of this process", WALK(self, (uintptr_t)&walk, PAGEATLAS_ABI_VERSION), 0);
    expect_errno("walk, no such pid", WALK(free_pid(), 0x400000, PAGEATLAS_ABI_VERSION), ESRCH);
    expect_errno("walk, pid 0", WALK(0, 0x400000, PAGEATLAS_ABI_VERSION), EINVAL);
    expect_errno("walk, pid -1", WALK(-1, 0x400000, PAGEATLAS_ABI_VERSION), EINVAL);
    expect_errno("walk, kernel thread (kthreadd, pid 2)", WALK(2, 0x400000, PAGEATLAS_ABI_VERSION), ENXIO);
    expect_errno("walk, address = user_end", WALK(self, i.user_address_end, PAGEATLAS_ABI_VERSION), ERANGE);
    expect_errno("walk, kernel address", WALK(self, i.page_offset, PAGEATLAS_ABI_VERSION), ERANGE);
    expect_errno("walk, ABI version 0", WALK(self, 0x400000, 0), EPROTO);
    expect_errno("walk, ABI version + 1", WALK(self, 0x400000, PAGEATLAS_ABI_VERSION + 1), EPROTO);
    memset(&walk, 0, sizeof walk);
    walk.abi_version = PAGEATLAS_ABI_VERSION; walk.pid = self; walk.reserved = 1;
    expect_errno("walk, reserved field set", ioctl(fd, PAGEATLAS_IOC_WALK, &walk), EINVAL);
    expect_errno("walk, unreadable request", ioctl(fd, PAGEATLAS_IOC_WALK, (void *)8), EFAULT);

    fflush(stdout);
    pid_t zombie = fork();
    if (zombie == 0) _exit(0);
    usleep(200000);     /* not reaped: a zombie with its mm released */
    expect_errno("walk, zombie", WALK(zombie, 0x400000, PAGEATLAS_ABI_VERSION), ENXIO);
    waitpid(zombie, NULL, 0);

    struct pageatlas_tables t = { .abi_version = PAGEATLAS_ABI_VERSION, .pid = self, .start = 0, .end = i.user_address_end };
    expect_errno("tables, capacity 0 (count only)", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), ENOSPC);
    printf("errors: tables needs %u records\n", t.count);
    if (t.count < 5) fail("tables count %u", t.count);
    struct pageatlas_table_record two[2];
    t.records = (uintptr_t)two; t.capacity = 2;
    expect_errno("tables, 2-record buffer", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), ENOSPC);
    t.records = 8; t.capacity = 1 << 16;
    expect_errno("tables, unwritable buffer", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), EFAULT);
    t.records = 0; t.capacity = 0;
    t.end = i.user_address_end + PAGE;
    expect_errno("tables, end above user space", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), ERANGE);
    t.start = 0x2000; t.end = 0x1000;
    expect_errno("tables, start >= end", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), EINVAL);
    t.start = 0; t.end = i.user_address_end; t.pid = 2;
    expect_errno("tables, kernel thread", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), ENXIO);
    t.pid = free_pid();
    expect_errno("tables, no such pid", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), ESRCH);
    t.pid = self; t.abi_version = 7;
    expect_errno("tables, ABI version 7", ioctl(fd, PAGEATLAS_IOC_TABLES, &t), EPROTO);
    expect_errno("unknown ioctl", ioctl(fd, _IO(PAGEATLAS_IOC_MAGIC, 9)), ENOTTY);

    expect_errno("maptest, MAP_PRIVATE", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0, EINVAL);
    expect_errno("maptest, two pages", mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EINVAL);
    expect_errno("maptest, offset 4096", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE) == MAP_FAILED ? -1 : 0, EINVAL);

    /* Not root: open refused by the device's mode; an fd root opened refused by the capability check. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
        failures = 0;
        expect_errno("open as nobody", open(PAGEATLAS_DEVICE, O_RDWR), EACCES);
        expect_errno("walk as nobody (root's fd)", WALK(self, 0x400000, PAGEATLAS_ABI_VERSION), EPERM);
        struct pageatlas_info ignored;
        expect_errno("info as nobody (root's fd)", ioctl(fd, PAGEATLAS_IOC_INFO, &ignored), EPERM);
        expect_errno("maptest as nobody (root's fd)", mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EPERM);
        fflush(stdout);
        _exit(failures ? 1 : 0);
    }
    int status;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the unprivileged checks failed (status 0x%x)", status);
    #undef WALK
    return 0;
}

static uint64_t own_frame(void *address)
{
    uint64_t *entry = read_pagemap(getpid(), (uintptr_t)address, (uintptr_t)address + PAGE);
    uint64_t frame = entry[0] & PM_PRESENT ? entry[0] & PM_PFN_MASK : 0;
    free(entry);
    return frame;
}

static int maptest(int fd)
{
    uint64_t before = companion_info(fd).maptest_pages;
    unsigned char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) die("mmap " PAGEATLAS_DEVICE);
    uint64_t written_pfn;
    memcpy(&written_pfn, page + PAGEATLAS_MAPTEST_PFN_OFFSET, sizeof written_pfn);
    uint64_t frame = own_frame(page);
    printf("maptest: \"%s\", PFN in the page 0x%" PRIx64 ", PFN in pagemap 0x%" PRIx64 ", pages alive %" PRIu64 "\n",
           (char *)page, written_pfn, frame, (uint64_t)companion_info(fd).maptest_pages);
    if (strcmp((char *)page, PAGEATLAS_MAPTEST_MAGIC)) fail("magic string missing");
    if (written_pfn != frame || frame == 0) fail("the page's PFN and pagemap's differ");
    for (unsigned i = PAGEATLAS_MAPTEST_FILL_OFFSET; i < PAGE; i++)
        if (page[i] != ((i ^ written_pfn) & 0xff)) { fail("pattern differs at byte %u", i); break; }
    if (companion_info(fd).maptest_pages != before + 1) fail("maptest pages alive did not grow by one");

    page[PAGE - 1] = 0x5a;      /* a write the child must see: the same page, not a copy */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) _exit(own_frame(page) == frame && page[PAGE - 1] == 0x5a ? 0 : 1);
    int status;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("a forked child does not map the same page");
    if (companion_info(fd).maptest_pages != before + 1) fail("pages alive changed with the child's exit");
    munmap(page, PAGE);
    uint64_t after = companion_info(fd).maptest_pages;
    printf("maptest: after munmap, pages alive %" PRIu64 "\n", after);
    if (after != before) fail("the page was not freed with its last mapping");
    return 0;
}

static int hold_maptest(int fd)
{
    void *page = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) die("mmap " PAGEATLAS_DEVICE);
    close(fd);          /* the mapping alone must keep the module in */
    printf("holding\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) { }
    return 0;
}

/* The control for khugepaged: a 2 MiB-aligned range with one page written while MADV_NOHUGEPAGE kept
 * the fault from mapping a THP there (a PTE leaf), then offered with MADV_HUGEPAGE. khugepaged collapses
 * it on its next pass over this process (max_ptes_none 511: one present, young page is enough;
 * mm/khugepaged.c, hpage_collapse_scan_pmd): once it is a PMD leaf, khugepaged has been by. */
static int collapsible(int fd)
{
    const size_t huge = 2UL << 20;
    close(fd);
    char *raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) die("mmap");
    char *range = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
    if (madvise(range, huge, MADV_NOHUGEPAGE) != 0) die("madvise MADV_NOHUGEPAGE");
    range[3 * PAGE] = 1;
    if (madvise(range, huge, MADV_HUGEPAGE) != 0) die("madvise MADV_HUGEPAGE");
    printf("collapsible 0x%" PRIxPTR "\n", (uintptr_t)range);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) { }
    return 0;
}

/* The tables the walks of the present pages of [start, end) pass through, each once: per level the
 * table's physical address and the first address it covers (a table at level L covers 512 entries of
 * the span one entry maps there: 2 MiB for a PTE table, 1 GiB for a PMD table, 512 GiB for a PUD
 * table, 256 TiB for a P4D table; the PGD covers all of user space, from 0). */
static int path_tables(int fd, int pid, uint64_t start, uint64_t end)
{
    enum { MOST = 4096 };
    static struct { int level; uint64_t span, table; } seen[MOST];
    static const char *const upper[PAGEATLAS_LEVELS] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
    int count = 0;
    long pages = 0;
    if (start >= end || (start | end) & (PAGE - 1)) { fprintf(stderr, "path-tables: START < END, both page-aligned\n"); return 2; }
    uint64_t *pagemap = read_pagemap(pid, start, end);
    for (uint64_t address = start; address < end; address += PAGE) {
        if (!(pagemap[(address - start) / PAGE] & PM_PRESENT)) continue;
        struct pageatlas_walk walk;
        int error = companion_walk(fd, pid, address, &walk);
        if (error) { fail("walk 0x%" PRIx64 ": %s", address, strerror(error)); continue; }
        pages++;
        for (int level = 0; level < PAGEATLAS_LEVELS; level++) {
            uint32_t flags = walk.level[level].flags;
            if (!(flags & PAGEATLAS_ENTRY_READ) || (flags & PAGEATLAS_ENTRY_FOLDED)) continue;
            uint64_t span = level == PAGEATLAS_PGD ? 0 : address & ~((UINT64_C(1) << (21 + 9 * (PAGEATLAS_PTE - level))) - 1);
            int found = -1;
            for (int i = 0; i < count && found < 0; i++) if (seen[i].level == level && seen[i].span == span) found = i;
            if (found >= 0) {
                if (seen[found].table != walk.level[level].table_phys)
                    fail("%s table of 0x%" PRIx64 ": 0x%" PRIx64 " for one page, 0x%" PRIx64 " for another", upper[level], span,
                         seen[found].table, (uint64_t)walk.level[level].table_phys);
            } else if (count < MOST) {
                seen[count].level = level, seen[count].span = span, seen[count].table = walk.level[level].table_phys;
                count++;
            } else {
                fail("more than %d tables", MOST);
            }
        }
    }
    free(pagemap);
    for (int level = 0; level < PAGEATLAS_LEVELS; level++)
        for (int i = 0; i < count; i++)
            if (seen[i].level == level) printf("table %s 0x%" PRIx64 " 0x%" PRIx64 "\n", upper[level], seen[i].span, seen[i].table);
    fprintf(stderr, "path-tables: %ld present pages walked, %d tables on their paths\n", pages, count);
    if (pages == 0) fail("no present page in 0x%" PRIx64 "-0x%" PRIx64, start, end);
    return 0;
}

/* A few fields of PageAtlas's own JSON (docs/json.md): enough to compare, no general parser. */
static char *read_file(const char *path)
{
    FILE *file = fopen(path, "r");
    if (!file) die(path);
    static char text[1 << 22];
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = 0;
    return text;
}

/* Just after `"key": ` at or after from, or NULL. */
static const char *json_key(const char *from, const char *key)
{
    char quoted[96];
    snprintf(quoted, sizeof quoted, "\"%s\": ", key);
    const char *found = from ? strstr(from, quoted) : NULL;
    return found ? found + strlen(quoted) : NULL;
}

/* A "0x…" string value: 1 and *value; null: 0; missing or anything else: -1. */
static int json_hex(const char *at, uint64_t *value)
{
    if (!at) return -1;
    if (!strncmp(at, "null", 4)) return 0;
    return sscanf(at, "\"0x%" SCNx64 "\"", value) == 1 ? 1 : -1;
}

static int json_walk(int fd, int pid, uint64_t address, const char *path, const char *level_name, int with_kernel)
{
    const char *json = read_file(path);
    struct pageatlas_walk walk;
    int error = companion_walk(fd, pid, address, &walk);
    if (error) { fail("module walk: %s", strerror(error)); return 0; }
    static const char *const upper[PAGEATLAS_LEVELS] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
    char expected_level[16];
    snprintf(expected_level, sizeof expected_level, "\"%s\"", level_name);
    const char *leaf = json_key(json, "leafLevel");
    const char *size = json_key(json, "leafBytes");
    uint64_t expected_size = !strcmp(level_name, "PUD") ? 1UL << 30 : !strcmp(level_name, "PMD") ? 1UL << 21 : 1UL << 12;
    if (!leaf || strncmp(leaf, expected_level, strlen(expected_level))) fail("leafLevel is not %s", expected_level);
    if (!size || strtoull(size, NULL, 10) != expected_size) fail("leafBytes is not %" PRIu64, expected_size);
    /* the report's own physicalAddress is the last key of that name (the page's fields come before) */
    const char *physical = NULL;
    for (const char *at = json_key(json, "physicalAddress"); at; at = json_key(at, "physicalAddress")) physical = at;
    uint64_t pa = 0;
    if (json_hex(physical, &pa) != 1 || pa != walk.phys) fail("physicalAddress 0x%" PRIx64 ", the module's 0x%" PRIx64, pa, (uint64_t)walk.phys);
    printf("json-walk: %s leaf, physical 0x%" PRIx64 "\n", level_name, pa);

    const char *at = json;
    int levels = 0;
    for (int level = 0; level < PAGEATLAS_LEVELS && (walk.level[level].flags & PAGEATLAS_ENTRY_READ); level++) {
        char name[16];
        snprintf(name, sizeof name, "\"%s\"", upper[level]);
        at = json_key(at, "level");
        if (!at || strncmp(at, name, strlen(name))) { fail("levels[%d] is not %s", level, name); break; }
        uint64_t table = 0, entry_address = 0, entry = 0;
        int shown = json_hex(json_key(at, "tablePhysicalAddress"), &table);
        int entry_shown = json_hex(json_key(at, "entryPhysicalAddress"), &entry_address);
        int value_shown = json_hex(json_key(at, "entryValue"), &entry);
        if (!with_kernel) {
            if (shown != 0 || entry_shown != 0 || value_shown != 0) fail("%s: addresses shown without the companion", upper[level]);
        } else if (shown != 1 || table != walk.level[level].table_phys || entry_address != walk.level[level].entry_phys || entry != walk.level[level].entry) {
            fail("%s: table 0x%" PRIx64 " entry 0x%" PRIx64 " = 0x%" PRIx64 ", the module's 0x%" PRIx64 " 0x%" PRIx64 " = 0x%" PRIx64,
                 upper[level], table, entry_address, entry, (uint64_t)walk.level[level].table_phys,
                 (uint64_t)walk.level[level].entry_phys, (uint64_t)walk.level[level].entry);
        }
        levels++;
    }
    printf("json-walk: %d levels compared %s\n", levels, with_kernel ? "with the module's" : "(none shows an address)");
    return 0;
}

static int json_tables(int fd, int pid, const char *path, int with_kernel, int per_thp)
{
    const char *json = read_file(path);
    uint32_t count;
    struct pageatlas_table_record *records = read_tables(fd, pid, &count);
    long module[PAGEATLAS_LEVELS] = { 0 }, shown[PAGEATLAS_LEVELS] = { 0 }, pmd_leaves = 0;
    for (uint32_t r = 0; r < count; r++) {
        if (records[r].kind == PAGEATLAS_RECORD_TABLE) module[records[r].level]++;
        /* a present PMD entry with the PSE bit (7) maps 2 MiB itself */
        else if (records[r].kind == PAGEATLAS_RECORD_ENTRY && records[r].level == PAGEATLAS_PMD && (records[r].value & 0x81) == 0x81) pmd_leaves++;
    }
    long extra_pte_tables = per_thp ? pmd_leaves : 0;

    static const char *const upper[PAGEATLAS_LEVELS] = { "\"PGD\"", "\"P4D\"", "\"PUD\"", "\"PMD\"", "\"PTE\"" };
    const char *tables = strstr(json, "\"tables\": [");
    const char *vmas = tables ? strstr(tables, "\"vmas\": [") : NULL;
    if (!tables || !vmas) { fail("no tables array"); return 0; }
    for (const char *at = json_key(tables, "level"); at && at < vmas; at = json_key(at, "level")) {
        int level = -1;
        for (int l = 0; l < PAGEATLAS_LEVELS; l++) if (!strncmp(at, upper[l], strlen(upper[l]))) level = l;
        if (level < 0) { fail("unknown level"); break; }
        shown[level]++;
        uint64_t physical = 0;
        int has = json_hex(json_key(at, "physicalAddress"), &physical);
        if (!with_kernel) { if (has != 0) fail("a table shows a physical address without the companion"); continue; }
        int found = 0;
        for (uint32_t r = 0; r < count; r++)
            found |= records[r].kind == PAGEATLAS_RECORD_TABLE && records[r].level == level && records[r].value == physical;
        if (has != 1 || !found) fail("%s table at 0x%" PRIx64 " is not the module's", upper[level], physical);
    }
    printf("json-tables: pageatlas pgd=%ld p4d=%ld pud=%ld pmd=%ld pte=%ld; module pgd=%ld p4d=%ld pud=%ld pmd=%ld pte=%ld, %ld PMD leaves\n",
           shown[0], shown[1], shown[2], shown[3], shown[4], module[0], module[1], module[2], module[3], module[4], pmd_leaves);
    module[PAGEATLAS_PTE] += extra_pte_tables;
    for (int l = 0; l < PAGEATLAS_LEVELS; l++) if (shown[l] != module[l]) fail("%s: %ld tables shown, expected %ld", upper[l], shown[l], module[l]);
    free(records);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: see the comment at the top of kcheck.c\n"); return 2; }
    int fd = open_companion();
    const char *command = argv[1];
    int result;
    if (!strcmp(command, "info")) result = info(fd);
    else if (!strcmp(command, "walk-all") && argc == 3) result = walk_all(fd, (int)parse_number(argv[2]));
    else if (!strcmp(command, "leaf") && argc == 5) result = leaf(fd, (int)parse_number(argv[2]), parse_number(argv[3]), argv[4]);
    else if (!strcmp(command, "five") && argc == 4) result = five(fd, (int)parse_number(argv[2]), parse_number(argv[3]));
    else if (!strcmp(command, "tables") && argc == 3) result = tables(fd, (int)parse_number(argv[2]));
    else if (!strcmp(command, "zero") && argc == 5) result = zero(fd, (int)parse_number(argv[2]), parse_number(argv[3]), (long)parse_number(argv[4]));
    else if (!strcmp(command, "errors")) result = errors(fd);
    else if (!strcmp(command, "maptest")) result = maptest(fd);
    else if (!strcmp(command, "hold-maptest")) result = hold_maptest(fd);
    else if (!strcmp(command, "collapsible")) result = collapsible(fd);
    else if (!strcmp(command, "json-walk") && argc == 7)
        result = json_walk(fd, (int)parse_number(argv[2]), parse_number(argv[3]), argv[4], argv[5], !strcmp(argv[6], "kernel"));
    else if (!strcmp(command, "path-tables") && argc == 5)
        result = path_tables(fd, (int)parse_number(argv[2]), parse_number(argv[3]), parse_number(argv[4]));
    else if (!strcmp(command, "json-tables") && (argc == 5 || argc == 6))
        result = json_tables(fd, (int)parse_number(argv[2]), argv[3], !strcmp(argv[4], "kernel"), argc == 6 && !strcmp(argv[5], "per-thp"));
    else { fprintf(stderr, "kcheck: unknown command or arguments\n"); return 2; }
    return result ? result : failures ? 1 : 0;
}
