// SPDX-License-Identifier: MIT
/* Events of all CPUs come out in timestamp order. */
#include "test.h"
#include "evbuild.h"
#include "fakedev.h"

static struct evb b;
static struct kscap *h;

static int setup(void **state)
{
	fakedev_init(3, 8192);
	return kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interleaved_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(one_ring_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(late_arrivals, setup, teardown),
		cmocka_unit_test_setup_teardown(many_events_stay_sorted, setup, teardown),
	};

	return RUN(tests);
}
