/* SPDX-License-Identifier: MIT */
/*
 * Syscall latency: remember each thread's last enter event, and match it
 * with the exit of the same syscall on the same thread.
 */
#ifndef SCAPDUMP_LATENCY_H
#define SCAPDUMP_LATENCY_H

#include <stddef.h>
#include <stdint.h>
#include "kscap/libkscap.h"

struct latency;

struct latency *latency_new(void);
void latency_free(struct latency *l);
/*
 * Feed one event. For an exit event whose enter was seen, stores the time
 * between them in @ns and returns 1; else returns 0.
 */
int latency_feed(struct latency *l, const struct kscap_evt *evt, uint64_t *ns);

/* An event as its header tells it (events read raw, kscap_next_raw()). */
struct latency_ev {
	uint64_t tid, ts;
	uint16_t type;
	uint16_t id;	/* a generic enter's scap code (ID) */
	int32_t nr;	/* and its native number (nativeID); -1 for other events */
};

/*
 * The table, in the open for the inline fast path below (events come
 * in runs of one thread: its slot is at hand, no lookup).
 */
#define LATENCY_EMPTY	0
#define LATENCY_USED	1
#define LATENCY_GONE	2

struct latency_slot {
	uint64_t tid;
	uint64_t ts;		/* of the pending enter */
	uint16_t expect;	/* the exit type that ends it (enter + 1); 0: none */
	uint8_t state;
	uint32_t gen;		/* a generic enter's scap code | native number << 16,
				 * as the event holds them; LATENCY_NO_GEN: none */
};

#define LATENCY_NO_GEN	0xffffffffU
/* (a tid no event has: the kernel's are ints) */
#define LATENCY_NO_TID	UINT64_MAX

struct latency {
	struct latency_slot *slots;
	size_t cap;		/* a power of two */
	size_t used;		/* USED and GONE slots */
	/* The last thread's slot, always a USED one or none (whose tid is
	 * LATENCY_NO_TID): a tid compare tells whether it is the event's. */
	struct latency_slot *last;
	struct latency_slot *prev;	/* the one before, likewise (two threads
					 * taking turns: a pipe, a server) */
	struct latency_slot none;
};

/* A generic enter's numbers as a slot keeps them (@nr -1: none). */
static inline uint32_t latency_gen(int32_t nr, uint16_t id)
{
	return nr < 0 || nr > 0xffff ? LATENCY_NO_GEN : (uint32_t)id | (uint32_t)nr << 16;
}

/* And back, for latency_ev: nr -1 and id 0 for none. */
static inline int32_t latency_gen_nr(uint32_t gen)
{
	return gen == LATENCY_NO_GEN ? -1 : (int32_t)(gen >> 16);
}

static inline uint16_t latency_gen_id(uint32_t gen)
{
	return gen == LATENCY_NO_GEN ? 0 : (uint16_t)gen;
}

/* latency.c's lookups: @tid's slot or NULL; a new slot for it. */
struct latency_slot *latency__slot_of(struct latency *l, uint64_t tid);
struct latency_slot *latency__insert(struct latency *l, uint64_t tid);

/*
 * The same as latency_feed(). For an exit, @enter (if not NULL) gets the
 * type, nr and id of the thread's last enter still pending (nr -1, type
 * 0 if none): what names a generic exit, as kscap_threads_evt_name() does.
 */
static inline __attribute__((always_inline))
int latency_feed_ev(struct latency *l, const struct latency_ev *ev, uint64_t *ns,
		    struct latency_ev *enter)
{
	struct latency_slot *s = l->last;

	if (__builtin_expect(s->tid != ev->tid, 0))
		s = latency__slot_of(l, ev->tid);
	if (!KSCAP_EV_IS_EXIT(ev->type)) {
		if (__builtin_expect(ev->type == KSCAP_EV_PROCEXIT_E, 0)) {
			if (s) {
				s->state = LATENCY_GONE;
				l->last = &l->none;
				if (l->prev == s)
					l->prev = &l->none;
			}
			return 0;
		}
		if (__builtin_expect(!s, 0)) {
			s = latency__insert(l, ev->tid);
			if (!s)
				return 0;
		}
		s->ts = ev->ts;
		s->expect = (uint16_t)(ev->type + 1);
		s->gen = latency_gen(ev->nr, ev->id);
		return 0;
	}
	if (s && !s->expect)
		s = 0;
	if (enter) {
		/* the thread's last enter, whatever it was */
		enter->type = s ? (uint16_t)(s->expect - 1) : 0;
		enter->nr = s ? latency_gen_nr(s->gen) : -1;
		enter->id = s ? latency_gen_id(s->gen) : 0;
	}
	if (!s || s->expect != ev->type || ev->ts < s->ts)
		return 0;
	*ns = ev->ts - s->ts;
	s->expect = 0;
	return 1;
}

#endif
