// SPDX-License-Identifier: MIT
/* Latency: each exit is matched with its own thread's enter. */
#include "test.h"
#include "evbuild.h"
#include "latency.h"

static struct evb b;

static int feed(struct latency *l, uint16_t type, uint64_t ts, uint64_t tid, uint64_t *ns)
{
	struct kscap_evt evt;
	const struct kscap_event_info *info = kscap_event_info(type);
	uint32_t len, i;
	const uint8_t *raw;

	/* zero-valued parameters of the right sizes */
	evb_start(&b, type, ts, tid);
	for (i = 0; i < info->nparams; i++) {
		switch (info->params[i].type) {
		case KSCAP_PT_UINT32:
		case KSCAP_PT_FLAGS32:
			evb_u32(&b, 0);
			break;
		default:
			evb_u64(&b, 0);
		}
	}
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	return latency_feed(l, &evt, ns);
}

static void pairs_per_thread(void **state)
{
	struct latency *l = latency_new();
	uint64_t ns = 0;

	assert_int_equal(feed(l, KSCAP_EV_READ_E, 100, 1, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_E, 150, 2, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_CLOSE_E, 160, 3, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_CLOSE_X, 170, 3, &ns), 1);
	assert_int_equal(ns, 10);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 400, 2, &ns), 1);
	assert_int_equal(ns, 250);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 500, 1, &ns), 1);
	assert_int_equal(ns, 400);
	/* each enter is used once */
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 600, 1, &ns), 0);
	latency_free(l);
}

static void mismatches(void **state)
{
	struct latency *l = latency_new();
	uint64_t ns;

	/* an exit without an enter (capture started mid-call) */
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 100, 1, &ns), 0);
	/* an exit of another syscall than the pending enter */
	assert_int_equal(feed(l, KSCAP_EV_READ_E, 200, 1, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_CLOSE_X, 300, 1, &ns), 0);
	/* time going backwards */
	assert_int_equal(feed(l, KSCAP_EV_READ_E, 500, 2, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 400, 2, &ns), 0);
	/* a thread that exits forgets its pending call */
	assert_int_equal(feed(l, KSCAP_EV_READ_E, 500, 3, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_PROCEXIT_E, 510, 3, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, 520, 3, &ns), 0);
	latency_free(l);
}

static void many_threads(void **state)
{
	struct latency *l = latency_new();
	uint64_t tid, ns;

	for (tid = 1; tid <= 20000; tid++)
		assert_int_equal(feed(l, KSCAP_EV_READ_E, tid, tid, &ns), 0);
	for (tid = 1; tid <= 20000; tid++) {
		assert_int_equal(feed(l, KSCAP_EV_READ_X, tid + 7, tid, &ns), 1);
		assert_int_equal(ns, 7);
	}
	latency_free(l);
}

/* Two threads taking turns (the last and previous thread's slots are
 * at hand without a lookup), one exiting in between: each exit still
 * meets its own thread's enter, and the one that left none. */
static void threads_taking_turns(void **state)
{
	struct latency *l = latency_new();
	uint64_t ns = 0, t = 1000;
	int i;

	assert_int_equal(feed(l, KSCAP_EV_READ_E, t++, 2, &ns), 0);
	for (i = 0; i < 50; i++) {
		uint64_t a = i % 2 ? 2 : 1, other = i % 2 ? 1 : 2;

		assert_int_equal(feed(l, KSCAP_EV_WRITE_E, t, a, &ns), 0);
		assert_int_equal(feed(l, KSCAP_EV_WRITE_X, t + 5, a, &ns), 1);
		assert_int_equal(ns, 5);
		assert_int_equal(feed(l, KSCAP_EV_READ_E, t + 6, a, &ns), 0);
		/* the other's read, pending since its turn */
		assert_int_equal(feed(l, KSCAP_EV_READ_X, t + 9, other, &ns), 1);
		assert_int_equal(ns, i ? 13 : t + 9 - 1000);
		t += 10;
	}
	/* thread 2's read is pending (i = 49); thread 1 had the last turn
	 * before: 2 leaves, a new thread 3 takes a slot, 1 goes on */
	assert_int_equal(feed(l, KSCAP_EV_PROCEXIT_E, t++, 2, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_E, t++, 3, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, t++, 2, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_READ_X, t++, 3, &ns), 1);
	assert_int_equal(ns, 2);
	assert_int_equal(feed(l, KSCAP_EV_CLOSE_E, t++, 1, &ns), 0);
	assert_int_equal(feed(l, KSCAP_EV_CLOSE_X, t++, 1, &ns), 1);
	assert_int_equal(ns, 1);
	latency_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pairs_per_thread),
		cmocka_unit_test(mismatches),
		cmocka_unit_test(many_threads),
		cmocka_unit_test(threads_taking_turns),
	};

	return RUN(tests);
}
