// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/fill_net.c: SOCKADDR and SOCKTUPLE bytes for
 * AF_INET, AF_INET6, AF_UNIX (path, abstract, unnamed) and other
 * families; bounded lengths; socket option DYN values; iovec sizes and
 * data; bad user pointers (an empty value and a counted fault, never a
 * crash); and tuples of real kernel sockets connected over loopback.
 *
 * Expected bytes are written out (family codes, network-order addresses,
 * host-order ports), not built with the module's helpers, so a wrong
 * encoding cannot agree with itself. Everything that reads a socket or
 * user memory runs under preempt_disable(), as in a probe, so that
 * DEBUG_ATOMIC_SLEEP and lockdep report anything that could sleep.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/un.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/tcp_states.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include "encoders.h"
#include "fillers.h"
#include "fill_net.h"
#include "kunit_user.h"

#define BUF_LEN		1024
#define ONE_PARAM	(KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE)	/* value offset */

/* fill_net.c bounds BYTEBUFs with kscap_snap(): the capture's snaplen. */
#define NET_TEST_SNAPLEN	80

struct one {
	u8 buf[BUF_LEN];
	struct kscap_event_writer w;
};

/* A one-parameter event in @o, ready for one put. */
static void one_begin(struct one *o)
{
	memset(o->buf, 0xa5, sizeof(o->buf));
	kscap_w_begin(&o->w, o->buf, sizeof(o->buf), 0, 1, 0, 0);
}

static void expect_bytes(struct kunit *test, const u8 *got, u32 got_len,
			 const void *want, u32 want_len, const char *what)
{
	KUNIT_EXPECT_EQ_MSG(test, got_len, want_len, "%s: length", what);
	if (got_len == want_len && memcmp(got, want, want_len)) {
		KUNIT_FAIL(test, "%s: bytes differ", what);
		print_hex_dump(KERN_INFO, "got:  ", DUMP_PREFIX_OFFSET, 16, 1,
			       got, got_len, false);
		print_hex_dump(KERN_INFO, "want: ", DUMP_PREFIX_OFFSET, 16, 1,
			       want, want_len, false);
	}
}

/* Close the event and compare its one parameter with @want. */
static void one_expect(struct kunit *test, struct one *o, const void *want,
		       u32 want_len, const char *what)
{
	u32 len = kscap_w_end(&o->w);

	KUNIT_ASSERT_NE_MSG(test, len, 0U, "%s: event did not fit", what);
	KUNIT_EXPECT_EQ_MSG(test, len, (u32)ONE_PARAM + want_len, "%s: event length", what);
	expect_bytes(test, o->buf + ONE_PARAM, get_unaligned_le16(o->buf + KSCAP_HDR_LEN),
		     want, want_len, what);
}

/* ---- SOCKADDR ---- */

static struct sockaddr_storage ss_in4(const u8 ip[4], u16 port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0x5a, sizeof(ss));	/* garbage past the address */
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	memcpy(&sin->sin_addr, ip, 4);
	memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	return ss;
}

static struct sockaddr_storage ss_in6(const u8 ip[16], u16 port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0x5a, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_flowinfo = 0;
	memcpy(&sin6->sin6_addr, ip, 16);
	sin6->sin6_scope_id = 0;
	return ss;
}

/* A sockaddr_un of @n path bytes (no NUL added); returns its length. */
static u32 ss_un(struct sockaddr_storage *ss, const char *path, u32 n)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)ss;

	memset(ss, 'Z', sizeof(*ss));	/* no NUL after the path */
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	return offsetof(struct sockaddr_un, sun_path) + n;
}

static const u8 ip4_lo[4] = { 127, 0, 0, 1 };
static const u8 ip4_x[4] = { 10, 1, 2, 3 };
static const u8 ip6_lo[16] = { [15] = 1 };
static const u8 ip6_x[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xbe, [15] = 0xef };

static void net_sockaddr_inet(struct kunit *test)
{
	static const u8 want4[] = { 2, 127, 0, 0, 1, 0x39, 0x30 };	/* :12345 */
	static const u8 want6[] = { 10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				    0, 0, 0, 0, 0, 0, 0xbe, 0xef, 0x50, 0x00 };	/* :80 */
	struct sockaddr_storage ss;
	struct one o;

	ss = ss_in4(ip4_lo, 12345);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, sizeof(struct sockaddr_in));
	one_expect(test, &o, want4, sizeof(want4), "v4");

	/* Only the fields the encoding needs must be there. */
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 8);
	one_expect(test, &o, want4, sizeof(want4), "v4, 8 bytes");
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 7);
	one_expect(test, &o, NULL, 0, "v4, 7 bytes: too short");

	/* An oversized length is the storage's size; the bytes are the same. */
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 100000);
	one_expect(test, &o, want4, sizeof(want4), "v4, huge length");

	ss = ss_in6(ip6_x, 80);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, sizeof(struct sockaddr_in6));
	one_expect(test, &o, want6, sizeof(want6), "v6");
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 24);	/* no scope id: still valid */
	one_expect(test, &o, want6, sizeof(want6), "v6, 24 bytes");
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 23);
	one_expect(test, &o, NULL, 0, "v6, 23 bytes: too short");
}

static void net_sockaddr_unix(struct kunit *test)
{
	static const u8 want_path[] = "\x01/run/x.sock";
	static const u8 want_abs[] = "\x01@abs\x00name";	/* up to the name's NUL */
	static const u8 want_unnamed[] = { 1, 0 };
	static const u8 want_at[] = { 1, '@', 0 };
	struct sockaddr_storage ss;
	char longpath[UNIX_PATH_MAX + 10];
	u8 want_long[1 + UNIX_PATH_MAX];
	struct one o;
	u32 len;

	/* A path without its NUL, exactly as long as the length says. */
	len = ss_un(&ss, "/run/x.sock", 11);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, len);
	one_expect(test, &o, want_path, sizeof(want_path), "path, no NUL");
	/* The usual full-size length: the path ends at its NUL. */
	len = ss_un(&ss, "/run/x.sock", 12);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, sizeof(struct sockaddr_un));
	one_expect(test, &o, want_path, sizeof(want_path), "path, sizeof(sockaddr_un)");

	/* Abstract: '@' and the name, which ends at its first NUL. */
	len = ss_un(&ss, "\0abs\0name", 9);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, len);
	one_expect(test, &o, want_abs, 6, "abstract");
	len = ss_un(&ss, "", 1);
	((struct sockaddr_un *)&ss)->sun_path[0] = '\0';
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, len);
	one_expect(test, &o, want_at, sizeof(want_at), "abstract, empty name");

	/* Unnamed (autobind's request, an unbound peer): "". */
	len = ss_un(&ss, "", 0);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, len);
	one_expect(test, &o, want_unnamed, sizeof(want_unnamed), "unnamed");

	/* A path filling sun_path: cut to UNIX_PATH_MAX bytes with the NUL. */
	memset(longpath, 'p', sizeof(longpath));
	len = ss_un(&ss, longpath, UNIX_PATH_MAX);
	want_long[0] = 1;
	memset(want_long + 1, 'p', UNIX_PATH_MAX - 1);
	want_long[UNIX_PATH_MAX] = 0;
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 100000);
	one_expect(test, &o, want_long, sizeof(want_long), "path of 108 bytes");
}

static void net_sockaddr_other(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct one o;

	memset(&ss, 7, sizeof(ss));
	ss.ss_family = AF_NETLINK;
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, sizeof(ss));
	one_expect(test, &o, NULL, 0, "AF_NETLINK");
	ss.ss_family = AF_UNSPEC;
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, sizeof(ss));
	one_expect(test, &o, NULL, 0, "AF_UNSPEC");
	ss = ss_in4(ip4_lo, 1);
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 1);
	one_expect(test, &o, NULL, 0, "1 byte");
	one_begin(&o);
	kscap_net_put_sockaddr(&o.w, &ss, 0);
	one_expect(test, &o, NULL, 0, "0 bytes");
}

/* ---- SOCKTUPLE ---- */

static void net_tuple_values(struct kunit *test)
{
	static const u8 want4[] = { 2, 127, 0, 0, 1, 0xd2, 0x04,	/* :1234 */
				    10, 1, 2, 3, 0x50, 0x00 };		/* :80 */
	static const u8 want6[] = { 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
				    0x00, 0x01,
				    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xbe, 0xef, 0xff, 0xff };
	static const u8 want_un[] = { 1, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
				      0x99, 0, 0, 0, 0, 0, 0, 0x80,
				      '@', 'k', 's', 0 };
	static const u8 want_un0[] = { 1, 0, 0, 0, 0, 0, 0, 0, 0,
				       5, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct sockaddr_storage a, b;
	struct one o;
	u32 len;

	a = ss_in4(ip4_lo, 1234);
	b = ss_in4(ip4_x, 80);
	one_begin(&o);
	kscap_net_put_tuple_inet(&o.w, AF_INET, &a, &b);
	one_expect(test, &o, want4, sizeof(want4), "v4 tuple");
	KUNIT_EXPECT_EQ(test, (int)sizeof(want4), 13);

	a = ss_in6(ip6_lo, 256);
	b = ss_in6(ip6_x, 65535);
	one_begin(&o);
	kscap_net_put_tuple_inet(&o.w, AF_INET6, &a, &b);
	one_expect(test, &o, want6, sizeof(want6), "v6 tuple");
	KUNIT_EXPECT_EQ(test, (int)sizeof(want6), 37);

	one_begin(&o);
	kscap_net_put_tuple_inet(&o.w, AF_PACKET, &a, &b);
	one_expect(test, &o, NULL, 0, "tuple of another family");

	len = ss_un(&a, "\0ks", 3);
	one_begin(&o);
	kscap_net_put_tuple_unix(&o.w, 0x44332211, 0x8000000000000099ULL, &a, len);
	one_expect(test, &o, want_un, sizeof(want_un), "unix tuple, abstract");
	len = ss_un(&a, "", 0);
	one_begin(&o);
	kscap_net_put_tuple_unix(&o.w, 0, 5, &a, len);
	one_expect(test, &o, want_un0, sizeof(want_un0), "unix tuple, unnamed");
}

/* ---- socket options ---- */

static void net_sockopt_idx(struct kunit *test)
{
	/* PPM_SOCKOPT_IDX_*: 0 unknown, 1 errno, 2 uint32, 3 uint64, 4 timeval. */
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_ERROR, 4), 1);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_ERROR, 3), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_RCVBUF, 4), 2);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_REUSEADDR, 8), 2);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_TYPE, -1), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_COOKIE, 8), 3);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_COOKIE, 4), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_MAX_PACING_RATE, 4), 2);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_MAX_PACING_RATE, 8), 3);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_RCVTIMEO_OLD, 16), 4);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_SNDTIMEO_NEW, 16), 4);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_RCVTIMEO_OLD, 8), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_LINGER, 8), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_SOCKET, SO_BINDTODEVICE, 4), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_TCP, SO_RCVBUF, 4), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_sockopt_idx(SOL_IPV6, SO_ERROR, 4), 0);
}

static void net_sockopt_values(struct kunit *test)
{
	static const u8 want_err[] = { 1, 0x91, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 want_u32[] = { 2, 0x00, 0x10, 0, 0 };
	static const u8 want_tv[] = { 4, 0x00, 0x2f, 0x68, 0x59, 0, 0, 0, 0 };	/* 1.5 s */
	static const u8 want_raw[] = { 0, 'a', 'b', 'c', 'd', 'e' };
	static const u8 want_bad[] = { 0 };
	struct { s64 sec, usec; } tv = { 1, 500000 };
	int err = 111, v = 4096;
	void __user *u_err, *u_v, *u_tv, *u_raw;
	struct one o;

	kscap_ku_enter(test);
	u_err = kscap_ku_put(test, 0, &err, sizeof(err));
	u_v = kscap_ku_put(test, 16, &v, sizeof(v));
	u_tv = kscap_ku_put(test, 32, &tv, sizeof(tv));
	u_raw = kscap_ku_put(test, 64, "abcdefgh", 8);

	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_SOCKET, SO_ERROR, u_err, 4, 80);
	preempt_enable();
	one_expect(test, &o, want_err, sizeof(want_err), "SO_ERROR 111 -> -111");

	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_SOCKET, SO_SNDBUF, u_v, 4, 80);
	preempt_enable();
	one_expect(test, &o, want_u32, sizeof(want_u32), "SO_SNDBUF");

	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_SOCKET, SO_RCVTIMEO_NEW, u_tv, 16, 80);
	preempt_enable();
	one_expect(test, &o, want_tv, sizeof(want_tv), "SO_RCVTIMEO");

	/* Raw bytes: other levels, cut at the snaplen (5 here). */
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_TCP, 1, u_raw, 8, 5);
	preempt_enable();
	one_expect(test, &o, want_raw, sizeof(want_raw), "TCP option, snaplen 5");

	/* Unreadable values: index 0 and nothing else, one fault each. */
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_SOCKET, SO_SNDBUF, kscap_ku_ptr(KSCAP_KU_HOLE), 4, 80);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
	one_expect(test, &o, want_bad, sizeof(want_bad), "int at a hole");
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_TCP, 1, kscap_ku_ptr(KSCAP_KU_UNTOUCHED), 8, 80);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
	one_expect(test, &o, want_bad, sizeof(want_bad), "bytes at a page never touched");
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sockopt(&o.w, SOL_SOCKET, SO_SNDBUF, NULL, 4, 80);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, o.w.faults, 0U);
	one_expect(test, &o, want_bad, sizeof(want_bad), "NULL: no fault");
	kscap_ku_leave();
}

/* ---- iovecs ---- */

static void net_iov_total(struct kunit *test)
{
	struct iovec iov[3] = {
		{ .iov_len = 10 }, { .iov_len = 0 }, { .iov_len = 22 },
	};

	KUNIT_EXPECT_EQ(test, kscap_net_iov_total(iov, 3), 32U);
	KUNIT_EXPECT_EQ(test, kscap_net_iov_total(iov, 0), 0U);
	iov[1].iov_len = U32_MAX - 20;
	KUNIT_EXPECT_EQ(test, kscap_net_iov_total(iov, 3), U32_MAX);
	iov[1].iov_len = SIZE_MAX;	/* would wrap a 64-bit sum */
	KUNIT_EXPECT_EQ(test, kscap_net_iov_total(iov, 3), U32_MAX);
}

static void net_iov_user(struct kunit *test)
{
	struct iovec iov[12];
	const struct iovec __user *uiov;
	u8 data[64], want[64];
	struct one o;
	unsigned int i;
	s64 total;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i * 3 + 1;
	kscap_ku_enter(test);
	kscap_ku_put(test, 1024, data, sizeof(data));
	/* Twelve iovecs of 5 bytes each (more than one batch), one empty. */
	for (i = 0; i < 12; i++) {
		iov[i].iov_base = kscap_ku_ptr(1024 + 5 * i);
		iov[i].iov_len = i == 3 ? 0 : 5;
	}
	uiov = kscap_ku_put(test, 0, iov, sizeof(iov));
	memcpy(want, data, 15);
	memcpy(want + 15, data + 20, 40);

	one_begin(&o);
	preempt_disable();
	total = kscap_net_user_iov_total(&o.w, uiov, 12);
	kscap_net_put_iov_data(&o.w, uiov, 12, 1000);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, total, 55LL);
	one_expect(test, &o, want, 55, "12 iovecs, whole");

	one_begin(&o);
	preempt_disable();
	kscap_net_put_iov_data(&o.w, uiov, 12, 23);
	preempt_enable();
	one_expect(test, &o, want, 23, "12 iovecs, limit 23");

	one_begin(&o);
	preempt_disable();
	kscap_net_put_iov_data(&o.w, uiov, 0, 80);
	preempt_enable();
	one_expect(test, &o, NULL, 0, "no iovecs");

	/* A count far past the array runs into the untouched page: a fault. */
	one_begin(&o);
	preempt_disable();
	total = kscap_net_user_iov_total(&o.w, uiov, ULONG_MAX);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, total, (s64)-EFAULT);
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);

	/* A bad buffer in the middle: no partial data, one fault. */
	iov[5].iov_base = kscap_ku_ptr(KSCAP_KU_HOLE);
	uiov = kscap_ku_put(test, 0, iov, sizeof(iov));
	one_begin(&o);
	preempt_disable();
	kscap_net_put_iov_data(&o.w, uiov, 12, 1000);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
	one_expect(test, &o, NULL, 0, "bad iov_base");

	/* The array itself unreadable. */
	one_begin(&o);
	preempt_disable();
	kscap_net_put_iov_data(&o.w, kscap_ku_ptr(KSCAP_KU_HOLE), 2, 1000);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
	one_expect(test, &o, NULL, 0, "bad iovec array");
	kscap_ku_leave();
}

/* ---- user sockaddrs and the encoders around them ---- */

static void net_user_sockaddr(struct kunit *test)
{
	static const u8 want4[] = { 2, 10, 1, 2, 3, 0x90, 0x1f };	/* :8080 */
	struct sockaddr_storage ss = ss_in4(ip4_x, 8080), got;
	struct one o;
	int n;

	kscap_ku_enter(test);
	kscap_ku_put(test, 256, &ss, sizeof(ss));

	one_begin(&o);
	preempt_disable();
	n = kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(256), 16, &got);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, n, 16);
	KUNIT_EXPECT_EQ(test, o.w.faults, 0U);
	/* Nothing past the length the user gave is kept. */
	KUNIT_EXPECT_EQ(test, ((u8 *)&got)[16], 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)&got)[127], 0);
	n = kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(256), 100000, &got);
	KUNIT_EXPECT_EQ(test, n, (int)sizeof(got));
	KUNIT_EXPECT_EQ(test, kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(256), -1, &got), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(256), 0, &got), 0);
	KUNIT_EXPECT_EQ(test, kscap_net_user_sockaddr(&o.w, NULL, 16, &got), 0);
	KUNIT_EXPECT_EQ(test, o.w.faults, 0U);
	preempt_disable();
	n = kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(KSCAP_KU_HOLE), 16, &got);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, n, -EFAULT);
	KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
	/* Ends in the untouched page: not readable without faulting. */
	preempt_disable();
	n = kscap_net_user_sockaddr(&o.w, kscap_ku_ptr(KSCAP_KU_UNTOUCHED - 8), 16, &got);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, n, -EFAULT);
	KUNIT_EXPECT_EQ(test, o.w.faults, 2U);
	kscap_w_empty(&o.w);
	kscap_w_end(&o.w);

	/* The SOCKADDR encoder, as bind's recipe runs it: addr arg 1, len arg 2. */
	{
		unsigned long args[6] = { 3, (unsigned long)kscap_ku_ptr(256), 16 };
		struct kscap_src s = { .op = KSCAP_S_CALL, .b = 1, .c = 2 };
		struct kscap_ctx ctx = { .ret = 0 };

		one_begin(&o);
		preempt_disable();
		kscap_enc_sockaddr(&o.w, &ctx, args, NULL, &s);
		preempt_enable();
		one_expect(test, &o, want4, sizeof(want4), "bind's addr");

		args[1] = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
		one_begin(&o);
		preempt_disable();
		kscap_enc_sockaddr(&o.w, &ctx, args, NULL, &s);
		preempt_enable();
		KUNIT_EXPECT_EQ(test, o.w.faults, 1U);
		one_expect(test, &o, NULL, 0, "bind's addr, bad pointer");

		/* A negative addrlen (an int) is no address at all. */
		args[1] = (unsigned long)kscap_ku_ptr(256);
		args[2] = 0xffffffffUL;
		one_begin(&o);
		kscap_enc_sockaddr(&o.w, &ctx, args, NULL, &s);
		KUNIT_EXPECT_EQ(test, o.w.faults, 0U);
		one_expect(test, &o, NULL, 0, "bind's addr, addrlen -1");
	}
	kscap_ku_leave();
}

/* Encoders that take an fd: not a socket, or no such fd, gives nothing. */
static void net_tuple_not_a_socket(struct kunit *test)
{
	unsigned long args[6] = { 100000, 0, 0, 0, 0, 0 };
	struct kscap_src s = { .op = KSCAP_S_CALL, .b = 0 };
	/* recvfrom's: fd arg 0, no source address (args 4 and 5 are 0) */
	struct kscap_src from = { .op = KSCAP_S_CALL, .b = 0, .c = 4, .d = 5 };
	struct kscap_ctx ctx = { .ret = 0 };
	struct one o;

	one_begin(&o);
	preempt_disable();
	kscap_enc_tuple(&o.w, &ctx, args, NULL, &s);
	preempt_enable();
	one_expect(test, &o, NULL, 0, "tuple of fd 100000");
	args[0] = (unsigned long)-1;
	one_begin(&o);
	preempt_disable();
	kscap_enc_tuple_from(&o.w, &ctx, args, NULL, &from);
	preempt_enable();
	one_expect(test, &o, NULL, 0, "tuple of fd -1");
	ctx.ret = -EBADF;
	one_begin(&o);
	kscap_enc_tuple_ret(&o.w, &ctx, args, NULL, &s);
	one_expect(test, &o, NULL, 0, "accept failed");
}

/* ---- real sockets over loopback ---- */

static int lo_up(void)
{
	struct net_device *lo = init_net.loopback_dev;
	int err = 0;

	rtnl_lock();
	if (!(lo->flags & IFF_UP))
		err = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
	rtnl_unlock();
	return err;
}

/*
 * The inet tuple as fill_net.c wrote it before it gathered small ends
 * and took room once (three zeroed sockaddr_storages, one append per
 * value): what the new code must still write. Unix tuples did not
 * change; they go to the module's own code.
 */
static void ref_append_in(struct kscap_event_writer *w, u16 family,
			  const struct sockaddr_storage *sa)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	u16 port = ntohs(family == AF_INET ? sin->sin_port : sin6->sin6_port);

	if (family == AF_INET)
		kscap_w_raw(w, &sin->sin_addr.s_addr, 4);
	else
		kscap_w_raw(w, sin6->sin6_addr.s6_addr, 16);
	kscap_w_raw(w, &port, 2);
}

static void ref_inet_name(struct sock *sk, bool peer, struct sockaddr_storage *sa)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	sa->ss_family = sk->sk_family;
	if (peer && (!inet->inet_dport ||
		     ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))))
		return;
	if (sk->sk_family == AF_INET) {
		sin->sin_port = peer ? inet->inet_dport : inet->inet_sport;
		sin->sin_addr.s_addr = peer ? inet->inet_daddr :
				       (inet->inet_rcv_saddr ?: inet->inet_saddr);
		return;
	}
	sin6->sin6_port = peer ? inet->inet_dport : inet->inet_sport;
	if (peer)
		sin6->sin6_addr = sk->sk_v6_daddr;
	else if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		sin6->sin6_addr = sk->sk_v6_rcv_saddr;
	else if (inet6_sk(sk))
		sin6->sin6_addr = inet6_sk(sk)->saddr;
}

static void ref_user_name(u16 family, const struct sockaddr_storage *u, u32 ulen,
			  struct sockaddr_storage *sa)
{
	const struct sockaddr_in *uin = (const struct sockaddr_in *)u;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	sa->ss_family = family;
	if (family == AF_INET) {
		if (u->ss_family == AF_INET && ulen >= 8)
			memcpy(sa, u, sizeof(struct sockaddr_in));
		return;
	}
	if (u->ss_family == AF_INET6 && ulen >= 24) {
		memcpy(sa, u, sizeof(struct sockaddr_in6));
	} else if (u->ss_family == AF_INET && ulen >= 8) {
		sin6->sin6_port = uin->sin_port;
		ipv6_addr_set_v4mapped(uin->sin_addr.s_addr, &sin6->sin6_addr);
	}
}

static void ref_sock_tuple(struct kscap_event_writer *w, struct socket *sock,
			   const struct sockaddr_storage *peer, u32 peer_len, bool inbound)
{
	struct sockaddr_storage local, remote;
	struct sock *sk = sock->sk;
	u16 family = sk ? sk->sk_family : AF_UNSPEC;
	u8 fam = family == AF_INET ? 2 : 10;

	if (family != AF_INET && family != AF_INET6) {
		kscap_net_put_sock_tuple(w, sock, peer, peer_len, inbound);
		return;
	}
	ref_inet_name(sk, false, &local);
	if (peer)
		ref_user_name(family, peer, peer_len, &remote);
	else
		ref_inet_name(sk, true, &remote);
	kscap_w_raw(w, &fam, 1);
	ref_append_in(w, family, inbound ? &remote : &local);
	ref_append_in(w, family, inbound ? &local : &remote);
	kscap_w_next(w);
}

/* The new tuple of @sock against the old one's bytes. */
static void tuple_matches_old(struct kunit *test, struct socket *sock,
			      const struct sockaddr_storage *peer, u32 peer_len,
			      bool inbound, const char *what)
{
	struct one *o = kunit_kzalloc(test, 2 * sizeof(*o), GFP_KERNEL);
	u32 a, b;

	KUNIT_ASSERT_NOT_NULL(test, o);
	one_begin(&o[0]);
	one_begin(&o[1]);
	preempt_disable();
	kscap_net_put_sock_tuple(&o[0].w, sock, peer, peer_len, inbound);
	ref_sock_tuple(&o[1].w, sock, peer, peer_len, inbound);
	preempt_enable();
	a = kscap_w_end(&o[0].w);
	b = kscap_w_end(&o[1].w);
	KUNIT_EXPECT_EQ_MSG(test, a, b, "%s: length against the old tuple", what);
	if (a == b)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(o[0].buf, o[1].buf, a), 0,
				    "%s: bytes against the old tuple", what);
}

static void tuple_of(struct kunit *test, struct socket *sock, bool inbound,
		     const void *want, u32 want_len, const char *what)
{
	struct one o;

	tuple_matches_old(test, sock, NULL, 0, inbound, what);
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sock_tuple(&o.w, sock, NULL, 0, inbound);
	preempt_enable();
	one_expect(test, &o, want, want_len, what);
}

static void put_v4(u8 *p, const struct sockaddr_in *sin)
{
	u16 port = ntohs(sin->sin_port);

	memcpy(p, &sin->sin_addr, 4);
	memcpy(p + 4, &port, 2);
}

static void net_tuple_tcp4_loopback(struct kunit *test)
{
	struct socket *ls = NULL, *c = NULL, *s = NULL, *fresh = NULL;
	struct sockaddr_in addr = { .sin_family = AF_INET }, cl;
	static const u8 want_fresh[13] = { 2 };
	u8 want[13];
	int err;

	err = lo_up();
	if (err)
		kunit_skip(test, "cannot bring lo up: %d", err);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &ls), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &c), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &fresh), 0);
	err = kernel_bind(ls, (struct sockaddr *)&addr, sizeof(addr));
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		err = kernel_listen(ls, 4);
	if (!err)
		err = kernel_getsockname(ls, (struct sockaddr *)&addr) < 0;
	if (!err)
		err = kernel_connect(c, (struct sockaddr *)&addr, sizeof(addr), 0);
	if (!err)
		err = kernel_accept(ls, &s, 0);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err && kernel_getsockname(c, (struct sockaddr *)&cl) >= 0) {
		KUNIT_EXPECT_NE(test, addr.sin_port, 0);
		KUNIT_EXPECT_NE(test, cl.sin_port, 0);
		want[0] = 2;
		put_v4(want + 1, &cl);
		put_v4(want + 7, &addr);
		/* Outbound from the client, inbound at the server: same tuple. */
		tuple_of(test, c, false, want, sizeof(want), "client, outbound");
		tuple_of(test, s, true, want, sizeof(want), "accepted, inbound");
		put_v4(want + 1, &addr);
		put_v4(want + 7, &cl);
		tuple_of(test, s, false, want, sizeof(want), "accepted, outbound");
	}
	/* Unbound, unconnected: family and zeros. */
	tuple_of(test, fresh, false, want_fresh, sizeof(want_fresh), "fresh socket");
	if (s)
		sock_release(s);
	sock_release(fresh);
	sock_release(c);
	sock_release(ls);
}

static void net_tuple_udp6_loopback(struct kunit *test)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6 };
	struct sockaddr_in remote4 = { .sin_family = AF_INET };
	struct sockaddr_storage peer;
	struct socket *u = NULL;
	u8 want[37];
	u16 port;
	struct one o;
	int err;

	err = lo_up();
	if (err)
		kunit_skip(test, "cannot bring lo up: %d", err);
	addr.sin6_addr = in6addr_loopback;
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET6, SOCK_DGRAM,
					       IPPROTO_UDP, &u), 0);
	err = kernel_bind(u, (struct sockaddr *)&addr, sizeof(addr));
	if (err) {
		sock_release(u);
		kunit_skip(test, "no ::1 to bind to: %d", err);
	}
	KUNIT_EXPECT_GE(test, kernel_getsockname(u, (struct sockaddr *)&addr), 0);
	err = kernel_connect(u, (struct sockaddr *)&addr, sizeof(addr), 0);
	KUNIT_EXPECT_EQ(test, err, 0);
	port = ntohs(addr.sin6_port);
	want[0] = 10;
	memcpy(want + 1, &in6addr_loopback, 16);
	memcpy(want + 17, &port, 2);
	memcpy(want + 19, &in6addr_loopback, 16);
	memcpy(want + 35, &port, 2);
	tuple_of(test, u, false, want, sizeof(want), "udp6 connected to itself");

	/* A v4 destination given to a v6 socket shows as v4-mapped. */
	remote4.sin_port = htons(53);
	remote4.sin_addr.s_addr = htonl(0x0a000001);
	memset(&peer, 0, sizeof(peer));
	memcpy(&peer, &remote4, sizeof(remote4));
	memset(want + 19, 0, 16);
	want[29] = 0xff;
	want[30] = 0xff;
	want[31] = 10;
	want[32] = 0;
	want[33] = 0;
	want[34] = 1;
	port = 53;
	memcpy(want + 35, &port, 2);
	tuple_matches_old(test, u, &peer, sizeof(remote4), false, "v4 destination, v6 socket");
	one_begin(&o);
	preempt_disable();
	kscap_net_put_sock_tuple(&o.w, u, &peer, sizeof(remote4), false);
	preempt_enable();
	one_expect(test, &o, want, sizeof(want), "v4 destination, v6 socket");
	sock_release(u);
}

static void put_unix_ids(u8 *p, u64 src, u64 dst)
{
	memcpy(p, &src, 8);
	memcpy(p + 8, &dst, 8);
}

static void net_tuple_unix(struct kunit *test)
{
	static const char name[] = "\0kunit-net";	/* abstract */
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct socket *a = NULL, *b = NULL, *ls = NULL, *c = NULL, *s = NULL;
	u8 want[1 + 16 + 11];
	int err;

	/* socketpair: unnamed both ways. */
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &a), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &b), 0);
	KUNIT_ASSERT_EQ(test, a->ops->socketpair(a, b), 0);
	want[0] = 1;
	put_unix_ids(want + 1, kscap_net_unix_id(b->sk), kscap_net_unix_id(a->sk));
	want[17] = 0;
	tuple_of(test, a, false, want, 18, "pair, outbound: peer, me, \"\"");
	put_unix_ids(want + 1, kscap_net_unix_id(a->sk), kscap_net_unix_id(b->sk));
	tuple_of(test, a, true, want, 18, "pair, inbound: me, peer, \"\"");
	/* Opaque: nonzero, one per socket, not the inode number. */
	KUNIT_EXPECT_NE(test, kscap_net_unix_id(a->sk), 0ULL);
	KUNIT_EXPECT_NE(test, kscap_net_unix_id(a->sk), kscap_net_unix_id(b->sk));
	KUNIT_EXPECT_NE(test, kscap_net_unix_id(a->sk), (u64)SOCK_INODE(a)->i_ino);
	KUNIT_EXPECT_EQ(test, kscap_net_unix_id(NULL), 0ULL);

	/* A listener on an abstract name, a client, the accepted socket. */
	memcpy(sun.sun_path, name, sizeof(name) - 1);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &ls), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_UNIX, SOCK_STREAM, 0, &c), 0);
	err = kernel_bind(ls, (struct sockaddr *)&sun,
			  offsetof(struct sockaddr_un, sun_path) + sizeof(name) - 1);
	if (!err)
		err = kernel_listen(ls, 2);
	if (!err)
		err = kernel_connect(c, (struct sockaddr *)&sun,
				     offsetof(struct sockaddr_un, sun_path) + sizeof(name) - 1, 0);
	if (!err)
		err = kernel_accept(ls, &s, 0);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err) {
		/* The accepted socket's id is the one connect already saw. */
		put_unix_ids(want + 1, kscap_net_unix_id(s->sk), kscap_net_unix_id(c->sk));
		memcpy(want + 17, "@kunit-net", 11);
		tuple_of(test, c, false, want, sizeof(want), "client, outbound");
		tuple_of(test, s, true, want, sizeof(want), "accepted, inbound");
	}
	if (s)
		sock_release(s);
	sock_release(c);
	sock_release(ls);
	sock_release(b);
	sock_release(a);
}

static void net_tuple_other_family(struct kunit *test)
{
	struct socket *n = NULL;
	int err = sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, &n);

	if (err)
		kunit_skip(test, "no netlink socket: %d", err);
	tuple_of(test, n, false, NULL, 0, "netlink: no tuple");
	sock_release(n);
}

/* ---- sendto's and recvfrom's rows, on real fds ---- */

/* The old put_fd_tuple(): a referenced lookup, then the old tuple. */
static void ref_fd_tuple(struct kscap_event_writer *w, long fd,
			 const struct sockaddr_storage *peer, int n, bool inbound)
{
	struct socket *sock = NULL;
	int err;

	if (fd >= 0 && fd <= INT_MAX)
		sock = sockfd_lookup(fd, &err);
	if (!sock) {
		kscap_w_empty(w);
		return;
	}
	ref_sock_tuple(w, sock, n > 0 ? peer : NULL, n, inbound);
	sockfd_put(sock);
}

/* SENDTO_E and RECVFROM_X as the old recipe and encoders wrote them. */
static void ref_row(struct kscap_event_writer *w, u16 type, const unsigned long *a, long ret)
{
	struct sockaddr_storage sa;
	int n = 0, len;

	if (type == KSCAP_EV_SENDTO_E) {
		kscap_w_s64(w, (int)a[0]);
		kscap_w_u32(w, a[2]);
		n = kscap_net_user_sockaddr(w, (const void __user *)a[4], (int)a[5], &sa);
		if (n < 0)
			kscap_w_empty(w);
		else
			ref_fd_tuple(w, (int)a[0], &sa, n, false);
		return;
	}
	kscap_w_s64(w, ret);
	kscap_w_user_buf(w, (const void __user *)a[1],
			 ret > 0 ? kscap_w_capped(w, ret, kscap_cfg.snaplen) : 0);
	if (ret < 0) {
		kscap_w_empty(w);
		return;
	}
	if (a[4] && a[5]) {
		if (copy_from_user_nofault(&len, (const int __user *)a[5], sizeof(len))) {
			w->faults++;
			n = -EFAULT;
		} else {
			n = kscap_net_user_sockaddr(w, (const void __user *)a[4], len, &sa);
		}
	}
	if (n < 0)
		kscap_w_empty(w);
	else
		ref_fd_tuple(w, (int)a[0], &sa, n, true);
}

/* One row three ways (0: old, 1: recipe, 2: the row's filler); the length. */
static u32 run_row(u16 type, const unsigned long *args, long ret, int which,
		   struct one *o, u32 *faults, u32 *cut)
{
	struct kscap_ctx ctx = { .ret = ret, .args = args };
	u16 np = kscap_event_table[type].nparams;

	memset(o->buf, 0xa5, sizeof(o->buf));
	kscap_w_begin(&o->w, o->buf, sizeof(o->buf), type, np, 0, 0);
	preempt_disable();
	if (which == 0)
		ref_row(&o->w, type, args, ret);
	else if (which == 1)
		kscap_fill_recipe(&o->w, &ctx);
	else
		kscap_ops[type].fill(&o->w, &ctx);
	preempt_enable();
	*faults = o->w.faults;
	*cut = o->w.truncated;
	return kscap_w_end(&o->w);
}

/*
 * A kernel socket as an fd of this (kernel) thread's file table, or -1
 * (the socket is then released). A kernel thread's table is shared:
 * these fds take fd_sock_get()'s referenced way; the VM tests take the
 * other.
 */
static int install_sock(struct socket *sock)
{
	struct file *f;
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0) {
		sock_release(sock);
		return -1;
	}
	f = sock_alloc_file(sock, 0, NULL);	/* releases the socket on failure */
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return -1;
	}
	fd_install(fd, f);
	return fd;
}

/* Stand-ins, in net_rows_match()'s table, for values known at run time. */
enum {
	M_FD4 = 0xf000, M_FD6, M_FDU, M_FD4HI, M_DATA, M_U4, M_U6, M_UUN,
	M_LEN, M_LENUN, M_HOLE, M_EDGE,
};
#define LEN_UN	(offsetof(struct sockaddr_un, sun_path) + sizeof("\0kunit-rows") - 1)

/*
 * The fillers of SENDTO_E and RECVFROM_X against their recipes and the
 * old encoders: UDP over v4 and v6 and a unix datagram socket, with a
 * destination or a source address or none, short and long addresses (a
 * unix path, an addrlen past what an inet address needs), unreadable
 * addresses and lengths, a failed call, an fd that is no socket.
 */
static void net_rows_match(struct kunit *test)
{
	static const char upath[] = "\0kunit-rows";
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct socket *s4 = NULL, *s6 = NULL, *su = NULL;
	int fd4 = -1, fd6 = -1, fdu = -1, i, k, len16 = 16, len_un;
	struct one *o = kunit_kzalloc(test, 3 * sizeof(*o), GFP_KERNEL);
	unsigned long u4, u6, uun, ulen, ulen_un, udata, hole, edge;
	u8 data[64];

	KUNIT_ASSERT_NOT_NULL(test, o);
	if (!current->files)
		kunit_skip(test, "no file table");
	if (lo_up())
		kunit_skip(test, "cannot bring lo up");
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a6.sin6_addr = in6addr_loopback;
	memcpy(un.sun_path, upath, sizeof(upath) - 1);
	len_un = LEN_UN;
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &s4), 0);
	KUNIT_EXPECT_EQ(test, kernel_bind(s4, (struct sockaddr *)&a4, sizeof(a4)), 0);
	KUNIT_EXPECT_GE(test, kernel_getsockname(s4, (struct sockaddr *)&a4), 0);
	if (!sock_create_kern(&init_net, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, &s6) &&
	    !kernel_bind(s6, (struct sockaddr *)&a6, sizeof(a6)))
		KUNIT_EXPECT_GE(test, kernel_getsockname(s6, (struct sockaddr *)&a6), 0);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_UNIX, SOCK_DGRAM, 0, &su), 0);
	KUNIT_EXPECT_EQ(test, kernel_bind(su, (struct sockaddr *)&un, len_un), 0);
	fd4 = install_sock(s4);
	fd6 = s6 ? install_sock(s6) : -1;
	fdu = install_sock(su);
	KUNIT_EXPECT_GE(test, fd4, 0);
	KUNIT_EXPECT_GE(test, fdu, 0);

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = i * 7;
	kscap_ku_enter(test);
	u4 = (unsigned long)kscap_ku_put(test, 512, &a4, sizeof(a4));
	u6 = (unsigned long)kscap_ku_put(test, 1024, &a6, sizeof(a6));
	uun = (unsigned long)kscap_ku_put(test, 1536, &un, sizeof(un));
	ulen = (unsigned long)kscap_ku_put(test, 2048, &len16, sizeof(len16));
	ulen_un = (unsigned long)kscap_ku_put(test, 2056, &len_un, sizeof(len_un));
	udata = (unsigned long)kscap_ku_put(test, 3072, data, sizeof(data));
	hole = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
	/* A sockaddr_in that ends where the absent page begins. */
	edge = (unsigned long)kscap_ku_put(test, KSCAP_KU_UNTOUCHED - sizeof(a4),
					   &a4, sizeof(a4));
	{
		/* fd, buf, size, flags, addr, addrlen (sendto) / addrlen pointer (recvfrom) */
		static const struct { u16 type; long ret; unsigned long a[6]; const char *what; } rows[] = {
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_U4, 16 }, "v4 to v4" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, 0, 0 }, "v4, no address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_U4, 128 }, "v4, addrlen 128" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_U4, 4 }, "v4, addrlen 4" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_U4, -1UL }, "v4, addrlen -1" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_HOLE, 16 }, "v4, bad address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_EDGE, 16 }, "v4, address at an edge" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_EDGE, 40 }, "v4, past an edge" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4, M_DATA, 64, 0, M_U6, 28 }, "v4 socket, v6 address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD6, M_DATA, 64, 0, M_U6, 28 }, "v6 to v6" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD6, M_DATA, 64, 0, M_U4, 16 }, "v6, v4 address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD6, M_DATA, 64, 0, 0, 0 }, "v6, no address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FDU, M_DATA, 64, 0, M_UUN, LEN_UN }, "unix, path" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FDU, M_DATA, 64, 0, M_UUN, 20 }, "unix, short path" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FDU, M_DATA, 64, 0, 0, 0 }, "unix, no address" },
			{ KSCAP_EV_SENDTO_E, 0, { 100000, M_DATA, 64, 0, M_U4, 16 }, "no such fd" },
			{ KSCAP_EV_SENDTO_E, 0, { -1UL, M_DATA, 64, 0, M_HOLE, 16 }, "fd -1, bad address" },
			{ KSCAP_EV_SENDTO_E, 0, { M_FD4HI, M_DATA, 64, 0, M_U4, 16 },
			  "fd with high bits" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD4, M_DATA, 64, 0, 0, 0 }, "v4, no address" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD4, M_DATA, 64, 0, M_U4, M_LEN }, "v4, source" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD4, M_DATA, 64, 0, M_U4, M_HOLE }, "v4, bad length" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD4, M_DATA, 64, 0, M_HOLE, M_LEN }, "v4, bad source" },
			{ KSCAP_EV_RECVFROM_X, -11, { M_FD4, M_DATA, 64, 0, M_U4, M_LEN }, "failed" },
			{ KSCAP_EV_RECVFROM_X, 200, { M_FD4, M_DATA, 200, 0, 0, 0 }, "past snaplen" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD6, M_DATA, 64, 0, M_U6, M_LEN }, "v6, 16 of a source" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FDU, M_DATA, 64, 0, M_UUN, M_LENUN }, "unix, source" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FDU, M_DATA, 64, 0, 0, 0 }, "unix, none" },
			{ KSCAP_EV_RECVFROM_X, 64, { M_FD4, M_HOLE, 64, 0, 0, 0 }, "bad data" },
		};
		const unsigned long val[] = {
			fd4, fd6, fdu, 0x100000000UL | fd4, udata, u4, u6, uun,
			ulen, ulen_un, hole, edge,
		};

		for (i = 0; i < (int)ARRAY_SIZE(rows); i++) {
			u32 len[3], f[3], cut[3];
			unsigned long a[6];
			int j;

			for (j = 0; j < 6; j++)
				a[j] = rows[i].a[j] >= M_FD4 && rows[i].a[j] <= M_EDGE ?
				       val[rows[i].a[j] - M_FD4] : rows[i].a[j];
			if (rows[i].a[0] == M_FD6 && fd6 < 0)
				continue;	/* no v6 socket */
			for (k = 0; k < 3; k++)
				len[k] = run_row(rows[i].type, a, rows[i].ret, k, &o[k],
						 &f[k], &cut[k]);
			KUNIT_EXPECT_NE_MSG(test, len[0], 0U, "%s: written", rows[i].what);
			for (k = 1; k < 3; k++) {
				KUNIT_EXPECT_EQ_MSG(test, len[k], len[0], "%s, way %d: length",
						    rows[i].what, k);
				KUNIT_EXPECT_EQ_MSG(test, f[k], f[0], "%s, way %d: faults",
						    rows[i].what, k);
				KUNIT_EXPECT_EQ_MSG(test, cut[k], cut[0], "%s, way %d: cut",
						    rows[i].what, k);
				if (len[k] == len[0] && memcmp(o[k].buf, o[0].buf, len[0])) {
					KUNIT_FAIL(test, "%s, way %d: bytes differ", rows[i].what, k);
					print_hex_dump(KERN_INFO, "old: ", DUMP_PREFIX_OFFSET, 16, 1,
						       o[0].buf, len[0], false);
					print_hex_dump(KERN_INFO, "new: ", DUMP_PREFIX_OFFSET, 16, 1,
						       o[k].buf, len[k], false);
				}
			}
		}
	}
	kscap_ku_leave();
	/* The files own the sockets now: closing the fds releases them. */
	if (fd4 >= 0)
		close_fd(fd4);
	if (fd6 >= 0)
		close_fd(fd6);
	if (fdu >= 0)
		close_fd(fdu);
}

static int net_suite_init(struct kunit_suite *suite)
{
	kscap_cfg.snaplen = NET_TEST_SNAPLEN;
	kscap_net_init();
	kscap_ku_setup();
	return 0;
}

static void net_suite_exit(struct kunit_suite *suite)
{
	kscap_ku_teardown();
}

static struct kunit_case net_cases[] = {
	KUNIT_CASE(net_sockaddr_inet),
	KUNIT_CASE(net_sockaddr_unix),
	KUNIT_CASE(net_sockaddr_other),
	KUNIT_CASE(net_tuple_values),
	KUNIT_CASE(net_sockopt_idx),
	KUNIT_CASE(net_sockopt_values),
	KUNIT_CASE(net_iov_total),
	KUNIT_CASE(net_iov_user),
	KUNIT_CASE(net_user_sockaddr),
	KUNIT_CASE(net_tuple_not_a_socket),
	KUNIT_CASE(net_tuple_tcp4_loopback),
	KUNIT_CASE(net_tuple_udp6_loopback),
	KUNIT_CASE(net_tuple_unix),
	KUNIT_CASE(net_tuple_other_family),
	KUNIT_CASE(net_rows_match),
	{}
};

static struct kunit_suite net_suite = {
	.name = "kscap_net",
	.suite_init = net_suite_init,
	.suite_exit = net_suite_exit,
	.test_cases = net_cases,
};
kunit_test_suite(net_suite);
