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

struct kscap {
	const struct kscap_sys *sys;
	int fd;
	struct kscap_geometry geo;
	uint32_t abi_version;		/* the module's */
	void *status_map;
	void *cons_map;
	struct kscap_ring *rings;	/* geo.ncpus of them */
	int last;			/* ring of the event last returned, or -1 */
	unsigned int cur;		/* ring of the current run (ring_pick) */
	unsigned int run;		/* events the run may still take */
	uint64_t bound;			/* ... if no newer than this */
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

#endif /* KSCAP_RING_H */
