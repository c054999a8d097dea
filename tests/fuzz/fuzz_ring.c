// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: reading the rings (userlib/ring.c) when the kernel's
 * side of them is hostile. The fake device of the unit tests stands in
 * for the module; the input is a script of what the "kernel" publishes
 * (events mostly well framed, raw garbage, heads moved anywhere) and of
 * what the reader does (kscap_next_raw, kscap_next, batches, waits,
 * stop/start, window changes, a CPU coming online). Like the module, the
 * fake writes only into space the reader gave back.
 *
 * Byte 0: CPUs (1 + bits 0-1), ring of 4 or 8 KiB (bit 2), window off
 * (bit 3), the last CPU offline at open (bit 4). Then ops, one byte each
 * with its operands (see below).
 *
 * Errors may be -EBADMSG (corrupt data) or -EIO (a ring with data that
 * cannot be mapped: the fake's CPU still offline). Checked after every
 * read: what is handed out lies inside the ring's
 * mapping and passes the header checks kscap_next_raw() promises; every
 * byte of it is read (a fault past the mapping crashes the target). And
 * the reader never gives back more than the kernel published.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fakedev.h"
#include "kscap/libkscap.h"

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned int take(struct in *in, unsigned int bytes)
{
	unsigned int v = 0, i;

	for (i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (unsigned int)in->p[0] << (8 * i);
	return v;
}

static uint64_t max_head[8];

/* The CPU whose ring mapping holds @p. */
static unsigned int cpu_of(const void *p)
{
	const uint8_t *b = p;
	unsigned int c;

	for (c = 0; c < fakedev.ncpus; c++)
		if (b >= fakedev.data[c] && b < fakedev.data[c] + 2 * fakedev.ring_size)
			return c;
	abort();
}

static void check_event(const struct kscap_evt_hdr *ev, unsigned int cpu)
{
	const uint8_t *p = (const uint8_t *)ev, *d;
	volatile uint8_t sum = 0;
	uint64_t t, pos;
	uint32_t i;

	if (cpu >= fakedev.ncpus)
		abort();
	d = fakedev.data[cpu];
	if (p < d || p >= d + fakedev.ring_size || ev->len < KSCAP_HDR_LEN ||
	    ev->len > fakedev.ring_size || p + ev->len > d + 2 * fakedev.ring_size)
		abort();
	if (ev->type >= KSCAP_EV_MAX || ev->nparams > KSCAP_MAX_PARAMS ||
	    KSCAP_HDR_LEN + 2 * ev->nparams > ev->len ||
	    ev->nparams < kscap_event_table[ev->type].nparams || !kscap_event_table[ev->type].name)
		abort();
	/* still the reader's: between the tail it gave back and the head */
	t = fakedev_tail(cpu);
	pos = t + (((uint64_t)(p - d) - t) & (fakedev.ring_size - 1));
	if (pos + ev->len > max_head[cpu])
		abort();
	for (i = 0; i < ev->len; i++)
		sum += p[i];
	(void)sum;
}

static void check_tails(void)
{
	unsigned int c;

	for (c = 0; c < fakedev.ncpus; c++)
		if (fakedev_tail(c) > max_head[c])
			abort();
}

/*
 * The kernel writes only into free space: its head may be published
 * anywhere, but it never writes over what the reader holds (nothing can
 * be checked if it does). So no writes once the head was moved back or
 * out of range.
 */
static bool may_write(unsigned int cpu)
{
	return fakedev_head(cpu) == max_head[cpu] &&
	       fakedev_head(cpu) - fakedev_tail(cpu) <= fakedev.ring_size;
}

/* A header as the module writes it, with the fuzzer's type, parameter
 * count and length; the rest of the event is the input's bytes. */
static void produce(struct in *in, unsigned int cpu, uint64_t *ts)
{
	static uint8_t ev[2048];
	uint16_t type = (uint16_t)take(in, 1) | (uint16_t)((take(in, 1) & 1) << 8);
	uint32_t np = take(in, 1) % 24, len = KSCAP_HDR_LEN + 2 * np + take(in, 1);
	uint64_t tid = 7;
	uint32_t i;

	*ts += take(in, 1);
	memcpy(ev, ts, 8);
	memcpy(ev + 8, &tid, 8);
	memcpy(ev + 16, &len, 4);
	memcpy(ev + 20, &type, 2);
	memcpy(ev + 22, &np, 4);
	for (i = KSCAP_HDR_LEN; i < len; i++)
		ev[i] = (uint8_t)take(in, 1);
	if (may_write(cpu) && fakedev_produce(cpu, ev, len) && fakedev_head(cpu) > max_head[cpu])
		max_head[cpu] = fakedev_head(cpu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kscap_evt_hdr *evs[8], *ev;
	struct in in = { data, size };
	unsigned int cfg, ncpus, op, c, n, cpus[8];
	static struct kscap_evt evt;
	uint64_t ts[8] = { 0 };
	struct kscap *h;
	uint8_t garbage[256];
	int rc, i, ops = 0;

	if (size < 1)
		return 0;
	cfg = take(&in, 1);
	ncpus = 1 + (cfg & 3);
	fakedev_init(ncpus, 4096u << ((cfg >> 2) & 1));
	memset(max_head, 0, sizeof(max_head));
	if (cfg & 16)
		fakedev.offline[ncpus - 1] = true;
	if (kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h))
		abort();
	if ((cfg & 8) && kscap_set_reorder_window(h, 0))
		abort();
	while (in.n && ops++ < 2000) {
		op = take(&in, 1);
		c = (op >> 4) % ncpus;
		switch (op & 15) {
		case 0: case 1: case 2: case 3:
			produce(&in, c, &ts[c]);
			break;
		case 4:		/* garbage published as it is */
			n = take(&in, 1);
			for (i = 0; i < (int)n; i++)
				garbage[i] = (uint8_t)take(&in, 1);
			if (may_write(c) && fakedev_produce(c, garbage, n) &&
			    fakedev_head(c) > max_head[c])
				max_head[c] = fakedev_head(c);
			break;
		case 5: {	/* the head moved anywhere near, or anywhere */
			uint64_t hd = fakedev_head(c) + (int8_t)take(&in, 1);

			if (take(&in, 1) == 0xff)
				hd = (uint64_t)take(&in, 4) << 8;
			fakedev_set_head(c, hd);
			if (hd > max_head[c])
				max_head[c] = hd;
			break;
		}
		case 6: case 7: case 8:
			rc = kscap_next_raw(h, &ev, &n);
			if (rc == 1)
				check_event(ev, n);
			else if (rc && rc != -EBADMSG && rc != -EIO)
				abort();
			break;
		case 9:
			rc = kscap_next(h, &evt, &n);
			if (rc == 1 && cpu_of(evt.raw) != n)
				abort();
			break;
		case 10: case 11:
			rc = kscap_next_raw_batch(h, evs, (op & 1) ? cpus : NULL, 1 + (op >> 4) % 8);
			if (rc < 0 && rc != -EBADMSG && rc != -EIO)
				abort();
			for (i = 0; i < rc; i++) {
				check_event(evs[i], cpu_of(evs[i]));
				if ((op & 1) && cpus[i] != cpu_of(evs[i]))
					abort();
			}
			break;
		case 12:
			(void)kscap_wait(h, 0);
			break;
		case 13:
			if (op & 16)
				rc = kscap_stop(h);
			else
				rc = kscap_start(h);
			if (rc)
				abort();
			break;
		case 14:
			if (kscap_set_reorder_window(h, (op & 16) ? 0 : 10000000))
				abort();
			break;
		case 15:
			fakedev.offline[ncpus - 1] = false;
			break;
		}
		check_tails();
	}
	kscap_close(h);
	check_tails();
	fakedev_fini();
	return 0;
}
