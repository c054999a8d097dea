// SPDX-License-Identifier: MIT
/* Walking one ring: in-place reads, release on the next call (or a run
 * later), wrapped events, full rings, corrupt data. */
#include "test.h"
#include "evbuild.h"
#include "fakedev.h"

#define RING 4096

static struct evb b;
static struct kscap *h;

static int setup(void **state)
{
	fakedev_init(1, RING);
	return kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h);
}

static int teardown(void **state)
{
	kscap_close(h);
	fakedev_fini();
	return 0;
}

/* A close enter event: 26 + 2 + 8 = 36 bytes. */
static void produce_close(unsigned int cpu, uint64_t ts, int64_t fd)
{
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_CLOSE_E, ts, 7);
	evb_u64(&b, (uint64_t)fd);
	raw = evb_end(&b, &len);
	assert_true(fakedev_produce(cpu, raw, len));
}

static void empty_ring(void **state)
{
	struct kscap_evt evt;

	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

static void read_in_place_released_on_next(void **state)
{
	struct kscap_evt evt;
	unsigned int cpu = 99;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 10, 7, 3, "/etc/passwd", &len);

	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(cpu, 0);
	/* a pointer into the ring, not a copy */
	assert_ptr_equal(evt.raw, fakedev.data[0]);
	assert_string_equal((const char *)evt.params[1].val, "/etc/passwd");
	/* still ours until we ask for the next one */
	assert_int_equal(fakedev_tail(0), 0);
	assert_int_equal(kscap_next(h, &evt, &cpu), 0);
	assert_int_equal(fakedev_tail(0), len);
}

static void wrapped_event_is_contiguous(void **state)
{
	struct kscap_evt evt;
	char path[200];
	uint32_t len, i;
	const uint8_t *raw;

	/* 113 events of 36 bytes: head at 4068, 28 bytes before the end */
	for (i = 0; i < 113; i++)
		produce_close(0, i, i);
	for (i = 0; i < 113; i++) {
		assert_int_equal(kscap_next(h, &evt, NULL), 1);
		assert_int_equal(evt.ts, i);
	}
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	raw = ev_open_x(&b, 500, 7, 4, path, &len);
	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_ptr_equal(evt.raw, fakedev.data[0] + 113 * 36);
	assert_true(113 * 36 + evt.len > RING);	/* it does cross the end */
	assert_string_equal((const char *)evt.params[1].val, path);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(fakedev_tail(0), 113 * 36 + len);
}

static void full_ring_drains(void **state)
{
	struct kscap_evt evt;
	uint64_t ts = 0, seen = 0;
	int rounds;

	/* fill, drain, refill many times: positions run past the ring size */
	for (rounds = 0; rounds < 20; rounds++) {
		while (fakedev_head(0) - fakedev_tail(0) + 36 <= RING)
			produce_close(0, ts++, 1);
		while (kscap_next(h, &evt, NULL) == 1)
			assert_int_equal(evt.ts, seen++);
	}
	assert_int_equal(seen, ts);
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
	assert_true(fakedev_head(0) > 10 * RING);
}

static void corrupt_length_is_an_error(void **state)
{
	struct kscap_evt evt;
	uint32_t len, bad = RING + 100;
	uint8_t *raw;

	produce_close(0, 1, 3);
	raw = (uint8_t *)ev_open_x(&b, 2, 7, 3, "/x", &len);
	memcpy(raw + offsetof(struct kscap_evt_hdr, len), &bad, 4);
	assert_true(fakedev_produce(0, raw, len));
	produce_close(0, 3, 4);		/* lost with the bad one */

	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 1);
	assert_int_equal(kscap_next(h, &evt, NULL), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "cpu 0"));
	assert_int_equal(kscap_corrupt_count(h), 1);
	/* the ring was given back up to where the kernel had written */
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
	produce_close(0, 4, 5);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 4);
}

static void corrupt_param_lengths_are_an_error(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	uint8_t *raw = (uint8_t *)ev_open_x(&b, 2, 7, 3, "/x", &len);

	raw[KSCAP_HDR_LEN + 2] ^= 0x40;	/* the name's length */
	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_next(h, &evt, NULL), -EBADMSG);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

/* Framed right, but a value the module never writes: that event alone
 * is skipped, the ring is not. */
static void bad_value_skips_that_event(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw;

	produce_close(0, 1, 3);
	evb_start(&b, KSCAP_EV_CLOSE_E, 2, 7);
	evb_u32(&b, 3);			/* an fd of 4 bytes, not 8 */
	raw = evb_end(&b, &len);
	assert_true(fakedev_produce(0, raw, len));
	produce_close(0, 3, 4);

	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 1);
	assert_int_equal(kscap_next(h, &evt, NULL), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "size"));
	assert_int_equal(kscap_corrupt_count(h), 1);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 3);
}

static void event_cut_by_head_is_an_error(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 2, 7, 3, "/x", &len);

	assert_true(fakedev_produce(0, raw, len));
	fakedev_set_head(0, len - 1);	/* the kernel never publishes half an event */
	assert_int_equal(kscap_next(h, &evt, NULL), -EBADMSG);
}

static void insane_head_is_an_error(void **state)
{
	struct kscap_evt evt;

	produce_close(0, 1, 3);
	fakedev_set_head(0, 5 * RING);	/* more than a ring's worth */
	assert_int_equal(kscap_next(h, &evt, NULL), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "head"));
	/* reading resumes from the new head */
	produce_close(0, 2, 3);
	assert_int_equal(kscap_next(h, &evt, NULL), 1);
	assert_int_equal(evt.ts, 2);
}

/* The position in the ring of an event kscap_next_raw() returned. */
static uint64_t ev_off(const struct kscap_evt_hdr *ev)
{
	return (uint64_t)((const uint8_t *)ev - fakedev.data[0]);
}

/*
 * kscap_next_raw() gives the ring back a run at a time, not per event:
 * what it returned is never given back before the next call, and the
 * kernel never misses more than 1/16 of the ring (a run, at most) while
 * the reader keeps up. Many fills: the positions wrap many times, and
 * events that cross the ring's end are read whole.
 */
static void raw_release_lags_a_run_at_most(void **state)
{
	const struct kscap_evt_hdr *ev;
	uint64_t ts = 0, seen = 0, pos = 0, tail;
	int rounds;

	for (rounds = 0; rounds < 20; rounds++) {
		while (fakedev_head(0) - fakedev_tail(0) + 36 <= RING)
			produce_close(0, ts++, 1);
		while (kscap_next_raw(h, &ev, NULL) == 1) {
			assert_int_equal(ev->ts, seen++);
			assert_int_equal(ev->len, 36);
			/* in place, where the ring has it */
			assert_int_equal(ev_off(ev), pos % RING);
			tail = fakedev_tail(0);
			assert_true(tail <= pos);
			assert_true(pos - tail < RING / 16);
			pos += 36;
		}
		/* nothing left: all of it given back */
		assert_int_equal(fakedev_tail(0), fakedev_head(0));
	}
	assert_int_equal(seen, ts);
	assert_true(pos > 10 * RING);
}

/* The same with batches: all of a batch stays the reader's until the
 * next call, across the ring's end too. */
static void batch_release_across_the_end(void **state)
{
	const struct kscap_evt_hdr *evs[5];
	uint64_t ts = 0, seen = 0, pos = 0, first;
	int rounds, n, k;

	for (rounds = 0; rounds < 20; rounds++) {
		while (fakedev_head(0) - fakedev_tail(0) + 36 <= RING)
			produce_close(0, ts++, 1);
		while ((n = kscap_next_raw_batch(h, evs, NULL, 5)) > 0) {
			first = pos;
			for (k = 0; k < n; k++, pos += 36) {
				assert_int_equal(evs[k]->ts, seen++);
				assert_int_equal(ev_off(evs[k]), pos % RING);
			}
			assert_true(fakedev_tail(0) <= first);
			assert_true(pos - fakedev_tail(0) <= RING / 16 + 5 * 36);
		}
		assert_int_equal(n, 0);
		assert_int_equal(fakedev_tail(0), fakedev_head(0));
	}
	assert_int_equal(seen, ts);
}

/* kscap_wait() gives back what was read before it sleeps, all but the
 * event last returned (still the caller's); kscap_close() all of it. */
static void wait_and_close_give_back(void **state)
{
	const struct kscap_evt_hdr *ev;

	produce_close(0, 1, 3);
	produce_close(0, 2, 3);
	produce_close(0, 3, 3);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
	assert_int_equal(fakedev_tail(0), 0);		/* a run: not yet */
	assert_int_equal(kscap_wait(h, 0), 1);		/* the third is ready */
	assert_int_equal(fakedev_tail(0), 36);
	assert_int_equal(ev->ts, 2);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
	assert_int_equal(ev->ts, 3);
	assert_int_equal(fakedev_tail(0), 72);
	kscap_close(h);
	h = NULL;
	assert_int_equal(fakedev_tail(0), 108);
}

/* A bad header in the middle of a run: the events before it come out,
 * then the error, and reading goes on after what was published. */
static void raw_corrupt_type_mid_run(void **state)
{
	const struct kscap_evt_hdr *ev;
	uint16_t bad = KSCAP_EV_MAX + 7;
	uint32_t len, np = KSCAP_MAX_PARAMS + 1;
	uint8_t *raw;
	int i;

	for (i = 0; i < 3; i++)
		produce_close(0, 1 + i, 3);
	raw = (uint8_t *)ev_open_x(&b, 4, 7, 3, "/x", &len);
	memcpy(raw + offsetof(struct kscap_evt_hdr, type), &bad, 2);
	assert_true(fakedev_produce(0, raw, len));
	produce_close(0, 5, 3);		/* lost with the bad one */
	for (i = 0; i < 3; i++) {
		assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
		assert_int_equal(ev->ts, 1 + i);
	}
	assert_int_equal(kscap_next_raw(h, &ev, NULL), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "type"));
	assert_int_equal(kscap_corrupt_count(h), 1);
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 0);

	/* too many parameters, then an event too short for its count */
	produce_close(0, 6, 3);
	raw = (uint8_t *)ev_open_x(&b, 7, 7, 3, "/x", &len);
	memcpy(raw + offsetof(struct kscap_evt_hdr, nparams), &np, 4);
	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
	assert_int_equal(ev->ts, 6);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), -EBADMSG);
	np = 1;
	len = KSCAP_HDR_LEN + 1;
	produce_close(0, 8, 3);
	raw = (uint8_t *)ev_open_x(&b, 9, 7, 3, "/x", &(uint32_t){ 0 });
	memcpy(raw + offsetof(struct kscap_evt_hdr, len), &len, 4);
	memcpy(raw + offsetof(struct kscap_evt_hdr, nparams), &np, 4);
	memcpy(raw + offsetof(struct kscap_evt_hdr, type), &(uint16_t){ KSCAP_EV_CLOSE_E }, 2);
	assert_true(fakedev_produce(0, raw, len));
	produce_close(0, 10, 3);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 1);
	assert_int_equal(ev->ts, 8);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), -EBADMSG);
	assert_int_equal(kscap_corrupt_count(h), 3);
	assert_int_equal(kscap_next_raw(h, &ev, NULL), 0);
}

/* A CPU offline at open has no ring; once it comes online and has data, it is read. */
static void ring_of_cpu_online_later(void **state)
{
	struct kscap_evt evt;
	unsigned int cpu = 99;

	kscap_close(h);
	fakedev_fini();
	fakedev_init(2, RING);
	fakedev.offline[1] = true;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	/* Not about ordering: no reorder window holding CPU 0's last event. */
	assert_int_equal(kscap_set_reorder_window(h, 0), 0);
	assert_int_equal(fakedev.mapped, 3);	/* status, consumer, CPU 0 */
	produce_close(0, 1, 3);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(cpu, 0);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
	assert_int_equal(fakedev.mapped, 3);	/* no data on CPU 1: not tried */

	fakedev.offline[1] = false;
	produce_close(1, 2, 4);
	produce_close(0, 3, 5);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(cpu, 1);
	assert_int_equal(evt.ts, 2);
	assert_int_equal(fakedev.mapped, 4);
	assert_int_equal(kscap_next(h, &evt, &cpu), 1);
	assert_int_equal(cpu, 0);
	assert_int_equal(kscap_next(h, &evt, NULL), 0);
}

/* Batches: the order and the CPUs of single reads, the rings released by
 * the next call only, with batch sizes that cut runs of one ring. */
static void batch_reads_as_single_reads(void **state)
{
	const struct kscap_evt_hdr *evs[4], *one;
	unsigned int cpus[4], cpu, want_cpu[40], got = 0, max;
	uint64_t want_ts[40];
	int n, i, k;

	kscap_close(h);
	fakedev_fini();
	fakedev_init(2, RING);
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	assert_int_equal(kscap_set_reorder_window(h, 0), 0);
	/* CPU 0: 0, 1, 2, 10, 11, ...; CPU 1: 3, 4, 5, 12, 13, ... */
	for (i = 0; i < 40; i++)
		produce_close(i / 3 % 2, i, i);
	for (i = 0; i < 40; i++) {
		assert_int_equal(kscap_next_raw(h, &one, &cpu), 1);
		want_ts[i] = one->ts;
		want_cpu[i] = cpu;
		if (i)
			assert_true(want_ts[i] > want_ts[i - 1]);
	}
	assert_int_equal(kscap_next_raw(h, &one, &cpu), 0);
	for (i = 0; i < 40; i++)
		produce_close(i / 3 % 2, 100 + i, i);
	for (max = 1; got < 40; max = max % 4 + 1) {
		n = kscap_next_raw_batch(h, evs, cpus, max);
		assert_true(n >= 1 && n <= (int)max);
		for (k = 0; k < n; k++, got++) {
			assert_int_equal(evs[k]->ts, 100 + want_ts[got]);
			assert_int_equal(cpus[k], want_cpu[got]);
			/* what the batch handed out is still ours (the
			 * positions stay below the ring size here) */
			assert_true(fakedev_tail(cpus[k]) <=
				    (uint64_t)((const uint8_t *)evs[k] - fakedev.data[cpus[k]]));
		}
	}
	assert_int_equal(kscap_next_raw_batch(h, evs, NULL, 4), 0);
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
	assert_int_equal(fakedev_tail(1), fakedev_head(1));
}

/* An error met after a batch's first event: the events come first, in
 * the ring until the next call, which returns the error. */
static void batch_error_comes_next(void **state)
{
	const struct kscap_evt_hdr *evs[8];
	unsigned int cpus[8];
	uint16_t bad = KSCAP_EV_MAX;
	uint32_t len;
	uint8_t *raw;

	produce_close(0, 1, 3);
	produce_close(0, 2, 3);
	raw = (uint8_t *)ev_open_x(&b, 3, 7, 3, "/x", &len);
	memcpy(raw + offsetof(struct kscap_evt_hdr, type), &bad, 2);
	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_next_raw_batch(h, evs, cpus, 8), 2);
	assert_int_equal(evs[0]->ts, 1);
	assert_int_equal(evs[1]->ts, 2);
	assert_int_equal(kscap_corrupt_count(h), 1);
	assert_int_equal(fakedev_tail(0), 0);	/* not given back yet */
	assert_int_equal(evs[1]->ts, 2);
	assert_int_equal(kscap_next_raw_batch(h, evs, cpus, 8), -EBADMSG);
	assert_int_equal(kscap_next_raw_batch(h, evs, cpus, 8), 0);
	assert_int_equal(fakedev_tail(0), fakedev_head(0));
	produce_close(0, 4, 5);
	assert_int_equal(kscap_next_raw_batch(h, evs, cpus, 8), 1);
	assert_int_equal(evs[0]->ts, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(empty_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(read_in_place_released_on_next, setup, teardown),
		cmocka_unit_test_setup_teardown(wrapped_event_is_contiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(full_ring_drains, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_length_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(corrupt_param_lengths_are_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_value_skips_that_event, setup, teardown),
		cmocka_unit_test_setup_teardown(event_cut_by_head_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(insane_head_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(ring_of_cpu_online_later, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_reads_as_single_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_error_comes_next, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_release_lags_a_run_at_most, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_release_across_the_end, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_and_close_give_back, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_corrupt_type_mid_run, setup, teardown),
	};

	return RUN(tests);
}
