/*
 * kcore-walk: an independent reader of a process's page tables. From the module it takes only
 * the PGD's physical address; from there it reads each level's entry itself, in physical memory,
 * through /proc/kcore's direct map (the PT_LOAD segments whose p_paddr is a physical address),
 * decodes it with the hardware's bit layout (present bit 0, page size bit 7, address bits 12-51),
 * and checks, for every present page of every VMA:
 *   - each entry it read equals the module's walk (same entry address, same raw value);
 *   - the leaf it reached maps the frame pagemap reports.
 *   kcore-walk PID
 */
#include "common.h"
#include <elf.h>

#define ADDRESS_BITS UINT64_C(0x000ffffffffff000)
#define PRESENT 1
#define PAGE_SIZE_BIT (1 << 7)

static int kcore;
static Elf64_Phdr segments[256];
static int segment_count;

static void open_kcore(void)
{
    kcore = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
    if (kcore < 0) die("/proc/kcore");
    Elf64_Ehdr header;
    if (pread(kcore, &header, sizeof header, 0) != sizeof header || memcmp(header.e_ident, ELFMAG, SELFMAG)) die("kcore ELF header");
    for (int i = 0; i < header.e_phnum && segment_count < 256; i++) {
        Elf64_Phdr segment;
        if (pread(kcore, &segment, sizeof segment, (off_t)(header.e_phoff + i * sizeof segment)) != sizeof segment) die("kcore program header");
        /* fs/proc/kcore.c: RAM in the direct map has p_paddr = __pa(); other kinds have p_paddr = -1.
         * The kernel text segment also has a p_paddr but lies above the direct map: skip it. */
        if (segment.p_type == PT_LOAD && segment.p_paddr != (Elf64_Addr)-1 && segment.p_vaddr < UINT64_C(0xffffffff80000000))
            segments[segment_count++] = segment;
    }
    if (segment_count == 0) { fprintf(stderr, "kcore-walk: no direct-map segment in /proc/kcore\n"); exit(2); }
}

static uint64_t read_physical(uint64_t physical)
{
    for (int i = 0; i < segment_count; i++) {
        if (physical < segments[i].p_paddr || physical + 8 > segments[i].p_paddr + segments[i].p_memsz) continue;
        uint64_t value;
        if (pread(kcore, &value, sizeof value, (off_t)(segments[i].p_offset + physical - segments[i].p_paddr)) != sizeof value)
            die("pread /proc/kcore");
        return value;
    }
    fprintf(stderr, "kcore-walk: physical 0x%" PRIx64 " is in no RAM segment of /proc/kcore\n", physical);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: kcore-walk PID\n"); return 2; }
    int pid = (int)parse_number(argv[1]);
    int fd = open_companion();
    struct pageatlas_info info = companion_info(fd);
    open_kcore();

    static struct vma vmas[4096];
    int count = read_maps(pid, info.user_address_end, vmas, 4096);
    long walked = 0, leaves[PAGEATLAS_LEVELS] = { 0 }, entries_read = 0;
    uint64_t pgd_table = 0;
    for (int v = 0; v < count; v++) {
        uint64_t *pagemap = read_pagemap(pid, vmas[v].start, vmas[v].end);
        for (uint64_t address = vmas[v].start, next; address < vmas[v].end; address = next) {
            next = address + PAGE;
            uint64_t expected = pagemap[(address - vmas[v].start) / PAGE];
            if (!(expected & PM_PRESENT)) continue;
            struct pageatlas_walk walk;
            int error = companion_walk(fd, pid, address, &walk);
            if (error) { fail("walk 0x%" PRIx64 ": %s", address, strerror(error)); continue; }
            if (!pgd_table) pgd_table = walk.level[PAGEATLAS_PGD].table_phys;
            if (walk.level[PAGEATLAS_PGD].table_phys != pgd_table) fail("the PGD moved");

            /* the walk, on our own: shifts of 5-level or 4-level paging (where P4D is folded) */
            uint64_t table = pgd_table, frame = 0;
            int leaf_level = -1;
            for (int level = 0; level < PAGEATLAS_LEVELS && leaf_level < 0; level++) {
                if (level == PAGEATLAS_P4D && info.levels == 4) continue;
                int shift = level == PAGEATLAS_PGD && info.levels == 4 ? 39 : 12 + 9 * (PAGEATLAS_PTE - level);
                uint64_t entry_address = table + 8 * ((address >> shift) & 511);
                uint64_t entry = read_physical(entry_address);
                entries_read++;
                if (entry_address != walk.level[level].entry_phys || entry != walk.level[level].entry)
                    fail("0x%" PRIx64 " %s: kcore has 0x%016" PRIx64 " at 0x%" PRIx64 ", the module 0x%016" PRIx64 " at 0x%" PRIx64,
                         address, level_names[level], entry, entry_address, (uint64_t)walk.level[level].entry, (uint64_t)walk.level[level].entry_phys);
                if (!(entry & PRESENT)) { fail("0x%" PRIx64 " %s: entry not present", address, level_names[level]); break; }
                if (level == PAGEATLAS_PTE || ((level == PAGEATLAS_PUD || level == PAGEATLAS_PMD) && (entry & PAGE_SIZE_BIT))) {
                    leaf_level = level;
                    uint64_t span = UINT64_C(1) << shift;
                    frame = ((entry & ADDRESS_BITS & ~(span - 1)) + (address & (span - 1))) >> 12;
                    /* the rest of a huge leaf: pagemap's frames must follow on, one per 4 KiB */
                    uint64_t leaf_end = (address & ~(span - 1)) + span;
                    for (next = address + PAGE; next < leaf_end && next < vmas[v].end; next += PAGE) {
                        uint64_t later = pagemap[(next - vmas[v].start) / PAGE];
                        if (!(later & PM_PRESENT) || (later & PM_PFN_MASK) != frame + (next - address) / PAGE)
                            fail("0x%" PRIx64 ": pagemap 0x%016" PRIx64 " is not the leaf's frame + %" PRIu64, next,
                                 later, (next - address) / PAGE);
                    }
                } else {
                    table = entry & ADDRESS_BITS;
                }
            }
            walked++;
            if (leaf_level >= 0) leaves[leaf_level]++;
            if (leaf_level < 0 || frame != (expected & PM_PFN_MASK))
                fail("0x%" PRIx64 ": kcore leaf frame 0x%" PRIx64 ", pagemap 0x%016" PRIx64, address, frame, expected);
        }
        free(pagemap);
    }
    printf("kcore-walk: PGD 0x%" PRIx64 ", %ld present pages walked in physical memory (%ld entries read; leaves pte %ld, pmd %ld, pud %ld)\n",
           pgd_table, walked, entries_read, leaves[PAGEATLAS_PTE], leaves[PAGEATLAS_PMD], leaves[PAGEATLAS_PUD]);
    if (walked == 0) fail("nothing walked");
    return failures ? 1 : 0;
}
