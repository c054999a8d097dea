/* SPDX-License-Identifier: MIT */
/*
 * The raw path's common case, inline in scapdump's per-event loop: live
 * --summary and --top count most exits with a few loads and stores (a
 * function call or two per event cost --top more than -w /dev/null's whole
 * copy). What it does not take (a failed call, a result only the decoded
 * event tells, a generic exit its enter does not name, a row not made yet)
 * it leaves to summary_add_raw(), which also makes the rows it finds here.
 * summary.c's structures are in the open for it.
 */
#ifndef SCAPDUMP_SUMMARY_RAW_H
#define SCAPDUMP_SUMMARY_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "latency.h"
#include "summary.h"

struct errcount {
	int err;
	uint64_t count;
};

struct sc_stats {
	/* what every exit adds to, first */
	uint64_t calls, timed;	/* timed: calls whose latency is known */
	uint64_t total_ns;
	uint64_t min_ns, max_ns;	/* percentiles stay within these; min
					 * starts at UINT64_MAX */
	uint64_t errors;
	const char *name;	/* from the event table or the syscall table */
	unsigned int category;
	struct errcount *errs;
	size_t nerrs;
	uint32_t hist[];	/* HIST_BUCKETS counts, made with the row */
};

/* Rows by name pointer, direct-mapped: the names come from static tables,
 * so one pointer compare finds the row of almost every event. */
#define SUMMARY_NAME_CACHE	256
/* Generic exits' rows by their enter's native number (mod this). */
#define SUMMARY_GEN_ROWS	512

struct summary_gen {
	uint32_t key;		/* the enter's latency_gen(); LATENCY_NO_GEN: empty */
	struct sc_stats *row;
};

struct summary {
	struct sc_stats **sc;	/* each row allocated alone: pointers stay */
	size_t n, cap;
	uint32_t cache[SUMMARY_NAME_CACHE];	/* row index + 1; 0: empty */
	struct sc_stats *type_row[KSCAP_EV_MAX];	/* the row of the type's own name */
	struct summary_gen gen[SUMMARY_GEN_ROWS];	/* for the syscall numbering of */
	unsigned int gen_arch;				/* this arch */
};

/* What the raw path needs of each event type, worked out once. */
enum { RAW_RET_NONE, RAW_RET_FIRST, RAW_RET_GENERIC, RAW_RET_DECODE };

struct raw_type {
	const char *name;
	uint16_t category;
	uint8_t ret;		/* where an exit's result is: RAW_RET_* */
	uint8_t size;		/* RAW_RET_FIRST, _GENERIC: the integer's bytes */
	bool sgn;		/* and whether it is signed */
	/* summary_feed_raw()'s way to the result (RAW_FAST_*); for the
	 * first parameter as the module writes it: the table's parameter
	 * count, where the result is, and the length that holds it */
	uint8_t fast;
	uint8_t np;
	uint16_t off, min_len;
};

enum {
	RAW_FAST_NONE,		/* summary_add_raw()'s */
	RAW_FAST_FIRST8,	/* the first parameter, 8 bytes */
	RAW_FAST_FIRST4S,	/* 4 bytes, signed */
	RAW_FAST_FIRST4U,	/* 4 bytes, unsigned */
	RAW_FAST_NORES,		/* no result */
};

/* Filled by summary_new() (and by the first raw_*() call). */
extern struct raw_type summary__raw_types[KSCAP_EV_MAX];
/* A generic enter's and exit's parameter lengths as a 4-byte load sees
 * them (ID, nativeID; ID, res) when both are the sizes the fast path
 * reads (2 and 2; 2 and 8), else 0: the fast path never matches. */
extern uint32_t summary__gen_e_lens, summary__gen_x_lens;

static inline uint16_t sr_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t sr_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t sr_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The header's fields the fast path reads. */
#define SR_LEN(ev)	sr_ld32((const uint8_t *)(ev) + offsetof(struct kscap_evt_hdr, len))
#define SR_NP(ev)	sr_ld32((const uint8_t *)(ev) + offsetof(struct kscap_evt_hdr, nparams))

/*
 * A generic enter's scap code and native number as latency_gen() packs
 * them: in the usual layout, the two values as they lie (little-endian);
 * else as raw_generic_enter() reads them. Every byte read is within hdr.len.
 */
static inline __attribute__((always_inline)) uint32_t summary_raw_generic_enter(const void *ev)
{
	const uint8_t *b = ev;
	int32_t nr;
	uint16_t id;

	if (__builtin_expect(SR_NP(b) == 2 &&
			     SR_LEN(b) >= KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE + 4 &&
			     sr_ld32(b + KSCAP_HDR_LEN) == summary__gen_e_lens, 1)) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* scap code, then native number: latency_gen() in one load */
		return sr_ld32(b + KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE);
#else
		return latency_gen(sr_ld16(b + KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE + 2),
				   sr_ld16(b + KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE));
#endif
	}
	return raw_generic_enter(ev, &nr, &id) ? LATENCY_NO_GEN : latency_gen(nr, id);
}

/*
 * hist_bucket(): below 16 ns one bucket per ns, then 16 per power of two.
 * With e the top bit of ns (>= 4) and sh = e - 4, ns >> sh is 16 + the 4
 * bits below the top one, so the bucket is 16 * sh + (ns >> sh); below 16,
 * ns | 16 makes sh 0 and the bucket ns. No branch.
 */
static inline unsigned int summary__hist_bucket(uint64_t ns)
{
	unsigned int sh = 59 - (unsigned int)__builtin_clzll(ns | 16);

	return (sh << 4) + (unsigned int)(ns >> sh);
}

/* One exit of a known row, without error, counted. */
static inline __attribute__((always_inline))
void summary__count_ok(struct sc_stats *st, int has_lat, uint64_t lat_ns)
{
	st->calls++;
	if (has_lat) {
		st->hist[summary__hist_bucket(lat_ns)]++;
		if (lat_ns < st->min_ns)
			st->min_ns = lat_ns;
		if (lat_ns > st->max_ns)
			st->max_ns = lat_ns;
		st->timed++;
		st->total_ns += lat_ns;
	}
}

/* What summary_feed_raw() leaves to summary_add_raw(). */
struct summary_slow {
	struct latency_ev enter;	/* the thread's pending enter */
	int has_lat;
	uint64_t lat_ns;
};

/* @tid's slot if the last event was that thread's (events come in runs
 * of one thread), else NULL: then latency__slot_of() looks it up. */
static inline struct latency_slot *latency_last(struct latency *l, uint64_t tid)
{
	struct latency_slot *sl = l->last;

	return sl->tid == tid ? sl : NULL;
}

/* @tid's slot if the event before the last one's was that thread's (two
 * threads taking turns, or two CPUs' events merged): it becomes the last
 * one's. Else NULL. */
static inline struct latency_slot *latency_prev(struct latency *l, uint64_t tid)
{
	struct latency_slot *sl = l->prev;

	if (sl->tid != tid)
		return NULL;
	l->prev = l->last;
	l->last = sl;
	return sl;
}

/*
 * One event read raw (of @type, at @hdr, hdr.len bytes, the header and
 * parameter count checked), its thread's slot @sl (NULL: none yet;
 * latency_last()), as latency_feed_ev() and, for an exit that passed the
 * filter (@match), summary_add_raw() take it: paired with its enter, and
 * counted if it is the common case (a call that did not fail, its row
 * known, its result where the type says). Returns true if done; false:
 * an exit that summary_add_raw() must count, its arguments in @slow.
 * Not for the thread table's events (KSCAP_EF_PROC_STATE: procexit frees
 * its thread's slot): they go the decoded way, latency_feed().
 */
static inline __attribute__((always_inline))
bool summary_feed_raw(struct summary *s, struct latency *l, struct latency_slot *sl,
		      const void *hdr, unsigned int type, int match, struct summary_slow *slow)
{
	const struct kscap_evt_hdr *h = hdr;
	const uint8_t *b = hdr;
	const struct raw_type *rt;
	uint64_t ts = h->ts, lat_ns;
	struct sc_stats *st;
	int64_t ret;

	if (!KSCAP_EV_IS_EXIT(type)) {
		if (__builtin_expect(!sl, 0)) {
			sl = latency__insert(l, h->tid);
			if (!sl)
				return true;
		}
		sl->ts = ts;
		sl->expect = (uint16_t)(type + 1);
		/* (its numbers only name a generic enter's exit) */
		if (type == KSCAP_EV_GENERIC_E)
			sl->gen = summary_raw_generic_enter(hdr);
		return true;
	}
	if (__builtin_expect(!sl || sl->expect != type || ts < sl->ts, 0)) {
		/* not paired: the thread's last enter, whatever it was */
		if (!match)
			return true;
		sl = sl && sl->expect ? sl : NULL;
		slow->enter.type = sl ? (uint16_t)(sl->expect - 1) : 0;
		slow->enter.nr = sl ? latency_gen_nr(sl->gen) : -1;
		slow->enter.id = sl ? latency_gen_id(sl->gen) : 0;
		slow->has_lat = 0;
		slow->lat_ns = 0;
		return false;
	}
	lat_ns = ts - sl->ts;
	sl->expect = 0;
	if (!match)
		return true;
	if (type == KSCAP_EV_GENERIC_X) {
		/* named by its own enter: the row of that native number */
		uint32_t key = sl->gen;
		const struct summary_gen *g = &s->gen[(key >> 16) % SUMMARY_GEN_ROWS];

		if (SR_NP(b) != 2 || SR_LEN(b) < KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE + 10 ||
		    sr_ld32(b + KSCAP_HDR_LEN) != summary__gen_x_lens ||
		    sr_ld16(b + KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE) != (uint16_t)key ||
		    g->key != key || key == LATENCY_NO_GEN)
			goto slow;
		st = g->row;
		ret = (int64_t)sr_ld64(b + KSCAP_HDR_LEN + 2 * KSCAP_PARAM_LEN_SIZE + 2);
		goto count;
	}
	rt = &summary__raw_types[type];
	st = s->type_row[type];
	switch (rt->fast) {
	case RAW_FAST_FIRST8:
		/* the first parameter where the table puts it */
		if (!st || SR_NP(b) != rt->np || SR_LEN(b) < rt->min_len ||
		    sr_ld16(b + KSCAP_HDR_LEN) != 8)
			goto slow;
		ret = (int64_t)sr_ld64(b + rt->off);
		break;
	case RAW_FAST_FIRST4S:
	case RAW_FAST_FIRST4U:
		if (!st || SR_NP(b) != rt->np || SR_LEN(b) < rt->min_len ||
		    sr_ld16(b + KSCAP_HDR_LEN) != 4)
			goto slow;
		ret = rt->fast == RAW_FAST_FIRST4S ? (int64_t)(int32_t)sr_ld32(b + rt->off) :
						     (int64_t)sr_ld32(b + rt->off);
		break;
	case RAW_FAST_NORES:
		if (!st)
			goto slow;
		ret = 0;
		break;
	default:
		goto slow;
	}
count:
	if (__builtin_expect(ret < 0 && ret >= -4095, 0))
		goto slow;	/* failed: its errno counted there */
	summary__count_ok(st, 1, lat_ns);
	return true;
slow:
	slow->enter.type = (uint16_t)(type - 1);
	slow->enter.nr = latency_gen_nr(sl->gen);
	slow->enter.id = latency_gen_id(sl->gen);
	slow->has_lat = 1;
	slow->lat_ns = lat_ns;
	return false;
}

/* Before a batch of summary_feed_raw(): the syscall numbering may
 * have changed (--arch, a file's): generic rows found anew. */
void summary_raw_sync(struct summary *s);

#endif
