// SPDX-License-Identifier: GPL-2.0
/*
 * poison: no uninitialised byte and no kernel address reaches userspace.
 * The module is loaded with debug_poison=1: its new ring pages hold a
 * pattern (module/ring.c) instead of zeroes. A mixed workload runs while
 * capturing; then every captured event is scanned
 *  - for the pattern (4 bytes or more of it, in phase with their ring
 *    offset): bytes of an event the writer never stored;
 *  - for 8-byte values that look like kernel addresses (the direct map,
 *    vmalloc and vmemmap areas, kernel text and modules);
 * and so are the status and consumer areas (whose unused bytes must be
 * zero) and the netlink family's replies (GET_INFO, GET_STATS, GET_MASK).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include "kt.h"
#include "kscap_netlink.h"

/* module/ring.c's pattern: byte i of every ring page. */
static const unsigned char pat[8] = { 0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xe1, 0x1e };

static struct kt_dev d;
static u64 tails[256];
static struct {
	u64 events, bytes, poison, kaddr, nl_bytes, status_bytes;
} s;

static int is_kaddr(u64 v)
{
	/* Direct map, vmalloc, vmemmap: 0xffff8880... to 0xffffeaff... */
	if (v >= 0xffff800000000000ULL && v < 0xffffff0000000000ULL)
		return 1;
	/* Kernel text and modules, but not small negative numbers
	 * (INT32_MIN and friends, sign-extended, stay below). */
	return v >= 0xffffffff81000000ULL && v < 0xffffffffff000000ULL;
}

static void report_kaddr(u64 v, const char *where, u64 at)
{
	/* The first few are enough to find the culprit. */
	if (s.kaddr++ < 10)
		kt_log("%s: a kernel address 0x%llx at %llu", where, (unsigned long long)v,
		       (unsigned long long)at);
}

/* Kernel-looking 8-byte values anywhere in [p, p + n). */
static void scan_kaddr(const unsigned char *p, size_t n, const char *where, u64 base)
{
	size_t i;
	u64 v;

	for (i = 0; i + 8 <= n; i++) {
		memcpy(&v, p + i, 8);
		if (is_kaddr(v))
			report_kaddr(v, where, base + i);
	}
}

/*
 * Per parameter, so that neighbours (an fd of 3 next to AT_FDCWD) do not
 * make up an address: 8-byte integers by value; what the kernel builds
 * in binary (socket addresses and tuples, fd lists, dynamic values) at
 * every offset. Strings and the user's own data cannot hold one we put.
 */
static void scan_params(const struct kt_ev *ev)
{
	const struct kscap_event_info *info = &kt_events[ev->type];
	unsigned int i;

	for (i = 0; i < ev->nparams; i++) {
		unsigned int t = info->params[i].type;
		u64 at = ev->pos + (u64)(ev->pval[i] - ev->p), v;

		switch (t) {
		case KSCAP_PT_INT64: case KSCAP_PT_UINT64: case KSCAP_PT_ERRNO:
		case KSCAP_PT_FD: case KSCAP_PT_PID: case KSCAP_PT_RELTIME:
		case KSCAP_PT_ABSTIME:
			if (ev->plen[i] == 8) {
				memcpy(&v, ev->pval[i], 8);
				if (is_kaddr(v))
					report_kaddr(v, info->name, at);
			}
			break;
		case KSCAP_PT_SOCKADDR: case KSCAP_PT_SOCKTUPLE: case KSCAP_PT_FDLIST:
		case KSCAP_PT_DYN:
			scan_kaddr(ev->pval[i], ev->plen[i], info->name, at);
			break;
		}
	}
}

static void on_event(const struct kt_ev *ev, void *arg __attribute__((unused)))
{
	u64 mask = d.g.ring_size - 1, run = 0, k;

	s.events++;
	s.bytes += ev->len;
	for (k = 0; k < ev->len; k++) {
		u64 off = (ev->pos + k) & mask;

		run = ev->p[k] == pat[off % 8] ? run + 1 : 0;
		if (run == 4 && s.poison++ < 10)
			kt_log("CPU %u: %s event at %llu: the pattern at byte %llu (an unwritten byte)",
			       ev->cpu, kt_events[ev->type].name, (unsigned long long)ev->pos,
			       (unsigned long long)k - 3);
	}
	scan_params(ev);
}

static void consume(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		u64 h = kt_head(&d, cpu);

		kt_walk(&d, cpu, tails[cpu], h, on_event, NULL);
		tails[cpu] = h;
		kt_set_tail(&d, cpu, h);
	}
}

/* Every byte of the status area but heads and counters is zero. */
static void check_status(void)
{
	size_t i, len = d.g.status_len;
	const unsigned char *p = d.status;

	for (i = 0; i < len; i++) {
		size_t cpu = i / KSCAP_STATUS_STRIDE, off = i % KSCAP_STATUS_STRIDE;
		int used = cpu < d.g.ncpus &&
			   (off < 8 || (off >= offsetof(struct kscap_status_page, counters) &&
					off < offsetof(struct kscap_status_page, counters) +
					      sizeof(struct kscap_counters)));

		KT_CHECK(used || !p[i], "status area byte %zu (CPU %zu offset %zu) is 0x%02x",
			 i, cpu, off, p[i]);
	}
	scan_kaddr(p, len, "status area", 0);
	s.status_bytes += len;
}

/* The consumer area as the kernel hands it over: zeroes. */
static void check_consumer(void)
{
	size_t i;

	for (i = 0; i < d.g.consumer_len; i++)
		KT_CHECK(!d.consumer[i], "consumer area byte %zu is 0x%02x at open", i, d.consumer[i]);
}

/* The pattern really is there: without it this test could not fail. */
static void check_poisoned(void)
{
	unsigned int cpu;
	u64 i;

	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		for (i = 0; i < d.g.ring_size; i += 4093)
			KT_CHECK(d.data[cpu][i] == pat[i % 8],
				 "CPU %u ring byte %llu is 0x%02x, not the pattern: load with debug_poison=1",
				 cpu, (unsigned long long)i, d.data[cpu][i]);
}

/* ---- the workload ---------------------------------------------------- */

static void net(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un u = { .sun_family = AF_UNIX, .sun_path = "/tmp/poison.sock" };
	socklen_t al = sizeof(a);
	char buf[256];
	int l, c, x, sv[2];

	l = KT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	KT_SYS(bind(l, (void *)&a, sizeof(a)));
	KT_SYS(listen(l, 4));
	KT_SYS(getsockname(l, (void *)&a, &al));
	c = KT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	KT_SYS(connect(c, (void *)&a, sizeof(a)));
	x = KT_SYS(accept(l, NULL, NULL));
	KT_SYS(send(c, "hello", 5, 0));
	KT_SYS(recv(x, buf, sizeof(buf), 0));
	shutdown(c, SHUT_RDWR);
	close(x);
	close(c);
	close(l);
	l = KT_SYS(socket(AF_INET6, SOCK_DGRAM, 0));
	close(l);
	unlink(u.sun_path);
	l = KT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
	KT_SYS(bind(l, (void *)&u, sizeof(u)));
	c = KT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
	KT_SYS(sendto(c, "x", 1, 0, (void *)&u, sizeof(u)));
	KT_SYS(recvfrom(l, buf, sizeof(buf), 0, NULL, NULL));
	close(c);
	close(l);
	KT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	KT_SYS(write(sv[0], "pair", 4));
	KT_SYS(read(sv[1], buf, sizeof(buf)));
	close(sv[0]);
	close(sv[1]);
}

static void files(void)
{
	char buf[512];
	struct stat st;
	struct pollfd pfd;
	int fd, p[2];
	void *m;

	mkdir("/tmp/poison", 0755);
	fd = KT_SYS(open("/tmp/poison/f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	KT_SYS(write(fd, "some text to read back", 22));
	KT_SYS(lseek(fd, 0, SEEK_SET));
	KT_SYS(read(fd, buf, sizeof(buf)));
	KT_SYS(fstat(fd, &st));
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED) {
		mprotect(m, 4096, PROT_NONE);
		munmap(m, 4096);
	}
	KT_SYS(dup2(fd, 100));
	close(100);
	close(fd);
	KT_SYS(rename("/tmp/poison/f", "/tmp/poison/g"));
	symlink("/tmp/poison/g", "/tmp/poison/l");
	readlink("/tmp/poison/l", buf, sizeof(buf));
	unlink("/tmp/poison/l");
	unlink("/tmp/poison/g");
	KT_SYS(chdir("/tmp/poison"));
	KT_SYS(chdir("/"));
	KT_SYS(pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	KT_SYS(write(p[1], "x", 1));
	KT_SYS(poll(&pfd, 1, 0));
	close(p[0]);
	close(p[1]);
	rmdir("/tmp/poison");
}

static void procs(void)
{
	pid_t pid;
	int st;

	pid = KT_SYS(fork());
	if (!pid) {
		execl("/bin/sh", "sh", "-c", "ls -la /proc/self/ >/dev/null; cat /proc/cpuinfo >/dev/null; "
		      "echo poison | tr a-z A-Z >/dev/null; sleep 0; true", (char *)NULL);
		_exit(127);
	}
	KT_SYS(waitpid(pid, &st, 0));
	pid = KT_SYS(fork());
	if (!pid) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	getuid();
	getppid();
	sched_yield();
}

/* ---- netlink replies --------------------------------------------------- */

static int nl_fd;

static size_t nl_call(unsigned short fam, unsigned char cmd, const void *attr, size_t alen,
		      char *reply, size_t room)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char a[64];
	} req;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(alen);
	req.n.nlmsg_type = fam;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = cmd;
	req.g.cmd = cmd;
	req.g.version = fam == GENL_ID_CTRL ? 1 : KSCAP_GENL_VERSION;
	memcpy(req.a, attr, alen);
	KT_SYS(send(nl_fd, &req, req.n.nlmsg_len, 0));
	n = KT_SYS(recv(nl_fd, reply, room, 0));
	return (size_t)n;
}

static unsigned short nl_family(void)
{
	char reply[4096];
	struct {
		struct nlattr a;
		char name[8];
	} at = { { NLA_HDRLEN + sizeof(KSCAP_GENL_NAME), CTRL_ATTR_FAMILY_NAME }, KSCAP_GENL_NAME };
	size_t n = nl_call(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, &at, NLA_HDRLEN + sizeof(KSCAP_GENL_NAME),
			   reply, sizeof(reply));
	struct nlmsghdr *h = (void *)reply;
	struct nlattr *a = (void *)(reply + NLMSG_LENGTH(GENL_HDRLEN));
	size_t left = n - NLMSG_LENGTH(GENL_HDRLEN);

	KT_CHECK(n >= NLMSG_HDRLEN && h->nlmsg_type != NLMSG_ERROR, "genl: no kscap family");
	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)a + NLA_HDRLEN);
		left -= NLA_ALIGN(a->nla_len);
		a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	kt_fail("genl: the kscap family has no id");
}

/* Every 8-byte attribute, nests included, by value (MASK is a bitmap). */
static void scan_attrs(const char *p, size_t left)
{
	const struct nlattr *a = (const void *)p;
	u64 v;

	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		const char *data = (const char *)a + NLA_HDRLEN;
		size_t len = a->nla_len - NLA_HDRLEN;

		if (a->nla_type & NLA_F_NESTED || a->nla_type == KSCAP_A_TOTAL ||
		    a->nla_type == KSCAP_A_CPU) {
			scan_attrs(data, len);
		} else if (len == 8) {
			memcpy(&v, data, 8);
			if (is_kaddr(v))
				report_kaddr(v, "netlink attribute", a->nla_type);
		}
		if ((size_t)NLA_ALIGN(a->nla_len) >= left)
			break;
		left -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void check_netlink(void)
{
	static const unsigned char cmds[] = { KSCAP_CMD_GET_INFO, KSCAP_CMD_GET_STATS,
					      KSCAP_CMD_GET_MASK };
	char reply[65536];
	unsigned short fam;
	unsigned int i;

	nl_fd = KT_SYS(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
	fam = nl_family();
	for (i = 0; i < sizeof(cmds); i++) {
		size_t n = nl_call(fam, cmds[i], NULL, 0, reply, sizeof(reply));
		struct nlmsghdr *h = (void *)reply;

		KT_CHECK(n >= NLMSG_HDRLEN && h->nlmsg_type == fam,
			 "netlink command %u: no reply (type %u)", cmds[i], h->nlmsg_type);
		scan_attrs(reply + NLMSG_LENGTH(GENL_HDRLEN), n - NLMSG_LENGTH(GENL_HDRLEN));
		s.nl_bytes += n;
	}
	close(nl_fd);
}

int main(void)
{
	struct kscap_counters c;
	unsigned int cpu;
	int i;

	kt_open(&d);
	KT_CHECK(d.g.ncpus <= 256, "too many CPUs");
	check_consumer();
	check_status();
	check_poisoned();
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (i = 0; i < 20; i++) {
		net();
		files();
		procs();
		consume();
	}
	check_netlink();
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	consume();
	kt_check_counters(&d);
	check_status();
	kt_stats(&d, KSCAP_ALL_CPUS, &c);
	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		KT_CHECK(kt_head(&d, cpu) < d.g.ring_size,
			 "CPU %u's ring wrapped: pages would not be fresh", cpu);
	KT_CHECK(c.written > 1000, "only %llu events captured", (unsigned long long)c.written);
	kt_log("%llu events (%llu bytes) scanned, status area %llu bytes twice, netlink %llu bytes: "
	       "%llu unwritten bytes, %llu kernel addresses",
	       (unsigned long long)s.events, (unsigned long long)s.bytes,
	       (unsigned long long)s.status_bytes / 2, (unsigned long long)s.nl_bytes,
	       (unsigned long long)s.poison, (unsigned long long)s.kaddr);
	KT_CHECK(!s.poison && !s.kaddr, "%llu unwritten bytes and %llu kernel addresses reached userspace",
		 (unsigned long long)s.poison, (unsigned long long)s.kaddr);
	kt_close(&d);
	return 0;
}
