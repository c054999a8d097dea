// SPDX-License-Identifier: GPL-2.0
/*
 * kscap: module parameters, the /dev/kscap device (open, mmap, ioctl,
 * poll) and load/unload.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/poll.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include <linux/timer.h>
#include <linux/mutex.h>
#include <linux/log2.h>
#include <linux/timekeeping.h>
#include "kscap_core.h"
#include "compat.h"

static unsigned long ring_size = 8UL << 20;
module_param(ring_size, ulong, 0444);
MODULE_PARM_DESC(ring_size, "Bytes per CPU ring, a power of two (default 8 MiB)");

static unsigned int reserve_div = 16;
module_param(reserve_div, uint, 0444);
MODULE_PARM_DESC(reserve_div, "1/reserve_div of each ring is kept for process events (default 16)");

static unsigned int wakeup_ms = 10;
module_param(wakeup_ms, uint, 0444);
MODULE_PARM_DESC(wakeup_ms, "How often a waiting consumer is checked for new data (default 10 ms)");

/* All device state. Writers hold kscap_lock; the probes read kscap_cfg. */
static struct {
	struct mutex lock;
	unsigned long busy;		/* bit 0: a consumer has the device */
	bool enabled;
	void *status;			/* vmalloc_user: status pages */
	void *consumer;			/* vmalloc_user: consumer slots */
	size_t status_len, consumer_len;
	u32 wakeup_bytes;
	struct timer_list timer;
	wait_queue_head_t wait;
} kscap;

static struct kscap_ring *kscap_ring_of(unsigned int cpu)
{
	return &per_cpu_ptr(&kscap_cpus, cpu)->ring;
}

static bool kscap_data_ready(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (kscap_ring_used(kscap_ring_of(cpu)) >= kscap.wakeup_bytes)
			return true;
	return false;
}

/*
 * Producers never wake the consumer: a wakeup from a tracepoint would
 * take locks in contexts where that is not allowed (and costs on every
 * event). Instead a timer looks at the rings while capture runs.
 */
static void kscap_wakeup_timer(struct timer_list *t)
{
	if (wq_has_sleeper(&kscap.wait) && kscap_data_ready())
		wake_up_interruptible(&kscap.wait);
	if (READ_ONCE(kscap.enabled))
		mod_timer(&kscap.timer, jiffies + msecs_to_jiffies(wakeup_ms));
}

static int kscap_enable(void)
{
	int err;

	if (kscap.enabled)
		return 0;
	kscap_cfg.ts_offset = ktime_get_real_ns() - ktime_get_mono_fast_ns();
	err = kscap_probes_register();
	if (err)
		return err;
	WRITE_ONCE(kscap.enabled, true);
	mod_timer(&kscap.timer, jiffies + msecs_to_jiffies(wakeup_ms));
	return 0;
}

static void kscap_disable(void)
{
	if (!kscap.enabled)
		return;
	kscap_probes_unregister();
	WRITE_ONCE(kscap.enabled, false);
	timer_delete_sync(&kscap.timer);
	/* Let a sleeping consumer see what is left. */
	wake_up_interruptible(&kscap.wait);
}

/* Start a consumer's session from empty rings and zero counters. */
static void kscap_reset_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct kscap_ring *r = kscap_ring_of(cpu);

		memset(&r->status->counters, 0, sizeof(r->status->counters));
		kscap_ring_reset(r);
	}
}

static int kscap_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (test_and_set_bit_lock(0, &kscap.busy))
		return -EBUSY;

	mutex_lock(&kscap.lock);
	kscap_reset_rings();
	kscap_mask_default(kscap_cfg.mask);
	WRITE_ONCE(kscap_cfg.snaplen, KSCAP_SNAPLEN_DEFAULT);
	kscap.wakeup_bytes = 1;
	mutex_unlock(&kscap.lock);
	return 0;
}

static int kscap_release(struct inode *inode, struct file *file)
{
	mutex_lock(&kscap.lock);
	kscap_disable();
	mutex_unlock(&kscap.lock);
	clear_bit_unlock(0, &kscap.busy);
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
	struct kscap_ring *r = kscap_ring_of(cpu);
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned int i;
	int err;

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

static int kscap_mmap(struct file *file, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 cpu;
	int err;

	if (off == KSCAP_MMAP_STATUS) {
		if (len > kscap.status_len)
			return -EINVAL;
		err = kscap_mmap_ro_check(vma);
		return err ? err : remap_vmalloc_range(vma, kscap.status, 0);
	}
	if (off == KSCAP_MMAP_CONSUMER) {
		if (len > kscap.consumer_len)
			return -EINVAL;
		return remap_vmalloc_range(vma, kscap.consumer, 0);
	}
	if (off & ((1ULL << 32) - 1) || off < KSCAP_MMAP_DATA(0))
		return -EINVAL;
	cpu = (off >> 32) - 2;
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	return kscap_mmap_ring(vma, cpu);
}

static void kscap_stats_add(struct kscap_counters *sum,
			    const struct kscap_counters *c)
{
	const u64 *src = (const u64 *)c;
	u64 *dst = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < sizeof(*c) / sizeof(u64); i++)
		dst[i] += READ_ONCE(src[i]);
}

static long kscap_get_stats(struct kscap_stats __user *ustats)
{
	struct kscap_stats st;
	unsigned int cpu;

	if (copy_from_user(&st, ustats, sizeof(st)))
		return -EFAULT;
	if (st.cpu != KSCAP_ALL_CPUS &&
	    (st.cpu >= nr_cpu_ids || !cpu_possible(st.cpu)))
		return -EINVAL;
	memset(&st.c, 0, sizeof(st.c));
	st.__pad = 0;
	for_each_possible_cpu(cpu)
		if (st.cpu == KSCAP_ALL_CPUS || st.cpu == cpu)
			kscap_stats_add(&st.c, &kscap_ring_of(cpu)->status->counters);
	return copy_to_user(ustats, &st, sizeof(st)) ? -EFAULT : 0;
}

static long kscap_set_mask_bit(unsigned long arg, bool on)
{
	u32 type;

	if (get_user(type, (u32 __user *)arg))
		return -EFAULT;
	if (type >= KSCAP_EV_MAX || !kscap_event_table[type].name)
		return -EINVAL;
	if (on)
		set_bit(type, kscap_cfg.mask);
	else
		clear_bit(type, kscap_cfg.mask);
	return 0;
}

static long kscap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct kscap_geometry geo;
	long ret = 0;
	u32 v;

	mutex_lock(&kscap.lock);
	switch (cmd) {
	case KSCAP_IOC_ENABLE:
		ret = kscap_enable();
		break;
	case KSCAP_IOC_DISABLE:
		kscap_disable();
		break;
	case KSCAP_IOC_MASK_ZERO:
		bitmap_zero(kscap_cfg.mask, KSCAP_EV_MAX);
		break;
	case KSCAP_IOC_MASK_ALL:
		kscap_mask_default(kscap_cfg.mask);
		break;
	case KSCAP_IOC_MASK_SET:
	case KSCAP_IOC_MASK_UNSET:
		ret = kscap_set_mask_bit(arg, cmd == KSCAP_IOC_MASK_SET);
		break;
	case KSCAP_IOC_SET_SNAPLEN:
		if (get_user(v, (u32 __user *)uarg))
			ret = -EFAULT;
		else if (v < 1 || v > KSCAP_SNAPLEN_MAX)
			ret = -EINVAL;
		else
			WRITE_ONCE(kscap_cfg.snaplen, v);
		break;
	case KSCAP_IOC_SET_WAKEUP:
		if (get_user(v, (u32 __user *)uarg))
			ret = -EFAULT;
		else if (v < 1 || v > ring_size)
			ret = -EINVAL;
		else
			kscap.wakeup_bytes = v;
		break;
	case KSCAP_IOC_GET_STATS:
		ret = kscap_get_stats(uarg);
		break;
	case KSCAP_IOC_GET_VERSION:
		ret = put_user((u32)KSCAP_ABI_VERSION, (u32 __user *)uarg);
		break;
	case KSCAP_IOC_GET_GEOMETRY:
		memset(&geo, 0, sizeof(geo));
		geo.ncpus = nr_cpu_ids;
		geo.page_size = PAGE_SIZE;
		geo.ring_size = ring_size;
		geo.reserve = ring_size / reserve_div;
		geo.status_len = kscap.status_len;
		geo.consumer_len = kscap.consumer_len;
		ret = copy_to_user(uarg, &geo, sizeof(geo)) ? -EFAULT : 0;
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&kscap.lock);
	return ret;
}

static __poll_t kscap_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &kscap.wait, wait);
	return kscap_data_ready() ? EPOLLIN | EPOLLRDNORM : 0;
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

static void kscap_free_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		kscap_ring_free(kscap_ring_of(cpu));
	vfree(kscap.status);
	vfree(kscap.consumer);
	kscap.status = NULL;
	kscap.consumer = NULL;
}

static int kscap_alloc_rings(void)
{
	unsigned int cpu;
	int err;

	BUILD_BUG_ON(sizeof(struct kscap_status_page) > KSCAP_STATUS_STRIDE);
	BUILD_BUG_ON(sizeof(struct kscap_consumer_slot) > KSCAP_CONSUMER_STRIDE);
	kscap.status_len = PAGE_ALIGN(nr_cpu_ids * KSCAP_STATUS_STRIDE);
	kscap.consumer_len = PAGE_ALIGN(nr_cpu_ids * KSCAP_CONSUMER_STRIDE);
	/* vmalloc_user zeroes, and its memory may be mapped to userspace. */
	kscap.status = vmalloc_user(kscap.status_len);
	kscap.consumer = vmalloc_user(kscap.consumer_len);
	if (!kscap.status || !kscap.consumer) {
		err = -ENOMEM;
		goto fail;
	}
	for_each_possible_cpu(cpu) {
		err = kscap_ring_alloc(kscap_ring_of(cpu), ring_size,
				       ring_size / reserve_div, cpu_to_node(cpu),
				       kscap.status + cpu * KSCAP_STATUS_STRIDE,
				       kscap.consumer + cpu * KSCAP_CONSUMER_STRIDE);
		if (err)
			goto fail;
	}
	return 0;
fail:
	kscap_free_rings();
	return err;
}

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
	mutex_init(&kscap.lock);
	init_waitqueue_head(&kscap.wait);
	timer_setup(&kscap.timer, kscap_wakeup_timer, 0);

	err = kscap_events_init();
	if (err)
		return err;
	err = kscap_alloc_rings();
	if (err)
		return err;
	err = misc_register(&kscap_miscdev);
	if (err) {
		kscap_free_rings();
		return err;
	}
	pr_info("kscap: %u rings of %lu bytes, ABI %u.%u\n", nr_cpu_ids,
		ring_size, KSCAP_ABI_VERSION_MAJOR, KSCAP_ABI_VERSION_MINOR);
	return 0;
}

static void __exit kscap_exit(void)
{
	/* The device holds a module reference while open: nobody uses it. */
	misc_deregister(&kscap_miscdev);
	kscap_disable();
	timer_delete_sync(&kscap.timer);
	kscap_free_rings();
}

module_init(kscap_init);
module_exit(kscap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kscap: low-overhead syscall event capture");
MODULE_VERSION("0.1.0");
