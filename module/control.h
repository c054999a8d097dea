/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture control, shared by the device's ioctls and the generic netlink
 * family: one set of operations, one lock, one place that checks values.
 * Every kscap_ctl_*() that changes state takes the control lock itself,
 * so changes are ordered with each other and with a consumer's attach and
 * detach (which reset snaplen, the wakeup threshold and the mask). Of
 * the readers, these do not: kscap_ctl_stats() and kscap_ctl_info() read counters
 * and words that move as they are read (the probes take no lock), with
 * READ_ONCE; the mapping and wait queue getters return what exists from
 * kscap_ctl_init() to kscap_ctl_exit(), and kscap_ctl_data_ready() is
 * the poll path's lockless look at the rings.
 *
 * Control is below the netlink family: it tells it of drops only through
 * the callback kscap_ctl_init() was given.
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

/*
 * Told the capture's lost events (kscap_drops_lost(), summed over the
 * CPUs) from the wakeup timer (softirq, once a tick while capture runs),
 * when capture stops, and with 0 when a consumer attaches and the
 * counters restart.
 */
typedef void (*kscap_drops_fn)(u64 lost);

/* Load and unload. @on_drops may be NULL. */
int kscap_ctl_init(unsigned long ring_size, unsigned int reserve_div,
		   unsigned int wakeup_ms, kscap_drops_fn on_drops);
void kscap_ctl_exit(void);

/* For the device: what the mappings show. */
struct kscap_cpu_ring *kscap_ring_of(unsigned int cpu);
void *kscap_ctl_status_area(size_t *len);
void *kscap_ctl_consumer_area(size_t *len);
int kscap_ctl_set_wakeup(u32 bytes);
bool kscap_ctl_data_ready(void);
struct wait_queue_head *kscap_ctl_waitq(void);

#endif /* KSCAP_CONTROL_H */
