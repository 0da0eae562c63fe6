// SPDX-License-Identifier: GPL-2.0
/*
 * maptest (seed 002, task 2): mmap of /dev/pageatlas maps into the caller a page the module
 * allocated and filled with a pattern that names the page's own PFN (pageatlas.h). The page
 * belongs to the mapping: fork and mremap share it (vm_ops->open), and the last close frees it.
 */
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/version.h>
#include "internal.h"

struct pageatlas_maptest_page {
	refcount_t mappings;	/* VMAs holding the page */
	struct page *page;
};

static atomic64_t pageatlas_maptest_alive = ATOMIC64_INIT(0);

u64 pageatlas_maptest_pages(void)
{
	return atomic64_read(&pageatlas_maptest_alive);
}

static void pageatlas_maptest_fill(struct page *page)
{
	u8 *bytes = page_address(page);
	u64 pfn = page_to_pfn(page);
	unsigned int i;

	memcpy(bytes, PAGEATLAS_MAPTEST_MAGIC, sizeof(PAGEATLAS_MAPTEST_MAGIC));
	memcpy(bytes + PAGEATLAS_MAPTEST_PFN_OFFSET, &pfn, sizeof(pfn));
	for (i = PAGEATLAS_MAPTEST_FILL_OFFSET; i < PAGE_SIZE; i++)
		bytes[i] = (i ^ pfn) & 0xff;
}

static void pageatlas_maptest_open(struct vm_area_struct *vma)
{
	struct pageatlas_maptest_page *shared = vma->vm_private_data;

	refcount_inc(&shared->mappings);
}

static void pageatlas_maptest_close(struct vm_area_struct *vma)
{
	struct pageatlas_maptest_page *shared = vma->vm_private_data;

	/* The page-table entries were zapped before close: this is the page's last reference. */
	if (refcount_dec_and_test(&shared->mappings)) {
		__free_page(shared->page);
		kfree(shared);
		atomic64_dec(&pageatlas_maptest_alive);
	}
}

static const struct vm_operations_struct pageatlas_maptest_vm_ops = {
	.open = pageatlas_maptest_open,
	.close = pageatlas_maptest_close,
};

int pageatlas_maptest_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pageatlas_maptest_page *shared;
	int error;

	/* MAP_SHARED only: a private mapping would copy the page on the first write. */
	if (vma->vm_end - vma->vm_start != PAGE_SIZE || vma->vm_pgoff || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	shared = kmalloc(sizeof(*shared), GFP_KERNEL);
	if (!shared)
		return -ENOMEM;
	shared->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!shared->page) {
		kfree(shared);
		return -ENOMEM;
	}
	pageatlas_maptest_fill(shared->page);
	refcount_set(&shared->mappings, 1);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
#endif
	error = vm_insert_page(vma, vma->vm_start, shared->page);
	if (error) {
		__free_page(shared->page);
		kfree(shared);
		return error;
	}
	vma->vm_private_data = shared;
	vma->vm_ops = &pageatlas_maptest_vm_ops;
	atomic64_inc(&pageatlas_maptest_alive);
	return 0;
}
