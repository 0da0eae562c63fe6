// SPDX-License-Identifier: GPL-2.0
/*
 * PAGEATLAS_IOC_TABLES: every page table under a range of a process, with its physical address
 * and its non-empty entries, gathered under the mm's read lock into a kernel buffer (bounded by
 * PAGEATLAS_TABLES_MAX) and copied out after the lock is dropped: a copy_to_user() fault while
 * holding a process's mmap lock could deadlock when the caller walks itself.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "internal.h"

struct pageatlas_emitter {
	struct pageatlas_table_record *records;
	u64 capacity;
	u64 count;		/* records needed so far, written or not */
};

static void pageatlas_emit(struct pageatlas_emitter *out, u16 kind, enum pageatlas_level level,
			   u32 index, u64 value, u64 address)
{
	if (out->count < out->capacity) {
		struct pageatlas_table_record *record = &out->records[out->count];

		record->kind = kind;
		record->level = level;
		record->index = index;
		record->value = value;
		record->address = address;
	}
	out->count++;
}

/* A table, named by any of its entries' kernel addresses (tables live in the direct map). */
static void pageatlas_emit_table(struct pageatlas_emitter *out, enum pageatlas_level level,
				 u32 parent_index, const void *entry, unsigned long first_address)
{
	pageatlas_emit(out, PAGEATLAS_RECORD_TABLE, level, parent_index, __pa(entry) & PAGE_MASK, first_address);
}

static void pageatlas_emit_entry(struct pageatlas_emitter *out, enum pageatlas_level level,
				 u32 index, u64 value, const void *entry)
{
	pageatlas_emit(out, PAGEATLAS_RECORD_ENTRY, level, index, value, __pa(entry));
}

static int pageatlas_pte_range(struct mm_struct *mm, pmd_t *pmd, u32 parent_index,
			       unsigned long address, unsigned long end, struct pageatlas_emitter *out)
{
	spinlock_t *lock;
	pte_t *first = pte_offset_map_lock(mm, pmd, address, &lock);
	pte_t *pte = first;

	if (!first)	/* since 6.5: the PMD changed under us; nothing to report */
		return 0;
	pageatlas_emit_table(out, PAGEATLAS_PTE, parent_index, first, address & PMD_MASK);
	for (; address != end; address += PAGE_SIZE, pte++) {
		pte_t value = ptep_get(pte);

		if (!pte_none(value))
			pageatlas_emit_entry(out, PAGEATLAS_PTE, pte_index(address), pte_val(value), pte);
	}
	pte_unmap_unlock(first, lock);
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

static int pageatlas_pmd_range(struct mm_struct *mm, pud_t *pud, u32 parent_index,
			       unsigned long address, unsigned long end, struct pageatlas_emitter *out)
{
	pmd_t *pmd = pmd_offset(pud, address);
	unsigned long next;
	int error = 0;

	pageatlas_emit_table(out, PAGEATLAS_PMD, parent_index, pmd, address & PUD_MASK);
	for (; address != end && !error; pmd++, address = next) {
		/* read once, as in walk.c: under the read lock a table PMD is never freed */
		pmd_t value = READ_ONCE(*pmd);

		next = pmd_addr_end(address, end);
		if (pmd_none(value))
			continue;
		pageatlas_emit_entry(out, PAGEATLAS_PMD, pmd_index(address), pmd_val(value), pmd);
		if (pmd_present(value) && !pmd_leaf(value) && !pmd_bad(value))
			error = pageatlas_pte_range(mm, pmd, pmd_index(address), address, next, out);
	}
	return error;
}

static int pageatlas_pud_range(struct mm_struct *mm, p4d_t *p4d, u32 parent_index,
			       unsigned long address, unsigned long end, struct pageatlas_emitter *out)
{
	pud_t *pud = pud_offset(p4d, address);
	unsigned long next;
	int error = 0;

	pageatlas_emit_table(out, PAGEATLAS_PUD, parent_index, pud, address & P4D_MASK);
	for (; address != end && !error; pud++, address = next) {
		pud_t value = READ_ONCE(*pud);

		next = pud_addr_end(address, end);
		if (pud_none(value))
			continue;
		pageatlas_emit_entry(out, PAGEATLAS_PUD, pud_index(address), pud_val(value), pud);
		if (pud_present(value) && !pud_leaf(value) && !pud_bad(value))
			error = pageatlas_pmd_range(mm, pud, pud_index(address), address, next, out);
	}
	return error;
}

static int pageatlas_p4d_range(struct mm_struct *mm, pgd_t *pgd, u32 parent_index,
			       unsigned long address, unsigned long end, struct pageatlas_emitter *out)
{
	p4d_t *p4d = p4d_offset(pgd, address);
	unsigned long next;
	int error = 0;

	/* On 4-level paging p4d_offset() is the PGD entry itself: no table, no entries of its own. */
	if (!pgtable_l5_enabled())
		return pageatlas_pud_range(mm, p4d, parent_index, address, end, out);
	pageatlas_emit_table(out, PAGEATLAS_P4D, parent_index, p4d, address & PGDIR_MASK);
	for (; address != end && !error; p4d++, address = next) {
		p4d_t value = READ_ONCE(*p4d);

		next = p4d_addr_end(address, end);
		if (p4d_none(value))
			continue;
		pageatlas_emit_entry(out, PAGEATLAS_P4D, p4d_index(address), p4d_val(value), p4d);
		if (!p4d_bad(value))
			error = pageatlas_pud_range(mm, p4d, p4d_index(address), address, next, out);
	}
	return error;
}

static int pageatlas_pgd_range(struct mm_struct *mm, unsigned long address, unsigned long end,
			       struct pageatlas_emitter *out)
{
	pgd_t *pgd = pgd_offset(mm, address);
	unsigned long next;
	int error = 0;

	pageatlas_emit_table(out, PAGEATLAS_PGD, 0, pgd, 0);
	for (; address != end && !error; pgd++, address = next) {
		pgd_t value = READ_ONCE(*pgd);

		next = pgd_addr_end(address, end);
		if (pageatlas_pgd_empty(pgd))
			continue;
		pageatlas_emit_entry(out, PAGEATLAS_PGD, pgd_index(address), pgd_val(value), pgd);
		if (!pageatlas_pgd_bad(pgd))
			error = pageatlas_p4d_range(mm, pgd, pgd_index(address), address, next, out);
	}
	return error;
}

long pageatlas_tables(struct pageatlas_tables __user *request)
{
	struct pageatlas_tables tables;
	struct pageatlas_emitter out = { 0 };
	struct mm_struct *mm;
	long result;

	if (copy_from_user(&tables, request, sizeof(tables)))
		return -EFAULT;
	if (tables.abi_version != PAGEATLAS_ABI_VERSION)
		return -EPROTO;
	if (tables.pid <= 0 || tables.start >= tables.end)
		return -EINVAL;
	if (tables.end > TASK_SIZE_MAX)
		return -ERANGE;
	/* whole pages, so that the PTE loop's steps meet the range's end */
	tables.start &= PAGE_MASK;
	tables.end = PAGE_ALIGN(tables.end);

	out.capacity = min_t(u64, tables.capacity, PAGEATLAS_TABLES_MAX);
	if (out.capacity) {
		out.records = kvmalloc_array(out.capacity, sizeof(*out.records), GFP_KERNEL);
		if (!out.records)
			return -ENOMEM;
	}
	mm = pageatlas_get_mm(tables.pid);
	if (IS_ERR(mm)) {
		result = PTR_ERR(mm);
		goto free;
	}
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		result = -EINTR;
		goto free;
	}
	result = pageatlas_pgd_range(mm, tables.start, tables.end, &out);
	mmap_read_unlock(mm);
	mmput(mm);
	if (result)
		goto free;

	tables.count = min_t(u64, out.count, U32_MAX);
	if (out.count > PAGEATLAS_TABLES_MAX)
		result = -E2BIG;
	else if (out.count > tables.capacity)
		result = -ENOSPC;
	else if (copy_to_user(u64_to_user_ptr(tables.records), out.records, out.count * sizeof(*out.records)))
		result = -EFAULT;
	if (result != -EFAULT && put_user(tables.count, &request->count))
		result = -EFAULT;
free:
	kvfree(out.records);
	return result;
}
