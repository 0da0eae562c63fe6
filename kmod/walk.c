// SPDX-License-Identifier: GPL-2.0
/*
 * PAGEATLAS_IOC_WALK: one address of one process, level by level, with the kernel's own accessors
 * (pgd_offset … pte_offset_map_lock) under the mm's read lock. Each level records the table it
 * read, the entry's physical address and the raw entry.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>
#include "internal.h"

static void pageatlas_record(struct pageatlas_walk *walk, enum pageatlas_level level,
			     const void *entry_pointer, u64 value, unsigned int index, u32 flags)
{
	struct pageatlas_walk_level *out = &walk->level[level];

	/* Page tables live in the direct map, so __pa() of an entry's address is its physical address. */
	out->entry_phys = __pa(entry_pointer);
	out->table_phys = out->entry_phys & PAGE_MASK;
	out->entry = value;
	out->index = index;
	out->flags = PAGEATLAS_ENTRY_READ | flags;
}

static void pageatlas_leaf(struct pageatlas_walk *walk, enum pageatlas_level level, u64 pfn, u64 size)
{
	walk->outcome = PAGEATLAS_WALK_MAPPED;
	walk->stop_level = level;
	walk->leaf_size = size;
	walk->phys = (pfn << PAGE_SHIFT) + (walk->vaddr & (size - 1));
	walk->level[level].flags |= PAGEATLAS_ENTRY_LEAF;
}

static void pageatlas_stop(struct pageatlas_walk *walk, enum pageatlas_level level, u32 outcome)
{
	walk->outcome = outcome;
	walk->stop_level = level;
}

static void pageatlas_walk_pte(struct mm_struct *mm, pmd_t *pmd, struct pageatlas_walk *walk)
{
	unsigned long address = walk->vaddr;
	spinlock_t *lock;
	pte_t *pte = pte_offset_map_lock(mm, pmd, address, &lock);
	pte_t value;

	if (!pte) {	/* since 6.5 the PMD is re-checked here and may have changed */
		pageatlas_stop(walk, PAGEATLAS_PMD, PAGEATLAS_WALK_NONE);
		return;
	}
	value = ptep_get(pte);
	pageatlas_record(walk, PAGEATLAS_PTE, pte, pte_val(value), pte_index(address),
			 pte_present(value) ? PAGEATLAS_ENTRY_PRESENT : 0);
	if (pte_present(value)) {
		pageatlas_leaf(walk, PAGEATLAS_PTE, pte_pfn(value), PAGE_SIZE);
	} else if (pte_none(value)) {
		pageatlas_stop(walk, PAGEATLAS_PTE, PAGEATLAS_WALK_NONE);
	} else {
		/* pagemap's encoding (fs/proc/task_mmu.c pte_to_pagemap_entry): type and offset */
		swp_entry_t entry = pte_to_swp_entry(value);

		walk->swap_type = swp_type(entry);
		walk->swap_offset = swp_offset(entry);
		pageatlas_stop(walk, PAGEATLAS_PTE, non_swap_entry(entry) ?
			       PAGEATLAS_WALK_NOT_PRESENT : PAGEATLAS_WALK_SWAP);
	}
	pte_unmap_unlock(pte, lock);
}

/* Walks walk->vaddr in mm, whose read lock the caller holds. */
static void pageatlas_walk_locked(struct mm_struct *mm, struct pageatlas_walk *walk)
{
	unsigned long address = walk->vaddr;
	pgd_t *pgd = pgd_offset(mm, address);
	pgd_t pgd_value = READ_ONCE(*pgd);
	p4d_t *p4d;
	p4d_t p4d_value;
	pud_t *pud;
	pud_t pud_value;
	pmd_t *pmd;
	pmd_t pmd_value;

	pageatlas_record(walk, PAGEATLAS_PGD, pgd, pgd_val(pgd_value), pgd_index(address),
			 pgd_val(pgd_value) & _PAGE_PRESENT ? PAGEATLAS_ENTRY_PRESENT : 0);
	if (pageatlas_pgd_empty(pgd) || pageatlas_pgd_bad(pgd)) {
		pageatlas_stop(walk, PAGEATLAS_PGD, pageatlas_pgd_empty(pgd) ? PAGEATLAS_WALK_NONE : PAGEATLAS_WALK_BAD);
		return;
	}

	/* On 4-level paging p4d_offset() returns the PGD entry itself: the level is folded. */
	p4d = p4d_offset(pgd, address);
	p4d_value = READ_ONCE(*p4d);
	pageatlas_record(walk, PAGEATLAS_P4D, p4d, p4d_val(p4d_value),
			 pgtable_l5_enabled() ? p4d_index(address) : 0,
			 (p4d_present(p4d_value) ? PAGEATLAS_ENTRY_PRESENT : 0) |
			 (pgtable_l5_enabled() ? 0 : PAGEATLAS_ENTRY_FOLDED));
	if (p4d_none(p4d_value) || p4d_bad(p4d_value)) {
		pageatlas_stop(walk, PAGEATLAS_P4D, p4d_none(p4d_value) ? PAGEATLAS_WALK_NONE : PAGEATLAS_WALK_BAD);
		return;
	}

	pud = pud_offset(p4d, address);
	pud_value = READ_ONCE(*pud);
	pageatlas_record(walk, PAGEATLAS_PUD, pud, pud_val(pud_value), pud_index(address),
			 pud_present(pud_value) ? PAGEATLAS_ENTRY_PRESENT : 0);
	if (pud_none(pud_value)) {
		pageatlas_stop(walk, PAGEATLAS_PUD, PAGEATLAS_WALK_NONE);
		return;
	}
	if (!pud_present(pud_value)) {
		pageatlas_stop(walk, PAGEATLAS_PUD, PAGEATLAS_WALK_NOT_PRESENT);
		return;
	}
	if (pud_leaf(pud_value)) {	/* a 1 GiB page (hugetlbfs, or DAX) */
		pageatlas_leaf(walk, PAGEATLAS_PUD, pud_pfn(pud_value), PUD_SIZE);
		return;
	}
	if (pud_bad(pud_value)) {
		pageatlas_stop(walk, PAGEATLAS_PUD, PAGEATLAS_WALK_BAD);
		return;
	}

	/*
	 * A PMD read once (as fs/proc/task_mmu.c and mm/pagewalk.c read it): under the mmap read
	 * lock a table here is never freed; a huge entry may be split, and then the value read is
	 * what was there when it was read.
	 */
	pmd = pmd_offset(pud, address);
	pmd_value = READ_ONCE(*pmd);
	pageatlas_record(walk, PAGEATLAS_PMD, pmd, pmd_val(pmd_value), pmd_index(address),
			 pmd_present(pmd_value) ? PAGEATLAS_ENTRY_PRESENT : 0);
	if (pmd_none(pmd_value)) {
		pageatlas_stop(walk, PAGEATLAS_PMD, PAGEATLAS_WALK_NONE);
		return;
	}
	if (!pmd_present(pmd_value)) {	/* a THP under migration */
		pageatlas_stop(walk, PAGEATLAS_PMD, PAGEATLAS_WALK_NOT_PRESENT);
		return;
	}
	if (pmd_leaf(pmd_value)) {	/* a THP or a 2 MiB hugetlbfs page */
		pageatlas_leaf(walk, PAGEATLAS_PMD, pmd_pfn(pmd_value), PMD_SIZE);
		return;
	}
	if (pmd_bad(pmd_value)) {
		pageatlas_stop(walk, PAGEATLAS_PMD, PAGEATLAS_WALK_BAD);
		return;
	}
	pageatlas_walk_pte(mm, pmd, walk);
}

long pageatlas_walk(struct pageatlas_walk __user *request)
{
	struct pageatlas_walk asked, walk = { 0 };
	struct mm_struct *mm;

	if (copy_from_user(&asked, request, sizeof(asked)))
		return -EFAULT;
	if (asked.abi_version != PAGEATLAS_ABI_VERSION)
		return -EPROTO;
	if (asked.pid <= 0 || asked.reserved)
		return -EINVAL;
	if (asked.vaddr >= TASK_SIZE_MAX)
		return -ERANGE;
	walk.abi_version = asked.abi_version;
	walk.pid = asked.pid;
	walk.vaddr = asked.vaddr;
	walk.levels = pgtable_l5_enabled() ? 5 : 4;

	mm = pageatlas_get_mm(walk.pid);
	if (IS_ERR(mm))
		return PTR_ERR(mm);
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return -EINTR;
	}
	pageatlas_walk_locked(mm, &walk);
	mmap_read_unlock(mm);
	mmput(mm);
	return copy_to_user(request, &walk, sizeof(walk)) ? -EFAULT : 0;
}
