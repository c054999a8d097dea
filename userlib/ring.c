// SPDX-License-Identifier: MIT
/*
 * Reading the rings: the consumer half of the protocol in uapi/kscap.h,
 * and the merge of all CPUs' events by timestamp.
 *
 * Each ring keeps a pointer to its front event, whose header has been
 * checked against what the ring holds, until it is the oldest of all
 * fronts and gets returned; only then is it decoded, straight into the
 * caller's struct. A returned event stays in the ring, read in place,
 * until the next call releases it by storing the new tail with release
 * semantics: the kernel may reuse the bytes only after we are done.
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
	h->run = 0;
	r->front = NULL;
	if (r->head - r->tail <= r->size && r->head >= r->pos)
		r->pos = r->head;
	else	/* the head itself is insane: take the newest value */
		r->pos = __atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE);
	r->head = r->pos;
	ring_release(r);
	return kscap__fail(-EBADMSG, "cpu %u: corrupt ring data, skipped: %s", cpu, msg);
}

/*
 * Find the event at the ring's read position, if there is one, and check
 * that its length stays within what the producer published: all the
 * merge needs. Its contents are checked when it is returned.
 */
static inline __attribute__((always_inline)) int
ring_peek(struct kscap *h, unsigned int cpu)
{
	struct kscap_ring *r = &h->rings[cpu];
	const uint8_t *p;
	uint64_t avail;
	uint32_t len;

	if (r->front || !r->data)
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
	p = r->data + (r->pos & (r->size - 1));
	if (avail < KSCAP_HDR_LEN)
		return ring_corrupt(h, cpu, "event header cut short");
	len = ld32(p + offsetof(struct kscap_evt_hdr, len));
	if (len < KSCAP_HDR_LEN || len > avail)
		return ring_corrupt(h, cpu, "event length out of bounds");
	r->front = p;
	r->front_ts = ld64(p + offsetof(struct kscap_evt_hdr, ts));
	r->front_len = len;
	return 0;
}

/*
 * The ring whose front event is the oldest. A full pick looks at every
 * ring and remembers the oldest of the other fronts (bound); the next
 * KSCAP_RUN events may then come from the same ring without looking at
 * the others again, as long as they are not newer than bound. Events a
 * CPU publishes after its ring was looked at are merged by the next full
 * pick, at most KSCAP_RUN events later: the order is by timestamp across
 * what was published at the time of a full pick, as it would be if those
 * events had been published a moment later.
 */
#define KSCAP_RUN	64

static inline __attribute__((always_inline)) int
ring_pick(struct kscap *h, struct kscap_ring **out, unsigned int *cpu)
{
	struct kscap_ring *best = NULL, *r;
	uint64_t bound = UINT64_MAX;
	unsigned int i, best_cpu = 0;
	int err;

	if (h->last >= 0) {
		ring_release(&h->rings[h->last]);
		h->last = -1;
	}
	if (h->run) {
		h->run--;
		r = &h->rings[h->cur];
		err = ring_peek(h, h->cur);
		if (err)
			return err;
		if (r->front && r->front_ts <= h->bound) {
			*out = r;
			*cpu = h->cur;
			return 1;
		}
	}
	for (i = 0; i < h->geo.ncpus; i++) {
		r = &h->rings[i];
		err = ring_peek(h, i);
		if (err)
			return err;
		if (!r->front)
			continue;
		if (!best || r->front_ts < best->front_ts) {
			if (best)
				bound = best->front_ts;
			best = r;
			best_cpu = i;
		} else if (r->front_ts < bound) {
			bound = r->front_ts;
		}
	}
	if (!best) {
		h->run = 0;
		return 0;
	}
	h->cur = best_cpu;
	h->bound = bound;
	h->run = KSCAP_RUN;
	*out = best;
	*cpu = best_cpu;
	return 1;
}

/* Consume the front event of @r, which ring_pick() chose. */
static void ring_take(struct kscap *h, struct kscap_ring *r, unsigned int cpu)
{
	r->pos += r->front_len;
	r->front = NULL;
	h->last = (int)cpu;
}

int kscap_next(struct kscap *h, struct kscap_evt *evt, unsigned int *cpu)
{
	struct kscap_ring *r = NULL;
	unsigned int c;
	int rc;

	rc = ring_pick(h, &r, &c);
	if (rc <= 0)
		return rc;
	if (kscap_evt_parse(r->front, r->front_len, evt))
		return ring_corrupt(h, c, kscap_last_error());
	ring_take(h, r, c);
	if (cpu)
		*cpu = c;
	return 1;
}

int kscap_next_raw(struct kscap *h, const struct kscap_evt_hdr **ev,
		   unsigned int *cpu)
{
	const struct kscap_event_info *info;
	struct kscap_ring *r = NULL;
	unsigned int c;
	uint32_t np;
	uint16_t type;
	int rc;

	rc = ring_pick(h, &r, &c);
	if (rc <= 0)
		return rc;
	type = ld16(r->front + offsetof(struct kscap_evt_hdr, type));
	np = ld32(r->front + offsetof(struct kscap_evt_hdr, nparams));
	info = &kscap_event_table[type < KSCAP_EV_MAX ? type : 0];
	if (type >= KSCAP_EV_MAX || !info->name ||
	    (np != info->nparams && !kscap__ext_nparams(type, np)) ||
	    KSCAP_HDR_LEN + (uint64_t)np * KSCAP_PARAM_LEN_SIZE > r->front_len)
		return ring_corrupt(h, c, "bad event type or parameter count");
	*ev = (const struct kscap_evt_hdr *)r->front;
	ring_take(h, r, c);
	if (cpu)
		*cpu = c;
	return 1;
}
