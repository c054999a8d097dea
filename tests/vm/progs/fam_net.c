// SPDX-License-Identifier: GPL-2.0
/*
 * fam_net: the network syscalls, decoded. Over 127.0.0.1, ::1 and unix
 * sockets (a path, an abstract name, a socketpair) the test makes every
 * call with a raw syscall() and writes down what its events must carry:
 * fds, results and errnos; SOCKADDR and SOCKTUPLE bytes (family, address
 * in network order, port in host order; unix socket ids and the path);
 * BYTEBUF data cut at the default snaplen of 80; message sizes;
 * socket option levels and names in the ABI's codes and their DYN values.
 * Failing calls are included (ECONNREFUSED, EBADF, EFAULT, EAFNOSUPPORT,
 * EINVAL). See fam.h for how the events are found and compared.
 *
 * Tuples are "as seen from this process": for inet, outbound calls
 * (connect, sendto, sendmsg) have source = this socket, destination = the
 * peer; inbound ones (accept, recvfrom, recvmsg) the other way round. For
 * unix sockets the reference ABI orders the two socket identifiers the
 * other way: outbound = peer then this socket, inbound = this socket then
 * peer, and the path is the peer's name outbound, our own inbound. A
 * unix socket's id is opaque (a keyed hash of the kernel's socket): the
 * test checks that each socket end keeps one nonzero id everywhere, and
 * that the two ends differ (see FAM_MAX_IDS in fam.h).
 */
#include "fam.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

/* Below the ephemeral range (32768-60999): no autobound socket holds them. */
#define PORT_TCP4	21001
#define PORT_TCP6	21002
#define PORT_UDP4	21003
#define PORT_CLOSED	21009
#define UPATH		"/tmp/famn.sock"
#define UABS		"famn-abs"	/* abstract: "\0famn-abs" */
#define BADFD		987
#define SNAP		KSCAP_SNAPLEN_DEFAULT

#define FAM(n)		ABI_SOCKET_FAMILIES_##n

static pid_t me;
static unsigned char pat[256];	/* what the test sends */

/* ---- expected encodings ---- */

struct enc {
	unsigned char b[160];
	size_t n;
};

static void put(struct enc *e, const void *p, size_t n)
{
	KT_CHECK(e->n + n <= sizeof(e->b), "test bug: encoding too long");
	memcpy(e->b + e->n, p, n);
	e->n += n;
}

static void put_u8(struct enc *e, uint8_t v)
{
	put(e, &v, 1);
}

/* A port as the ABI has it: host order. */
static void put_port(struct enc *e, in_port_t net)
{
	uint16_t port = ntohs(net);

	put(e, &port, 2);
}

static void put_in4(struct enc *e, const struct sockaddr_in *a)
{
	put(e, &a->sin_addr.s_addr, 4);
	put_port(e, a->sin_port);
}

static void put_in6(struct enc *e, const struct sockaddr_in6 *a)
{
	put(e, a->sin6_addr.s6_addr, 16);
	put_port(e, a->sin6_port);
}

static struct enc sa4(const struct sockaddr_in *a)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_INET));
	put_in4(&e, a);
	return e;
}

static struct enc sa6(const struct sockaddr_in6 *a)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_INET6));
	put_in6(&e, a);
	return e;
}

static struct enc sau(const char *path)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_UNIX));
	put(&e, path, strlen(path) + 1);
	return e;
}

static struct enc tup4(const struct sockaddr_in *src, const struct sockaddr_in *dst)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_INET));
	put_in4(&e, src);
	put_in4(&e, dst);
	return e;
}

static struct enc tup6(const struct sockaddr_in6 *src, const struct sockaddr_in6 *dst)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_INET6));
	put_in6(&e, src);
	put_in6(&e, dst);
	return e;
}

static struct enc tupu(uint64_t src, uint64_t dst, const char *path)
{
	struct enc e = { .n = 0 };

	put_u8(&e, FAM(AF_UNIX));
	put(&e, &src, 8);
	put(&e, &dst, 8);
	put(&e, path, strlen(path) + 1);
	return e;
}

/* A DYN socket option value: the index, then the value's bytes. */
static struct enc dyn(uint8_t idx, const void *v, size_t n)
{
	struct enc e = { .n = 0 };

	put_u8(&e, idx);
	if (n)
		put(&e, v, n);
	return e;
}

#define X_ENC(p, v)	do { struct enc __e = (v); X_BUF(p, __e.b, __e.n); } while (0)
#define E_ENC(p, v)	do { struct enc __e = (v); E_BUF(p, __e.b, __e.n); } while (0)

/* A unix tuple of socket ids @a then @b (fam.h ids; 0: the id 0 itself). */
static void tupu_ids(int x, const char *p, unsigned int a, unsigned int b, const char *path)
{
	struct enc e = tupu(0, 0, path);

	fam_buf(x, p, e.b, e.n);
	if (a)
		fam_buf_id(0, 1, a);
	if (b)
		fam_buf_id(1, 9, b);
}
#define X_TUPU(p, a, b, path)	tupu_ids(1, p, a, b, path)
#define E_TUPU(p, a, b, path)	tupu_ids(0, p, a, b, path)

/* The SOCKOPT_DYNAMIC_PARAM indexes of uapi/kscap_flags.h. */
enum {
#define KSCAP_DYN(table, name, index, type, fmt) DYN_##table##_##name = (index),
#include "kscap_flags.h"
#undef KSCAP_DYN
};
#define IDX(n)	DYN_SOCKOPT_DYNAMIC_PARAM_##n

/* ---- helpers ---- */

static struct sockaddr_in in4(const char *ip, unsigned short port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	KT_CHECK(inet_pton(AF_INET, ip, &a.sin_addr) == 1, "inet_pton %s", ip);
	return a;
}

static struct sockaddr_in6 in6(const char *ip, unsigned short port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(port);
	KT_CHECK(inet_pton(AF_INET6, ip, &a.sin6_addr) == 1, "inet_pton %s", ip);
	return a;
}

static struct sockaddr_in local4(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	KT_SYS(getsockname(fd, (struct sockaddr *)&a, &len));
	return a;
}

static struct sockaddr_in6 local6(int fd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	KT_SYS(getsockname(fd, (struct sockaddr *)&a, &len));
	return a;
}


/* busybox's init may not have brought lo up: do it here if needed. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int s = KT_SYS(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	KT_SYS(ioctl(s, SIOCGIFFLAGS, &ifr));
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		KT_SYS(ioctl(s, SIOCSIFFLAGS, &ifr));
		kt_log("brought lo up");
	}
	close(s);
}

static long sock(int domain, int type, int proto, const char *what)
{
	long fd = SC(SYS_socket, domain, type, proto);

	fam_call(me, KSCAP_EV_SOCKET_E, "socket(%s)", what);
	E_INT("domain", domain);
	E_INT("type", type);
	E_INT("proto", proto);
	X_INT("fd", fd);
	KT_CHECK(fd >= 0, "socket(%s): %s", what, strerror((int)-fd));
	return fd;
}

static void sclose(long fd, const char *what)
{
	long r = SC(SYS_close, fd);

	fam_call(me, KSCAP_EV_CLOSE_E, "close(%s)", what);
	E_INT("fd", fd);
	X_INT("res", 0);
	KT_CHECK(r == 0, "close %s: %ld", what, r);
}

static void listen_(long fd, int backlog, const char *what)
{
	long r = SC(SYS_listen, fd, backlog);

	fam_call(me, KSCAP_EV_LISTEN_E, "listen(%s, %d)", what, backlog);
	E_INT("fd", fd);
	E_INT("backlog", backlog);
	X_INT("res", 0);
	KT_CHECK(r == 0, "listen %s: %ld", what, r);
}

/* ---- TCP over 127.0.0.1 ---- */

static void tcp4(void)
{
	struct sockaddr_in srv = in4("127.0.0.1", PORT_TCP4), cl, cl3, closed, from;
	struct sockaddr_storage big;
	unsigned char rbuf[512];
	socklen_t fromlen;
	struct iovec iov[2];
	struct msghdr mh;
	long ls, c, c3, s, s3, c2, r;
	int one = 1, v;
	uint64_t cookie;
	socklen_t olen;
	struct timeval tv = { .tv_sec = 1, .tv_usec = 500000 };
	uint64_t ns = 1500000000ULL;

	ls = sock(AF_INET, SOCK_STREAM, 0, "AF_INET, SOCK_STREAM");
	r = SC(SYS_bind, ls, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_BIND_E, "bind(ls, 127.0.0.1:%d)", PORT_TCP4);
	E_INT("fd", ls);
	X_INT("res", 0);
	X_ENC("addr", sa4(&srv));
	KT_CHECK(r == 0, "bind 127.0.0.1:%d: %s", PORT_TCP4, strerror((int)-r));
	listen_(ls, 5, "ls");

	/* Two clients in the backlog, so that the first accept sees one left. */
	c = sock(AF_INET, SOCK_STREAM, 0, "client 1");
	r = SC(SYS_connect, c, &srv, sizeof(srv));
	cl = local4((int)c);
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(c, 127.0.0.1:%d)", PORT_TCP4);
	E_INT("fd", c);
	X_INT("res", 0);
	X_ENC("tuple", tup4(&cl, &srv));
	KT_CHECK(r == 0, "connect: %s", strerror((int)-r));
	c3 = sock(AF_INET, SOCK_STREAM, 0, "client 2");
	r = SC(SYS_connect, c3, &srv, sizeof(srv));
	cl3 = local4((int)c3);
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(c3, 127.0.0.1:%d)", PORT_TCP4);
	X_INT("res", 0);
	X_ENC("tuple", tup4(&cl3, &srv));

	s = SC(SYS_accept4, ls, NULL, NULL, SOCK_CLOEXEC);
	fam_call(me, KSCAP_EV_ACCEPT4_E, "accept4(ls, NULL, NULL, SOCK_CLOEXEC)");
	E_INT("flags", SOCK_CLOEXEC);
	X_INT("fd", s);
	X_ENC("tuple", tup4(&cl, &srv));
	X_INT("queuepct", 20);
	X_INT("queuelen", 1);
	X_INT("queuemax", 5);
	KT_CHECK(s >= 0, "accept4: %s", strerror((int)-s));
	fromlen = sizeof(from);
	s3 = SC(SYS_accept, ls, &from, &fromlen);
	fam_call(me, KSCAP_EV_ACCEPT_E, "accept(ls, &from, &len)");
	X_INT("fd", s3);
	X_ENC("tuple", tup4(&cl3, &srv));
	X_INT("queuepct", 0);
	X_INT("queuelen", 0);
	X_INT("queuemax", 5);
	KT_CHECK(s3 >= 0, "accept: %s", strerror((int)-s3));

	/* 100 bytes sent, 80 kept; no address: the connection's tuple. */
	r = SC(SYS_sendto, c, pat, (size_t)100, 0, NULL, 0);
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(c, pat, 100)");
	E_INT("fd", c);
	E_INT("size", 100);
	E_ENC("tuple", tup4(&cl, &srv));
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	r = SC(SYS_recvfrom, s, rbuf, (size_t)200, 0, NULL, NULL);
	fam_call(me, KSCAP_EV_RECVFROM_E, "recvfrom(s, buf, 200)");
	E_INT("fd", s);
	E_INT("size", 200);
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	X_ENC("tuple", tup4(&cl, &srv));
	KT_CHECK(r == 100, "recvfrom: %ld", r);

	/* sendmsg from the server side, two iovecs, 30 + 70 bytes. */
	iov[0].iov_base = pat + 1;
	iov[0].iov_len = 30;
	iov[1].iov_base = pat + 31;
	iov[1].iov_len = 70;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	r = SC(SYS_sendmsg, s, &mh, 0);
	fam_call(me, KSCAP_EV_SENDMSG_E, "sendmsg(s, [30, 70])");
	E_INT("fd", s);
	E_INT("size", 100);
	E_ENC("tuple", tup4(&srv, &cl));
	X_INT("res", 100);
	X_BUF("data", pat + 1, SNAP);
	KT_CHECK(r == 100, "sendmsg: %ld", r);
	/* recvmsg with room for 50 + 150 and a name TCP leaves unset. */
	iov[0].iov_base = rbuf;
	iov[0].iov_len = 50;
	iov[1].iov_base = rbuf + 100;
	iov[1].iov_len = 150;
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	r = SC(SYS_recvmsg, c, &mh, 0);
	fam_call(me, KSCAP_EV_RECVMSG_E, "recvmsg(c, [50, 150])");
	E_INT("fd", c);
	X_INT("res", 100);
	X_INT("size", 100);
	X_BUF("data", pat + 1, SNAP);
	X_ENC("tuple", tup4(&srv, &cl));
	KT_CHECK(r == 100, "recvmsg: %ld", r);

	/* Socket options: an int, a timeval, another level, reads back. */
	v = 4096;
	r = SC(SYS_setsockopt, c, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	fam_call(me, KSCAP_EV_SETSOCKOPT_E, "setsockopt(c, SOL_SOCKET, SO_RCVBUF, 4096)");
	X_INT("res", 0);
	X_INT("fd", c);
	X_INT("level", ABI_SOCKOPT_LEVELS_SOL_SOCKET);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_SO_RCVBUF);
	X_ENC("val", dyn(IDX(UINT32), &v, 4));
	X_INT("optlen", 4);
	r = SC(SYS_setsockopt, c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	fam_call(me, KSCAP_EV_SETSOCKOPT_E, "setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, 1.5 s)");
	X_INT("res", 0);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_SO_RCVTIMEO);
	X_ENC("val", dyn(IDX(TIMEVAL), &ns, 8));
	X_INT("optlen", sizeof(tv));
	r = SC(SYS_setsockopt, c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fam_call(me, KSCAP_EV_SETSOCKOPT_E, "setsockopt(c, IPPROTO_TCP, TCP_NODELAY, 1)");
	X_INT("res", 0);
	X_INT("level", ABI_SOCKOPT_LEVELS_SOL_TCP);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_UNKNOWN);
	X_ENC("val", dyn(IDX(UNKNOWN), &one, 4));
	X_INT("optlen", 4);
	/* A bad value pointer: the call fails, the value is empty. */
	r = SC(SYS_setsockopt, c, SOL_SOCKET, SO_RCVBUF, (void *)8, sizeof(v));
	fam_call(me, KSCAP_EV_SETSOCKOPT_E, "setsockopt(c, SO_RCVBUF, bad pointer) = -EFAULT");
	X_INT("res", -EFAULT);
	X_ENC("val", dyn(IDX(UNKNOWN), NULL, 0));
	X_INT("optlen", 4);

	olen = sizeof(v);
	r = SC(SYS_getsockopt, c, SOL_SOCKET, SO_TYPE, &v, &olen);
	fam_call(me, KSCAP_EV_GETSOCKOPT_E, "getsockopt(c, SO_TYPE)");
	X_INT("res", 0);
	X_INT("fd", c);
	X_INT("level", ABI_SOCKOPT_LEVELS_SOL_SOCKET);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_SO_TYPE);
	X_ENC("val", dyn(IDX(UINT32), &v, 4));
	X_INT("optlen", 4);
	KT_CHECK(r == 0 && v == SOCK_STREAM, "getsockopt SO_TYPE: %ld, %d", r, v);
	olen = sizeof(cookie);
	r = SC(SYS_getsockopt, c, SOL_SOCKET, SO_COOKIE, &cookie, &olen);
	fam_call(me, KSCAP_EV_GETSOCKOPT_E, "getsockopt(c, SO_COOKIE)");
	X_INT("res", 0);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_SO_COOKIE);
	X_ENC("val", dyn(IDX(UINT64), &cookie, 8));
	X_INT("optlen", 8);
	olen = sizeof(v);
	r = SC(SYS_getsockopt, BADFD, SOL_SOCKET, SO_TYPE, &v, &olen);
	fam_call(me, KSCAP_EV_GETSOCKOPT_E, "getsockopt(bad fd) = -EBADF");
	X_INT("res", -EBADF);
	X_INT("fd", BADFD);
	X_ENC("val", dyn(IDX(UNKNOWN), NULL, 0));
	X_INT("optlen", 4);

	r = SC(SYS_shutdown, c, SHUT_WR);
	fam_call(me, KSCAP_EV_SHUTDOWN_E, "shutdown(c, SHUT_WR)");
	E_INT("fd", c);
	E_INT("how", ABI_SHUTDOWN_HOW_SHUT_WR);
	X_INT("res", 0);

	/* Refused: the tuple still names the address asked for. */
	closed = in4("127.0.0.1", PORT_CLOSED);
	c2 = sock(AF_INET, SOCK_STREAM, 0, "client to a closed port");
	r = SC(SYS_connect, c2, &closed, sizeof(closed));
	cl = local4((int)c2);
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(c2, 127.0.0.1:%d) = -ECONNREFUSED", PORT_CLOSED);
	E_INT("fd", c2);
	X_INT("res", -ECONNREFUSED);
	X_ENC("tuple", tup4(&cl, &closed));
	r = SC(SYS_connect, BADFD, &closed, sizeof(closed));
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(bad fd) = -EBADF");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
	X_EMPTY("tuple");

	/* bind: bad fd (address still shown), bad pointer, odd family, too long. */
	r = SC(SYS_bind, BADFD, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_BIND_E, "bind(bad fd) = -EBADF");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
	X_ENC("addr", sa4(&srv));
	r = SC(SYS_bind, c2, (void *)8, sizeof(srv));
	fam_call(me, KSCAP_EV_BIND_E, "bind(c2, bad pointer) = -EFAULT");
	X_INT("res", -EFAULT);
	X_EMPTY("addr");
	closed.sin_family = AF_APPLETALK;
	r = SC(SYS_bind, c2, &closed, sizeof(closed));
	fam_call(me, KSCAP_EV_BIND_E, "bind(c2, AF_APPLETALK) = -EAFNOSUPPORT");
	X_INT("res", -EAFNOSUPPORT);
	X_EMPTY("addr");
	memset(&big, 0, sizeof(big));
	memcpy(&big, &srv, sizeof(srv));
	r = SC(SYS_bind, c2, &big, 200);
	fam_call(me, KSCAP_EV_BIND_E, "bind(c2, addrlen 200) = -EINVAL");
	X_INT("res", -EINVAL);
	X_ENC("addr", sa4(&srv));

	sclose(c, "c");
	sclose(c2, "c2");
	sclose(c3, "c3");
	sclose(s, "s");
	sclose(s3, "s3");
	sclose(ls, "ls");
}

/* ---- TCP over ::1 ---- */

static void tcp6(void)
{
	struct sockaddr_in6 srv = in6("::1", PORT_TCP6), cl;
	long ls, c, s, r;
	unsigned char rbuf[128];

	ls = sock(AF_INET6, SOCK_STREAM, 0, "AF_INET6, SOCK_STREAM");
	r = SC(SYS_bind, ls, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_BIND_E, "bind(ls6, [::1]:%d)", PORT_TCP6);
	X_INT("res", 0);
	X_ENC("addr", sa6(&srv));
	KT_CHECK(r == 0, "bind [::1]:%d: %s", PORT_TCP6, strerror((int)-r));
	listen_(ls, 3, "ls6");
	c = sock(AF_INET6, SOCK_STREAM, 0, "client6");
	r = SC(SYS_connect, c, &srv, sizeof(srv));
	cl = local6((int)c);
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(c6, [::1]:%d)", PORT_TCP6);
	X_INT("res", 0);
	X_ENC("tuple", tup6(&cl, &srv));
	KT_CHECK(r == 0, "connect ::1: %s", strerror((int)-r));
	s = SC(SYS_accept4, ls, NULL, NULL, 0);
	fam_call(me, KSCAP_EV_ACCEPT4_E, "accept4(ls6)");
	E_INT("flags", 0);
	X_INT("fd", s);
	X_ENC("tuple", tup6(&cl, &srv));
	X_INT("queuepct", 0);
	X_INT("queuelen", 0);
	X_INT("queuemax", 3);
	KT_CHECK(s >= 0, "accept ::1: %s", strerror((int)-s));
	r = SC(SYS_sendto, s, pat, (size_t)10, 0, NULL, 0);
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(s6, 10 bytes)");
	E_ENC("tuple", tup6(&srv, &cl));
	X_INT("res", 10);
	X_BUF("data", pat, 10);
	r = SC(SYS_recvfrom, c, rbuf, sizeof(rbuf), 0, NULL, NULL);
	fam_call(me, KSCAP_EV_RECVFROM_E, "recvfrom(c6)");
	X_INT("res", 10);
	X_BUF("data", pat, 10);
	X_ENC("tuple", tup6(&srv, &cl));
	sclose(c, "c6");
	sclose(s, "s6");
	sclose(ls, "ls6");
}

/* ---- UDP ---- */

static void udp(void)
{
	struct sockaddr_in srv = in4("127.0.0.1", PORT_UDP4), any, cl, from;
	struct sockaddr_in6 any6, mapped;
	unsigned char rbuf[512];
	struct iovec iov[1];
	struct msghdr mh;
	socklen_t fromlen, olen;
	long u1, u2, u6, r;
	int v;
	int64_t err;
	struct pollfd pfd;

	u1 = sock(AF_INET, SOCK_DGRAM, 0, "AF_INET, SOCK_DGRAM");
	r = SC(SYS_bind, u1, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_BIND_E, "bind(u1, 127.0.0.1:%d)", PORT_UDP4);
	X_INT("res", 0);
	X_ENC("addr", sa4(&srv));
	u2 = sock(AF_INET, SOCK_DGRAM, 0, "AF_INET, SOCK_DGRAM, unbound");
	/* Unbound at the enter: the source is 0.0.0.0:0. */
	memset(&any, 0, sizeof(any));
	r = SC(SYS_sendto, u2, pat, (size_t)100, 0, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(u2, 100 bytes, 127.0.0.1:%d)", PORT_UDP4);
	E_INT("fd", u2);
	E_INT("size", 100);
	E_ENC("tuple", tup4(&any, &srv));
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	cl = local4((int)u2);	/* 0.0.0.0:<autobound port> */
	fromlen = sizeof(from);
	r = SC(SYS_recvfrom, u1, rbuf, sizeof(rbuf), 0, &from, &fromlen);
	fam_call(me, KSCAP_EV_RECVFROM_E, "recvfrom(u1, &from)");
	E_INT("fd", u1);
	E_INT("size", sizeof(rbuf));
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	X_ENC("tuple", tup4(&from, &srv));
	KT_CHECK(r == 100 && from.sin_port == cl.sin_port, "recvfrom udp: %ld, port %d vs %d",
		 r, ntohs(from.sin_port), ntohs(cl.sin_port));

	/* sendmsg with a destination, recvmsg with a name. */
	iov[0].iov_base = pat + 5;
	iov[0].iov_len = 20;
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &srv;
	mh.msg_namelen = sizeof(srv);
	mh.msg_iov = iov;
	mh.msg_iovlen = 1;
	r = SC(SYS_sendmsg, u2, &mh, 0);
	fam_call(me, KSCAP_EV_SENDMSG_E, "sendmsg(u2, 20 bytes, to 127.0.0.1:%d)", PORT_UDP4);
	E_INT("fd", u2);
	E_INT("size", 20);
	E_ENC("tuple", tup4(&cl, &srv));
	X_INT("res", 20);
	X_BUF("data", pat + 5, 20);
	iov[0].iov_base = rbuf;
	iov[0].iov_len = sizeof(rbuf);
	memset(&from, 0, sizeof(from));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	r = SC(SYS_recvmsg, u1, &mh, 0);
	fam_call(me, KSCAP_EV_RECVMSG_E, "recvmsg(u1, name)");
	X_INT("res", 20);
	X_INT("size", 20);
	X_BUF("data", pat + 5, 20);
	X_ENC("tuple", tup4(&from, &srv));
	KT_CHECK(r == 20, "recvmsg udp: %ld", r);
	/* Failing recvmsg: no data, no tuple; the size is the buffers'. */
	r = SC(SYS_recvmsg, u1, &mh, MSG_DONTWAIT);
	fam_call(me, KSCAP_EV_RECVMSG_E, "recvmsg(u1, MSG_DONTWAIT) = -EAGAIN");
	X_INT("res", -EAGAIN);
	X_INT("size", sizeof(rbuf));
	X_EMPTY("data");
	X_EMPTY("tuple");

	/* A datagram to a closed port: the ICMP error sets SO_ERROR. */
	r = SC(SYS_connect, u2, &srv, sizeof(srv));
	cl = local4((int)u2);	/* connect chose a source address: 127.0.0.1 */
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(u2, udp)");
	X_INT("res", 0);
	X_ENC("tuple", tup4(&cl, &srv));
	sclose(u1, "u1");
	r = SC(SYS_sendto, u2, "x", (size_t)1, 0, NULL, 0);
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(u2 connected, 1 byte)");
	E_ENC("tuple", tup4(&cl, &srv));
	X_INT("res", 1);
	pfd.fd = (int)u2;
	pfd.events = POLLIN;
	poll(&pfd, 1, 1000);
	olen = sizeof(v);
	v = -1;
	r = SC(SYS_getsockopt, u2, SOL_SOCKET, SO_ERROR, &v, &olen);
	fam_call(me, KSCAP_EV_GETSOCKOPT_E, "getsockopt(u2, SO_ERROR)");
	err = -(int64_t)v;
	X_INT("res", 0);
	X_INT("optname", ABI_SOCKOPT_OPTIONS_SO_ERROR);
	X_ENC("val", dyn(IDX(ERRNO), &err, 8));
	X_INT("optlen", 4);
	KT_CHECK(r == 0 && v == ECONNREFUSED, "SO_ERROR after ICMP: %ld, %d", r, v);
	sclose(u2, "u2");

	/* An AF_INET destination from an AF_INET6 socket: v4-mapped. */
	u6 = sock(AF_INET6, SOCK_DGRAM, 0, "AF_INET6, SOCK_DGRAM");
	memset(&any6, 0, sizeof(any6));
	memset(&mapped, 0, sizeof(mapped));
	mapped.sin6_port = htons(PORT_CLOSED);
	mapped.sin6_addr.s6_addr[10] = 0xff;
	mapped.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&mapped.sin6_addr.s6_addr[12], &srv.sin_addr, 4);
	srv.sin_port = htons(PORT_CLOSED);
	r = SC(SYS_sendto, u6, pat, (size_t)3, 0, &srv, sizeof(srv));
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(u6, to AF_INET 127.0.0.1:%d)", PORT_CLOSED);
	E_ENC("tuple", tup6(&any6, &mapped));
	X_BUF("data", pat, 3);
	sclose(u6, "u6");
}

/* ---- unix sockets ---- */

static void unix_path(void)
{
	struct sockaddr_un sun;
	unsigned char rbuf[256];
	long ls, c, s, r;
	enum { IC = 1, IS = 2 };	/* the client's and the accepted socket's ids */

	unlink(UPATH);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, UPATH);
	ls = sock(AF_UNIX, SOCK_STREAM, 0, "AF_UNIX, SOCK_STREAM");
	/* The common full-size length: the path ends at its NUL. */
	r = SC(SYS_bind, ls, &sun, sizeof(sun));
	fam_call(me, KSCAP_EV_BIND_E, "bind(uls, %s)", UPATH);
	X_INT("res", 0);
	X_ENC("addr", sau(UPATH));
	KT_CHECK(r == 0, "bind %s: %s", UPATH, strerror((int)-r));
	listen_(ls, 4, "uls");
	c = sock(AF_UNIX, SOCK_STREAM, 0, "unix client");
	r = SC(SYS_connect, c, &sun, offsetof(struct sockaddr_un, sun_path) + strlen(UPATH));
	KT_CHECK(r == 0, "connect %s: %s", UPATH, strerror((int)-r));
	s = SC(SYS_accept, ls, NULL, NULL);
	KT_CHECK(s >= 0, "accept unix: %s", strerror((int)-s));
	/*
	 * connect is outbound: the peer first. The peer is the socket accept
	 * will return, not accepted yet: its id is already the one the
	 * accept shows, so the two calls name the same connection.
	 */
	fam_call(me, KSCAP_EV_CONNECT_E, "connect(uc, %s)", UPATH);
	E_INT("fd", c);
	X_INT("res", 0);
	X_TUPU("tuple", IS, IC, UPATH);
	fam_call(me, KSCAP_EV_ACCEPT_E, "accept(uls)");
	X_INT("fd", s);
	X_TUPU("tuple", IS, IC, UPATH);
	X_INT("queuelen", 0);
	X_INT("queuemax", 4);
	r = SC(SYS_sendto, c, pat, (size_t)100, 0, NULL, 0);
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(uc, 100 bytes)");
	E_INT("fd", c);
	E_TUPU("tuple", IS, IC, UPATH);
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	r = SC(SYS_recvfrom, s, rbuf, sizeof(rbuf), 0, NULL, NULL);
	fam_call(me, KSCAP_EV_RECVFROM_E, "recvfrom(us)");
	X_INT("res", 100);
	X_BUF("data", pat, SNAP);
	X_TUPU("tuple", IS, IC, UPATH);
	sclose(c, "uc");
	sclose(s, "us");
	sclose(ls, "uls");
	unlink(UPATH);
}

static void unix_abstract(void)
{
	struct sockaddr_un sun;
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(UABS);
	unsigned char rbuf[64];
	long d1, d2, r;
	enum { I1 = 3, I2 = 4 };

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, UABS, strlen(UABS));
	d1 = sock(AF_UNIX, SOCK_DGRAM, 0, "AF_UNIX, SOCK_DGRAM");
	r = SC(SYS_bind, d1, &sun, len);
	fam_call(me, KSCAP_EV_BIND_E, "bind(d1, @%s)", UABS);
	X_INT("res", 0);
	X_ENC("addr", sau("@" UABS));
	KT_CHECK(r == 0, "bind @%s: %s", UABS, strerror((int)-r));
	d2 = sock(AF_UNIX, SOCK_DGRAM, 0, "AF_UNIX, SOCK_DGRAM, sender");
	/* Not connected: no peer (0); the path is the one given. */
	r = SC(SYS_sendto, d2, "ping", (size_t)4, 0, &sun, len);
	fam_call(me, KSCAP_EV_SENDTO_E, "sendto(d2, @%s)", UABS);
	E_TUPU("tuple", 0, I2, "@" UABS);
	X_INT("res", 4);
	X_BUF("data", "ping", 4);
	r = SC(SYS_recvfrom, d1, rbuf, sizeof(rbuf), 0, NULL, NULL);
	fam_call(me, KSCAP_EV_RECVFROM_E, "recvfrom(d1)");
	X_INT("res", 4);
	X_BUF("data", "ping", 4);
	X_TUPU("tuple", I1, 0, "@" UABS);
	sclose(d1, "d1");
	sclose(d2, "d2");
}

static void unix_pair(void)
{
	unsigned char rbuf[64];
	struct iovec iov[2];
	struct msghdr mh;
	int sv[2];
	long r;
	enum { I0 = 5, I1 = 6 };

	r = SC(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
	KT_CHECK(r == 0, "socketpair: %s", strerror((int)-r));
	fam_call(me, KSCAP_EV_SOCKETPAIR_E, "socketpair(AF_UNIX, SOCK_STREAM)");
	E_INT("domain", FAM(AF_UNIX));
	E_INT("type", SOCK_STREAM);
	E_INT("proto", 0);
	X_INT("res", 0);
	X_INT("fd1", sv[0]);
	X_INT("fd2", sv[1]);
	X_ID("source", I0);
	X_ID("peer", I1);
	iov[0].iov_base = "hello ";
	iov[0].iov_len = 6;
	iov[1].iov_base = "pair";
	iov[1].iov_len = 4;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	r = SC(SYS_sendmsg, sv[0], &mh, 0);
	fam_call(me, KSCAP_EV_SENDMSG_E, "sendmsg(sv0, [6, 4])");
	E_INT("fd", sv[0]);
	E_INT("size", 10);
	E_TUPU("tuple", I1, I0, "");
	X_INT("res", 10);
	X_BUF("data", "hello pair", 10);
	iov[0].iov_base = rbuf;
	iov[0].iov_len = 4;
	iov[1].iov_base = rbuf + 10;
	iov[1].iov_len = 40;
	r = SC(SYS_recvmsg, sv[1], &mh, 0);
	fam_call(me, KSCAP_EV_RECVMSG_E, "recvmsg(sv1, [4, 40])");
	X_INT("res", 10);
	X_INT("size", 10);
	X_BUF("data", "hello pair", 10);
	X_TUPU("tuple", I1, I0, "");
	/* A bad msghdr: the call fails; nothing readable, nothing shown. */
	r = SC(SYS_sendmsg, sv[0], (void *)8, 0);
	fam_call(me, KSCAP_EV_SENDMSG_E, "sendmsg(sv0, bad msghdr) = -EFAULT");
	E_EMPTY("size");
	E_EMPTY("tuple");
	X_INT("res", -EFAULT);
	X_EMPTY("data");
	sclose(sv[0], "sv0");
	sclose(sv[1], "sv1");
}

int main(void)
{
	struct fam f;
	int i;

	me = kt_gettid();
	for (i = 0; i < (int)sizeof(pat); i++)
		pat[i] = (unsigned char)(i * 13 + 5);	/* NULs and high bytes too */
	fam_init();
	loopback_up();
	fam_begin(&f);
	tcp4();
	tcp6();
	udp();
	unix_path();
	unix_abstract();
	unix_pair();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
