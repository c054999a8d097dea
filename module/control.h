/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture control, shared by the device's ioctls and the generic netlink
 * family: one set of operations, one lock, one place that checks values.
 * Every kscap_ctl_*() takes the control lock itself.
 */
#ifndef KSCAP_CONTROL_H
#define KSCAP_CONTROL_H

#include <linux/types.h>
#include "kscap.h"

struct kscap_info {
	u32 abi_version;
	u32 ncpus;
	u64 ring_size;
	u64 reserve;
	u32 snaplen;
	bool enabled;
	bool consumer;		/* the device is open */
	u64 ring_bytes;		/* ring memory held now */
};

int kscap_ctl_enable(void);
void kscap_ctl_disable(void);
int kscap_ctl_set_snaplen(u32 snaplen);
void kscap_ctl_mask_zero(void);
void kscap_ctl_mask_default(void);
int kscap_ctl_mask_event(u32 type, bool on);
/* Copy the mask out, or replace it (bits for unknown types are refused). */
void kscap_ctl_mask_get(unsigned long *mask);
int kscap_ctl_mask_set_all(const unsigned long *mask);
/* Counters of one CPU, or all of them summed (cpu == KSCAP_ALL_CPUS). */
int kscap_ctl_stats(u32 cpu, struct kscap_counters *out);
/* What the consumer reports it lost, likewise; a bad cpu has none. */
u64 kscap_ctl_consumer_drops(u32 cpu);
void kscap_ctl_info(struct kscap_info *info);

/* The device side: a consumer attaches (on open) and detaches. */
int kscap_ctl_attach(void);
void kscap_ctl_detach(void);

/* Load and unload. */
int kscap_ctl_init(unsigned long ring_size, unsigned int reserve_div,
		   unsigned int wakeup_ms);
void kscap_ctl_exit(void);

/* For the device: what the mappings show. */
struct kscap_ring *kscap_ring_of(unsigned int cpu);
void *kscap_ctl_status_area(size_t *len);
void *kscap_ctl_consumer_area(size_t *len);
int kscap_ctl_set_wakeup(u32 bytes);
bool kscap_ctl_data_ready(void);
struct wait_queue_head *kscap_ctl_waitq(void);

/*
 * Called from the wakeup timer, and when capture stops, with the summed
 * drops (netlink.c); reset when a consumer attaches.
 */
void kscap_nl_notify_drops(u64 drops);
void kscap_nl_reset_drops(void);

#endif /* KSCAP_CONTROL_H */
