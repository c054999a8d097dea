// SPDX-License-Identifier: MIT
/* scapdump's command line: options, exit statuses, one-line errors, and
 * the output of a capture file as text, JSON and a summary. */
#include <signal.h>
#include <sys/stat.h>
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

static char session[128];

static int setup(void **state)
{
	tmp_name(session, sizeof(session), "cli");
	write_session(session);
	return 0;
}

static int teardown(void **state)
{
	unlink(session);
	return 0;
}

static void help_and_version(void **state)
{
	struct cli c;
	char want[64];

	cli_runf(&c, "$SCAPDUMP --help");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "Usage: scapdump"));
	assert_non_null(strstr(c.out, "--summary"));
	cli_free(&c);
	cli_runf(&c, "$SCAPDUMP -V");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "ABI 1."));
	/* the one it runs with: this tree's */
	snprintf(want, sizeof(want), "libkscap %u.%u", kscap_version() >> 16,
		 kscap_version() & 0xffff);
	assert_non_null(strstr(c.out, want));
	cli_free(&c);
}

/* Every usage error: status 2 and exactly one line on stderr. */
static void usage_errors(void **state)
{
	static const char *const bad[] = {
		"--bogus", "-x", "-n", "-n 0", "-n abc", "-s 0", "-s 70000",
		"-e nosuchevent", "--category bogus", "-d sideways", "-p -3",
		"-f", "extra-arg", "-r /tmp/x.scap -s 100",
		/* one strict number parser */
		"-n ' -1'", "-n -1", "-n +5", "-n 0x10", "-n '5 '", "-p ' 5'", "-p +5",
		"-t 2147483648", "-s ' 100'",
		/* an empty event list would capture everything */
		"-e ''", "-e ,", "-e open,,close", "-e open,",
		/* -j prints events: not with -w or --summary */
		"-j -w /tmp/x.scap", "-j --summary",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cli c;

		cli_runf(&c, "$SCAPDUMP %s", bad[i]);
		/* a usage error, not the missing module a loose parse gets to */
		if (c.status != 2 || c.err_lines != 1 || strncmp(c.err, "scapdump: ", 10) ||
		    !strstr(c.err, "(see scapdump --help)"))
			fail_msg("'%s': status %d, stderr: %s", bad[i], c.status, c.err);
		cli_free(&c);
	}
}

static void missing_module(void **state)
{
	struct cli c;

	cli_runf(&c, "$SCAPDUMP --device /nonexistent/kscap");
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "is the kscap module loaded?"));
	cli_free(&c);
}

static void unreadable_files(void **state)
{
	char path[128];
	struct cli c;
	FILE *f;

	cli_runf(&c, "$SCAPDUMP -r /nonexistent/file.scap");
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "No such file"));
	cli_free(&c);

	tmp_name(path, sizeof(path), "garbage");
	f = fopen(path, "w");
	fputs("this is not a capture\n", f);
	fclose(f);
	cli_runf(&c, "$SCAPDUMP -r %s", path);
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "not a scap capture file"));
	cli_free(&c);
	unlink(path);
}

/* Corruption found while reading: the events before it, then status 1. */
static void truncated_file(void **state)
{
	char path[128], cmd[512];
	struct cli c;
	struct stat st;


	stat(session, &st);
	tmp_name(path, sizeof(path), "trunc");
	snprintf(cmd, sizeof(cmd), "head -c %ld %s > %s", (long)st.st_size - 10, session, path);
	assert_int_equal(system(cmd), 0);
	cli_runf(&c, "$SCAPDUMP -r %s", path);
	assert_int_equal(c.status, 1);
	assert_int_equal(c.out_lines, 9);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "truncated"));
	cli_free(&c);
	unlink(path);
}

static void text_lines(void **state)
{
	struct cli c;
	char line[512];

	cli_runf(&c, "$SCAPDUMP -r %s", session);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 10);
	assert_string_equal(c.err, "");
	/* num time cpu comm (tid) dir name params */
	line_of(c.out, 1, line, sizeof(line));
	assert_non_null(strstr(line, " 0 bash (100) < open fd=3 name=/etc/passwd "
			       "flags=O_RDONLY|O_CLOEXEC mode=0 dev=0x803"));
	assert_true(!strncmp(line, "2 ", 2));
	/* after the execve the thread is ls, with its new arguments */
	line_of(c.out, 6, line, sizeof(line));
	assert_non_null(strstr(line, "ls (101) < execve res=0 exe=ls args=[-l /nope]"));
	line_of(c.out, 8, line, sizeof(line));
	assert_non_null(strstr(line, " 1 ls (101) < open fd=-2(ENOENT) name=/nope"));
	line_of(c.out, 9, line, sizeof(line));
	assert_non_null(strstr(line, "ls (101) > procexit status=0"));
	cli_free(&c);
}

static void json_lines(void **state)
{
	struct cli c;
	char line[2048];

	cli_runf(&c, "$SCAPDUMP -j -r %s", session);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 10);
	line_of(c.out, 8, line, sizeof(line));
	assert_string_equal(line,
		"{\"num\":9,\"ts\":1700000000000021000,\"cpu\":1,\"pid\":101,\"tid\":101,"
		"\"comm\":\"ls\",\"dir\":\"<\",\"type\":\"open\",\"params\":{\"fd\":-2,"
		"\"name\":\"/nope\",\"flags\":\"O_RDONLY|O_CLOEXEC\",\"mode\":0,\"dev\":2051},"
		"\"ret\":-2,\"error\":\"ENOENT\",\"latency_ns\":5000}");
	line_of(c.out, 0, line, sizeof(line));
	assert_string_equal(line,
		"{\"num\":1,\"ts\":1700000000000001000,\"cpu\":0,\"pid\":100,\"tid\":100,"
		"\"comm\":\"bash\",\"dir\":\">\",\"type\":\"open\",\"params\":{}}");
	line_of(c.out, 1, line, sizeof(line));
	assert_non_null(strstr(line, "\"ret\":3,\"error\":\"\",\"latency_ns\":2000}"));
	cli_free(&c);
}

/*
 * A thread whose comm holds a terminal escape and UTF-8 makes a generic
 * call (getpid) and a bpf call, both with their enter; then a generic
 * exit without its enter.
 */
static void write_odd_session(const char *path)
{
	static struct evb b;
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = 200, .pid = 200, .ptid = 1,
				   .comm = "x\x1b[2J\\t\xc3\xa9", .exe = "x" };
	uint8_t dyn[9] = { 0, 5 };	/* res_or_fd: fd 5 */
	struct kscap_writer *w;
	uint64_t ts = 1700000000000000000ULL;
	uint32_t len;
	const uint8_t *raw;
	uint16_t code = 1;

	while (code < 1000 && !(kscap_syscall_code_name(code) &&
				!strcmp(kscap_syscall_code_name(code), "getpid")))
		code++;
	assert_int_not_equal(code, 1000);
	assert_int_equal(kscap_threads_add(t, &th), 0);
	assert_int_equal(kscap_writer_open(path, t, &w), 0);
	evb_start(&b, KSCAP_EV_GENERIC_E, ts + 1000, 200);
	evb_u16(&b, code);
	evb_u16(&b, 39);	/* getpid */
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_GENERIC_X, ts + 1700, 200);
	evb_u16(&b, code);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_BPF_E, ts + 2000, 200);
	evb_u64(&b, 5);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_BPF_X, ts + 2500, 200);
	evb_raw(&b, dyn, sizeof(dyn));
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_GENERIC_X, ts + 3000, 200);
	evb_u16(&b, code);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);
	kscap_threads_free(t);
}

static void json_every_exit(void **state)
{
	char path[128], line[2048];
	struct cli c;

	tmp_name(path, sizeof(path), "odd");
	write_odd_session(path);
	cli_runf(&c, "$SCAPDUMP -j -r %s", path);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 5);
	/* a generic exit paired with its enter has its latency */
	line_of(c.out, 1, line, sizeof(line));
	assert_non_null(strstr(line, "\"type\":\"getpid\""));
	assert_non_null(strstr(line, ",\"latency_ns\":700}"));
	/* bpf's result is res_or_fd */
	line_of(c.out, 3, line, sizeof(line));
	assert_non_null(strstr(line, "\"ret\":5,\"error\":\"\",\"latency_ns\":500}"));
	/* no enter: null */
	line_of(c.out, 4, line, sizeof(line));
	assert_non_null(strstr(line, ",\"latency_ns\":null}"));
	/* one escaper: controls escaped, UTF-8 as it is */
	assert_non_null(strstr(line, "\"comm\":\"x\\u001b[2J\\\\t\xc3\xa9\""));
	/* enters have no latency */
	line_of(c.out, 0, line, sizeof(line));
	assert_null(strstr(line, "latency_ns"));
	cli_free(&c);

	/* text: comm escaped like parameters */
	cli_runf(&c, "$SCAPDUMP -r %s -n 1", path);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, " 0 x\\x1b[2J\\\\t\xc3\xa9 (200) > getpid"));
	assert_null(strchr(c.out, 0x1b));
	cli_free(&c);
	unlink(path);
}

/* -r X -w X would truncate X before reading it: refused, X intact. */
static void same_file_refused(void **state)
{
	char other[128];
	struct stat before, after;
	struct cli c;

	stat(session, &before);
	cli_runf(&c, "$SCAPDUMP -r %s -w %s", session, session);
	assert_int_equal(c.status, 2);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "same file"));
	cli_free(&c);
	/* another name of the same file */
	tmp_name(other, sizeof(other), "hardlink");
	assert_int_equal(link(session, other), 0);
	cli_runf(&c, "$SCAPDUMP -r %s -w %s", session, other);
	assert_int_equal(c.status, 2);
	cli_free(&c);
	cli_runf(&c, "$SCAPDUMP -r - -w %s < %s", other, session);
	assert_int_equal(c.status, 2);
	cli_free(&c);
	unlink(other);
	stat(session, &after);
	assert_int_equal(after.st_size, before.st_size);
}

/* Output that cannot be written is an error on every path. */
static void write_errors_reported(void **state)
{
	static const char *const opts[] = { "-L", "-h", "-V", "-r SESSION", "-j -r SESSION" };
	char cmd[256];
	size_t i;
	struct cli c;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(cmd, sizeof(cmd), "$SCAPDUMP %s >/dev/full", opts[i]);
		if (strstr(opts[i], "SESSION"))
			snprintf(cmd, sizeof(cmd), "$SCAPDUMP %.*s%s >/dev/full",
				 (int)(strstr(opts[i], "SESSION") - opts[i]), opts[i], session);
		cli_runf(&c, "%s", cmd);
		if (c.status != 1 || c.err_lines != 1 || !strstr(c.err, "No space left"))
			fail_msg("'%s': status %d, stderr: %s", opts[i], c.status, c.err);
		cli_free(&c);
	}
	/* a capture file that cannot be written is named */
	cli_runf(&c, "$SCAPDUMP -r %s -w /dev/full", session);
	assert_int_not_equal(c.status, 0);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "scapdump: /dev/full: "));
	assert_non_null(strstr(c.err, "No space left"));
	cli_free(&c);
}

/* -r - reads standard input, a pipe too. */
static void read_stdin(void **state)
{
	struct cli c;

	cli_runf(&c, "$SCAPDUMP -r - < %s", session);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 10);
	cli_free(&c);
	cli_runf(&c, "cat %s | $SCAPDUMP -j -r -", session);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 10);
	cli_free(&c);
}

static size_t lines_of(const char *opts)
{
	struct cli c;
	size_t n;

	cli_runf(&c, "$SCAPDUMP -r %s %s", session, opts);
	assert_int_equal(c.status, 0);
	n = c.out_lines;
	cli_free(&c);
	return n;
}

static void filters_and_count(void **state)
{
	assert_int_equal(lines_of("-n 3"), 3);
	assert_int_equal(lines_of("-e open"), 4);
	assert_int_equal(lines_of("-e open --failed"), 1);
	assert_int_equal(lines_of("-e open,execve -d '<'"), 3);
	assert_int_equal(lines_of("-p 100"), 4);		/* bash alone */
	assert_int_equal(lines_of("-p 100 -f"), 10);	/* and its child */
	assert_int_equal(lines_of("-t 101"), 6);
	assert_int_equal(lines_of("-t 100 -f"), 10);	/* 101 was created by 100 */
	assert_int_equal(lines_of("-c ls"), 4);
	assert_int_equal(lines_of("--category process"), 6);
	assert_int_equal(lines_of("--default-set"), 10);
	assert_int_equal(lines_of("-e close"), 0);
}

static void summary_of_file(void **state)
{
	struct cli c;

	cli_runf(&c, "$SCAPDUMP --summary -r %s", session);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "--- file: 2 calls"));
	assert_non_null(strstr(c.out, "--- process: 3 calls"));
	assert_non_null(strstr(c.out, "open               ENOENT:1"));
	assert_non_null(strstr(c.out, "total"));
	/* process (15 us) comes before file (7 us): sorted by time */
	assert_true(strstr(c.out, "--- process") < strstr(c.out, "--- file"));
	cli_free(&c);
}

static void write_converts_and_filters(void **state)
{
	char out[128];
	struct kscap_reader *r;
	struct kscap_evt evt;
	struct cli c;
	int n = 0;

	tmp_name(out, sizeof(out), "conv");
	cli_runf(&c, "$SCAPDUMP -r %s -w %s -e open", session, out);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 0);	/* written, not printed */
	cli_free(&c);
	assert_int_equal(kscap_reader_open(out, &r), 0);
	assert_non_null(kscap_threads_find(kscap_reader_threads(r), 100));
	while (kscap_reader_next(r, &evt, NULL) == 1) {
		assert_string_equal(evt.info->name, "open");
		n++;
	}
	assert_int_equal(n, 4);
	kscap_reader_close(r);
	unlink(out);
}

static void write_and_summary_together(void **state)
{
	char out[128];
	struct cli c;

	tmp_name(out, sizeof(out), "both");
	cli_runf(&c, "$SCAPDUMP -r %s -w %s --summary", session, out);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "--- file: 2 calls"));
	cli_free(&c);
	assert_int_equal(capfile_events(out), 10);
	unlink(out);
}

/* SIGTERM while reading a pipe: the output file is complete, status 0. */
static void sigterm_stops_cleanly(void **state)
{
	char fifo[128], out[128];
	struct cli c;

	tmp_name(fifo, sizeof(fifo), "fifo");
	tmp_name(out, sizeof(out), "sig");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* the writer keeps the pipe open after the file, like a live source */
	cli_runf(&c, "(cat %s; sleep 5) > %s & "
		"$SCAPDUMP -r %s -w %s & pid=$!; sleep 1; kill -TERM $pid; wait $pid",
	    session, fifo, fifo, out);
	assert_int_equal(c.status, 0);
	cli_free(&c);
	assert_int_equal(capfile_events(out), 10);
	unlink(out);
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help_and_version),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(missing_module),
		cmocka_unit_test(unreadable_files),
		cmocka_unit_test(truncated_file),
		cmocka_unit_test(text_lines),
		cmocka_unit_test(json_lines),
		cmocka_unit_test(json_every_exit),
		cmocka_unit_test(same_file_refused),
		cmocka_unit_test(write_errors_reported),
		cmocka_unit_test(read_stdin),
		cmocka_unit_test(filters_and_count),
		cmocka_unit_test(summary_of_file),
		cmocka_unit_test(write_converts_and_filters),
		cmocka_unit_test(write_and_summary_together),
		cmocka_unit_test(sigterm_stops_cleanly),
	};

	return cmocka_run_group_tests_name(__FILE__, tests, setup, teardown);
}
