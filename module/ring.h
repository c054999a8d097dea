/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One CPU's ring: a single-producer, single-consumer byte ring shared with
 * userspace. The producer is the CPU itself, with preemption disabled, so
 * producer state needs no atomics; the consumer is a userspace process that
 * we do not trust (see the ring protocol in uapi/kscap.h).
 */
#ifndef KSCAP_RING_H
#define KSCAP_RING_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <asm/barrier.h>
#include "kscap.h"

struct kscap_cpu_ring {
	u8 *data;			/* 2 * size bytes: the pages mapped twice */
	u64 size;			/* power of two */
	u64 reserve;			/* bytes only critical events may use */
	u64 head;			/* producer position: the truth */
	u64 tail;			/* last consumer position found valid */
	/*
	 * How far head may go without a look at the consumer's tail: tail
	 * + size - reserve as last seen (0 when there is no ring, or after
	 * a reset). The tail only moves forward, so an old limit is never
	 * too far; kscap_ring_room() looks again only when it is too near.
	 */
	u64 limit;
	struct kscap_status_page *status;	/* shared, user read-only */
	struct kscap_consumer_slot *consumer;	/* shared, user read-write */
	struct page **pages;		/* size / PAGE_SIZE pages */
	unsigned int nr_pages;
	/* The wakeup timer's view (control.c), not the producer's. */
	u64 tick_head;			/* head at the last tick */
	u64 aged_head;			/* head at the tick before: older data has waited */
};

/*
 * Allocate a ring of @size bytes (a power of two, at least two pages) on
 * NUMA node @node; @reserve bytes of it are kept for critical events.
 * @status and @consumer are this ring's slots in the shared areas. The
 * ring is published by setting data last: data == NULL means no ring.
 */
int kscap_ring_alloc(struct kscap_cpu_ring *r, u64 size, u64 reserve, int node,
		     struct kscap_status_page *status,
		     struct kscap_consumer_slot *consumer);
/* Free the ring's memory; its shared slots stay (status, consumer). */
void kscap_ring_free(struct kscap_cpu_ring *r);

/* Forget all data: head = tail = 0. Only with no producer running. */
void kscap_ring_reset(struct kscap_cpu_ring *r);

static inline u8 *kscap_ring_write_ptr(struct kscap_cpu_ring *r)
{
	return r->data + (r->head & (r->size - 1));
}

/*
 * Room the producer may write into now, in contiguous bytes at
 * kscap_ring_write_ptr(): what the ring has free, less the reserve unless
 * @critical. Reads the consumer's tail once and validates it. Inline: it
 * runs for every event.
 */
static __always_inline u64 kscap_ring_space(struct kscap_cpu_ring *r,
					    bool critical)
{
	/* Pairs with the consumer's release: its reads are done. */
	u64 tail = smp_load_acquire(&r->consumer->tail);
	u64 free;

	/*
	 * The consumer may only move its tail forward, and not past head.
	 * Unsigned arithmetic makes that one comparison; anything else is
	 * ignored and the ring stays as full as it was.
	 */
	if (likely(tail - r->tail <= r->head - r->tail))
		r->tail = tail;
	else
		r->status->counters.bad_tail++;

	free = r->size - (r->head - r->tail);
	if (critical)
		return free;
	return free > r->reserve ? free - r->reserve : 0;
}

u64 kscap_ring_room_slow(struct kscap_cpu_ring *r, bool critical);

/*
 * The room for an event of at least @want bytes, the producer's fast
 * path: no look at the consumer's tail (a shared cache line, and its
 * validation) while the limit last computed leaves @want bytes. The
 * room returned may be less than kscap_ring_space() would say (never
 * more), and is at least @want unless the ring is full, or missing
 * (data is NULL: the limit is then 0).
 */
static __always_inline u64 kscap_ring_room(struct kscap_cpu_ring *r, u32 want,
					   bool critical)
{
	if (likely(r->head + want <= r->limit))
		return r->limit - r->head + (critical ? r->reserve : 0);
	return kscap_ring_room_slow(r, critical);
}

/* Whether an event of @len bytes fits now: kscap_ring_room() >= @len. */
static __always_inline bool kscap_ring_fits(struct kscap_cpu_ring *r, u32 len, bool critical)
{
	if (likely(r->head + len <= r->limit))
		return true;
	return kscap_ring_room_slow(r, critical) >= len;
}

/* Publish @len bytes written at kscap_ring_write_ptr(). */
static __always_inline void kscap_ring_commit(struct kscap_cpu_ring *r, u32 len)
{
	struct kscap_status_page *status = r->status;
	u64 head = r->head + len;

	r->head = head;
	/* Pairs with the consumer's acquire: the event is complete. */
	smp_store_release(&status->head, head);
}

/* Bytes published and not yet consumed, as the consumer's tail says. */
u64 kscap_ring_used(const struct kscap_cpu_ring *r);

#endif /* KSCAP_RING_H */
