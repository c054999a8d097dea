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
#include <time.h>
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
	r->head = r->pos;	/* loaded (and checked) by the first peek */
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
	/* a batch's events may still be in use: released with them */
	if (h->in_batch)
		h->holding = true;
	else
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

	if (r->front)
		return 0;
	if (__builtin_expect(!r->data, 0)) {
		/* A CPU that came online: its ring exists once it has data. */
		if (!r->late || !__atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE))
			return 0;
		r->late = 0;
		if (kscap__map_ring(h, cpu))
			return kscap__fail(-EIO, "cpu %u came online but its ring cannot be mapped",
					   cpu);
	}
	if (r->pos == r->head) {
		/* the head checked once per load: pos only moves up to it */
		r->head = __atomic_load_n(&r->status->head, __ATOMIC_ACQUIRE);
		if (r->pos == r->head)
			return 0;
		if (r->head < r->pos || r->head - r->tail > r->size)
			return ring_corrupt(h, cpu, "head out of range");
	}
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
 * The reorder window. A CPU stamps its event before it commits it, so an
 * event stamped earlier on one CPU can be published after a later one of
 * another CPU has been handed out. As perf's ordered events do, the
 * oldest front is handed out only when no ring can still publish an older
 * one: every ring has been read past its timestamp (a ring's own events
 * are in order, so a ring whose front or last taken event is newer can
 * publish nothing older), or it was stamped at least the window ago, by
 * when any event stamped before it has been committed.
 *
 * The event clock is the kernel's monotonic clock plus an offset; the
 * offset is estimated from below by the newest timestamp seen (it was
 * stamped before now), so an estimate errs on the side of waiting longer.
 * Nothing is copied: a held event stays in its ring. The cost is latency
 * (up to the window, while some CPU is idle) and ring space (what the
 * CPUs write within the window); after kscap_stop() nothing is held.
 */
static bool old_enough(struct kscap *h, uint64_t ts, uint64_t newest)
{
	struct timespec now;
	uint64_t mono;
	int64_t off;

	if (ts <= h->horizon)
		return true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	mono = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	off = (int64_t)(newest - mono);
	if (off > h->clk_off)
		h->clk_off = off;
	/* the event clock now, at least, less the window */
	if ((int64_t)mono + h->clk_off > (int64_t)h->window)
		h->horizon = (uint64_t)((int64_t)mono + h->clk_off) - h->window;
	h->held_ts = ts <= h->horizon ? 0 : ts;
	return !h->held_ts;
}

/* What the last kscap_next_raw_batch() handed out goes back to the kernel. */
static void release_held(struct kscap *h)
{
	unsigned int i;

	for (i = 0; i < h->geo.ncpus; i++)
		if (h->rings[i].tail != h->rings[i].pos)
			ring_release(&h->rings[i]);
	h->holding = false;
}

/*
 * The ring whose front event is the oldest. A full pick looks at every
 * ring and remembers the oldest of the other fronts (bound); the next
 * KSCAP_RUN events may then come from the same ring without looking at
 * the others again, as long as they are not newer than bound (nor than
 * what the reorder window lets out). Events a CPU publishes after its
 * ring was looked at are merged by the next full pick.
 */
#define KSCAP_RUN	64

static inline __attribute__((always_inline)) int
ring_pick(struct kscap *h, struct kscap_ring **out, unsigned int *cpu)
{
	struct kscap_ring *best = NULL, *r;
	uint64_t bound = UINT64_MAX, low = UINT64_MAX, newest = 0;
	unsigned int i, best_cpu = 0;
	int err;

	if (h->last >= 0) {
		ring_release(&h->rings[h->last]);
		h->last = -1;
	}
	if (__builtin_expect(h->holding, 0))
		release_held(h);
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
		if (!r->front) {
			/* nothing published: it is past its last event only */
			if (r->data && r->last_ts < low)
				low = r->last_ts;
			continue;
		}
		if (r->front_ts > newest)
			newest = r->front_ts;
		if (!best || r->front_ts < best->front_ts) {
			if (best)
				bound = best->front_ts;
			best = r;
			best_cpu = i;
		} else if (r->front_ts < bound) {
			bound = r->front_ts;
		}
	}
	h->run = 0;
	if (!best)
		return 0;
	if (h->window && !h->stopped) {
		uint64_t out_ok;

		if (best->front_ts > low && !old_enough(h, best->front_ts, newest))
			return 0;
		/* the run may take what is both in order and let out */
		out_ok = low > h->horizon ? low : h->horizon;
		if (out_ok < bound)
			bound = out_ok;
	}
	h->held_ts = 0;
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
	r->last_ts = r->front_ts;
	r->front = NULL;
	h->last = (int)cpu;
}

int kscap_next_sz(struct kscap *h, struct kscap_evt *evt, size_t evt_size,
		  unsigned int *cpu)
{
	struct kscap_ring *r = NULL;
	unsigned int c;
	int rc;

	rc = ring_pick(h, &r, &c);
	if (rc <= 0)
		return rc;
	rc = kscap_evt_parse_sz(r->front, r->front_len, evt, evt_size);
	if (rc == -E2BIG || rc == -EINVAL) {
		/* valid, but not for the caller's struct: skip it */
		ring_take(h, r, c);
		return rc;
	}
	if (rc)
		return ring_corrupt(h, c, kscap_last_error());
	ring_take(h, r, c);
	/* Framed right, but not as the module writes: this event alone. */
	if (kscap__evt_check(evt, 0)) {
		h->corrupt++;
		return -EBADMSG;
	}
	if (cpu)
		*cpu = c;
	return 1;
}

/* Each type's parameter count plus one (0: no such type), from the
 * event table's rows: the header check below in one byte's load. */
#undef KSCAP_EV
#define KSCAP_EV(id, num, nm, cat, fl, np, ...)	[num] = (np) + 1,
static const uint8_t min_np1[KSCAP_EV_MAX] = {
#include KSCAP_EVENT_TABLE_ROWS
};
#undef KSCAP_EV

/* What kscap_next_raw() checks of the front event's header before it
 * hands it out: the type exists, nparams fits the table and the length. */
static inline __attribute__((always_inline)) bool
raw_ok(const struct kscap_ring *r)
{
	uint16_t type = ld16(r->front + offsetof(struct kscap_evt_hdr, type));
	uint32_t np = ld32(r->front + offsetof(struct kscap_evt_hdr, nparams));
	unsigned int m = min_np1[type < KSCAP_EV_MAX ? type : 0];

	return type < KSCAP_EV_MAX && m && np + 1 >= m && np <= KSCAP_MAX_PARAMS &&
	       KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE <= r->front_len;
}

int kscap_next_raw(struct kscap *h, const struct kscap_evt_hdr **ev,
		   unsigned int *cpu)
{
	struct kscap_ring *r = NULL;
	unsigned int c;
	int rc;

	rc = ring_pick(h, &r, &c);
	if (rc <= 0)
		return rc;
	if (!raw_ok(r))
		return ring_corrupt(h, c, "bad event type or parameter count");
	*ev = (const struct kscap_evt_hdr *)r->front;
	ring_take(h, r, c);
	if (cpu)
		*cpu = c;
	return 1;
}

/*
 * Many events at once, in the order kscap_next_raw() would return them:
 * one call and one release of each ring per batch instead of per event.
 * The events stay in the rings until the next call. An error met after
 * some events were taken is returned by the next call.
 */
int kscap_next_raw_batch(struct kscap *h, const struct kscap_evt_hdr **evs,
			 unsigned int *cpus, unsigned int max)
{
	struct kscap_ring *r = NULL;
	unsigned int n = 0, c = 0;
	int rc = 0;

	if (h->pending) {
		rc = h->pending;
		h->pending = 0;
		return rc;
	}
	h->in_batch = true;
	while (n < max) {
		rc = ring_pick(h, &r, &c);
		if (rc <= 0)
			break;
		if (!raw_ok(r)) {
			rc = ring_corrupt(h, c, "bad event type or parameter count");
			break;
		}
		evs[n] = (const struct kscap_evt_hdr *)r->front;
		if (cpus)
			cpus[n] = c;
		n++;
		r->pos += r->front_len;
		r->last_ts = r->front_ts;
		r->front = NULL;
	}
	h->in_batch = false;
	if (!n)
		return rc;
	h->holding = true;
	if (rc < 0)
		h->pending = rc;
	return (int)n;
}
