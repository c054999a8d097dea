// SPDX-License-Identifier: MIT
/*
 * Reading the rings: the consumer half of the protocol in uapi/kscap.h,
 * and the merge of all CPUs' events by timestamp.
 *
 * Each ring keeps a pointer to its front event, whose header has been
 * checked against what the ring holds, until it is the oldest of all
 * fronts and gets returned; only then is it decoded, straight into the
 * caller's struct. The events after it on the same ring then come out in
 * a run (see ring_pick()), each checked where it lies, with no look at
 * the other rings. A returned event stays in the ring, read in place,
 * until the next call at least; the kernel gets the bytes back, by a
 * store of the new tail with release semantics, when the run ends (or
 * kscap_wait() is about to sleep): it may reuse them only after we are
 * done.
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

static void ring_release(struct kscap_ring *r, uint64_t to)
{
	r->tail = to;
	__atomic_store_n(&r->cons->tail, to, __ATOMIC_RELEASE);
}

/* How far a run goes at most (the comment above ring_pick() says why). */
#define KSCAP_RUN_BYTES		(32U << 10)
#define KSCAP_RUN_BYTES_NOWINDOW	(2U << 10)

/*
 * Where no run is, the run's pointer is at this header, whose length
 * reaches past any limit: the per-event test fails, with no test of its
 * own, and the full pick starts a run.
 */
static const struct kscap_evt_hdr no_run = { .len = UINT32_MAX };

static void run_clear(struct kscap_run *u)
{
	u->p = (const uint8_t *)&no_run;
	u->limit = u->p;
	u->ring = NULL;
	u->next = NULL;
}

void kscap__ring_config(struct kscap *h)
{
	uint64_t max = h->window || h->stopped ? KSCAP_RUN_BYTES : KSCAP_RUN_BYTES_NOWINDOW;

	/* a run's bound was the old settings' */
	kscap__ring_settle(h);
	run_clear(&h->run);
	/* at most 1/16 of a small ring held back from the kernel */
	if (max > h->geo.ring_size / 16)
		max = h->geo.ring_size / 16;
	h->run_max = max;
}

/* The run's ring position. */
static inline uint64_t run_pos(const struct kscap_run *u)
{
	return u->pos0 + (uint64_t)(u->p - u->start);
}

/* The run's ring gets its read position back; NULL: there was no run. */
static inline struct kscap_ring *run_stop(struct kscap *h)
{
	struct kscap_run *u = &h->run;
	struct kscap_ring *r = u->ring;

	if (!r)
		return NULL;
	r->pos = run_pos(u);
	/* An event taken and not given back yet: the kernel left it alone. */
	if (u->last)
		r->last_ts = ld64(u->last + offsetof(struct kscap_evt_hdr, ts));
	run_clear(u);
	return r;
}

/*
 * The run is over (a read call has begun: what it returned before is no
 * longer in use): its bytes go back to the kernel, unless a batch being
 * taken still uses them (the next call releases them).
 */
static inline void run_end(struct kscap *h)
{
	struct kscap_ring *r = run_stop(h);

	if (!r)
		return;
	if (h->in_batch)
		h->holding = true;
	else if (r->tail != r->pos)
		ring_release(r, r->pos);
}

/* Give up on what the ring holds now: it cannot be parsed reliably. */
static int ring_corrupt(struct kscap *h, unsigned int cpu, const char *why)
{
	struct kscap_ring *r = &h->rings[cpu];
	char msg[256];

	snprintf(msg, sizeof(msg), "%s", why);
	h->corrupt++;
	run_end(h);
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
		ring_release(r, r->pos);
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
	struct kscap_ring *r;
	unsigned int i;
	uint64_t pos;

	for (i = 0; i < h->geo.ncpus; i++) {
		r = &h->rings[i];
		pos = r == h->run.ring ? run_pos(&h->run) : r->pos;
		if (r->tail != pos)
			ring_release(r, pos);
	}
	h->holding = false;
}

/*
 * Runs. A full pick looks at every ring and remembers the oldest of the
 * other fronts; the events after the oldest front may then come from the
 * same ring without looking at the others again, as long as they are not
 * newer than the bound: the oldest other front, and, with the reorder
 * window on, what is let out (older than every ring that was drained at
 * the pick, or old enough). That bound holds however long the run goes
 * on: a ring's own events are in order, so a ring with a front publishes
 * nothing older than it, a drained ring nothing older than its last
 * event, and no ring anything that is old enough (the window's promise).
 *
 * So the run's length does not make the order; it is bounded for two
 * other reasons. Its bytes go back to the kernel when it ends (one
 * store for the run, not one per event), so the kernel never misses more
 * than KSCAP_RUN_BYTES of its ring because of us. And it ends where the
 * ring's head was at the pick: the next pick then loads the heads again,
 * which notices a CPU that came online (its ring is mapped then) and,
 * with the window off (no bound from it), merges what other CPUs
 * published meanwhile; runs are shorter then, as the merge is only as
 * good as how often the rings are looked at.
 *
 * Per event a run costs a few loads and compares of its own ring's bytes
 * (run_next()); the rest is out of line: the next run starts where the
 * full pick says (ring_pick()) or, when two rings take turns, at once
 * (run_swap()).
 */
static inline void run_start(struct kscap *h, struct kscap_ring *r, unsigned int cpu,
			     uint64_t bound)
{
	struct kscap_run *u = &h->run;
	uint64_t off = r->pos & (r->size - 1);
	uint64_t n = r->head - r->pos;	/* published */

	if (n > h->run_max)
		n = h->run_max;
	/* No event past the ring's end: the next one would start in the
	 * second mapping, and one after it might run past that. */
	if (n > r->size - off)
		n = r->size - off;
	/* The front, checked by ring_peek(), is in: one that wraps, too. */
	if (n < r->front_len)
		n = r->front_len;
	u->ring = r;
	u->cpu = cpu;
	u->start = r->data + off;
	u->pos0 = r->pos;
	u->p = u->start;
	u->limit = u->start + n;
	u->bound = bound;
	u->last = NULL;
	u->next = NULL;
}

/*
 * The run ended at an event newer than its bound, and the bound is the
 * front of the ring the full pick found second (the runner-up): that
 * front is now the oldest of all, and a run starts there at once. The
 * other rings are as the full pick saw them, so the oldest of their
 * fronts and of what the window lets out (bound2) still bounds the new
 * run, and the ring just left, whose next event is now its front, may
 * be the next runner-up. Two busy CPUs whose events interleave thus
 * take turns without a full pick. False: nothing swapped (the run ended
 * at its limit, or at an event that is not right).
 */
static inline __attribute__((always_inline)) bool run_swap(struct kscap *h)
{
	struct kscap_run *u = &h->run;
	struct kscap_ring *r = u->ring, *n = u->next;
	unsigned int r_cpu = u->cpu, n_cpu = u->next_cpu;
	uint64_t bound2 = u->bound2, ts;
	const uint8_t *p = u->p;
	uint32_t len;

	if (!r)
		return false;
	len = ld32(p + offsetof(struct kscap_evt_hdr, len));
	if (len < KSCAP_HDR_LEN || p + len > u->limit)
		return false;
	ts = ld64(p + offsetof(struct kscap_evt_hdr, ts));
	if (ts <= u->bound)
		return false;
	run_end(h);
	r->front = p;
	r->front_ts = ts;
	r->front_len = len;
	run_start(h, n, n_cpu, ts < bound2 ? ts : bound2);
	u->next = ts <= bound2 ? r : NULL;
	u->next_cpu = r_cpu;
	u->bound2 = bound2;
	return true;
}

/*
 * The full pick: end the run, look at every ring, start a run on the one
 * whose front event is the oldest (its front is set: the caller takes it
 * and clears it). 1, 0: nothing to take (now), or -errno.
 */
static __attribute__((noinline)) int ring_pick(struct kscap *h)
{
	struct kscap_ring *best = NULL, *second = NULL, *r;
	uint64_t bound = UINT64_MAX, bound2 = UINT64_MAX, low = UINT64_MAX, newest = 0;
	unsigned int i, best_cpu = 0, second_cpu = 0;
	int err;

	run_end(h);
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
			if (second && bound < bound2)
				bound2 = bound;
			if (best) {
				second = best;
				second_cpu = best_cpu;
				bound = best->front_ts;
			}
			best = r;
			best_cpu = i;
		} else if (r->front_ts < bound) {
			if (second && bound < bound2)
				bound2 = bound;
			second = r;
			second_cpu = i;
			bound = r->front_ts;
		} else if (r->front_ts < bound2) {
			bound2 = r->front_ts;
		}
	}
	if (!best)
		return 0;
	if (h->window && !h->stopped) {
		uint64_t out_ok;

		if (best->front_ts > low && !old_enough(h, best->front_ts, newest))
			return 0;
		/* the run may take what is both in order and let out */
		out_ok = low > h->horizon ? low : h->horizon;
		if (out_ok < bound) {
			bound = out_ok;
			second = NULL;	/* the bound is no ring's front */
		}
		if (out_ok < bound2)
			bound2 = out_ok;
	} else if (!h->stopped) {
		/* no window: each run's end looks at every ring */
		second = NULL;
	}
	h->held_ts = 0;
	run_start(h, best, best_cpu, bound);
	h->run.next = second;
	h->run.next_cpu = second_cpu;
	h->run.bound2 = bound2;
	/* (a batch releases what the last one held when it starts) */
	if (__builtin_expect(h->holding && !h->in_batch, 0))
		release_held(h);
	return 1;
}

/* The next run: a swap if it can, else the full pick. */
static inline __attribute__((always_inline)) int run_again(struct kscap *h)
{
	if (h->run.next && run_swap(h)) {
		if (__builtin_expect(h->holding && !h->in_batch, 0))
			release_held(h);
		return 1;
	}
	return ring_pick(h);
}

/*
 * The run's next event, if the run may take it: it ends by the run's
 * limit (within what the producer had published) and is no newer than
 * the bound. NULL otherwise: the run is over, or the event is not right,
 * which the full pick then finds and says. Its length is not checked
 * against the header's: raw_ok() and the parser do that. Past the head
 * the bytes are unpublished, but mapped (the ring is mapped twice in a
 * row, and a run's events start within the first mapping), and no
 * length there passes: the limit is at the head.
 */
static inline __attribute__((always_inline)) const uint8_t *
run_next(struct kscap *h, uint32_t *lenp)
{
	struct kscap_run *u = &h->run;
	const uint8_t *p = u->p;
	uint32_t len = ld32(p + offsetof(struct kscap_evt_hdr, len));

	if (__builtin_expect(p + len > u->limit ||
			     ld64(p + offsetof(struct kscap_evt_hdr, ts)) > u->bound, 0))
		return NULL;
	*lenp = len;
	return p;
}

/* The event run_next() returned is taken: its bytes stay ours until the
 * run ends (or kscap__ring_settle()). */
static inline __attribute__((always_inline)) void run_take(struct kscap *h, uint32_t len)
{
	h->run.last = h->run.p;
	h->run.p += len;
}

/* The full pick's choice, taken (kscap_next() decodes it first). */
static const uint8_t *pick_take(struct kscap *h, uint32_t *lenp)
{
	struct kscap_ring *r = h->run.ring;
	const uint8_t *p = r->front;

	*lenp = r->front_len;
	r->front = NULL;
	return p;
}

int kscap_next_sz(struct kscap *h, struct kscap_evt *evt, size_t evt_size,
		  unsigned int *cpu)
{
	const uint8_t *p;
	unsigned int c;
	uint32_t len;
	int rc;

	p = run_next(h, &len);
	if (!p || len < KSCAP_HDR_LEN) {
		/* (a length below a header's: ring_peek() says what is wrong) */
		rc = run_again(h);
		if (rc <= 0)
			return rc;
		p = pick_take(h, &len);
	}
	c = h->run.cpu;
	rc = kscap_evt_parse_sz(p, len, evt, evt_size);
	if (rc == -E2BIG || rc == -EINVAL) {
		/* valid, but not for the caller's struct: skip it */
		run_take(h, len);
		return rc;
	}
	if (rc)
		return ring_corrupt(h, c, kscap_last_error());
	run_take(h, len);
	/* Framed right, but not as the module writes: this event alone. */
	if (kscap__evt_check(evt, 0)) {
		h->corrupt++;
		return -EBADMSG;
	}
	if (cpu)
		*cpu = c;
	return 1;
}

/*
 * Each type's parameter count, from the event table's rows, as 255 less
 * it (0: no such type): with nparams at most KSCAP_MAX_PARAMS, nparams +
 * this reaches 255 exactly when the type exists and nparams is at least
 * its count, in one add and one compare.
 */
#undef KSCAP_EV
#define KSCAP_EV(id, num, nm, cat, fl, np, ...)	[num] = 255 - (np),
static const uint8_t np_gap[KSCAP_EV_MAX] = {
#include KSCAP_EVENT_TABLE_ROWS
};
#undef KSCAP_EV
_Static_assert(KSCAP_MAX_PARAMS < 255, "np_gap needs nparams below 255");

/* What kscap_next_raw() checks of an event's header before it hands it
 * out: the type exists, nparams fits the table and the length. */
static inline __attribute__((always_inline)) bool
raw_ok(const uint8_t *p, uint32_t len)
{
	uint16_t type = ld16(p + offsetof(struct kscap_evt_hdr, type));
	uint32_t np = ld32(p + offsetof(struct kscap_evt_hdr, nparams));

	return type < KSCAP_EV_MAX && np <= KSCAP_MAX_PARAMS &&
	       np + np_gap[type] >= 255 &&
	       KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE <= len;
}

/* kscap_next_raw() past its run: a full pick, and its choice checked. */
static __attribute__((noinline)) int
next_raw_slow(struct kscap *h, const struct kscap_evt_hdr **ev, unsigned int *cpu)
{
	const uint8_t *p;
	uint32_t len;
	int rc;

	rc = run_again(h);
	if (rc <= 0)
		return rc;
	p = pick_take(h, &len);
	if (!raw_ok(p, len))
		return ring_corrupt(h, h->run.cpu, "bad event type or parameter count");
	run_take(h, len);
	*ev = (const struct kscap_evt_hdr *)p;
	if (cpu)
		*cpu = h->run.cpu;
	return 1;
}

/*
 * The common case inline, without a frame: the run goes on. Everything
 * else (the run is over, an event is not right) takes the slow path,
 * which checks the event the full pick chose the same way.
 */
int kscap_next_raw(struct kscap *h, const struct kscap_evt_hdr **ev,
		   unsigned int *cpu)
{
	const uint8_t *p;
	uint32_t len;

	p = run_next(h, &len);
	if (__builtin_expect(!p || !raw_ok(p, len), 0))
		return next_raw_slow(h, ev, cpu);
	run_take(h, len);
	*ev = (const struct kscap_evt_hdr *)p;
	if (cpu)
		*cpu = h->run.cpu;
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
	const uint8_t *p;
	unsigned int n = 0;
	uint32_t len;
	int rc = 0;

	if (h->pending) {
		rc = h->pending;
		h->pending = 0;
		return rc;
	}
	/* the last batch's events go back, whatever this one does */
	if (h->holding)
		release_held(h);
	h->in_batch = true;
	while (n < max) {
		p = run_next(h, &len);
		if (__builtin_expect(p && raw_ok(p, len), 1)) {
			run_take(h, len);
			evs[n] = (const struct kscap_evt_hdr *)p;
			if (cpus)
				cpus[n] = h->run.cpu;
		} else {
			rc = next_raw_slow(h, &evs[n], cpus ? &cpus[n] : NULL);
			if (rc <= 0)
				break;
		}
		n++;
	}
	h->in_batch = false;
	if (!n) {
		/* nothing handed out: nothing to hold */
		if (h->holding)
			release_held(h);
		return rc;
	}
	h->holding = true;
	if (rc < 0)
		h->pending = rc;
	return (int)n;
}

void kscap__ring_settle(struct kscap *h)
{
	struct kscap_run *u = &h->run;
	const uint8_t *taken = u->last;
	uint64_t last = u->pos0 + (uint64_t)(taken - u->start);
	struct kscap_ring *r = run_stop(h);

	if (!r || h->holding)
		return;		/* a batch's events: all go back with the next call */
	if (taken && r->tail != last)
		ring_release(r, last);
	/* the last event's bytes: with the next call */
	if (r->tail != r->pos)
		h->holding = true;
}

void kscap__ring_release_all(struct kscap *h)
{
	run_end(h);
	release_held(h);
}
