// SPDX-License-Identifier: MIT
/* Events of all CPUs come out in timestamp order; the reorder window
 * holds an event back while another CPU may still publish an older one. */
#include <time.h>
#include "test.h"
#include "evbuild.h"
#include "fakedev.h"
#include "ring.h"

static struct evb b;
static struct kscap *h;

/* The merge alone: no reorder window. */
static int setup(void **state)
{
	fakedev_init(3, 8192);
	if (kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h))
		return -1;
	return kscap_set_reorder_window(h, 0);
}

/* The library's default window. */
static int setup_window(void **state)
{
	fakedev_init(3, 8192);
	return kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static int teardown(void **state)
{
	kscap_close(h);
	fakedev_fini();
	return 0;
}

static void produce(unsigned int cpu, uint64_t ts)
{
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_CLOSE_E, ts, 100 + cpu);
	evb_u64(&b, ts);
	raw = evb_end(&b, &len);
	assert_true(fakedev_produce(cpu, raw, len));
}

static void interleaved_rings(void **state)
{
	static const uint64_t ts[3][4] = {
		{ 1, 5, 9, 12 }, { 2, 3, 10, 11 }, { 4, 6, 7, 8 },
	};
	struct kscap_evt evt;
	unsigned int cpu, i;
	uint64_t want;

	for (cpu = 0; cpu < 3; cpu++)
		for (i = 0; i < 4; i++)
			produce(cpu, ts[cpu][i]);
	for (want = 1; want <= 12; want++) {
		assert_int_equal(kscap_next(h, &evt, &cpu), 1);
		assert_int_equal(evt.ts, want);
		assert_int_equal(evt.tid, 100 + cpu);	/* from the right ring */
	}
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

static void one_ring_empty(void **state)
{
	struct kscap_evt evt;
	unsigned int cpu;

	produce(2, 20);
	produce(0, 10);
	produce(2, 30);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(cpu, 0);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(evt.ts, 20);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(evt.ts, 30);
	assert_int_equal(cpu, 2);
}

/* A ring's front event waits while older ones keep arriving elsewhere. */
static void late_arrivals(void **state)
{
	struct kscap_evt evt;

	produce(0, 50);
	produce(1, 10);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 10);
	produce(1, 20);
	produce(2, 30);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 20);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 30);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 50);
	/* only the returned events were released: cpu 0's is now */
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
}

static void many_events_stay_sorted(void **state)
{
	struct kscap_evt evt;
	uint64_t last = 0, n = 0, produced = 0, ts = 1;
	unsigned int round, cpu;

	for (round = 0; round < 200; round++) {
		/* each CPU's own events are in order; the rings interleave */
		for (cpu = 0; cpu < 3; cpu++) {
			unsigned int k = (round * 7 + cpu * 3) % 5;

			while (k--) {
				produce(cpu, ts);
				ts += 1 + (cpu + round) % 3;
				produced++;
			}
		}
		while (kscap_next(h, &evt, NULL) == 1) {
			assert_true(evt.ts >= last);
			last = evt.ts;
			n++;
		}
	}
	assert_int_equal(n, produced);
}

/*
 * kscap_next_raw() in long runs (bursts of up to 60 events a CPU, longer
 * than a run goes on an 8 KiB ring) and short ones, with the window off
 * (setup) and on (setup_window, events stamped long ago): the order holds
 * across runs, and every event comes out.
 */
static void raw_runs_stay_sorted(void **state)
{
	const struct kscap_evt_hdr *ev;
	uint64_t last = 0, n = 0, produced = 0, ts = now_ns() - 1000000000ULL;
	unsigned int round, cpu, k;
	int rc;

	for (round = 0; round < 100; round++) {
		for (cpu = 0; cpu < 3; cpu++) {
			k = (round * 13 + cpu * 29) % 61;
			while (k--) {
				produce(cpu, ts);
				/* the CPUs' stamps interleave, and sometimes tie */
				ts += (round + k) % 4 ? 0 : 1 + cpu;
				produced++;
			}
			ts -= 40;
		}
		ts += 200;
		while ((rc = kscap_next_raw(h, &ev, &cpu)) == 1) {
			assert_true(ev->ts >= last);
			assert_int_equal(ev->tid, 100 + cpu);
			last = ev->ts;
			n++;
		}
		assert_int_equal(rc, 0);
	}
	/* what the window held back */
	assert_int_equal(kscap_stop(h), 0);
	while (kscap_next_raw(h, &ev, NULL) == 1) {
		assert_true(ev->ts >= last);
		last = ev->ts;
		n++;
	}
	assert_int_equal(n, produced);
}

/*
 * Two rings whose events interleave take turns (a run each, the next
 * starting at the other's front without a full pick), a third ring's
 * front stops the turns where it is older, and events published during
 * the turns come in their place. With the window off (setup) every event
 * comes out at once; with it on (setup_window; stamps 20 ms apart) some
 * wait, until kscap_stop(): the order is the same.
 */
static void turns_respect_the_other_rings(void **state)
{
	static const uint64_t r0[] = { 10, 30, 50, 70 }, r1[] = { 20, 40, 60, 80 };
	static const uint64_t want[] = { 10, 20, 30, 40, 45, 50, 60, 65, 70, 75, 80, 90 };
	const uint64_t u = 20000000;
	const struct kscap_evt_hdr *evs[16], *ev;
	uint64_t base = now_ns() - 1000000000ULL;
	bool stopped = false;
	unsigned int i, k;
	int rc;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < 4; i++) {
			produce(0, base + r0[i] * u);
			produce(1, base + r1[i] * u);
		}
		produce(2, base + 45 * u);
		for (i = 0; i < 12;) {
			if (i == 5) {
				/* published after the pick */
				produce(2, base + 65 * u);
				produce(1, base + 90 * u);
				produce(0, base + 75 * u);
			}
			if (!k) {
				rc = kscap_next_raw(h, &ev, NULL);
			} else {
				rc = kscap_next_raw_batch(h, evs, NULL, 1);
				ev = evs[0];
			}
			if (!rc && !stopped) {
				/* held back: the window is on */
				assert_true(h->window != 0);
				assert_int_equal(kscap_stop(h), 0);
				stopped = true;
				continue;
			}
			assert_int_equal(rc, 1);
			assert_int_equal(ev->ts, base + want[i] * u);
			i++;
		}
		assert_int_equal(kscap_next_raw(h, &ev, NULL), 0);
		if (stopped) {
			assert_int_equal(kscap_start(h), 0);
			stopped = false;
		}
		base += 100 * u;
	}
}

/*
 * CPU 1 stamps an event (90) before CPU 0 stamps its own (100) but
 * commits it after CPU 0 has: 100 must not go out first.
 */
static void out_of_order_commit_is_reordered(void **state)
{
	struct kscap_evt evt;
	unsigned int cpu;

	produce(2, 500);
	produce(0, 100);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);	/* 1 may still publish */
	produce(1, 90);					/* the late commit */
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(evt.ts, 90);
	assert_int_equal(cpu, 1);
	/* 1 has been read up to 90 only: 100 waits for the window */
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	produce(1, 150);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 100);
	/* now 0 is idle at 100: 150 waits */
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	produce(0, 160);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 150);
}

/* When no ring catches up, the window's bound lets the event out, and
 * kscap_wait() sleeps until then instead of polling a ready device. */
static void window_bound_lets_out(void **state)
{
	struct kscap_evt evt;
	unsigned int polls = fakedev.polls;
	uint64_t t0;

	assert_int_equal(kscap_set_reorder_window(h, 20000000), 0);	/* 20 ms */
	produce(0, 100);
	t0 = now_ns();
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(kscap_wait(h, 1000), 1);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 100);
	assert_true(now_ns() - t0 >= 20000000);
	assert_true(now_ns() - t0 < 500000000);
	assert_int_equal(fakedev.polls, polls);
	/* a wait shorter than the window returns at its timeout */
	produce(0, 200000000);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(kscap_wait(h, 1), 1);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(kscap_set_reorder_window(h, 11000000000ULL), -EINVAL);
}

/* A run of one ring's events stops where the window says, too. */
static void run_stops_at_idle_ring(void **state)
{
	struct kscap_evt evt;
	static const uint64_t want[] = { 10, 15 };
	unsigned int i;

	produce(1, 15);
	produce(2, 1000);
	produce(0, 10);
	produce(0, 20);
	produce(0, 30);
	for (i = 0; i < 2; i++) {
		assert_int_equal(kscap_next(h, &evt, NULL), 1);
		assert_int_equal(evt.ts, want[i]);
	}
	/* 1 is read up to 15 only: 20 and 30 wait */
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	produce(1, 25);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 20);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 25);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

/* After kscap_stop() every event is in: nothing is held. */
static void stop_releases_everything(void **state)
{
	struct kscap_evt evt;

	produce(0, 100);
	produce(0, 200);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(kscap_stop(h), 0);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 100);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 200);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	/* started again: the window is back */
	assert_int_equal(kscap_start(h), 0);
	produce(0, 300);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interleaved_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(one_ring_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(late_arrivals, setup, teardown),
		cmocka_unit_test_setup_teardown(many_events_stay_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_runs_stay_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_runs_stay_sorted, setup_window, teardown),
		cmocka_unit_test_setup_teardown(turns_respect_the_other_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(turns_respect_the_other_rings, setup_window, teardown),
		cmocka_unit_test_setup_teardown(out_of_order_commit_is_reordered, setup_window, teardown),
		cmocka_unit_test_setup_teardown(window_bound_lets_out, setup_window, teardown),
		cmocka_unit_test_setup_teardown(run_stops_at_idle_ring, setup_window, teardown),
		cmocka_unit_test_setup_teardown(stop_releases_everything, setup_window, teardown),
	};

	return RUN(tests);
}
