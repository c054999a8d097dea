// SPDX-License-Identifier: MIT
/*
 * Reading the rings: the consumer half of the protocol in uapi/kscap.h,
 * and the merge of all CPUs' events by timestamp.
 *
 * Each ring keeps its front event parsed (have/evt) until it is the
 * oldest of all fronts and gets returned. A returned event stays in the
 * ring, read in place, until the next kscap_next() releases it by storing
 * the new tail with release semantics: the kernel may reuse the bytes only
 * after we are done with them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "ring.h"

void ring_init(struct kscap_ring *r, const void *data, uint64_t size,
	       const void *status, void *cons)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->size = size;
	r->status = status;
	r->cons = cons;
	/* The session starts wherever the kernel reset the ring to. */
	r->tail = __atomic_load_n(&r->cons->tail, __ATOMIC_RELAXED);
	r->pos = r->tail;
	r->head = __atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE);
}

static void ring_release(struct kscap_ring *r)
{
	r->tail = r->pos;
	__atomic_store_n(&r->cons->tail, r->tail, __ATOMIC_RELEASE);
}

/* Give up on what the ring holds now: it cannot be parsed reliably. */
static int ring_corrupt(struct kscap *h, unsigned int cpu, const char *why)
{
	struct kscap_ring *r = &h->rings[cpu];
	char msg[256];

	snprintf(msg, sizeof(msg), "%s", why);
	h->corrupt++;
	r->have = false;
	if (r->head - r->tail <= r->size && r->head >= r->pos)
		r->pos = r->head;
	else	/* the head itself is insane: take the newest value */
		r->pos = __atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE);
	r->head = r->pos;
	ring_release(r);
	return kscap__fail(-EBADMSG, "cpu %u: corrupt ring data, skipped: %s", cpu, msg);
}

/* Parse the event at the ring's read position, if there is one. */
static int ring_peek(struct kscap *h, unsigned int cpu)
{
	struct kscap_ring *r = &h->rings[cpu];
	uint64_t avail;

	if (r->have || !r->data)
		return 0;
	if (r->pos == r->head)
		r->head = __atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE);
	if (r->pos == r->head)
		return 0;
	if (r->head < r->pos || r->head - r->tail > r->size)
		return ring_corrupt(h, cpu, "head out of range");
	avail = r->head - r->pos;
	/* The ring is mapped twice in a row: an event that wraps is
	 * contiguous, and any size <= ring size is readable. */
	if (kscap_evt_parse(r->data + (r->pos & (r->size - 1)), avail, &r->evt))
		return ring_corrupt(h, cpu, kscap_last_error());
	r->have = true;
	return 0;
}

int kscap_next(struct kscap *h, struct kscap_evt *evt, unsigned int *cpu)
{
	struct kscap_ring *best = NULL;
	unsigned int i, best_cpu = 0;
	int err;

	if (h->last >= 0) {
		ring_release(&h->rings[h->last]);
		h->last = -1;
	}
	for (i = 0; i < h->geo.ncpus; i++) {
		struct kscap_ring *r = &h->rings[i];

		err = ring_peek(h, i);
		if (err)
			return err;
		if (r->have && (!best || r->evt.ts < best->evt.ts)) {
			best = r;
			best_cpu = i;
		}
	}
	if (!best)
		return 0;
	/* only the parameters the event has: the rest of the array is unused */
	memcpy(evt, &best->evt, offsetof(struct kscap_evt, params) +
	       best->evt.nparams * sizeof(evt->params[0]));
	if (cpu)
		*cpu = best_cpu;
	best->pos += best->evt.len;
	best->have = false;
	h->last = (int)best_cpu;
	return 1;
}
