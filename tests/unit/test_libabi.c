// SPDX-License-Identifier: MIT
/*
 * libkscap as a library other programs link: the runtime version, the
 * table through functions, readers on streams, and structs whose size
 * the caller passes, so that a newer library never writes past an older
 * program's struct.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "test.h"
#include "capfile_util.h"
#include "fakedev.h"
#include "cli_util.h"

static char session[128];

static int setup(void **state)
{
	tmp_name(session, sizeof(session), "abi");
	write_session(session);
	return 0;
}

static int teardown(void **state)
{
	unlink(session);
	return 0;
}

static void runtime_version(void **state)
{
	assert_int_equal(kscap_version(), LIBKSCAP_VERSION);
	assert_int_equal(kscap_version() >> 16, 2);
	assert_true(kscap_version() >= KSCAP_VERSION(2, 0));
}

/*
 * Each release that adds symbols adds a node to libkscap.map and one to
 * the header's minor version; the newest node must be the header's, or a
 * program checking kscap_version() >= LIBKSCAP_VERSION cannot tell whether
 * the newest calls are there.
 */
static void version_is_the_maps_newest_node(void **state)
{
	char *map = slurp(LIBKSCAP_DIR "/libkscap.map");
	unsigned int major, minor, newest = 0, nodes = 0;
	const char *p = map;

	assert_non_null(map);
	while ((p = strstr(p, "LIBKSCAP_")) != NULL) {
		int n = 0;

		if (sscanf(p, "LIBKSCAP_%u.%u {%n", &major, &minor, &n) == 2 && n) {
			assert_int_equal(major, LIBKSCAP_VERSION_MAJOR);
			nodes++;
			if (minor > newest)
				newest = minor;
		}
		p += strlen("LIBKSCAP_");
	}
	free(map);
	assert_true(nodes >= 4);
	assert_int_equal(newest, LIBKSCAP_VERSION_MINOR);
}

static void table_through_functions(void **state)
{
	assert_int_equal(kscap_event_max(), KSCAP_EV_MAX);
	assert_null(kscap_event_info(kscap_event_max()));
	assert_string_equal(kscap_event_info(KSCAP_EV_OPEN_X)->name, "open");
}

/*
 * KSCAP_EV_MAX follows from the event table, and the mask arrays of the
 * library's calls (kscap_filter_kernel_mask(), kscap_nl_get_mask(),
 * kscap_nl_set_mask()) have KSCAP_MASK_BYTES: a row numbered past 335
 * grows them, which programs built against this soname do not expect.
 * Such a row comes with new mask calls (README, "How the ABI grows"); this
 * says so when it is added.
 */
static void mask_size_is_the_sonames(void **state)
{
	assert_int_equal(KSCAP_MASK_BYTES, 42);
	assert_true(KSCAP_EV_MAX <= KSCAP_MASK_BYTES * 8);
}

static int count_events(struct kscap_reader *r)
{
	struct kscap_evt evt;
	int n = 0, rc;

	while ((rc = kscap_reader_next(r, &evt, NULL)) == 1)
		n++;
	assert_int_equal(rc, 0);
	return n;
}

/* A capture in memory, like pcap_fopen_offline on fmemopen. */
static void reader_on_memory(void **state)
{
	struct kscap_reader *r;
	char *data = slurp(session);
	struct stat st;
	FILE *f;

	stat(session, &st);
	f = fmemopen(data, (size_t)st.st_size, "r");
	assert_non_null(f);
	assert_int_equal(kscap_reader_fopen(f, "memory", &r), 0);
	assert_non_null(kscap_threads_find(kscap_reader_threads(r), 100));
	assert_int_equal(count_events(r), 10);
	kscap_reader_close(r);	/* closes f */
	free(data);

	/* not a capture: an error naming the stream; f is still ours */
	f = fmemopen((void *)"not a capture at all, no", 24, "r");
	assert_int_equal(kscap_reader_fopen(f, "junk", &r), -EBADMSG);
	assert_null(r);
	assert_non_null(strstr(kscap_last_error(), "junk"));
	assert_int_equal(fclose(f), 0);
}

static void reader_on_a_pipe(void **state)
{
	struct kscap_reader *r;
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	if (!pid) {
		char *data = slurp(session);
		struct stat st;

		close(fds[0]);
		stat(session, &st);
		if (write(fds[1], data, (size_t)st.st_size) != st.st_size)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(kscap_reader_fdopen(fds[0], "pipe", &r), 0);
	assert_int_equal(count_events(r), 10);
	kscap_reader_close(r);
	assert_int_equal(fcntl(fds[0], F_GETFD), -1);	/* closed with the reader */
	waitpid(pid, NULL, 0);
}

/* A program built when events had at most 2 parameters meets open_x (5). */
#define OLD_EVT_SIZE	(offsetof(struct kscap_evt, params) + 2 * sizeof(struct kscap_param))

static void older_struct_is_not_overrun(void **state)
{
	static struct evb b;
	union {
		struct kscap_evt evt;
		uint8_t bytes[sizeof(struct kscap_evt)];
	} u;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, 1, 3, "/x", &len);

	memset(&u, 0xa5, sizeof(u));
	assert_int_equal(kscap_evt_parse_sz(raw, len, &u.evt, OLD_EVT_SIZE), -E2BIG);
	assert_non_null(strstr(kscap_last_error(), "older libkscap.h"));
	/* nothing written past what the caller has */
	for (size_t i = OLD_EVT_SIZE; i < sizeof(u); i++)
		assert_int_equal(u.bytes[i], 0xa5);
	assert_int_equal(kscap_evt_parse_sz(raw, len, &u.evt, 8), -EINVAL);
	/* an event that fits is read */
	evb_start(&b, KSCAP_EV_CLOSE_X, 1, 1);
	evb_u64(&b, 0);
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse_sz(raw, len, &u.evt, OLD_EVT_SIZE), 0);
	assert_int_equal(u.evt.nparams, 1);
}

/* The reader and the live device skip what the caller cannot hold. */
static void older_struct_skips_events(void **state)
{
	static struct evb b;
	struct kscap_reader *r;
	struct kscap_evt evt;
	struct kscap *h;
	uint32_t len;
	const uint8_t *raw;
	int n = 0, big = 0, rc;

	assert_int_equal(kscap_reader_open(session, &r), 0);
	while ((rc = kscap_reader_next_sz(r, &evt, OLD_EVT_SIZE, NULL)) != 0) {
		if (rc == -E2BIG)
			big++;
		else
			assert_int_equal(rc, 1), n++;
	}
	kscap_reader_close(r);
	assert_int_equal(n + big, 10);
	assert_int_equal(big, 5);	/* two open, two clone and one execve exits */

	fakedev_init(1, 8192);
	assert_int_equal(kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, &h), 0);
	raw = ev_open_x(&b, 5, 1, 3, "/x", &len);
	assert_true(fakedev_produce(0, raw, len));
	evb_start(&b, KSCAP_EV_CLOSE_X, 6, 1);
	evb_u64(&b, 0);
	raw = evb_end(&b, &len);
	assert_true(fakedev_produce(0, raw, len));
	assert_int_equal(kscap_stop(h), 0);	/* nothing held back */
	assert_int_equal(kscap_next_sz(h, &evt, OLD_EVT_SIZE, NULL), -E2BIG);
	assert_int_equal(kscap_next_sz(h, &evt, OLD_EVT_SIZE, NULL), 1);
	assert_int_equal(evt.type, KSCAP_EV_CLOSE_X);
	assert_int_equal(kscap_next_sz(h, &evt, OLD_EVT_SIZE, NULL), 0);
	assert_int_equal(kscap_corrupt_count(h), 0);
	kscap_close(h);
	fakedev_fini();
}

/* A thread struct of an older (or this) size; less than 2.0's is refused. */
static void thread_struct_size(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = 7, .pid = 7, .comm = "x" };

	assert_int_equal(kscap_threads_add_sz(t, &th, sizeof(th)), 0);
	assert_int_equal(kscap_threads_find(t, 7)->pid, 7);
	assert_int_equal(kscap_threads_add_sz(t, &th, offsetof(struct kscap_thread, cwd)),
			 -EINVAL);
	kscap_threads_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runtime_version),
		cmocka_unit_test(version_is_the_maps_newest_node),
		cmocka_unit_test(table_through_functions),
		cmocka_unit_test(mask_size_is_the_sonames),
		cmocka_unit_test(reader_on_memory),
		cmocka_unit_test(reader_on_a_pipe),
		cmocka_unit_test(older_struct_is_not_overrun),
		cmocka_unit_test(older_struct_skips_events),
		cmocka_unit_test(thread_struct_size),
	};

	return cmocka_run_group_tests_name(__FILE__, tests, setup, teardown);
}
