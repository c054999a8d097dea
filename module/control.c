// SPDX-License-Identifier: GPL-2.0
/*
 * Capture control: the rings, the shared status and consumer areas, the
 * event mask, snaplen, enabling and disabling the probes, and the timer
 * that wakes a consumer. The ioctls and the netlink family both come here.
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/atomic.h>
#include "kscap_core.h"
#include "control.h"

static struct {
	struct mutex lock;
	bool enabled;
	bool consumer;
	u64 ring_size;
	u64 reserve;
	unsigned int wakeup_ms;
	u32 wakeup_bytes;
	void *status;			/* vmalloc_user: status pages */
	void *consumer_area;		/* vmalloc_user: consumer slots */
	size_t status_len, consumer_len;
	struct timer_list timer;
	wait_queue_head_t wait;
	atomic_long_t ring_bytes;	/* ring memory held now */
	int prepare_state;		/* cpuhp state while rings are held */
	kscap_drops_fn on_drops;	/* the layer above, told of drops */
} ctl;

struct kscap_cpu_ring *kscap_ring_of(unsigned int cpu)
{
	return &per_cpu_ptr(&kscap_cpus, cpu)->ring;
}

void *kscap_ctl_status_area(size_t *len)
{
	*len = ctl.status_len;
	return ctl.status;
}

void *kscap_ctl_consumer_area(size_t *len)
{
	*len = ctl.consumer_len;
	return ctl.consumer_area;
}

struct wait_queue_head *kscap_ctl_waitq(void)
{
	return &ctl.wait;
}

/* Unread data that was there a whole tick ago: it has waited long enough. */
static bool kscap_ring_waited(const struct kscap_cpu_ring *r)
{
	return (s64)(READ_ONCE(r->aged_head) - READ_ONCE(r->consumer->tail)) > 0;
}

/*
 * POLLIN once a ring holds the wakeup threshold, or holds data that has
 * waited a timer tick, however little (as uapi/kscap.h promises).
 */
bool kscap_ctl_data_ready(void)
{
	u32 need = READ_ONCE(ctl.wakeup_bytes);
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct kscap_cpu_ring *r = kscap_ring_of(cpu);

		if (kscap_ring_used(r) >= need || kscap_ring_waited(r))
			return true;
	}
	return false;
}

/*
 * Each tick: what was published by the previous tick and is still there
 * has waited. @all: everything published so far has (capture stopped).
 */
static void kscap_rings_age(bool all)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct kscap_cpu_ring *r = kscap_ring_of(cpu);
		/* Pairs with the producer's release in commit. */
		u64 head = smp_load_acquire(&r->status->head);

		WRITE_ONCE(r->aged_head, all ? head : r->tick_head);
		r->tick_head = head;
	}
}

static void kscap_tell_drops(void)
{
	struct kscap_counters c;

	if (!ctl.on_drops)
		return;
	kscap_ctl_stats(KSCAP_ALL_CPUS, &c);
	ctl.on_drops(kscap_drops_lost(&c));
}

/*
 * Producers never wake the consumer: a wakeup from a tracepoint would take
 * locks in contexts where that is not allowed, and cost on every event.
 * Instead this timer looks at the rings while capture runs, and tells
 * the layer above of drops (once a tick).
 */
static void kscap_timer_fn(struct timer_list *t)
{
	kscap_rings_age(false);
	if (wq_has_sleeper(&ctl.wait) && kscap_ctl_data_ready())
		wake_up_interruptible(&ctl.wait);
	kscap_tell_drops();
	if (READ_ONCE(ctl.enabled))
		mod_timer(&ctl.timer, jiffies + msecs_to_jiffies(ctl.wakeup_ms));
}

static int __kscap_enable(void)
{
	int err;

	if (ctl.enabled)
		return 0;
	err = kscap_probes_register();
	if (err)
		return err;
	WRITE_ONCE(kscap_cfg.on, true);
	WRITE_ONCE(ctl.enabled, true);
	mod_timer(&ctl.timer, jiffies + msecs_to_jiffies(ctl.wakeup_ms));
	return 0;
}

static void __kscap_disable(void)
{
	if (!ctl.enabled)
		return;
	/* A probe past the gate finishes its event before the unregister returns. */
	WRITE_ONCE(kscap_cfg.on, false);
	kscap_probes_unregister();
	WRITE_ONCE(ctl.enabled, false);
	timer_delete_sync(&ctl.timer);
	/* The drops since the last tick, told too. */
	kscap_tell_drops();
	/* Let a sleeping consumer see what is left, below the threshold too. */
	kscap_rings_age(true);
	wake_up_interruptible(&ctl.wait);
}

int kscap_ctl_enable(void)
{
	int err;

	mutex_lock(&ctl.lock);
	/* Without a consumer the rings would only fill up and drop. */
	err = ctl.consumer ? __kscap_enable() : -ENODEV;
	mutex_unlock(&ctl.lock);
	return err;
}

void kscap_ctl_disable(void)
{
	mutex_lock(&ctl.lock);
	__kscap_disable();
	mutex_unlock(&ctl.lock);
}

int kscap_ctl_set_snaplen(u32 snaplen)
{
	if (snaplen < 1 || snaplen > KSCAP_SNAPLEN_MAX)
		return -EINVAL;
	/* Ordered with a consumer's attach, which resets it. */
	mutex_lock(&ctl.lock);
	WRITE_ONCE(kscap_cfg.snaplen, snaplen);
	mutex_unlock(&ctl.lock);
	return 0;
}

/*
 * A consumer that sets no threshold is woken for batches, not for every
 * event (its own poll() is an event: with 1 byte it would never sleep).
 * The timer still reports any data that has waited a tick, so latency
 * stays bounded by wakeup_ms whatever the threshold.
 */
#define KSCAP_WAKEUP_DEFAULT_MAX	(64U << 10)

static u32 kscap_default_wakeup(void)
{
	return (u32)min_t(u64, ctl.ring_size / 16, KSCAP_WAKEUP_DEFAULT_MAX);
}

int kscap_ctl_set_wakeup(u32 bytes)
{
	if (bytes < 1 || bytes > ctl.ring_size)
		return -EINVAL;
	mutex_lock(&ctl.lock);
	WRITE_ONCE(ctl.wakeup_bytes, bytes);
	mutex_unlock(&ctl.lock);
	return 0;
}

/* Opt-in events' probes are attached only while their bit is set. */
static int kscap_mask_changed(void)
{
	return ctl.enabled ? kscap_probes_sync() : 0;
}

/*
 * Replace the live mask with @mask word by word. The probes read it while
 * we write: each word they see is the old one or the new one, never a
 * cleared one on its way to being set.
 */
static void kscap_mask_publish(const unsigned long *mask)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(KSCAP_EV_MAX); i++)
		WRITE_ONCE(kscap_cfg.mask[i], mask[i]);
}

void kscap_ctl_mask_zero(void)
{
	mutex_lock(&ctl.lock);
	bitmap_zero(kscap_cfg.mask, KSCAP_EV_MAX);
	kscap_mask_changed();
	mutex_unlock(&ctl.lock);
}

void kscap_ctl_mask_default(void)
{
	DECLARE_BITMAP(mask, KSCAP_EV_MAX);

	/* Built aside: kscap_mask_default() clears before it sets. */
	kscap_mask_default(mask);
	mutex_lock(&ctl.lock);
	kscap_mask_publish(mask);
	kscap_mask_changed();
	mutex_unlock(&ctl.lock);
}

int kscap_ctl_mask_event(u32 type, bool on)
{
	int err;

	if (type >= KSCAP_EV_MAX || !kscap_event_table[type].name)
		return -EINVAL;
	mutex_lock(&ctl.lock);
	/* Atomic bit ops: the probes read the mask while we write it. */
	if (on)
		set_bit(type, kscap_cfg.mask);
	else
		clear_bit(type, kscap_cfg.mask);
	err = kscap_mask_changed();
	mutex_unlock(&ctl.lock);
	return err;
}

void kscap_ctl_mask_get(unsigned long *mask)
{
	mutex_lock(&ctl.lock);
	bitmap_copy(mask, kscap_cfg.mask, KSCAP_EV_MAX);
	mutex_unlock(&ctl.lock);
}

int kscap_ctl_mask_set_all(const unsigned long *mask)
{
	unsigned int t;
	int err;

	for_each_set_bit(t, mask, KSCAP_EV_MAX)
		if (!kscap_event_table[t].name)
			return -EINVAL;
	mutex_lock(&ctl.lock);
	kscap_mask_publish(mask);
	err = kscap_mask_changed();
	mutex_unlock(&ctl.lock);
	return err;
}

static void kscap_counters_add(struct kscap_counters *sum,
			       const struct kscap_counters *c)
{
	const u64 *src = (const u64 *)c;
	u64 *dst = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < sizeof(*c) / sizeof(u64); i++)
		dst[i] += READ_ONCE(src[i]);
}

int kscap_ctl_stats(u32 cpu, struct kscap_counters *out)
{
	unsigned int c;

	if (cpu != KSCAP_ALL_CPUS && (cpu >= nr_cpu_ids || !cpu_possible(cpu)))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(c)
		if (cpu == KSCAP_ALL_CPUS || cpu == c)
			kscap_counters_add(out, &kscap_ring_of(c)->status->counters);
	return 0;
}

/*
 * What the consumer reports it lost (uapi/kscap.h, section 6). Its slots
 * are its to write: each is read once and only added up, wrapping like
 * any u64, so a value of its choosing can show nothing worse than itself.
 */
u64 kscap_ctl_consumer_drops(u32 cpu)
{
	unsigned int c;
	u64 sum = 0;

	for_each_possible_cpu(c)
		if (cpu == KSCAP_ALL_CPUS || cpu == c)
			sum += READ_ONCE(kscap_ring_of(c)->consumer->drops);
	return sum;
}

void kscap_ctl_info(struct kscap_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi_version = KSCAP_ABI_VERSION;
	info->ncpus = nr_cpu_ids;
	info->ring_size = ctl.ring_size;
	info->reserve = ctl.reserve;
	info->snaplen = READ_ONCE(kscap_cfg.snaplen);
	info->enabled = READ_ONCE(ctl.enabled);
	info->consumer = READ_ONCE(ctl.consumer);
	info->ring_bytes = atomic_long_read(&ctl.ring_bytes);
}

static int kscap_ring_get(unsigned int cpu)
{
	int err = kscap_ring_alloc(kscap_ring_of(cpu), ctl.ring_size, ctl.reserve,
				   cpu_to_node(cpu),
				   ctl.status + cpu * KSCAP_STATUS_STRIDE,
				   ctl.consumer_area + cpu * KSCAP_CONSUMER_STRIDE);

	if (!err)
		atomic_long_add(ctl.ring_size, &ctl.ring_bytes);
	return err;
}

/*
 * cpuhp's prepare step for a CPU coming up while a consumer is attached,
 * on a control CPU, before the new one runs anything. Takes no lock of
 * ours (attach holds the control lock around cpuhp's). A CPU that comes
 * back keeps its ring and what it holds. Without memory the CPU still
 * comes up: its events are dropped and counted, as for a full ring.
 */
static int kscap_ring_prepare(unsigned int cpu)
{
	if (kscap_ring_of(cpu)->data)
		return 0;
	if (kscap_ring_get(cpu))
		pr_warn("kscap: no memory for CPU %u's ring: its events are dropped\n", cpu);
	return 0;
}

static void kscap_rings_put(void)
{
	unsigned int cpu;

	if (ctl.prepare_state > 0)
		cpuhp_remove_state_nocalls(ctl.prepare_state);
	ctl.prepare_state = 0;
	for_each_possible_cpu(cpu) {
		struct kscap_cpu_ring *r = kscap_ring_of(cpu);

		if (r->data)
			atomic_long_sub(ctl.ring_size, &ctl.ring_bytes);
		kscap_ring_free(r);
	}
}

/*
 * Rings exist only while a consumer is attached: one per online CPU now,
 * and one for each CPU that comes online until the consumer leaves.
 */
static int kscap_rings_get(void)
{
	unsigned int cpu;
	int ret = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		ret = kscap_ring_get(cpu);
		if (ret)
			break;
	}
	if (!ret)
		ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_BP_PREPARE_DYN,
							   "kscap:ring",
							   kscap_ring_prepare, NULL);
	cpus_read_unlock();
	if (ret < 0) {
		kscap_rings_put();
		return ret;
	}
	ctl.prepare_state = ret;
	return 0;
}

/* A new consumer starts from empty rings, zero counters and defaults. */
int kscap_ctl_attach(void)
{
	unsigned int cpu;
	int err;

	mutex_lock(&ctl.lock);
	if (ctl.consumer) {
		mutex_unlock(&ctl.lock);
		return -EBUSY;
	}
	err = kscap_rings_get();
	if (err) {
		mutex_unlock(&ctl.lock);
		return err;
	}
	for_each_possible_cpu(cpu) {
		struct kscap_cpu_ring *r = kscap_ring_of(cpu);

		memset(&r->status->counters, 0, sizeof(r->status->counters));
		WRITE_ONCE(r->consumer->drops, 0);
		kscap_ring_reset(r);
	}
	if (ctl.on_drops)
		ctl.on_drops(0);
	kscap_mask_default(kscap_cfg.mask);
	WRITE_ONCE(kscap_cfg.snaplen, KSCAP_SNAPLEN_DEFAULT);
	WRITE_ONCE(ctl.wakeup_bytes, kscap_default_wakeup());
	WRITE_ONCE(ctl.consumer, true);
	mutex_unlock(&ctl.lock);
	return 0;
}

/* The last mapping is gone too (each holds the file): free the rings. */
void kscap_ctl_detach(void)
{
	mutex_lock(&ctl.lock);
	__kscap_disable();
	kscap_rings_put();
	WRITE_ONCE(ctl.consumer, false);
	mutex_unlock(&ctl.lock);
}

static void kscap_free_areas(void)
{
	vfree(ctl.status);
	vfree(ctl.consumer_area);
	ctl.status = NULL;
	ctl.consumer_area = NULL;
}

int kscap_ctl_init(unsigned long ring_size, unsigned int reserve_div,
		   unsigned int wakeup_ms, kscap_drops_fn on_drops)
{
	unsigned int cpu;

	BUILD_BUG_ON(sizeof(struct kscap_status_page) > KSCAP_STATUS_STRIDE);
	BUILD_BUG_ON(sizeof(struct kscap_consumer_slot) > KSCAP_CONSUMER_STRIDE);
	mutex_init(&ctl.lock);
	init_waitqueue_head(&ctl.wait);
	timer_setup(&ctl.timer, kscap_timer_fn, 0);
	ctl.ring_size = ring_size;
	ctl.reserve = ring_size / reserve_div;
	ctl.wakeup_ms = wakeup_ms;
	ctl.wakeup_bytes = kscap_default_wakeup();
	ctl.on_drops = on_drops;
	kscap_cfg.snaplen = KSCAP_SNAPLEN_DEFAULT;
	kscap_mask_default(kscap_cfg.mask);

	ctl.status_len = PAGE_ALIGN(nr_cpu_ids * KSCAP_STATUS_STRIDE);
	ctl.consumer_len = PAGE_ALIGN(nr_cpu_ids * KSCAP_CONSUMER_STRIDE);
	/* vmalloc_user zeroes, and its memory may be mapped to userspace. */
	ctl.status = vmalloc_user(ctl.status_len);
	ctl.consumer_area = vmalloc_user(ctl.consumer_len);
	if (!ctl.status || !ctl.consumer_area) {
		kscap_free_areas();
		return -ENOMEM;
	}
	/* The counters and slots exist from now on; the rings on first open. */
	for_each_possible_cpu(cpu) {
		struct kscap_cpu_ring *r = kscap_ring_of(cpu);

		r->status = ctl.status + cpu * KSCAP_STATUS_STRIDE;
		r->consumer = ctl.consumer_area + cpu * KSCAP_CONSUMER_STRIDE;
	}
	return 0;
}

void kscap_ctl_exit(void)
{
	kscap_ctl_disable();
	timer_shutdown_sync(&ctl.timer);
	kscap_free_areas();
}
