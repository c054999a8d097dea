// SPDX-License-Identifier: MIT
/* The real sysdig (Falco's reader, Debian's sysdig package) reads the
 * capture files libkscap writes, with the right names and values. */
#include <arpa/inet.h>
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

#define SYSDIG "/usr/bin/sysdig"

static struct evb b;

static void need_sysdig(void)
{
	if (access(SYSDIG, X_OK))
		skip_because("no sysdig at %s", SYSDIG);
}

static void sysdig_reads_session(void **state)
{
	char path[128], cmd[256], line[1024];
	struct cli c;

	need_sysdig();
	tmp_name(path, sizeof(path), "sysdig");
	write_session(path);
	snprintf(cmd, sizeof(cmd), SYSDIG " -r %s", path);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 10);
	/* comm from our process list block, params decoded by sysdig itself */
	line_of(c.out, 1, line, sizeof(line));
	assert_non_null(strstr(line, "bash (100) < open fd=3(<f>/etc/passwd) name=/etc/passwd "
			       "flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=803"));
	line_of(c.out, 3, line, sizeof(line));
	assert_non_null(strstr(line, "bash (100) < clone res=101(bash)"));
	line_of(c.out, 6, line, sizeof(line));
	assert_non_null(strstr(line, "ls (101) < execve res=0 exe=ls args=-l./nope."));
	line_of(c.out, 8, line, sizeof(line));
	assert_non_null(strstr(line, "ls (101) < open fd=-2(ENOENT) name=/nope"));
	line_of(c.out, 9, line, sizeof(line));
	assert_non_null(strstr(line, "ls (101) > procexit status=0"));
	cli_free(&c);
	unlink(path);
}

static void write_one(struct kscap_writer *w, const uint8_t *raw, const uint32_t *len)
{
	write_evt(w, raw, len, 0);
}

/* Network and signal parameters, and a generic syscall. */
static void sysdig_reads_params(void **state)
{
	char path[128], cmd[256];
	struct kscap_writer *w;
	uint8_t tup[13];
	uint32_t a = inet_addr("127.0.0.1"), len;
	uint16_t p1 = 5000, p2 = 6000;
	const uint8_t *raw;
	struct cli c;

	need_sysdig();
	tmp_name(path, sizeof(path), "params");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	tup[0] = 2;
	memcpy(tup + 1, &a, 4);
	memcpy(tup + 5, &p1, 2);
	memcpy(tup + 7, &a, 4);
	memcpy(tup + 11, &p2, 2);
	evb_start(&b, KSCAP_EV_CONNECT_X, 1000, 50);
	evb_u64(&b, 0);
	evb_raw(&b, tup, sizeof(tup));
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	evb_start(&b, KSCAP_EV_KILL_E, 2000, 50);
	evb_u64(&b, 77);
	evb_u8(&b, 15);
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	evb_start(&b, KSCAP_EV_READ_X, 3000, 50);
	evb_u64(&b, 5);
	evb_raw(&b, "hello", 5);
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	evb_start(&b, KSCAP_EV_GENERIC_E, 4000, 50);	/* getpid: scap code 16 */
	evb_u16(&b, 16);
	evb_u16(&b, 39);
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	assert_int_equal(kscap_writer_close(w), 0);

	snprintf(cmd, sizeof(cmd), SYSDIG " -r %s", path);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 4);
	assert_non_null(strstr(c.out, "< connect res=0 tuple=127.0.0.1:5000->127.0.0.1:6000"));
	assert_non_null(strstr(c.out, "> kill pid=77 sig=15(SIGTERM)"));
	assert_non_null(strstr(c.out, "< read res=5 data=hello"));
	assert_non_null(strstr(c.out, "> getpid"));
	cli_free(&c);
	unlink(path);
}

/*
 * A generic exit with the return value kscap appends to the reference row
 * (uapi/kscap_event_table.h): sysdig reads it as the plain row, and the
 * events after it too.
 */
static void sysdig_reads_generic_exit_with_res(void **state)
{
	char path[128], cmd[256];
	struct kscap_writer *w;
	const uint8_t *raw;
	struct cli c;
	uint32_t len;

	need_sysdig();
	tmp_name(path, sizeof(path), "genres");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	evb_start(&b, KSCAP_EV_GENERIC_E, 1000, 50);	/* readlink: scap code 51 */
	evb_u16(&b, 51);
	evb_u16(&b, 89);
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	evb_start(&b, KSCAP_EV_GENERIC_X, 2000, 50);
	evb_u16(&b, 51);
	evb_u64(&b, (uint64_t)-2);			/* res = -ENOENT */
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	evb_start(&b, KSCAP_EV_READ_X, 3000, 50);
	evb_u64(&b, 5);
	evb_raw(&b, "hello", 5);
	raw = evb_end(&b, &len);
	write_one(w, raw, &len);
	assert_int_equal(kscap_writer_close(w), 0);

	snprintf(cmd, sizeof(cmd), SYSDIG " -r %s", path);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 3);
	assert_non_null(strstr(c.out, "> readlink"));
	assert_non_null(strstr(c.out, "< readlink"));
	assert_non_null(strstr(c.out, "< read res=5 data=hello"));
	cli_free(&c);
	unlink(path);
}

/* What scapdump -w writes (here from a file) is readable too. */
static void sysdig_reads_scapdump_output(void **state)
{
	char in[128], out[128], cmd[512];
	struct cli c;

	need_sysdig();
	tmp_name(in, sizeof(in), "in");
	tmp_name(out, sizeof(out), "out");
	write_session(in);
	snprintf(cmd, sizeof(cmd), "$SCAPDUMP -r %s -w %s -e open", in, out);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	cli_free(&c);
	snprintf(cmd, sizeof(cmd), SYSDIG " -r %s", out);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 4);
	assert_non_null(strstr(c.out, "bash (100) < open fd=3(<f>/etc/passwd)"));
	cli_free(&c);
	unlink(in);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysdig_reads_session),
		cmocka_unit_test(sysdig_reads_params),
		cmocka_unit_test(sysdig_reads_generic_exit_with_res),
		cmocka_unit_test(sysdig_reads_scapdump_output),
	};

	return RUN(tests);
}
