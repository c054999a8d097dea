// SPDX-License-Identifier: MIT
/* Opening the device through a fake system call layer: ABI check,
 * geometry, mappings, ioctls, poll(), close. */
#include "test.h"
#include "fakedev.h"
#include "ring.h"
#include <unistd.h>

static int setup(void **state)
{
	fakedev_init(2, 4096);
	return 0;
}

static int teardown(void **state)
{
	fakedev_fini();
	return 0;
}

static void open_maps_everything(void **state)
{
	struct kscap *h;
	const struct kscap_geometry *g;

	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	g = kscap_geometry(h);
	assert_int_equal(g->ncpus, 2);
	assert_int_equal(g->ring_size, 4096);
	/* status, consumer and one ring per CPU */
	assert_int_equal(fakedev.mapped, 4);
	assert_int_equal(kscap_fd(h), fakedev.efd);
	kscap_close(h);
	assert_int_equal(fakedev.mapped, 0);
	assert_int_equal(fakedev.efd, -1);
}

static void missing_device(void **state)
{
	struct kscap *h = (struct kscap *)1;

	assert_int_equal(kscap__open_sys("/no/such/dev", &fakedev_sys, &h), -ENOENT);
	assert_null(h);
	assert_non_null(strstr(kscap_last_error(), "module loaded"));
	/* and the real device, absent on this host */
	if (access(KSCAP_DEVICE_PATH, F_OK))
		assert_int_equal(kscap_open(NULL, &h), -ENOENT);
}

static void busy_device(void **state)
{
	struct kscap *h;

	fakedev.open_errno = EBUSY;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), -EBUSY);
	assert_non_null(strstr(kscap_last_error(), "busy"));
	fakedev.open_errno = EPERM;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), -EPERM);
	assert_non_null(strstr(kscap_last_error(), "CAP_SYS_ADMIN"));
}

static void abi_major_must_match(void **state)
{
	struct kscap *h;

	fakedev.version = ((KSCAP_ABI_VERSION_MAJOR + 1) << 16);
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), -EPROTO);
	assert_non_null(strstr(kscap_last_error(), "ABI mismatch"));
	assert_int_equal(fakedev.mapped, 0);
	assert_int_equal(fakedev.efd, -1);	/* closed again */
	/* a newer minor is fine */
	fakedev.version = (KSCAP_ABI_VERSION_MAJOR << 16) | 7;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	kscap_close(h);
}

static void bad_geometry_refused(void **state)
{
	struct kscap *h;

	fakedev_fini();
	fakedev_init(1, 4096);
	fakedev.ring_size = 3000;	/* not a power of two */
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), -EPROTO);
	fakedev.ring_size = 4096;
}

static void ioctls(void **state)
{
	struct kscap *h;
	struct kscap_counters c;

	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	assert_int_equal(kscap_start(h), 0);
	assert_true(fakedev.enabled);
	assert_int_equal(kscap_stop(h), 0);
	assert_false(fakedev.enabled);
	assert_int_equal(kscap_mask_zero(h), 0);
	assert_int_equal(kscap_mask_set(h, KSCAP_EV_OPEN_X), 0);
	assert_true(fakedev.mask[KSCAP_EV_OPEN_X / 8] & (1U << (KSCAP_EV_OPEN_X % 8)));
	assert_int_equal(kscap_mask_unset(h, KSCAP_EV_OPEN_X), 0);
	assert_false(fakedev.mask[KSCAP_EV_OPEN_X / 8] & (1U << (KSCAP_EV_OPEN_X % 8)));
	assert_int_equal(kscap_mask_set(h, 12), -EINVAL);	/* no such type */
	assert_int_equal(kscap_set_snaplen(h, 256), 0);
	assert_int_equal(fakedev.snaplen, 256);
	assert_int_equal(kscap_set_snaplen(h, 0), -EINVAL);
	assert_int_equal(kscap_set_snaplen(h, 70000), -EINVAL);
	assert_int_equal(kscap_set_wakeup(h, 512), 0);
	assert_int_equal(fakedev.wakeup, 512);
	fakedev.counters.written = 42;
	fakedev.counters.drops_full[KSCAP_DROP_NET] = 3;
	assert_int_equal(kscap_get_stats(h, KSCAP_ALL_CPUS, &c), 0);
	assert_int_equal(c.written, 42);
	assert_int_equal(c.drops_full[KSCAP_DROP_NET], 3);
	assert_int_equal(kscap_get_stats(h, 7, &c), -EINVAL);
	assert_non_null(strstr(kscap_last_error(), "GET_STATS"));
	kscap_close(h);
}

/* A module of ABI 1.0: its shorter GET_STATS, truncated left 0. */
static void stats_from_abi_1_0(void **state)
{
	struct kscap_counters c;
	struct kscap *h;

	(void)state;
	fakedev.version = 1 << 16;
	fakedev.stats_size = KSCAP_STATS_SIZE_1_0;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	fakedev.counters.written = 42;
	fakedev.counters.bad_tail = 5;
	fakedev.counters.truncated = 7;
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(kscap_get_stats(h, KSCAP_ALL_CPUS, &c), 0);
	assert_int_equal(c.written, 42);
	assert_int_equal(c.bad_tail, 5);
	assert_int_equal(c.truncated, 0);
	assert_int_equal(kscap_get_stats(h, 7, &c), -EINVAL);
	kscap_close(h);
}

/* A module of ABI 1.1 or 1.2: its GET_STATS, without consumer_drops,
 * still gives every counter (not only 1.0's). */
static void stats_from_abi_1_1(void **state)
{
	struct kscap_counters c;
	struct kscap *h;

	(void)state;
	fakedev.version = (1 << 16) | 2;
	fakedev.stats_size = KSCAP_STATS_SIZE_1_1;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	fakedev.counters.written = 42;
	fakedev.counters.truncated = 7;
	fakedev.counters.compat_untranslated = 9;
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(kscap_get_stats(h, KSCAP_ALL_CPUS, &c), 0);
	assert_int_equal(c.written, 42);
	assert_int_equal(c.truncated, 7);
	assert_int_equal(c.compat_untranslated, 9);
	kscap_close(h);
}

static struct kscap_consumer_slot *fake_slot(unsigned int cpu)
{
	return (struct kscap_consumer_slot *)(fakedev.cons + cpu * KSCAP_CONSUMER_STRIDE);
}

/* The running total goes to CPU 0's slot, where the module repeats it;
 * nothing else in the consumer area moves. */
static void report_drops_to_slot(void **state)
{
	struct kscap_consumer_drops d = { .events = 17 };
	struct {
		struct kscap_consumer_drops d;
		uint64_t later;		/* a field of a later libkscap */
	} big = { { 23 }, 99 };
	struct kscap *h;

	(void)state;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	fake_slot(0)->tail = 5;
	assert_int_equal(kscap_report_drops(h, &d), 0);
	assert_int_equal(fake_slot(0)->drops, 17);
	assert_int_equal(fake_slot(0)->tail, 5);
	assert_int_equal(fake_slot(1)->drops, 0);
	assert_int_equal(kscap_report_drops_sz(h, &big.d, sizeof(big)), 0);
	assert_int_equal(fake_slot(0)->drops, 23);
	assert_int_equal(kscap_report_drops_sz(h, &d, 4), -EINVAL);
	assert_non_null(strstr(kscap_last_error(), "too small"));
	assert_int_equal(fake_slot(0)->drops, 23);
	kscap_close(h);
}

/* A module before ABI 1.3 would not show it: say so, write nothing. */
static void report_drops_old_module(void **state)
{
	struct kscap_consumer_drops d = { .events = 17 };
	struct kscap *h;

	(void)state;
	fakedev.version = (1 << 16) | 2;
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	assert_int_equal(kscap_report_drops(h, &d), -EOPNOTSUPP);
	assert_non_null(strstr(kscap_last_error(), "1.2"));
	assert_int_equal(fake_slot(0)->drops, 0);
	kscap_close(h);
}

static void wait_blocks_in_poll(void **state)
{
	struct kscap *h;

	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	fakedev.polls = 0;
	assert_int_equal(kscap_wait(h, 20), 0);		/* timeout */
	assert_int_equal(fakedev.polls, 1);
	assert_int_equal(fakedev.poll_timeout, 20);
	fakedev_signal(true);
	assert_int_equal(kscap_wait(h, 1000), 1);
	fakedev_signal(false);
	kscap_close(h);
}

static void strerror_names_errors(void **state)
{
	assert_string_equal(kscap_strerror(-ENOENT), strerror(ENOENT));
	assert_string_equal(kscap_strerror(EBUSY), strerror(EBUSY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_maps_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_device, setup, teardown),
		cmocka_unit_test_setup_teardown(busy_device, setup, teardown),
		cmocka_unit_test_setup_teardown(abi_major_must_match, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_geometry_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(ioctls, setup, teardown),
		cmocka_unit_test_setup_teardown(stats_from_abi_1_0, setup, teardown),
		cmocka_unit_test_setup_teardown(stats_from_abi_1_1, setup, teardown),
		cmocka_unit_test_setup_teardown(report_drops_to_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(report_drops_old_module, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_blocks_in_poll, setup, teardown),
		cmocka_unit_test(strerror_names_errors),
	};

	return RUN(tests);
}
