// SPDX-License-Identifier: MIT
/*
 * ringbench: what libkscap's ring reading costs per event, on the fake
 * device, in instructions (ringbench.sh runs it under callgrind and
 * counts only consume()). Not a test: numbers for the read path's
 * changes, on the host, without a VM.
 *
 *   ringbench MODE [raw|next|batch]
 *
 *   drained    1 ring; 64 KiB of events published, read until none is
 *              left, again (the icount bench: one vCPU, a consumer woken
 *              at the module's default threshold)
 *   small      1 ring; 4 events per refill
 *   inter      2 rings, their events interleaved (a run of one each)
 *   idle       2 rings, one of them idle: the reorder window decides
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "evbuild.h"
#include "fakedev.h"

static struct evb b;
static struct kscap *h;
static const char *how = "raw";

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* getppid's enter event, as the module writes it */
static void produce(unsigned int cpu, uint64_t ts)
{
	uint32_t len;
	const uint8_t *raw = ev_generic_e(&b, ts, 100 + cpu, 1, 110, &len);

	if (!fakedev_produce(cpu, raw, len))
		abort();
}

/* Read until nothing is ready: the part callgrind counts. */
static __attribute__((noinline)) uint64_t consume(void)
{
	static const struct kscap_evt_hdr *evs[256];
	static struct kscap_evt evt;
	const struct kscap_evt_hdr *ev;
	uint64_t n = 0;
	int rc;

	if (how[0] == 'b') {
		while ((rc = kscap_next_raw_batch(h, evs, NULL, 256)) > 0)
			n += (uint64_t)rc;
	} else if (how[0] == 'n') {
		while ((rc = kscap_next(h, &evt, NULL)) > 0)
			n++;
	} else {
		while ((rc = kscap_next_raw(h, &ev, NULL)) > 0)
			n++;
	}
	if (rc < 0)
		abort();
	return n;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "drained";
	uint64_t ts, n = 0, made = 0;
	unsigned int round, i, per;

	if (argc > 2)
		how = argv[2];
	fakedev_init(2, 1 << 20);
	if (kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h))
		abort();
	ts = now_ns() - 1000000000ULL;
	for (round = 0; round < 200; round++) {
		if (!strcmp(mode, "drained") || !strcmp(mode, "small")) {
			per = mode[0] == 'd' ? 65536 / 36 : 4;
			for (i = 0; i < per; i++)
				produce(0, ts++);
			made += per;
		} else if (!strcmp(mode, "inter")) {
			for (i = 0; i < 1000; i++)
				produce(i & 1, ts++);
			made += 1000;
		} else if (!strcmp(mode, "idle")) {
			/* one event on the idle CPU, long ago, then a busy one;
			 * all of it older than the window */
			if (!round) {
				produce(1, ts++);
				made++;
			}
			for (i = 0; i < 1000; i++)
				produce(0, ts++);
			made += 1000;
		} else {
			fprintf(stderr, "ringbench: unknown mode %s\n", mode);
			return 2;
		}
		n += consume();
	}
	if (kscap_stop(h))
		abort();
	n += consume();
	printf("ringbench %s %s: %llu events of %llu\n", mode, how,
	       (unsigned long long)n, (unsigned long long)made);
	kscap_close(h);
	fakedev_fini();
	return n == made ? 0 : 1;
}
