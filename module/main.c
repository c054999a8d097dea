// SPDX-License-Identifier: GPL-2.0
/*
 * kscap: module parameters, the /dev/kscap device (open, mmap, ioctl,
 * poll) and load/unload.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/vmalloc.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include <linux/log2.h>
#include "kscap_core.h"
#include "compat.h"
#include "control.h"
#include "netlink.h"

static unsigned long ring_size = 8UL << 20;
module_param(ring_size, ulong, 0444);
MODULE_PARM_DESC(ring_size, "Bytes per CPU ring, a power of two (default 8 MiB)");

static unsigned int reserve_div = 16;
module_param(reserve_div, uint, 0444);
MODULE_PARM_DESC(reserve_div, "1/reserve_div of each ring is kept for process events (default 16)");

static unsigned int wakeup_ms = 10;
module_param(wakeup_ms, uint, 0444);
MODULE_PARM_DESC(wakeup_ms, "How often a waiting consumer is checked for new data (default 10 ms)");

static int kscap_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return kscap_ctl_attach();
}

static int kscap_release(struct inode *inode, struct file *file)
{
	kscap_ctl_detach();
	return 0;
}

static int kscap_mmap_ro_check(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	kscap_vma_forbid_write(vma);
	return 0;
}

static int kscap_mmap_ring(struct vm_area_struct *vma, unsigned int cpu)
{
	struct kscap_cpu_ring *r = kscap_ring_of(cpu);
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned int i;
	int err;

	/* Offline when the consumer opened: no ring unless it came up since. */
	if (!smp_load_acquire(&r->data))
		return -ENODEV;
	if (len != 2 * r->size)
		return -EINVAL;
	err = kscap_mmap_ro_check(vma);
	if (err)
		return err;
	/* The ring's pages twice in a row, as in the kernel's own view. */
	for (i = 0; i < 2 * r->nr_pages; i++) {
		err = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE,
				     r->pages[i % r->nr_pages]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The page at byte @off of the device's offset space: the status or
 * consumer area, or a CPU's ring seen twice in a row (uapi/kscap.h). Each
 * area starts at a multiple of 4 GiB and is smaller than that.
 */
static struct page *kscap_page_at(u64 off)
{
	u64 area = off >> 32, in = off & (BIT_ULL(32) - 1);
	struct kscap_cpu_ring *r;
	size_t len;
	void *base;

	if (area == KSCAP_MMAP_STATUS >> 32)
		base = kscap_ctl_status_area(&len);
	else if (area == KSCAP_MMAP_CONSUMER >> 32)
		base = kscap_ctl_consumer_area(&len);
	else if (area - 2 < nr_cpu_ids && cpu_possible(area - 2)) {
		r = kscap_ring_of(area - 2);
		/* data is published after pages (kscap_ring_alloc) */
		if (!smp_load_acquire(&r->data) || in >= 2 * r->size)
			return NULL;
		return r->pages[(in >> PAGE_SHIFT) % r->nr_pages];
	} else {
		return NULL;
	}
	return in < len ? vmalloc_to_page(base + in) : NULL;
}

/*
 * mmap inserts every page up front; this brings one back after the
 * consumer dropped it (madvise(MADV_DONTNEED) zaps inserted pages too),
 * the same page, where the consumer would otherwise get SIGBUS. The
 * mapping holds the device open, so its ring outlives it: rings are freed
 * only when the last file reference goes (kscap_release).
 */
static vm_fault_t kscap_vm_fault(struct vm_fault *vmf)
{
	struct page *page = kscap_page_at((u64)vmf->pgoff << PAGE_SHIFT);

	if (!page)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct kscap_vm_ops = {
	.fault = kscap_vm_fault,
};

static int kscap_mmap(struct file *file, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	size_t area_len;
	void *area;
	u64 cpu;
	int err;

	/*
	 * Every mapping stays with the consumer: a child that forks without
	 * exec would keep the device open (capture on, next open EBUSY,
	 * rmmod refused) long after the consumer closed it.
	 */
	kscap_vma_dontcopy(vma);
	vma->vm_ops = &kscap_vm_ops;
	if (off == KSCAP_MMAP_STATUS) {
		area = kscap_ctl_status_area(&area_len);
		if (len > area_len)
			return -EINVAL;
		err = kscap_mmap_ro_check(vma);
		return err ? err : remap_vmalloc_range(vma, area, 0);
	}
	if (off == KSCAP_MMAP_CONSUMER) {
		area = kscap_ctl_consumer_area(&area_len);
		/* A private copy would hide the consumer's tail from us. */
		if (len > area_len || !(vma->vm_flags & VM_SHARED))
			return -EINVAL;
		return remap_vmalloc_range(vma, area, 0);
	}
	if (off & ((1ULL << 32) - 1) || off < KSCAP_MMAP_DATA(0))
		return -EINVAL;
	cpu = (off >> 32) - 2;
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	return kscap_mmap_ring(vma, cpu);
}

/* @size: the struct as the caller's ABI version knows it, a prefix. */
static long kscap_get_stats(struct kscap_stats __user *ustats, size_t size)
{
	struct kscap_stats st;
	int err;

	BUILD_BUG_ON(KSCAP_STATS_SIZE_1_0 != offsetofend(struct kscap_stats, c.bad_tail));
	BUILD_BUG_ON(KSCAP_STATS_SIZE_1_1 !=
		     offsetofend(struct kscap_stats, c.compat_untranslated));
	/* The whole struct is the ioctl's input (_IOWR), though only cpu is read. */
	if (copy_from_user(&st, ustats, size))
		return -EFAULT;
	err = kscap_ctl_stats(st.cpu, &st.c);
	if (err)
		return err;
	st.__pad = 0;
	st.consumer_drops = kscap_ctl_consumer_drops(st.cpu);
	return copy_to_user(ustats, &st, size) ? -EFAULT : 0;
}

static long kscap_get_geometry(struct kscap_geometry __user *ugeo)
{
	struct kscap_geometry geo;
	struct kscap_info info;
	size_t len;

	kscap_ctl_info(&info);
	memset(&geo, 0, sizeof(geo));
	geo.ncpus = info.ncpus;
	geo.page_size = PAGE_SIZE;
	geo.ring_size = info.ring_size;
	geo.reserve = info.reserve;
	kscap_ctl_status_area(&len);
	geo.status_len = len;
	kscap_ctl_consumer_area(&len);
	geo.consumer_len = len;
	return copy_to_user(ugeo, &geo, sizeof(geo)) ? -EFAULT : 0;
}

static long kscap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	u32 v;

	switch (cmd) {
	case KSCAP_IOC_ENABLE:
		return kscap_ctl_enable();
	case KSCAP_IOC_DISABLE:
		kscap_ctl_disable();
		return 0;
	case KSCAP_IOC_MASK_ZERO:
		kscap_ctl_mask_zero();
		return 0;
	case KSCAP_IOC_MASK_ALL:
		kscap_ctl_mask_default();
		return 0;
	case KSCAP_IOC_MASK_SET:
	case KSCAP_IOC_MASK_UNSET:
		if (get_user(v, (u32 __user *)uarg))
			return -EFAULT;
		return kscap_ctl_mask_event(v, cmd == KSCAP_IOC_MASK_SET);
	case KSCAP_IOC_SET_SNAPLEN:
		if (get_user(v, (u32 __user *)uarg))
			return -EFAULT;
		return kscap_ctl_set_snaplen(v);
	case KSCAP_IOC_SET_WAKEUP:
		if (get_user(v, (u32 __user *)uarg))
			return -EFAULT;
		return kscap_ctl_set_wakeup(v);
	case KSCAP_IOC_GET_STATS:
		return kscap_get_stats(uarg, sizeof(struct kscap_stats));
	case KSCAP_IOC_GET_STATS_1_0:
		return kscap_get_stats(uarg, KSCAP_STATS_SIZE_1_0);
	case KSCAP_IOC_GET_STATS_1_1:
		return kscap_get_stats(uarg, KSCAP_STATS_SIZE_1_1);
	case KSCAP_IOC_GET_VERSION:
		return put_user((u32)KSCAP_ABI_VERSION, (u32 __user *)uarg);
	case KSCAP_IOC_GET_GEOMETRY:
		return kscap_get_geometry(uarg);
	default:
		return -ENOTTY;
	}
}

static __poll_t kscap_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, kscap_ctl_waitq(), wait);
	return kscap_ctl_data_ready() ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations kscap_fops = {
	.owner = THIS_MODULE,
	.open = kscap_open,
	.release = kscap_release,
	.mmap = kscap_mmap,
	.unlocked_ioctl = kscap_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kscap_poll,
	.llseek = noop_llseek,
};

static struct miscdevice kscap_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KSCAP_DEVICE_NAME,
	.fops = &kscap_fops,
	.mode = 0600,
};

static int __init kscap_init(void)
{
	int err;

	if (!is_power_of_2(ring_size) || ring_size < 4 * PAGE_SIZE ||
	    ring_size > (1UL << 30) || reserve_div < 2) {
		pr_err("kscap: ring_size must be a power of two from 16 KiB to 1 GiB, reserve_div at least 2\n");
		return -EINVAL;
	}
	if (!wakeup_ms)
		wakeup_ms = 1;

	err = kscap_events_init();
	if (err)
		return err;
	err = kscap_ctl_init(ring_size, reserve_div, wakeup_ms, kscap_nl_notify_drops);
	if (err)
		return err;
	err = kscap_nl_init();
	if (err)
		goto fail_nl;
	err = misc_register(&kscap_miscdev);
	if (err)
		goto fail_dev;
	pr_info("kscap: rings of %lu bytes per online CPU while a consumer is attached, ABI %u.%u\n",
		ring_size, KSCAP_ABI_VERSION_MAJOR, KSCAP_ABI_VERSION_MINOR);
	return 0;

fail_dev:
	kscap_nl_exit();
fail_nl:
	kscap_ctl_exit();
	return err;
}

static void __exit kscap_exit(void)
{
	/* The device holds a module reference while open: nobody uses it. */
	misc_deregister(&kscap_miscdev);
	kscap_nl_exit();
	kscap_ctl_exit();
}

module_init(kscap_init);
module_exit(kscap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kscap: low-overhead syscall event capture");
MODULE_VERSION(KSCAP_VERSION);	/* Kbuild: from debian/changelog */
