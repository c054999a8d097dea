// SPDX-License-Identifier: MIT
/*
 * An open-addressing table tid -> the thread's pending enter (type,
 * timestamp; for a generic enter its syscall numbers). A thread is in at
 * most one syscall at a time, so one slot per thread is enough. A slot
 * stays its thread's between calls (an exit only marks it idle), so the
 * next enter finds it at once; procexit frees it (a tombstone, dropped
 * when the table is rebuilt).
 */
#include <stdbool.h>
#include <stdlib.h>
#include "latency.h"

#define EMPTY	0
#define USED	1
#define GONE	2

struct slot {
	uint64_t tid;
	uint64_t ts;
	uint16_t type;
	uint8_t state;
	uint8_t pending;	/* an enter waits for its exit */
	uint16_t id;		/* a generic enter's scap code */
	int32_t nr;		/* and its native number, -1: none */
};

struct latency {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t used;		/* USED and GONE slots */
	struct slot *last;	/* the last thread's: runs of one thread's events */
};

struct latency *latency_new(void)
{
	struct latency *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cap = 1024;
	l->slots = calloc(l->cap, sizeof(*l->slots));
	if (!l->slots) {
		free(l);
		return NULL;
	}
	return l;
}

void latency_free(struct latency *l)
{
	if (l) {
		free(l->slots);
		free(l);
	}
}

static size_t hash(uint64_t tid, size_t cap)
{
	return (size_t)((tid * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

/* @tid's slot, or NULL; with @insert, a free one for it (NULL: full). */
static struct slot *find(struct latency *l, uint64_t tid, bool insert)
{
	size_t i = hash(tid, l->cap), n;
	struct slot *gone = NULL;

	for (n = 0; n < l->cap; n++, i = (i + 1) & (l->cap - 1)) {
		struct slot *s = &l->slots[i];

		if (s->state == USED && s->tid == tid)
			return s;
		if (s->state == GONE && !gone)
			gone = s;
		if (s->state == EMPTY) {
			if (!insert)
				return NULL;
			if (gone)
				return gone;
			l->used++;
			return s;
		}
	}
	return insert ? gone : NULL;
}

/* @tid's slot if it has one: the last one looked up, else found. */
static struct slot *slot_of(struct latency *l, uint64_t tid)
{
	struct slot *s = l->last;

	if (s && s->tid == tid && s->state == USED)
		return s;
	s = find(l, tid, false);
	if (s)
		l->last = s;
	return s;
}

/* Rebuild once 3/4 of the slots are taken (tombstones included): twice
 * as large if the threads themselves fill half of it. */
static void rebuild(struct latency *l)
{
	struct slot *old = l->slots, *nw;
	size_t old_cap = l->cap, live = 0, cap, i;

	for (i = 0; i < old_cap; i++)
		live += old[i].state == USED;
	cap = live * 2 >= old_cap ? old_cap * 2 : old_cap;
	nw = calloc(cap, sizeof(*nw));
	if (!nw)
		return;
	l->slots = nw;
	l->cap = cap;
	l->used = 0;
	l->last = NULL;
	for (i = 0; i < old_cap; i++) {
		if (old[i].state == USED) {
			struct slot *s = find(l, old[i].tid, true);

			*s = old[i];
		}
	}
	free(old);
}

int latency_feed(struct latency *l, const struct kscap_evt *evt, uint64_t *ns)
{
	struct latency_ev ev = { .tid = evt->tid, .ts = evt->ts, .type = evt->type, .nr = -1 };

	return latency_feed_ev(l, &ev, ns, NULL);
}

int latency_feed_ev(struct latency *l, const struct latency_ev *ev, uint64_t *ns,
		    struct latency_ev *enter)
{
	struct slot *s = slot_of(l, ev->tid);

	if (!KSCAP_EV_IS_EXIT(ev->type)) {
		if (ev->type == KSCAP_EV_PROCEXIT_E) {
			if (s)
				s->state = GONE;
			return 0;
		}
		if (!s) {
			if (l->used * 4 >= l->cap * 3)
				rebuild(l);
			s = find(l, ev->tid, true);
			if (!s)
				return 0;
			s->tid = ev->tid;
			s->state = USED;
			l->last = s;
		}
		s->ts = ev->ts;
		s->type = ev->type;
		s->nr = ev->nr;
		s->id = ev->id;
		s->pending = 1;
		return 0;
	}
	if (s && !s->pending)
		s = NULL;
	if (enter) {
		/* the thread's last enter, whatever it was */
		enter->type = s ? s->type : 0;
		enter->nr = s ? s->nr : -1;
		enter->id = s ? s->id : 0;
	}
	if (!s || s->type != ev->type - 1 || ev->ts < s->ts)
		return 0;
	*ns = ev->ts - s->ts;
	s->pending = 0;
	return 1;
}
