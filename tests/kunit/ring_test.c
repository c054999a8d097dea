// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/ring.c: the per-CPU ring, its double mapping, the
 * reserve for critical events and the distrust of the consumer's tail.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "ring.h"

#define RING_SIZE	(4 * PAGE_SIZE)
#define RING_RESERVE	(PAGE_SIZE / 2)

struct ring_fixture {
	struct kscap_cpu_ring r;
	struct kscap_status_page *status;
	struct kscap_consumer_slot *consumer;
};

static int ring_init(struct kunit *test)
{
	struct ring_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->status = kunit_kzalloc(test, sizeof(*f->status), GFP_KERNEL);
	f->consumer = kunit_kzalloc(test, sizeof(*f->consumer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->status);
	KUNIT_ASSERT_NOT_NULL(test, f->consumer);
	KUNIT_ASSERT_EQ(test, kscap_ring_alloc(&f->r, RING_SIZE, RING_RESERVE,
					       NUMA_NO_NODE, f->status,
					       f->consumer), 0);
	test->priv = f;
	return 0;
}

static void ring_exit(struct kunit *test)
{
	struct ring_fixture *f = test->priv;

	if (f)
		kscap_ring_free(&f->r);
}

/* Write @len bytes of a position-dependent pattern, as an event would. */
static void produce(struct kunit *test, struct kscap_cpu_ring *r, u32 len,
		    bool critical)
{
	u8 *p = kscap_ring_write_ptr(r);
	u32 i;

	KUNIT_ASSERT_GE(test, kscap_ring_space(r, critical), (u64)len);
	for (i = 0; i < len; i++)
		p[i] = (u8)((r->head + i) * 7 + 3);
	kscap_ring_commit(r, len);
}

/* The consumer's side: publish a new tail, as userspace would. */
static void consume_to(struct ring_fixture *f, u64 tail)
{
	/* Release, as the protocol asks: pairs with kscap_ring_space(). */
	smp_store_release(&f->consumer->tail, tail);
}

/* Check the pattern produce() wrote over [from, to), via both mappings. */
static void expect_data(struct kunit *test, struct kscap_cpu_ring *r,
			u64 from, u64 to)
{
	u64 pos;
	int bad = 0;

	for (pos = from; pos != to && bad < 3; pos++) {
		u8 want = (u8)(pos * 7 + 3);
		u64 off = pos & (r->size - 1);

		if (r->data[off] != want || r->data[off + r->size] != want) {
			KUNIT_FAIL(test, "byte at position %llu: %#x/%#x, want %#x",
				   pos, r->data[off], r->data[off + r->size], want);
			bad++;
		}
	}
}

/*
 * Rings come and go with consumers while the shared slots stay: a freed
 * ring has no memory and no size but keeps its status and consumer slots
 * (the control timer reads them), and can be allocated again, empty.
 */
static void ring_free_keeps_slots(struct kunit *test)
{
	struct kscap_status_page st = {};
	struct kscap_consumer_slot cs = {};
	struct kscap_cpu_ring r = {};

	KUNIT_ASSERT_EQ(test, kscap_ring_alloc(&r, 4 * PAGE_SIZE, PAGE_SIZE,
					       NUMA_NO_NODE, &st, &cs), 0);
	r.data[0] = 0x5a;
	r.head = 100;
	kscap_ring_free(&r);
	KUNIT_EXPECT_NULL(test, r.data);
	KUNIT_EXPECT_NULL(test, r.pages);
	KUNIT_EXPECT_EQ(test, r.size, 0ULL);
	KUNIT_EXPECT_EQ(test, r.head, 0ULL);
	KUNIT_EXPECT_PTR_EQ(test, r.status, &st);
	KUNIT_EXPECT_PTR_EQ(test, r.consumer, &cs);
	KUNIT_ASSERT_EQ(test, kscap_ring_alloc(&r, 4 * PAGE_SIZE, PAGE_SIZE,
					       NUMA_NO_NODE, &st, &cs), 0);
	KUNIT_EXPECT_EQ(test, r.data[0], 0);	/* fresh, zeroed pages */
	KUNIT_EXPECT_EQ(test, r.size, (u64)(4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, kscap_ring_used(&r), 0ULL);
	kscap_ring_free(&r);
}

static void ring_alloc_rejects_bad_geometry(struct kunit *test)
{
	struct kscap_status_page st = {};
	struct kscap_consumer_slot cs = {};
	struct kscap_cpu_ring r;

	KUNIT_EXPECT_EQ(test, kscap_ring_alloc(&r, 3 * PAGE_SIZE, 0,
					       NUMA_NO_NODE, &st, &cs), -EINVAL);
	KUNIT_EXPECT_EQ(test, kscap_ring_alloc(&r, PAGE_SIZE, 0,
					       NUMA_NO_NODE, &st, &cs), -EINVAL);
	KUNIT_EXPECT_EQ(test, kscap_ring_alloc(&r, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
					       NUMA_NO_NODE, &st, &cs), -EINVAL);
	KUNIT_EXPECT_EQ(test, kscap_ring_alloc(&r, 0, 0,
					       NUMA_NO_NODE, &st, &cs), -EINVAL);
	/* The smallest legal ring works and frees cleanly. */
	KUNIT_ASSERT_EQ(test, kscap_ring_alloc(&r, 2 * PAGE_SIZE, PAGE_SIZE,
					       NUMA_NO_NODE, &st, &cs), 0);
	KUNIT_EXPECT_EQ(test, r.size, (u64)(2 * PAGE_SIZE));
	kscap_ring_free(&r);
	KUNIT_EXPECT_NULL(test, r.data);
}

static void ring_starts_empty(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	u64 i;
	bool zero = true;

	KUNIT_EXPECT_EQ(test, r->head, 0ULL);
	KUNIT_EXPECT_EQ(test, f->status->head, 0ULL);
	KUNIT_EXPECT_EQ(test, f->consumer->tail, 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false),
			(u64)(RING_SIZE - RING_RESERVE));
	KUNIT_EXPECT_PTR_EQ(test, kscap_ring_write_ptr(r), r->data);
	/* The pages are shown to userspace: nothing stale may be in them. */
	for (i = 0; i < 2 * RING_SIZE; i++)
		zero &= !r->data[i];
	KUNIT_EXPECT_TRUE(test, zero);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 0ULL);
}

static void ring_double_mapping_aliases(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	u64 i;

	/* The second half is the same pages: writes show through both ways. */
	for (i = 0; i < RING_SIZE; i += PAGE_SIZE / 4) {
		r->data[i] = 0x5a;
		KUNIT_EXPECT_EQ(test, r->data[i + RING_SIZE], 0x5a);
		r->data[i + RING_SIZE + 1] = 0xa5;
		KUNIT_EXPECT_EQ(test, r->data[i + 1], 0xa5);
	}
}

static void ring_commit_publishes_head(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;

	produce(test, r, 100, false);
	KUNIT_EXPECT_EQ(test, r->head, 100ULL);
	/* Read as the consumer does: acquire, pairing with the commit. */
	KUNIT_EXPECT_EQ(test, smp_load_acquire(&f->status->head), 100ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 100ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false),
			(u64)(RING_SIZE - RING_RESERVE - 100));
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)(RING_SIZE - 100));
	KUNIT_EXPECT_PTR_EQ(test, kscap_ring_write_ptr(r), r->data + 100);

	produce(test, r, 28, true);
	KUNIT_EXPECT_EQ(test, f->status->head, 128ULL);
	expect_data(test, r, 0, 128);

	/* The consumer reads part of it: exactly that much room comes back. */
	consume_to(f, 60);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)(RING_SIZE - 68));
	KUNIT_EXPECT_EQ(test, r->tail, 60ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 68ULL);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 0ULL);
}

/*
 * The producer's fast path: kscap_ring_room() and kscap_ring_fits() look
 * at the consumer's tail only when the limit they last computed is too
 * near, never give more room than kscap_ring_space(), and give none when
 * the ring is missing.
 */
static void ring_room_caches_the_limit(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	const u64 normal = RING_SIZE - RING_RESERVE;

	/* A reset ring has no limit yet: the first call looks. */
	KUNIT_EXPECT_EQ(test, r->limit, 0ULL);
	KUNIT_EXPECT_TRUE(test, kscap_ring_fits(r, 100, false));
	KUNIT_EXPECT_EQ(test, r->limit, normal);
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 100, false), normal);
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 100, true), (u64)RING_SIZE);

	/* Fill to the limit; the consumer frees 100 bytes meanwhile. */
	produce(test, r, (u32)normal - 10, false);
	consume_to(f, 100);
	/* Still room under the old limit: the tail is not looked at. */
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 10, false), 10ULL);
	KUNIT_EXPECT_EQ(test, r->tail, 0ULL);
	KUNIT_EXPECT_EQ(test, r->limit, normal);
	/* Past it: the tail is looked at, and the 100 bytes come back. */
	KUNIT_EXPECT_TRUE(test, kscap_ring_fits(r, 110, false));
	KUNIT_EXPECT_FALSE(test, kscap_ring_fits(r, 111, false));
	KUNIT_EXPECT_EQ(test, r->tail, 100ULL);
	KUNIT_EXPECT_EQ(test, r->limit, normal + 100);
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 200, false), 110ULL);
	/* A critical event may take the reserve too, and no more. */
	KUNIT_EXPECT_TRUE(test, kscap_ring_fits(r, RING_RESERVE + 110, true));
	KUNIT_EXPECT_FALSE(test, kscap_ring_fits(r, RING_RESERVE + 111, true));
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 10, true), (u64)RING_RESERVE + 110);

	/* A bad tail moves nothing, and is counted when looked at. */
	consume_to(f, r->head + 1);
	KUNIT_EXPECT_FALSE(test, kscap_ring_fits(r, 111, false));
	KUNIT_EXPECT_EQ(test, r->tail, 100ULL);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 1ULL);

	/* Reset forgets the limit; a freed ring has neither limit nor room. */
	kscap_ring_reset(r);
	KUNIT_EXPECT_EQ(test, r->limit, 0ULL);
	kscap_ring_free(r);
	KUNIT_EXPECT_EQ(test, kscap_ring_room(r, 1, true), 0ULL);
	KUNIT_EXPECT_FALSE(test, kscap_ring_fits(r, 1, true));
	KUNIT_EXPECT_EQ(test, r->limit, 0ULL);
}

static void ring_event_wraps_contiguously(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	const u64 start = RING_SIZE - 40;
	u8 *p;

	/* Move both ends near the end of the ring. */
	produce(test, r, (u32)start, true);
	consume_to(f, start);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE);

	/* 100 bytes from 40 before the end: one contiguous write. */
	p = kscap_ring_write_ptr(r);
	KUNIT_EXPECT_PTR_EQ(test, p, r->data + start);
	produce(test, r, 100, false);
	KUNIT_EXPECT_EQ(test, f->status->head, start + 100);

	/* The 60 bytes past the end landed at the start of the pages. */
	expect_data(test, r, start, start + 100);
	KUNIT_EXPECT_EQ(test, r->data[59], (u8)((start + 99) * 7 + 3));
	/* The byte after it is still the one the first write left. */
	KUNIT_EXPECT_EQ(test, r->data[60], (u8)(60 * 7 + 3));
	KUNIT_EXPECT_PTR_EQ(test, kscap_ring_write_ptr(r), r->data + 60);

	/* And the consumer's reads across the end see the same bytes. */
	KUNIT_EXPECT_EQ(test, memcmp(r->data + start, r->data + start + RING_SIZE,
				     RING_SIZE - start), 0);
	KUNIT_EXPECT_EQ(test, memcmp(r->data + RING_SIZE, r->data, 60), 0);
}

static void ring_full_respects_reserve(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	const u64 normal = RING_SIZE - RING_RESERVE;

	/* Normal events may fill the ring up to the reserve, exactly. */
	produce(test, r, (u32)(normal - 1), false);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false), 1ULL);
	produce(test, r, 1, false);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_RESERVE);

	/* Only critical events may use the reserve, down to the last byte. */
	produce(test, r, RING_RESERVE - 10, true);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), 10ULL);
	produce(test, r, 10, true);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), (u64)RING_SIZE);
	expect_data(test, r, 0, RING_SIZE);

	/* Freeing less than the reserve gives normal events nothing yet. */
	consume_to(f, 100);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), 100ULL);
	consume_to(f, RING_RESERVE + 7);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false), 7ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_RESERVE + 7);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 0ULL);
}

/* A bad tail must change nothing but the bad_tail counter. */
static void expect_tail_ignored(struct kunit *test, struct ring_fixture *f,
				u64 bogus, u64 *bad)
{
	struct kscap_cpu_ring *r = &f->r;
	u64 head = r->head, tail = r->tail;
	u64 space = r->size - (head - tail);

	consume_to(f, bogus);
	KUNIT_EXPECT_EQ_MSG(test, kscap_ring_space(r, true), space,
			    "tail %llu (head %llu, tail %llu)", bogus, head, tail);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, ++*bad);
	KUNIT_EXPECT_EQ(test, r->tail, tail);
	KUNIT_EXPECT_EQ(test, r->head, head);
	KUNIT_EXPECT_EQ(test, f->status->head, head);
	/* Asking again with the tail still bad counts again. */
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), space);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, ++*bad);
}

static void ring_ignores_bad_tail(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	u64 bad = 0;

	produce(test, r, 1000, false);
	consume_to(f, 300);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 700);
	KUNIT_EXPECT_EQ(test, r->tail, 300ULL);

	expect_tail_ignored(test, f, 1001, &bad);		/* past head */
	expect_tail_ignored(test, f, 299, &bad);		/* backwards */
	expect_tail_ignored(test, f, 0, &bad);			/* backwards */
	expect_tail_ignored(test, f, 300 + RING_SIZE, &bad);	/* a lap ahead */
	expect_tail_ignored(test, f, U64_MAX, &bad);		/* huge */
	expect_tail_ignored(test, f, 1ULL << 63, &bad);

	/* The data the consumer has not read is still all there. */
	expect_data(test, r, 300, 1000);

	/* Both ends of the valid range are fine and not counted. */
	consume_to(f, 300);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 700);
	consume_to(f, 1000);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE);
	KUNIT_EXPECT_EQ(test, r->tail, 1000ULL);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, bad);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 0ULL);
}

/* head and tail are free-running: crossing 2^64 must change nothing. */
static void ring_counters_wrap_u64(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;
	const u64 start = U64_MAX - 99;

	r->head = r->tail = start;
	f->status->head = start;
	consume_to(f, start);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE);

	produce(test, r, 300, false);
	KUNIT_EXPECT_EQ(test, r->head, 200ULL);	/* wrapped */
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 300ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 300);
	expect_data(test, r, start, 200);

	consume_to(f, 50);	/* past 2^64, not past head: valid */
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 150);
	consume_to(f, start + 10);	/* before the tail it replaced */
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 150);
	consume_to(f, 201);		/* past head */
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 150);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 2ULL);
}

static void ring_reset_forgets_everything(struct kunit *test)
{
	struct ring_fixture *f = test->priv;
	struct kscap_cpu_ring *r = &f->r;

	produce(test, r, 5000, false);
	consume_to(f, 1234);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE - 3766);

	kscap_ring_reset(r);
	KUNIT_EXPECT_EQ(test, r->head, 0ULL);
	KUNIT_EXPECT_EQ(test, r->tail, 0ULL);
	/* As the consumer reads it: acquire, pairing with the reset. */
	KUNIT_EXPECT_EQ(test, smp_load_acquire(&f->status->head), 0ULL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(f->consumer->tail), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_used(r), 0ULL);
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, false),
			(u64)(RING_SIZE - RING_RESERVE));
	KUNIT_EXPECT_EQ(test, kscap_ring_space(r, true), (u64)RING_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, kscap_ring_write_ptr(r), r->data);
	KUNIT_EXPECT_EQ(test, f->status->counters.bad_tail, 0ULL);

	/* And it works from scratch afterwards. */
	produce(test, r, 10, false);
	expect_data(test, r, 0, 10);
}

static struct kunit_case ring_cases[] = {
	KUNIT_CASE(ring_alloc_rejects_bad_geometry),
	KUNIT_CASE(ring_free_keeps_slots),
	KUNIT_CASE(ring_starts_empty),
	KUNIT_CASE(ring_double_mapping_aliases),
	KUNIT_CASE(ring_commit_publishes_head),
	KUNIT_CASE(ring_room_caches_the_limit),
	KUNIT_CASE(ring_event_wraps_contiguously),
	KUNIT_CASE(ring_full_respects_reserve),
	KUNIT_CASE(ring_ignores_bad_tail),
	KUNIT_CASE(ring_counters_wrap_u64),
	KUNIT_CASE(ring_reset_forgets_everything),
	{}
};

static struct kunit_suite ring_suite = {
	.name = "kscap_ring",
	.init = ring_init,
	.exit = ring_exit,
	.test_cases = ring_cases,
};
kunit_test_suite(ring_suite);
