/* SPDX-License-Identifier: GPL-2.0 */
/* What the companion's parts share: the target's mm, level bookkeeping, the maptest hooks. */
#ifndef PAGEATLAS_INTERNAL_H
#define PAGEATLAS_INTERNAL_H

#include <linux/fs.h>
#include <linux/mm.h>
#include "pageatlas.h"

/*
 * The mm of process pid with a reference taken (mmput() it), or an ERR_PTR: ESRCH when there is no
 * such process, ENXIO when it has no user memory (a kernel thread, a zombie, an exiting process).
 */
struct mm_struct *pageatlas_get_mm(pid_t pid);

/*
 * Whether a PGD entry is empty or bad. On 4-level paging pgd_none() and pgd_bad() are constant
 * (arch/x86/include/asm/pgtable.h: the folded P4D decides), so ask the P4D view of the same entry.
 */
static inline bool pageatlas_pgd_empty(pgd_t *pgd)
{
	return pgtable_l5_enabled() ? pgd_none(READ_ONCE(*pgd)) : p4d_none(READ_ONCE(*p4d_offset(pgd, 0)));
}

static inline bool pageatlas_pgd_bad(pgd_t *pgd)
{
	return pgtable_l5_enabled() ? pgd_bad(READ_ONCE(*pgd)) : p4d_bad(READ_ONCE(*p4d_offset(pgd, 0)));
}

long pageatlas_walk(struct pageatlas_walk __user *request);
long pageatlas_tables(struct pageatlas_tables __user *request);

int pageatlas_maptest_mmap(struct file *file, struct vm_area_struct *vma);
u64 pageatlas_maptest_pages(void);

#endif
