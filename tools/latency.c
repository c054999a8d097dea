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

#define EMPTY	LATENCY_EMPTY
#define USED	LATENCY_USED
#define GONE	LATENCY_GONE

struct latency *latency_new(void)
{
	struct latency *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cap = 1024;
	l->none.tid = LATENCY_NO_TID;
	l->last = l->prev = &l->none;
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
static struct latency_slot *find(struct latency *l, uint64_t tid, bool insert)
{
	size_t i = hash(tid, l->cap), n;
	struct latency_slot *gone = NULL;

	for (n = 0; n < l->cap; n++, i = (i + 1) & (l->cap - 1)) {
		struct latency_slot *s = &l->slots[i];

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

/* The new last thread's slot: the last one's becomes prev. */
static void make_last(struct latency *l, struct latency_slot *s)
{
	if (s != l->last) {
		if (l->last != &l->none)
			l->prev = l->last;
		l->last = s;
	}
}

struct latency_slot *latency__slot_of(struct latency *l, uint64_t tid)
{
	struct latency_slot *s = l->prev;

	if (s->tid != tid)
		s = find(l, tid, false);
	if (s)
		make_last(l, s);
	return s;
}

/* Rebuild once 3/4 of the slots are taken (tombstones included): twice
 * as large if the threads themselves fill half of it. */
static void rebuild(struct latency *l)
{
	struct latency_slot *old = l->slots, *nw;
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
	l->last = l->prev = &l->none;
	for (i = 0; i < old_cap; i++) {
		if (old[i].state == USED) {
			struct latency_slot *s = find(l, old[i].tid, true);

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

struct latency_slot *latency__insert(struct latency *l, uint64_t tid)
{
	struct latency_slot *s;

	if (l->used * 4 >= l->cap * 3)
		rebuild(l);
	s = find(l, tid, true);
	if (!s)
		return NULL;
	s->tid = tid;
	s->state = USED;
	make_last(l, s);
	return s;
}
