// SPDX-License-Identifier: MIT
/* scapdump's live path against the fake device (fake_scapdump.c): the
 * poll loop, -n, SIGINT/SIGTERM with a complete file, the stats line,
 * live JSON latencies and summary, its own events left out, a full disk,
 * and no busy waiting. */
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

#define FAKE "'" SCAPDUMP_FAKE_BIN "'"

static void stops_after_count(void **state)
{
	struct cli c;

	cli_runf(&c, FAKE " -n 6");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 6);
	assert_non_null(strstr(c.out, "< open fd=-2(ENOENT) name=/etc/hosts"));
	assert_non_null(strstr(c.err, "events captured, 0 dropped"));
	assert_non_null(strstr(c.err, "6 shown"));
	cli_free(&c);
}

static void sigint_leaves_complete_file(void **state)
{
	char out[128];
	struct cli c;

	tmp_name(out, sizeof(out), "live");
	cli_runf(&c, "FAKE_EVENTS=3000 " FAKE " -w %s & pid=$!; sleep 1.5; kill -INT $pid; wait $pid",
	    out);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.err, "scapdump: 3000 events captured, 0 dropped"));
	cli_free(&c);
	assert_int_equal(capfile_events(out), 3000);
	unlink(out);
}

static void idle_does_not_spin(void **state)
{
	struct cli c;
	unsigned int polls = 0;
	const char *p;

	cli_runf(&c, "FAKE_EVENTS=0 " FAKE " & pid=$!; sleep 1.2; kill -TERM $pid; wait $pid");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 0);
	p = strstr(c.err, "fakedev: polls=");
	assert_non_null(p);
	polls = (unsigned int)strtoul(p + 15, NULL, 10);
	/* blocked in poll() with a timeout: a handful of calls, not millions */
	assert_true(polls >= 2 && polls <= 20);
	assert_non_null(strstr(c.err, "0 events captured"));
	cli_free(&c);
}

static void live_json_has_latency(void **state)
{
	struct cli c;

	cli_runf(&c, FAKE " -j -n 4 -e open");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 4);
	assert_non_null(strstr(c.out, "\"ret\":-2,\"error\":\"ENOENT\",\"latency_ns\":1500}"));
	assert_non_null(strstr(c.out, "\"ret\":3,\"error\":\"\",\"latency_ns\":1500}"));
	cli_free(&c);
}

/* A CPU that commits late must not make the output go back in time. */
static void live_output_in_time_order(void **state)
{
	struct cli c;
	const char *p;
	uint64_t last = 0;
	unsigned int n = 0;

	cli_runf(&c, "FAKE_LATE=1 FAKE_EVENTS=40 " FAKE " -j -n 40");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 40);
	for (p = c.out; (p = strstr(p, "\"ts\":")); p++, n++) {
		uint64_t ts = strtoull(p + 5, NULL, 10);

		if (ts < last)
			fail_msg("line %u: ts %llu after %llu", n + 1, (unsigned long long)ts,
				 (unsigned long long)last);
		last = ts;
	}
	assert_int_equal(n, 40);
	/* and every exit found its enter */
	assert_null(strstr(c.out, "\"latency_ns\":null"));
	cli_free(&c);
}

static void live_summary(void **state)
{
	struct cli c;

	cli_runf(&c, "FAKE_EVENTS=200 " FAKE " --summary & pid=$!; sleep 1; kill -INT $pid; wait $pid");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "--- file: 100 calls"));
	assert_non_null(strstr(c.out, "ENOENT:20"));
	/* every open paired with its enter, 1.5 us apart (most of them
	 * counted inline, the failures the slow way): the sums, average and
	 * percentiles of 100 such calls */
	assert_non_null(strstr(c.out, "0.000150       100       20  20.00       1.50       1.50"
				      "       1.50  open "));
	cli_free(&c);
	/* -n within a batch: exactly that many events, 18 of them exits */
	cli_runf(&c, "FAKE_EVENTS=200 " FAKE " --summary -n 37");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.err, " 37 shown"));
	assert_non_null(strstr(c.out, "--- file: 18 calls"));
	cli_free(&c);
}

/* Lines of @out whose thread is 100 or 101 (the fake's other process). */
static unsigned int others(const char *out)
{
	unsigned int n = 0;
	const char *p;

	for (p = out; (p = strstr(p, ") ")); p++)
		if (p - out >= 5 && (!strncmp(p - 5, " (100", 5) || !strncmp(p - 5, " (101", 5)))
			n++;
	return n;
}

/*
 * scapdump leaves out its own events live (FAKE_SELF: 40 events, half of
 * them of its main thread or the producer thread, both its own), on every
 * path: printed (decoded), -w (raw), --summary (raw stats); counted on
 * the stats line. --include-self keeps them.
 */
static void live_leaves_self_out(void **state)
{
	char out[128];
	struct cli c;

	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " -n 20");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 20);
	assert_int_equal(others(c.out), 20);
	assert_non_null(strstr(c.err, " 20 shown, 20 of scapdump itself left out\n"));
	cli_free(&c);
	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " -n 40 --include-self");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 40);
	assert_int_equal(others(c.out), 20);
	assert_non_null(strstr(c.err, " 40 shown\n"));
	assert_null(strstr(c.err, "left out"));
	cli_free(&c);

	tmp_name(out, sizeof(out), "self");
	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " -w %s & pid=$!; sleep 1; kill -INT $pid;"
		 " wait $pid", out);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.err, " 20 shown, 20 of scapdump itself left out\n"));
	cli_free(&c);
	assert_int_equal(capfile_events(out), 20);
	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " -w %s --include-self & pid=$!; sleep 1;"
		 " kill -INT $pid; wait $pid", out);
	assert_int_equal(c.status, 0);
	cli_free(&c);
	assert_int_equal(capfile_events(out), 40);
	unlink(out);

	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " --summary & pid=$!; sleep 1;"
		 " kill -INT $pid; wait $pid");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "--- file: 10 calls"));
	assert_non_null(strstr(c.err, " 20 shown, 20 of scapdump itself left out\n"));
	cli_free(&c);
	cli_runf(&c, "FAKE_SELF=1 FAKE_EVENTS=40 " FAKE " --summary --include-self & pid=$!;"
		 " sleep 1; kill -INT $pid; wait $pid");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "--- file: 20 calls"));
	cli_free(&c);
}

/*
 * A capture file that fills its disk mid-capture (/dev/full: every write
 * fails with ENOSPC, the first when the 1 MiB buffer first goes out):
 * scapdump says so once, naming the file, and stops by itself with
 * status 1 instead of going on capturing into nothing.
 */
static void live_disk_full(void **state)
{
	const char *p;
	struct cli c;
	int n = 0;

	cli_runf(&c, "FAKE_EVENTS=40000 timeout 20 " FAKE " -w /dev/full");
	assert_int_equal(c.status, 1);
	for (p = c.err; (p = strstr(p, "No space left")); p++)
		n++;
	if (n != 1 || !strstr(c.err, "scapdump: /dev/full: write: No space left on device"))
		fail_msg("want one line naming /dev/full and ENOSPC, stderr: %s", c.err);
	assert_non_null(strstr(c.err, "events captured"));
	cli_free(&c);
}

static void busy_device_and_abi_mismatch(void **state)
{
	struct cli c;

	cli_runf(&c, "FAKE_BUSY=1 " FAKE);
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "busy: another consumer has it open"));
	cli_free(&c);
	cli_runf(&c, "FAKE_ABI=7 " FAKE);
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "ABI mismatch: the module speaks 7.0"));
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stops_after_count),
		cmocka_unit_test(sigint_leaves_complete_file),
		cmocka_unit_test(idle_does_not_spin),
		cmocka_unit_test(live_json_has_latency),
		cmocka_unit_test(live_output_in_time_order),
		cmocka_unit_test(live_summary),
		cmocka_unit_test(live_leaves_self_out),
		cmocka_unit_test(live_disk_full),
		cmocka_unit_test(busy_device_and_abi_mismatch),
	};

	return RUN(tests);
}
