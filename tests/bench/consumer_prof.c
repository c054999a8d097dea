// SPDX-License-Identifier: MIT
/*
 * scapdump's live path on the unit tests' fake device (linked with
 * --wrap=kscap_open), for counting a consumer's instructions per event
 * on the host (consumer-prof.sh). Every event is in the ring before
 * scapdump reads, on one CPU as in the icount bench, so that batches are
 * full and nothing depends on thread timing.
 *
 *   PROF_EVENTS=N   events (default 100000; the ring holds 8 MiB)
 *   PROF_MIX=mix    getppid, open+close, read 4 KiB in turns, one thread
 *   PROF_MIX=getppid  generic events only
 *   PROF_MIX=pipe   two threads taking turns: write, then a read that
 *                   blocks until the other's write (read exits of the
 *                   other thread in between)
 */
#include <stdlib.h>
#include <string.h>
#include "evbuild.h"
#include "fakedev.h"

int __wrap_kscap_open(const char *path, struct kscap **out);

#define NR_GETPPID	110

static struct evb b;
static uint8_t data[64];

static void put(const uint8_t *raw, uint32_t len)
{
	if (!fakedev_produce(0, raw, len))
		abort();	/* more than the ring holds: fewer events */
}

/* The event built in b, into the ring. */
static void put_built(void)
{
	uint32_t len;
	const uint8_t *raw = evb_end(&b, &len);

	put(raw, len);
}

static void getppid_call(uint64_t ts, uint64_t tid)
{
	evb_start(&b, KSCAP_EV_GENERIC_E, ts, tid);
	evb_u16(&b, 0);
	evb_u16(&b, NR_GETPPID);
	put_built();
	evb_start(&b, KSCAP_EV_GENERIC_X, ts + 300, tid);
	evb_u16(&b, 0);
	evb_u64(&b, 99);
	put_built();
}

static void read_enter(uint64_t ts, uint64_t tid)
{
	evb_start(&b, KSCAP_EV_READ_E, ts, tid);
	evb_u64(&b, 3);
	evb_u32(&b, sizeof(data));
	put_built();
}

static void read_exit(uint64_t ts, uint64_t tid)
{
	uint32_t len;
	const uint8_t *raw = ev_read_x(&b, ts, tid, sizeof(data), data, sizeof(data), &len);

	put(raw, len);
}

static void produce(unsigned long n, const char *mix)
{
	uint64_t ts = 1700000000000000000ULL, tid = 100, other = 101, t;
	unsigned long i = 0, k;
	const uint8_t *raw;
	uint32_t len;

	if (!strcmp(mix, "getppid")) {
		for (; i < n; i += 2, ts += 3000)
			getppid_call(ts, tid);
	} else if (!strcmp(mix, "pipe")) {
		read_enter(ts, other);
		for (; i < n; i += 4, ts += 1000) {
			evb_start(&b, KSCAP_EV_WRITE_E, ts, tid);
			evb_u64(&b, 4);
			evb_u32(&b, sizeof(data));
			put_built();
			evb_start(&b, KSCAP_EV_WRITE_X, ts + 500, tid);
			evb_u64(&b, sizeof(data));
			evb_raw(&b, data, sizeof(data));
			put_built();
			read_enter(ts + 600, tid);
			read_exit(ts + 900, other);
			t = tid;
			tid = other;
			other = t;
		}
	} else {
		for (k = 0; i < n; i += 2, k++, ts += 3000) {
			switch (k % 4) {
			case 0:
				getppid_call(ts, tid);
				break;
			case 1:
				/* one open in 50 fails */
				evb_start(&b, KSCAP_EV_OPEN_E, ts, tid);
				put_built();
				raw = ev_open_x(&b, ts + 1500, tid, k % 200 == 1 ? -2 : 3, "/etc/hosts",
						&len);
				put(raw, len);
				break;
			case 2:
				evb_start(&b, KSCAP_EV_CLOSE_E, ts, tid);
				evb_u64(&b, 3);
				put_built();
				evb_start(&b, KSCAP_EV_CLOSE_X, ts + 500, tid);
				evb_u64(&b, 0);
				put_built();
				break;
			default:
				read_enter(ts, tid);
				read_exit(ts + 800, tid);
				break;
			}
		}
	}
	__atomic_store_n(&fakedev.counters.written, i, __ATOMIC_RELEASE);
	fakedev_signal(true);
}

int __wrap_kscap_open(const char *path, struct kscap **out)
{
	const char *n = getenv("PROF_EVENTS"), *mix = getenv("PROF_MIX");
	int rc;

	fakedev_init(1, 1 << 23);
	rc = kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, out);
	if (!rc)
		produce(n ? strtoul(n, NULL, 10) : 100000, mix ? mix : "mix");
	return rc;
}
