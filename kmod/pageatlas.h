/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pageatlas.h: the ABI of the PageAtlas kernel companion (/dev/pageatlas), shared by the module,
 * its C tests and PageAtlas's C# reader (src/PageAtlas/Linux/KernelCompanion*.cs mirrors it).
 *
 * The device is a misc device, mode 0600, and every operation also checks CAP_SYS_ADMIN: only
 * root sees another process's page tables and physical addresses.
 *
 * Versioning: PAGEATLAS_IOC_INFO tells the module's PAGEATLAS_ABI_VERSION; every other request
 * starts with the version its caller speaks and fails with EPROTO when it differs. Each ioctl
 * number also encodes its structure's size, so a caller built against another layout gets ENOTTY.
 *
 * Errors (every bad input is an errno, never an oops):
 *   EPERM    caller lacks CAP_SYS_ADMIN
 *   EPROTO   abi_version is not this module's
 *   EINVAL   malformed request: pid <= 0, start >= end, reserved fields not zero
 *   ESRCH    no such process (in the caller's pid namespace)
 *   ENXIO    the process has no user memory: a kernel thread, a zombie, or exiting
 *   ERANGE   an address at or above the user address space (TASK_SIZE_MAX)
 *   ENOSPC   TABLES: the caller's array is shorter than the range needs (count says how many)
 *   E2BIG    TABLES: the range needs more than PAGEATLAS_TABLES_MAX records: split it
 *   EFAULT   a pointer the caller gave cannot be read or written
 *   EINTR    a fatal signal arrived while waiting for the target's mmap lock
 *   ENOTTY   unknown ioctl
 * mmap (maptest): EINVAL unless the mapping is MAP_SHARED, one page long, at offset 0.
 */
#ifndef PAGEATLAS_H
#define PAGEATLAS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PAGEATLAS_ABI_VERSION 1
#define PAGEATLAS_DEVICE "/dev/pageatlas"

/* Level numbers, root first; also the index into pageatlas_walk.level[]. */
enum pageatlas_level {
	PAGEATLAS_PGD = 0,
	PAGEATLAS_P4D = 1,	/* folded into the PGD on 4-level paging */
	PAGEATLAS_PUD = 2,	/* a leaf here maps 1 GiB */
	PAGEATLAS_PMD = 3,	/* a leaf here maps 2 MiB */
	PAGEATLAS_PTE = 4,
	PAGEATLAS_LEVELS = 5,
};

/* PAGEATLAS_IOC_INFO: what the module and the machine are. */
#define PAGEATLAS_INFO_PTI (1u << 0)	/* page-table isolation: user PGD entries also live in a second PGD page */
struct pageatlas_info {
	__u32 abi_version;		/* out: PAGEATLAS_ABI_VERSION */
	__u32 levels;			/* out: 4 or 5 (pgtable_l5_enabled()) */
	__u64 page_offset;		/* out: virtual address of physical 0 in the direct map (page_offset_base) */
	__u64 user_address_end;		/* out: TASK_SIZE_MAX, one past the highest user address */
	__u64 maptest_pages;		/* out: maptest pages alive now (mapped somewhere) */
	__u32 flags;			/* out: PAGEATLAS_INFO_* */
	__u32 reserved;
};

/* pageatlas_walk_level.flags */
#define PAGEATLAS_ENTRY_READ	(1u << 0)	/* the walk read this level's entry */
#define PAGEATLAS_ENTRY_FOLDED	(1u << 1)	/* level folded (P4D on 4-level): same table and entry as the PGD */
#define PAGEATLAS_ENTRY_PRESENT	(1u << 2)	/* the hardware's present bit (or PROT_NONE's stand-in) is set */
#define PAGEATLAS_ENTRY_LEAF	(1u << 3)	/* maps memory: a PTE, or a huge PMD/PUD */

struct pageatlas_walk_level {
	__u64 table_phys;	/* physical address of the table this level's entry was read from */
	__u64 entry_phys;	/* physical address of that entry (table_phys + 8 * index) */
	__u64 entry;		/* the raw entry, as the kernel's page-table copy holds it */
	__u32 index;		/* the entry's index in its table (0..511) */
	__u32 flags;		/* PAGEATLAS_ENTRY_* */
};

/* pageatlas_walk.outcome: how the walk ended, at stop_level */
enum pageatlas_walk_outcome {
	PAGEATLAS_WALK_MAPPED = 0,	/* a present leaf: phys and leaf_size are set */
	PAGEATLAS_WALK_NONE = 1,	/* an empty entry: nothing mapped, no table below */
	PAGEATLAS_WALK_SWAP = 2,	/* a swap entry: swap_type and swap_offset are set */
	PAGEATLAS_WALK_NOT_PRESENT = 3,	/* another non-present entry: migration, device, PTE marker, PMD swap */
	PAGEATLAS_WALK_BAD = 4,		/* an entry the kernel calls bad (p?d_bad): the walk stops */
};

/* PAGEATLAS_IOC_WALK: seed 000's {pid, vaddr} → per-level {table, entry} walk. */
struct pageatlas_walk {
	__u32 abi_version;	/* in */
	__s32 pid;		/* in */
	__u64 vaddr;		/* in: any user address (below user_address_end) */
	__u32 levels;		/* out: 4 or 5 */
	__u32 outcome;		/* out: enum pageatlas_walk_outcome */
	__u32 stop_level;	/* out: the level whose entry ended the walk */
	__u32 reserved;
	__u64 leaf_size;	/* out, MAPPED: 4096, 2 MiB or 1 GiB */
	__u64 phys;		/* out, MAPPED: physical address of vaddr itself */
	__u64 swap_type;	/* out, SWAP/NOT_PRESENT at the PTE: swp_type(), as pagemap's bits 0-4 */
	__u64 swap_offset;	/* out, SWAP/NOT_PRESENT at the PTE: swp_offset(), as pagemap's bits 5-54 */
	struct pageatlas_walk_level level[PAGEATLAS_LEVELS];	/* out, root first */
};

/* pageatlas_table_record.kind */
#define PAGEATLAS_RECORD_TABLE 1	/* value: the table's physical address; address: first virtual address it covers */
#define PAGEATLAS_RECORD_ENTRY 2	/* value: the raw entry; address: the entry's physical address (its table is address & ~4095) */

struct pageatlas_table_record {
	__u16 kind;	/* PAGEATLAS_RECORD_* */
	__u16 level;	/* enum pageatlas_level */
	__u32 index;	/* TABLE: the index of the parent entry pointing here (0 for the PGD); ENTRY: its index */
	__u64 value;
	__u64 address;
};

#define PAGEATLAS_TABLES_MAX (1u << 20)

/*
 * PAGEATLAS_IOC_TABLES: every page table of a range, in one call. A TABLE record comes before
 * the records of its entries and of the tables below it; the non-empty entries (present or not)
 * of each table that fall in [start, end) follow. On 4-level paging there is no P4D table. The
 * same range walked twice gives the same tables, so a caller may split a range and merge by
 * table address.
 */
struct pageatlas_tables {
	__u32 abi_version;	/* in */
	__s32 pid;		/* in */
	__u64 start;		/* in: first address of the range */
	__u64 end;		/* in: one past its last (at most user_address_end) */
	__u64 records;		/* in: user pointer to capacity records */
	__u32 capacity;		/* in: records the array holds (0: just count) */
	__u32 count;		/* out: records the range needs; min(count, capacity) were written */
};

#define PAGEATLAS_IOC_MAGIC 0xA7
#define PAGEATLAS_IOC_INFO   _IOR(PAGEATLAS_IOC_MAGIC, 0, struct pageatlas_info)
#define PAGEATLAS_IOC_WALK   _IOWR(PAGEATLAS_IOC_MAGIC, 1, struct pageatlas_walk)
#define PAGEATLAS_IOC_TABLES _IOWR(PAGEATLAS_IOC_MAGIC, 2, struct pageatlas_tables)

/*
 * maptest (seed 002, task 2): mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0) maps a
 * page the module allocated for this mapping. It holds PAGEATLAS_MAPTEST_MAGIC at offset 0, its
 * own PFN (u64) at PAGEATLAS_MAPTEST_PFN_OFFSET, and from PAGEATLAS_MAPTEST_FILL_OFFSET on the byte
 * (i ^ pfn) & 0xff at offset i. The page is freed when the last mapping of it goes (fork and
 * mremap share it); the module cannot be removed while one exists.
 */
#define PAGEATLAS_MAPTEST_MAGIC "PageAtlas maptest page"
#define PAGEATLAS_MAPTEST_PFN_OFFSET 64
#define PAGEATLAS_MAPTEST_FILL_OFFSET 128

#endif
