// SPDX-License-Identifier: GPL-2.0
/*
 * badtail: the kernel must not trust the consumer's tail. With a full
 * ring, write tails that are invalid (ahead of head, garbage, behind the
 * last valid tail): each must be counted in bad_tail and ignored, so the
 * ring stays as full as it was and its bytes stay untouched. A valid tail
 * afterwards frees space and capture resumes.
 *
 *   badtail RING_SIZE      (the module loaded with a small ring_size)
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "kt.h"

#define FILL 30000
#define POKE 300

static struct kt_dev d;
static unsigned int cpu;
static unsigned char *snap;

static const unsigned char *at(u64 pos)
{
	return d.data[cpu] + (pos & (d.g.ring_size - 1));
}

static void fill(const char *when)
{
	struct kscap_counters c0, c1;

	kt_stats(&d, cpu, &c0);
	kt_getppid_storm(FILL);
	kt_stats(&d, cpu, &c1);
	KT_CHECK(kt_drops_full(&c1) > kt_drops_full(&c0), "%s: %d calls did not fill the ring",
		 when, FILL);
}

/*
 * With the tail set to @bad, more calls must count bad_tail, drop (the
 * ring is still full) and leave [from, head) exactly as it was.
 */
static void try_bad_tail(u64 bad, u64 from, const char *what)
{
	struct kscap_counters c0, c1;
	u64 head = kt_head(&d, cpu), head1;

	memcpy(snap, at(from), head - from);
	kt_stats(&d, cpu, &c0);
	kt_set_tail(&d, cpu, bad);
	kt_getppid_storm(POKE);
	kt_stats(&d, cpu, &c1);
	head1 = kt_head(&d, cpu);
	kt_log("tail %s (0x%llx): bad_tail +%llu, drops_full +%llu, head +%llu", what,
	       (unsigned long long)bad, (unsigned long long)(c1.bad_tail - c0.bad_tail),
	       (unsigned long long)(kt_drops_full(&c1) - kt_drops_full(&c0)),
	       (unsigned long long)(head1 - head));
	KT_CHECK(c1.bad_tail > c0.bad_tail, "tail %s (0x%llx): bad_tail did not grow", what,
		 (unsigned long long)bad);
	KT_CHECK(kt_drops_full(&c1) >= kt_drops_full(&c0) + POKE,
		 "tail %s: the ring took events, as if the bad tail had freed space (drops_full +%llu for %d calls)",
		 what, (unsigned long long)(kt_drops_full(&c1) - kt_drops_full(&c0)), POKE);
	KT_CHECK(head1 - from <= d.g.ring_size, "tail %s: head moved %llu bytes past the last valid tail",
		 what, (unsigned long long)(head1 - from));
	KT_CHECK(!memcmp(snap, at(from), head - from), "tail %s: the ring's published bytes changed", what);
	kt_walk(&d, cpu, from, head1, NULL, NULL);
}

struct find {
	u64 want, found;
};

static void find_cb(const struct kt_ev *ev, void *arg)
{
	struct find *f = arg;

	if (!f->found && ev->pos >= f->want)
		f->found = ev->pos;
}

int main(int argc, char **argv)
{
	struct kscap_counters c0, c1;
	struct kt_ppid a;
	struct find f;
	u64 t0, h;

	KT_CHECK(argc == 2, "usage: badtail RING_SIZE");
	kt_open(&d);
	KT_CHECK(d.g.ring_size == strtoull(argv[1], NULL, 0), "ring_size %llu, the module was loaded with %s",
		 (unsigned long long)d.g.ring_size, argv[1]);
	snap = malloc(d.g.ring_size);
	KT_CHECK(snap, "out of memory");
	cpu = kt_pick_cpu();
	kt_pin(cpu);
	t0 = kt_tail(&d, cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");

	fill("first fill");
	kt_walk(&d, cpu, t0, kt_head(&d, cpu), NULL, NULL);
	try_bad_tail(kt_head(&d, cpu) + 4096, t0, "ahead of head");
	try_bad_tail(0xdeadbeefdeadbeefULL, t0, "garbage");
	try_bad_tail(kt_head(&d, cpu) + d.g.ring_size, t0, "a ring ahead");

	/* A valid tail half way: accepted, space comes back. */
	memset(&f, 0, sizeof(f));
	f.want = t0 + d.g.ring_size / 2;
	h = kt_head(&d, cpu);
	kt_walk(&d, cpu, t0, h, find_cb, &f);
	KT_CHECK(f.found, "no event past the ring's middle");
	/*
	 * Tail first, then the counters: the GET_STATS call is itself an
	 * event, whose space check would still see the previous (bad) tail.
	 */
	kt_set_tail(&d, cpu, f.found);
	kt_stats(&d, cpu, &c0);
	kt_getppid_storm(POKE);
	kt_stats(&d, cpu, &c1);
	KT_CHECK(c1.bad_tail == c0.bad_tail, "valid tail %llu (an event boundary in [tail, head]) counted as bad",
		 (unsigned long long)f.found);
	KT_CHECK(kt_head(&d, cpu) > h, "valid tail half way: no event written after it");
	kt_walk(&d, cpu, f.found, kt_head(&d, cpu), NULL, NULL);

	/* Full again; now a tail behind the one the kernel last accepted. */
	fill("second fill");
	try_bad_tail(f.found - 64, f.found, "behind the last valid tail");
	try_bad_tail(t0, f.found, "back at the start");

	/* A valid tail (everything consumed): capture resumes in full. */
	h = kt_head(&d, cpu);
	kt_set_tail(&d, cpu, h);
	kt_stats(&d, cpu, &c0);
	kt_getppid_storm(100);
	kt_stats(&d, cpu, &c1);
	kt_ppid_init(&a, kt_gettid(), cpu);
	kt_ppid_count(&d, &a, h, kt_head(&d, cpu));
	KT_CHECK(c1.bad_tail == c0.bad_tail, "tail = head counted as bad");
	KT_CHECK(a.enters == 100 && a.exits == 100,
		 "after a valid tail: %llu/%llu getppid enters/exits, want 100",
		 (unsigned long long)a.enters, (unsigned long long)a.exits);

	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
