// SPDX-License-Identifier: MIT
/*
 * An open-addressing table tid -> (enter type, timestamp). A thread is in
 * at most one syscall at a time, so one slot per thread is enough; slots
 * of threads that exited are reused through tombstones.
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
	uint16_t id;	/* a generic enter's scap code */
	int32_t nr;	/* and its native number, -1: none */
};

struct latency {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t used;		/* USED and GONE slots */
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
	return (size_t)((tid * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);
}

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

/* Rehash into a table twice as large once it is 3/4 full. */
static void grow(struct latency *l)
{
	struct slot *old = l->slots;
	size_t old_cap = l->cap, i;
	struct slot *nw = calloc(old_cap * 2, sizeof(*nw));

	if (!nw)
		return;
	l->slots = nw;
	l->cap = old_cap * 2;
	l->used = 0;
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
	struct slot *s;

	if (!KSCAP_EV_IS_EXIT(ev->type)) {
		if (ev->type == KSCAP_EV_PROCEXIT_E) {
			s = find(l, ev->tid, false);
			if (s)
				s->state = GONE;
			return 0;
		}
		if (l->used * 4 >= l->cap * 3)
			grow(l);
		s = find(l, ev->tid, true);
		if (!s)
			return 0;
		s->tid = ev->tid;
		s->ts = ev->ts;
		s->type = ev->type;
		s->nr = ev->nr;
		s->id = ev->id;
		s->state = USED;
		return 0;
	}
	s = find(l, ev->tid, false);
	if (enter) {
		/* the thread's last enter, whatever it was */
		enter->nr = s ? s->nr : -1;
		enter->id = s ? s->id : 0;
		enter->type = s ? s->type : 0;
	}
	if (!s || s->type != ev->type - 1 || ev->ts < s->ts)
		return 0;
	*ns = ev->ts - s->ts;
	s->state = GONE;
	return 1;
}
