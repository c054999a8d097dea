// SPDX-License-Identifier: MIT
/*
 * A capture file starts with the state sysdig's own files carry: the
 * machine's interfaces, users and groups, and each process's open fds.
 * Debian's sysdig reads such a file and names, from that state, an fd
 * opened before the capture, the user of a thread, and a connection's
 * local end (the address of one of our interfaces).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pwd.h>
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

#define SYSDIG "/usr/bin/sysdig"

static struct evb b;

/*
 * A capture of this process: a read of @fd, then a socket connected from
 * 127.0.0.1:40000 to 10.11.12.13:80. With @state, the file starts with
 * the machine's state.
 */
static void write_capture(const char *path, int fd, bool state)
{
	struct kscap_threads *t = kscap_threads_new();
	uint32_t lo = inet_addr("127.0.0.1"), far = inet_addr("10.11.12.13"), len;
	uint16_t sport = 40000, dport = 80;
	uint64_t tid = (uint64_t)getpid(), ts = 1700000000000000000ULL;
	struct kscap_writer *w;
	const uint8_t *raw;
	uint8_t tup[13];

	assert_int_equal(kscap_threads_scan_tid(t, NULL, getpid()), 1);
	if (state)
		assert_int_equal(kscap_writer_open_state(path, t, NULL, &w), 0);
	else
		assert_int_equal(kscap_writer_open(path, t, &w), 0);
	evb_start(&b, KSCAP_EV_READ_E, ts + 1000, tid);
	evb_u64(&b, (uint64_t)fd);
	evb_u32(&b, 5);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_READ_X, ts + 2000, tid);
	evb_u64(&b, 5);
	evb_raw(&b, "hello", 5);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_SOCKET_E, ts + 3000, tid);
	evb_u32(&b, 2);		/* AF_INET */
	evb_u32(&b, 1);		/* SOCK_STREAM */
	evb_u32(&b, 0);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_SOCKET_X, ts + 4000, tid);
	evb_u64(&b, 900);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_CONNECT_E, ts + 5000, tid);
	evb_u64(&b, 900);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	tup[0] = 2;
	memcpy(tup + 1, &lo, 4);
	memcpy(tup + 5, &sport, 2);
	memcpy(tup + 7, &far, 4);
	memcpy(tup + 11, &dport, 2);
	evb_start(&b, KSCAP_EV_CONNECT_X, ts + 6000, tid);
	evb_u64(&b, 0);
	evb_raw(&b, tup, sizeof(tup));
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);
	kscap_threads_free(t);
}

static void sysdig_names_from_state(void **state)
{
	char path[128], file[128], cmd[512], want[512];
	const struct passwd *pw = getpwuid(getuid());
	struct cli c;
	int fd;

	if (access(SYSDIG, X_OK))
		skip_because("no sysdig at %s", SYSDIG);
	assert_non_null(pw);
	snprintf(file, sizeof(file), "/tmp/kscap-test-%d-opened-before.txt", (int)getpid());
	fd = open(file, O_CREAT | O_RDWR | O_TRUNC, 0600);
	assert_true(fd >= 0);
	tmp_name(path, sizeof(path), "state");
	write_capture(path, fd, true);
	snprintf(cmd, sizeof(cmd), SYSDIG " -r %s -p '*%%evt.type %%fd.name %%user.name %%fd.lip'"
		 " 'evt.dir=< and (evt.type=read or evt.type=connect)'", path);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 2);
	snprintf(want, sizeof(want), "read %s %s <NA>\n", file, pw->pw_name);
	assert_non_null(strstr(c.out, want));
	/* the local end is the one an interface of ours has */
	snprintf(want, sizeof(want), "connect 127.0.0.1:40000->10.11.12.13:80 %s 127.0.0.1\n",
		 pw->pw_name);
	assert_non_null(strstr(c.out, want));
	cli_free(&c);
	unlink(path);

	/* without the state, sysdig cannot tell these (a check that the
	 * names above came from it) */
	write_capture(path, fd, false);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "read  <NA> <NA>\n"));
	assert_non_null(strstr(c.out, ">10.11.12.13:80 <NA> 10.11.12.13\n"));
	cli_free(&c);
	unlink(path);
	close(fd);
	unlink(file);
}

/* A TCP connection on loopback: the listener, the client and the
 * accepted end; the ports in @lport and @cport. */
static void tcp_pair(int fds[3], uint16_t *lport, uint16_t *cport)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	a.sin_addr.s_addr = inet_addr("127.0.0.1");
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fds[0] >= 0);
	assert_int_equal(bind(fds[0], (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fds[0], 1), 0);
	assert_int_equal(getsockname(fds[0], (struct sockaddr *)&a, &alen), 0);
	*lport = ntohs(a.sin_port);
	fds[1] = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fds[1], (struct sockaddr *)&a, sizeof(a)), 0);
	alen = sizeof(a);
	assert_int_equal(getsockname(fds[1], (struct sockaddr *)&a, &alen), 0);
	*cport = ntohs(a.sin_port);
	fds[2] = accept(fds[0], NULL, NULL);
	assert_true(fds[2] >= 0);
}

/* Sockets opened before the capture: sysdig names the connection and
 * the listener. */
static void sysdig_names_sockets(void **state)
{
	char path[128], cmd[512], want[256];
	uint16_t lport, cport;
	struct cli c;
	int fds[3], i;

	if (access(SYSDIG, X_OK))
		skip_because("no sysdig at %s", SYSDIG);
	tcp_pair(fds, &lport, &cport);
	for (i = 0; i < 2; i++) {
		tmp_name(path, sizeof(path), "socks");
		write_capture(path, fds[i], true);
		snprintf(cmd, sizeof(cmd), SYSDIG " -r %s -p '*%%fd.type %%fd.name %%fd.l4proto'"
			 " 'evt.dir=< and evt.type=read'", path);
		cli_run(&c, cmd);
		assert_int_equal(c.status, 0);
		if (i)
			snprintf(want, sizeof(want), "ipv4 127.0.0.1:%u->127.0.0.1:%u tcp\n",
				 cport, lport);
		else
			snprintf(want, sizeof(want), "ipv4 127.0.0.1:%u tcp\n", lport);
		assert_string_equal(c.out, want);
		cli_free(&c);
		unlink(path);
	}
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

/* Our own reader steps over the state blocks without counting them. */
static void reader_knows_state_blocks(void **state)
{
	struct kscap_reader_counts rc;
	struct kscap_reader *r;
	struct kscap_evt evt;
	char path[128];
	int n = 0;

	tmp_name(path, sizeof(path), "state2");
	write_capture(path, 0, true);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	while (kscap_reader_next(r, &evt, NULL) == 1)
		n++;
	kscap_reader_counts(r, &rc);
	assert_int_equal(n, 6);
	assert_int_equal(rc.unknown_blocks, 0);
	kscap_reader_close(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysdig_names_from_state),
		cmocka_unit_test(sysdig_names_sockets),
		cmocka_unit_test(reader_knows_state_blocks),
	};

	return RUN(tests);
}
