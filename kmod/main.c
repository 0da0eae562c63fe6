// SPDX-License-Identifier: GPL-2.0
/*
 * The PageAtlas kernel companion: what user space cannot see of a process's page tables (each
 * table's physical address, the raw entries), and seed 002's kernel-allocated page mapped into a
 * process. /dev/pageatlas, root only; the ABI is pageatlas.h.
 */
#include <linux/capability.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <asm/pgtable.h>
#include "internal.h"

struct mm_struct *pageatlas_get_mm(pid_t pid)
{
	struct pid *found = find_get_pid(pid);	/* in the caller's pid namespace */
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(found, PIDTYPE_PID);
	put_pid(found);
	if (!task)
		return ERR_PTR(-ESRCH);
	/* get_task_mm() gives NULL for kernel threads (PF_KTHREAD) and once exit_mm() has run. */
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm ? mm : ERR_PTR(-ENXIO);
}

static long pageatlas_info(struct pageatlas_info __user *request)
{
	struct pageatlas_info info = {
		.abi_version = PAGEATLAS_ABI_VERSION,
		.levels = pgtable_l5_enabled() ? 5 : 4,
		.page_offset = (u64)PAGE_OFFSET,
		.user_address_end = TASK_SIZE_MAX,
		.maptest_pages = pageatlas_maptest_pages(),
		.flags = boot_cpu_has(X86_FEATURE_PTI) ? PAGEATLAS_INFO_PTI : 0,
	};
	return copy_to_user(request, &info, sizeof(info)) ? -EFAULT : 0;
}

static int pageatlas_open(struct inode *inode, struct file *file)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static long pageatlas_ioctl(struct file *file, unsigned int command, unsigned long argument)
{
	void __user *request = (void __user *)argument;

	/* Checked here too: an fd opened by root may have been passed to someone else. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (command) {
	case PAGEATLAS_IOC_INFO:
		return pageatlas_info(request);
	case PAGEATLAS_IOC_WALK:
		return pageatlas_walk(request);
	case PAGEATLAS_IOC_TABLES:
		return pageatlas_tables(request);
	default:
		return -ENOTTY;
	}
}

static int pageatlas_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return pageatlas_maptest_mmap(file, vma);
}

static const struct file_operations pageatlas_fops = {
	.owner = THIS_MODULE,	/* an open file or a maptest mapping keeps the module in */
	.open = pageatlas_open,
	.unlocked_ioctl = pageatlas_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = pageatlas_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice pageatlas_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pageatlas",
	.fops = &pageatlas_fops,
	.mode = 0600,
};

static int __init pageatlas_init(void)
{
	return misc_register(&pageatlas_device);
}

static void __exit pageatlas_exit(void)
{
	misc_deregister(&pageatlas_device);
}

module_init(pageatlas_init);
module_exit(pageatlas_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("PageAtlas");
MODULE_DESCRIPTION("PageAtlas companion: page-table walks with table addresses and raw entries, maptest page");
