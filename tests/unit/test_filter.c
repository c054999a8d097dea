// SPDX-License-Identifier: MIT
/* Each filter, their combination, and what is pushed to the module. */
#include "test.h"
#include "evbuild.h"
#include "fakedev.h"

static struct evb b;
static struct kscap_evt evt;
static struct kscap_threads *threads;

static bool bit(const uint8_t *m, unsigned int i)
{
	return m[i / 8] & (1U << (i % 8));
}

static int setup(void **state)
{
	struct kscap_thread th = { .tid = 100, .pid = 100, .ptid = 1, .comm = "bash" };
	struct kscap_thread w = { .tid = 101, .pid = 100, .ptid = 100, .comm = "bash-worker" };
	struct kscap_thread c = { .tid = 200, .pid = 200, .ptid = 100, .comm = "ls" };
	struct kscap_thread g = { .tid = 300, .pid = 300, .ptid = 200, .comm = "grep" };
	struct kscap_thread o = { .tid = 400, .pid = 400, .ptid = 1, .comm = "other" };

	threads = kscap_threads_new();
	assert_int_equal(kscap_threads_add(threads, &th), 0);
	assert_int_equal(kscap_threads_add(threads, &w), 0);
	assert_int_equal(kscap_threads_add(threads, &c), 0);
	assert_int_equal(kscap_threads_add(threads, &g), 0);
	assert_int_equal(kscap_threads_add(threads, &o), 0);
	return 0;
}

static int teardown(void **state)
{
	kscap_threads_free(threads);
	return 0;
}

/* Parse into the shared evt; @len by address (set by the builder). */
static struct kscap_evt *ev(const uint8_t *raw, const uint32_t *len)
{
	assert_int_equal(kscap_evt_parse(raw, *len, &evt), 0);
	return &evt;
}

static struct kscap_evt *open_x(uint64_t tid, int64_t fd)
{
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, tid, fd, "/f", &len);

	return ev(raw, &len);
}

static struct kscap_evt *close_e(uint64_t tid)
{
	uint32_t len;

	evb_start(&b, KSCAP_EV_CLOSE_E, 1, tid);
	evb_u64(&b, 3);
	return ev(evb_end(&b, &len), &len);
}

static struct kscap_evt *generic_e(uint64_t tid, uint16_t nr)
{
	uint32_t len;

	evb_start(&b, KSCAP_EV_GENERIC_E, 1, tid);
	evb_u16(&b, 0);
	evb_u16(&b, nr);
	return ev(evb_end(&b, &len), &len);
}

#define MATCH(f, e) kscap_filter_match(f, e, threads)

static void empty_filter_passes_all(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_true(MATCH(f, open_x(100, 3)));
	assert_true(MATCH(f, close_e(999)));
	assert_true(kscap_filter_match(f, close_e(999), NULL));
	kscap_filter_free(f);
}

static void by_pid(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_pid(f, 100, 0);
	assert_true(MATCH(f, open_x(100, 3)));
	assert_true(MATCH(f, open_x(101, 3)));	/* a thread of process 100 */
	assert_false(MATCH(f, open_x(200, 3)));	/* its child: not without -f */
	assert_false(MATCH(f, open_x(999, 3)));
	kscap_filter_free(f);
}

static void by_pid_with_descendants(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_pid(f, 100, 1);
	assert_true(MATCH(f, open_x(101, 3)));
	assert_true(MATCH(f, open_x(200, 3)));
	assert_true(MATCH(f, open_x(300, 3)));	/* grandchild */
	assert_false(MATCH(f, open_x(400, 3)));
	kscap_filter_free(f);
}

static void by_tid(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_tid(f, 101, 0);
	kscap_filter_tid(f, 400, 0);
	assert_true(MATCH(f, open_x(101, 3)));
	assert_true(MATCH(f, open_x(400, 3)));
	assert_false(MATCH(f, open_x(100, 3)));
	kscap_filter_free(f);
}

static void by_tid_with_descendants(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	/* 200 (ls) was created by thread 100; 300 (grep) by 200 */
	kscap_filter_tid(f, 200, 1);
	assert_true(MATCH(f, open_x(200, 3)));
	assert_true(MATCH(f, open_x(300, 3)));
	assert_false(MATCH(f, open_x(100, 3)));
	assert_false(MATCH(f, open_x(101, 3)));
	kscap_filter_free(f);
}

static void by_comm(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_comm(f, "bash*");
	assert_true(MATCH(f, open_x(100, 3)));
	assert_true(MATCH(f, open_x(101, 3)));
	assert_false(MATCH(f, open_x(200, 3)));
	assert_false(MATCH(f, open_x(999, 3)));	/* unknown thread */
	kscap_filter_comm(f, "ls");
	assert_true(MATCH(f, open_x(200, 3)));
	kscap_filter_free(f);
}

static void by_event_name(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_int_equal(kscap_filter_events(f, "open,getpid"), 0);
	assert_true(MATCH(f, open_x(100, 3)));
	assert_false(MATCH(f, close_e(100)));
	/* a syscall without an event of its own comes as a generic one */
	assert_true(MATCH(f, generic_e(100, 39)));
	assert_false(MATCH(f, generic_e(100, 24)));	/* sched_yield */
	assert_int_equal(kscap_filter_events(f, "open,nosuchthing"), -ENOENT);
	assert_non_null(strstr(kscap_last_error(), "nosuchthing"));
	kscap_filter_free(f);
}

static void by_type(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_int_equal(kscap_filter_type(f, KSCAP_EV_CLOSE_E), 0);
	assert_true(MATCH(f, close_e(100)));
	assert_false(MATCH(f, open_x(100, 3)));
	assert_int_equal(kscap_filter_type(f, 12), -EINVAL);
	kscap_filter_free(f);
}

static void by_direction(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_int_equal(kscap_filter_dir(f, '<'), 0);
	assert_true(MATCH(f, open_x(100, 3)));
	assert_false(MATCH(f, close_e(100)));
	assert_int_equal(kscap_filter_dir(f, '>'), 0);
	assert_false(MATCH(f, open_x(100, 3)));
	assert_true(MATCH(f, close_e(100)));
	assert_int_equal(kscap_filter_dir(f, 'x'), -EINVAL);
	kscap_filter_free(f);
}

static void failed_only(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_failed(f);
	assert_true(MATCH(f, open_x(100, -2)));
	assert_false(MATCH(f, open_x(100, 3)));
	assert_false(MATCH(f, close_e(100)));	/* enters never fail */
	kscap_filter_free(f);
}

static void by_category(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_int_equal(kscap_filter_category(f, "file"), 0);
	assert_true(MATCH(f, open_x(100, 3)));
	assert_false(MATCH(f, close_e(100)));	/* close is io_other */
	kscap_filter_free(f);
	f = kscap_filter_new();
	assert_int_equal(kscap_filter_category(f, "io"), 0);	/* a group */
	assert_true(MATCH(f, close_e(100)));
	assert_false(MATCH(f, open_x(100, 3)));
	assert_int_equal(kscap_filter_category(f, "bogus"), -EINVAL);
	kscap_filter_free(f);
}

static void default_set_only(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_default_set(f);
	assert_true(MATCH(f, open_x(100, 3)));	/* open: Yes */
	assert_false(MATCH(f, close_e(100)));	/* close: No */
	kscap_filter_free(f);
}

static void kinds_combine(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	kscap_filter_pid(f, 100, 1);
	kscap_filter_events(f, "open");
	kscap_filter_failed(f);
	assert_true(MATCH(f, open_x(200, -13)));
	assert_false(MATCH(f, open_x(200, 3)));
	assert_false(MATCH(f, open_x(400, -13)));
	assert_false(MATCH(f, close_e(200)));
	kscap_filter_free(f);
}

/*
 * By type alone, for consumers that do not decode: what the type settles
 * agrees with kscap_filter_match(); the thread table's types and rules
 * that look past the type ask for the decoded event.
 */
static void match_by_type(void **state)
{
	struct kscap_filter *f = kscap_filter_new();

	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_OPEN_X), 1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_GENERIC_E), 1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_CLONE_X), -1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_EXECVE_X), -1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_PROCEXIT_E), -1);
	assert_int_equal(kscap_filter_match_type(f, 12), 0);	/* no such type */
	kscap_filter_dir(f, '<');
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_OPEN_X), 1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_CLOSE_E), 0);
	assert_false(MATCH(f, close_e(100)));
	kscap_filter_free(f);

	/* syscall names: a generic event's name is in its parameters */
	f = kscap_filter_new();
	assert_int_equal(kscap_filter_events(f, "open,getpid"), 0);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_OPEN_X), 1);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_CLOSE_E), 0);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_GENERIC_E), -1);
	kscap_filter_free(f);

	/* threads and failures: never by type */
	f = kscap_filter_new();
	kscap_filter_pid(f, 100, 0);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_OPEN_X), -1);
	kscap_filter_free(f);
	f = kscap_filter_new();
	kscap_filter_failed(f);
	assert_int_equal(kscap_filter_match_type(f, KSCAP_EV_OPEN_X), -1);
	kscap_filter_free(f);
}

static void kernel_mask(void **state)
{
	struct kscap_filter *f = kscap_filter_new();
	uint8_t m[KSCAP_MASK_BYTES];

	/* nothing that depends on the type: everything */
	kscap_filter_pid(f, 100, 0);
	assert_int_equal(kscap_filter_kernel_mask(f, 0, m), 0);
	assert_true(bit(m, KSCAP_EV_READ_X));
	kscap_filter_events(f, "open");
	assert_int_equal(kscap_filter_kernel_mask(f, 0, m), 1);
	assert_true(bit(m, KSCAP_EV_OPEN_E));
	assert_true(bit(m, KSCAP_EV_OPEN_X));
	assert_false(bit(m, KSCAP_EV_READ_X));
	assert_false(bit(m, KSCAP_EV_GENERIC_E));
	/* the thread table's events always stay */
	assert_true(bit(m, KSCAP_EV_CLONE_X));
	assert_true(bit(m, KSCAP_EV_EXECVE_X));
	assert_true(bit(m, KSCAP_EV_PROCEXIT_E));
	/* exits only: enters dropped, unless latencies are wanted */
	kscap_filter_dir(f, '<');
	kscap_filter_kernel_mask(f, 0, m);
	assert_false(bit(m, KSCAP_EV_OPEN_E));
	kscap_filter_kernel_mask(f, KSCAP_PUSH_KEEP_ENTER, m);
	assert_true(bit(m, KSCAP_EV_OPEN_E));
	/* a syscall name needs the generic events */
	kscap_filter_events(f, "getpid");
	kscap_filter_kernel_mask(f, 0, m);
	assert_true(bit(m, KSCAP_EV_GENERIC_X));
	kscap_filter_free(f);
}

static void push_to_module(void **state)
{
	struct kscap_filter *f = kscap_filter_new();
	struct kscap *h;

	fakedev_init(1, 4096);
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	kscap_filter_category(f, "net");
	assert_int_equal(kscap_filter_push(f, h, 0), 0);
	assert_true(bit(fakedev.mask, KSCAP_EV_CONNECT_X));
	assert_false(bit(fakedev.mask, KSCAP_EV_OPEN_X));
	assert_true(bit(fakedev.mask, KSCAP_EV_CLONE_X));
	kscap_filter_free(f);
	/* no type restriction: MASK_ALL */
	f = kscap_filter_new();
	memset(fakedev.mask, 0, sizeof(fakedev.mask));
	assert_int_equal(kscap_filter_push(f, h, 0), 0);
	assert_true(bit(fakedev.mask, KSCAP_EV_OPEN_X));
	kscap_filter_free(f);
	kscap_close(h);
	fakedev_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_filter_passes_all),
		cmocka_unit_test(by_pid),
		cmocka_unit_test(by_pid_with_descendants),
		cmocka_unit_test(by_tid),
		cmocka_unit_test(by_tid_with_descendants),
		cmocka_unit_test(by_comm),
		cmocka_unit_test(by_event_name),
		cmocka_unit_test(by_type),
		cmocka_unit_test(by_direction),
		cmocka_unit_test(failed_only),
		cmocka_unit_test(by_category),
		cmocka_unit_test(default_set_only),
		cmocka_unit_test(kinds_combine),
		cmocka_unit_test(match_by_type),
		cmocka_unit_test(kernel_mask),
		cmocka_unit_test(push_to_module),
	};

	return cmocka_run_group_tests_name(__FILE__, tests, setup, teardown);
}
