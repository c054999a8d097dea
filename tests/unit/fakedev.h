/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the kscap module behind libkscap's system call layer:
 * per-CPU rings in memory (mapped twice in a row, like the real ones),
 * status and consumer pages, the ioctls, and an eventfd for poll().
 * The test plays the producer with fakedev_produce().
 */
#ifndef FAKEDEV_H
#define FAKEDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "internal.h"

#define FAKEDEV_PATH	"/fake/kscap"

struct fakedev {
	unsigned int ncpus;
	uint64_t ring_size;
	uint32_t version;		/* what GET_VERSION answers */
	int open_errno;			/* nonzero: open() fails with it */
	size_t stats_size;		/* the one GET_STATS size answered; 0: now's */
	/* state the ioctls leave */
	bool enabled;
	uint8_t mask[KSCAP_MASK_BYTES];
	unsigned int snaplen, wakeup;
	unsigned int ioctls;		/* calls seen */
	int poll_timeout;		/* timeout of the last poll() */
	unsigned int polls;
	/* memory */
	uint8_t *status, *cons;
	uint8_t *data[8];		/* each 2 * ring_size, double-mapped */
	bool offline[8];		/* no ring: mmap fails with ENODEV */
	int efd;			/* the "device" fd: an eventfd */
	unsigned int mapped;		/* live mappings */
	struct kscap_counters counters;
};

/* The fake the system call layer talks to (one at a time). */
extern struct fakedev fakedev;
extern const struct kscap_sys fakedev_sys;

/* Reset with @ncpus rings of @ring_size bytes (a power of two). */
void fakedev_init(unsigned int ncpus, uint64_t ring_size);
void fakedev_fini(void);

/* Append an event to @cpu's ring; false if it does not fit. */
bool fakedev_produce(unsigned int cpu, const void *ev, uint32_t len);
/* Raw access for corruption tests. */
uint64_t fakedev_head(unsigned int cpu);
uint64_t fakedev_tail(unsigned int cpu);
void fakedev_set_head(unsigned int cpu, uint64_t head);
/* Make poll() report POLLIN (or stop reporting it). */
void fakedev_signal(bool ready);

#endif
