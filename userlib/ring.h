/* SPDX-License-Identifier: MIT */
/*
 * One CPU's ring as the consumer sees it, and the device handle that owns
 * them. Private to the library.
 */
#ifndef KSCAP_RING_H
#define KSCAP_RING_H

#include "internal.h"

struct kscap_ring {
	const uint8_t *data;			/* 2 * size bytes, NULL: no ring */
	uint64_t size;
	const struct kscap_status_page *status;	/* the producer's head */
	struct kscap_consumer_slot *cons;	/* our tail, for the kernel */
	uint64_t tail;		/* released up to here */
	uint64_t pos;		/* the next event to read starts here */
	uint64_t head;		/* the head last loaded */
	const uint8_t *front;	/* the event at pos, its length checked */
	uint64_t front_ts;
	uint32_t front_len;
	uint64_t last_ts;	/* of the last event taken from this ring */
	int late;		/* no ring at open (CPU offline): map it once it has data */
};

/* Map @cpu's ring and start reading it; -errno if it has none. */
int kscap__map_ring(struct kscap *h, unsigned int cpu);

/*
 * The run: events taken from one ring, one after the other, without a
 * look at the others (ring.c says when that keeps the order). While a
 * run lasts, its ring's read position lives here, as a pointer into the
 * ring's mapping.
 */
struct kscap_run {
	const uint8_t *p;	/* the next event starts here */
	const uint8_t *limit;	/* the run takes events that end by here */
	uint64_t bound;		/* ... and are stamped no later than this */
	const uint8_t *last;	/* the last event taken; NULL: none */
	const uint8_t *start;	/* where the run started, */
	uint64_t pos0;		/* ... at this ring position */
	struct kscap_ring *ring;	/* NULL: no run (p at a header that fails) */
	unsigned int cpu;
	/* for run_swap(): the ring whose front is the bound, if it is one */
	unsigned int next_cpu;
	struct kscap_ring *next;
	uint64_t bound2;	/* the bound without the run's ring and next */
};

struct kscap {
	/* first: what kscap_next_raw() reads for every event */
	struct kscap_run run;
	const struct kscap_sys *sys;
	int fd;
	struct kscap_geometry geo;
	uint32_t abi_version;		/* the module's */
	void *status_map;
	void *cons_map;
	struct kscap_ring *rings;	/* geo.ncpus of them */
	uint64_t run_max;		/* bytes a run takes at most */
	uint64_t corrupt;
	/* kscap_next_raw_batch() */
	bool in_batch;			/* taking a batch: releases wait */
	bool holding;			/* rings hold what a batch handed out */
	int pending;			/* an error met after a batch's first event */
	/* the reorder window (ring.c) */
	uint64_t window;		/* ns; 0: off */
	bool stopped;			/* capture stopped: every event is in */
	int64_t clk_off;		/* event clock - CLOCK_MONOTONIC, at least */
	uint64_t horizon;		/* events up to here are old enough */
	uint64_t held_ts;		/* the event last held back, 0: none */
};

/* 10 ms: far longer than a probe takes from its timestamp to its commit,
 * even on a loaded virtual machine. */
#define KSCAP_REORDER_WINDOW_NS	10000000ULL

void ring_init(struct kscap_ring *r, const void *data, uint64_t size,
	       const void *status, void *cons);

/*
 * Outside the read calls (kscap_wait() before it sleeps, and
 * kscap__ring_config()): end the run and give the kernel
 * back every byte read, except the event last returned (and a batch's),
 * which stay valid until the next read call.
 */
void kscap__ring_settle(struct kscap *h);
/* At open, and when the reorder window or the capture's state changed:
 * what runs may take (a run under the old settings ends, settled). */
void kscap__ring_config(struct kscap *h);
/* kscap_close(): every byte read goes back. */
void kscap__ring_release_all(struct kscap *h);

#endif /* KSCAP_RING_H */
