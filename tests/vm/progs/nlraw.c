// SPDX-License-Identifier: GPL-2.0
/*
 * The kscap generic netlink family, spoken raw (no libnl): well-formed
 * requests work, malformed ones (unknown command, wrong attribute types,
 * missing and oversized attributes, values out of range, unknown
 * attributes) are refused with an error and, where the module can say
 * why, an extended ack message; an unprivileged caller may not change
 * anything, nor listen to the drops group.
 *
 *   nlraw check        the malformed-request checks (as root), a nonzero
 *                      genlmsghdr.reserved and stray nlmsg_flags refused,
 *                      root may join the drops group
 *   nlraw unpriv       drop to uid 65534 without capabilities: reads and
 *                      writes are refused with EPERM, and so is joining
 *                      the drops group
 *   nlraw hold SECS    open /dev/kscap, enable capture and never consume
 *                      for SECS seconds (to make the rings overflow)
 *   nlraw storm N      N getppid() calls
 *   nlraw mem          ring memory held: 0 without a consumer, one ring per
 *                      online CPU with one; a CPU brought online during
 *                      capture gets its ring
 *   nlraw sessions N   two consumers in turn, N/50 then N getppid() calls
 *                      each: the DROPS notifications add up to the drops
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <sys/syscall.h>
#include "kt.h"
#include "kscap_netlink.h"

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[512];
};

static int nl_fd;
static unsigned int nl_seq;
static unsigned int drops_group;	/* multicast group id, from the controller */
static char last_extack[256];

static void put_attr(struct req *r, unsigned short type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void start(struct req *r, unsigned short family, unsigned char cmd)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->n.nlmsg_seq = ++nl_seq;
	r->g.cmd = cmd;
	r->g.version = 1;
}

/* Find the extended ack message after a (capped) error. */
static void read_extack(const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = sizeof(*e);
	const struct nlattr *a;
	int len;

	last_extack[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)off;
	a = (const struct nlattr *)((const char *)e + off);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(last_extack, sizeof(last_extack), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN), (const char *)a + NLA_HDRLEN);
			return;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Send @r; return 0 on an ack, -errno on an error. A reply with data is
 * copied to @reply (if given) before the ack.
 */
static int transact(struct req *r, char *reply, size_t reply_len)
{
	char buf[16384];
	int got_data = 0;

	if (send(nl_fd, r, r->n.nlmsg_len, 0) < 0)
		kt_fail("netlink send: %m");
	for (;;) {
		ssize_t n = recv(nl_fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			kt_fail("netlink recv: %m");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				read_extack(h);
				return e->error;
			}
			if (reply && !got_data) {
				memcpy(reply, h, h->nlmsg_len < reply_len ? h->nlmsg_len : reply_len);
				got_data = 1;
			}
		}
	}
}

/* Nested attributes of @a, as (first, bytes left). */
#define NLA_FIRST(a) ((struct nlattr *)((char *)(a) + NLA_HDRLEN))
#define NLA_NEXT_OK(a, len) ((len) >= NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN && (a)->nla_len <= (len))

/* CTRL_ATTR_MCAST_GROUPS: nests of (ID, NAME); remember the drops group's ID. */
static void find_drops_group(const struct nlattr *groups)
{
	const struct nlattr *g = NLA_FIRST(groups), *a;
	int glen = groups->nla_len - NLA_HDRLEN, len;
	unsigned int id;
	int match;

	for (; NLA_NEXT_OK(g, glen); glen -= NLA_ALIGN(g->nla_len),
	     g = (const struct nlattr *)((const char *)g + NLA_ALIGN(g->nla_len))) {
		id = 0;
		match = 0;
		a = NLA_FIRST(g);
		for (len = g->nla_len - NLA_HDRLEN; NLA_NEXT_OK(a, len); len -= NLA_ALIGN(a->nla_len),
		     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = *(const unsigned int *)((const char *)a + NLA_HDRLEN);
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
			    !strcmp((const char *)a + NLA_HDRLEN, KSCAP_GENL_MCGRP_DROPS))
				match = 1;
		}
		if (match)
			drops_group = id;
	}
}

static unsigned short resolve_family(void)
{
	unsigned short id = 0;
	struct req r;
	char reply[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	struct nlattr *a;
	int len;

	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, KSCAP_GENL_NAME, sizeof(KSCAP_GENL_NAME));
	if (transact(&r, reply, sizeof(reply)))
		kt_fail("the kscap netlink family is not registered");
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	while (len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(unsigned short *)((char *)a + NLA_HDRLEN);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
			find_drops_group(a);
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	KT_CHECK(id, "no family id in the controller's reply");
	KT_CHECK(drops_group, "no '%s' group in the controller's reply", KSCAP_GENL_MCGRP_DROPS);
	return id;
}

static void nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	nl_fd = KT_SYS(socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC));
	KT_SYS(bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)));
	KT_SYS(setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)));
	KT_SYS(setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)));
}

/* Expect @err (and an extack containing @msg, if given). */
#define EXPECT(r, err, msg, what) do {						\
	int __e = transact(r, NULL, 0);						\
	KT_CHECK(__e == (err), "%s: got %d (%s), want %d", what, __e,		\
		 last_extack, err);						\
	KT_CHECK(!(msg) || strstr(last_extack, (msg) ? (msg) : ""),		\
		 "%s: extack '%s' lacks '%s'", what, last_extack, (msg) ? (msg) : ""); \
} while (0)

static int join_drops(void)
{
	return setsockopt(nl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			  &drops_group, sizeof(drops_group));
}

static void check(unsigned short fam)
{
	unsigned char mask[KSCAP_MASK_BYTES + 8] = { 0 };
	unsigned char u8v = 1;
	unsigned int u32v;
	struct req r;

	start(&r, fam, KSCAP_CMD_GET_INFO);
	EXPECT(&r, 0, NULL, "GET_INFO");

	start(&r, fam, 99);
	EXPECT(&r, -EOPNOTSUPP, NULL, "unknown command");

	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	EXPECT(&r, -EINVAL, "need SNAPLEN", "SET_SNAPLEN without SNAPLEN");

	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u8v, 1);
	EXPECT(&r, -EINVAL, NULL, "SNAPLEN of one byte");

	u32v = 0;
	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u32v, 4);
	EXPECT(&r, -ERANGE, NULL, "SNAPLEN 0");

	u32v = 70000;
	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u32v, 4);
	EXPECT(&r, -ERANGE, NULL, "SNAPLEN 70000");

	start(&r, fam, KSCAP_CMD_SET_MASK);
	put_attr(&r, KSCAP_A_MASK, mask, sizeof(mask));
	EXPECT(&r, -ERANGE, "size out of range", "oversized MASK");

	start(&r, fam, KSCAP_CMD_SET_MASK);
	put_attr(&r, KSCAP_A_MASK, mask, 3);
	EXPECT(&r, -ERANGE, NULL, "short MASK");

	u32v = 999;
	start(&r, fam, KSCAP_CMD_SET_MASK);
	put_attr(&r, KSCAP_A_EVENT, &u32v, 4);
	put_attr(&r, KSCAP_A_ON, &u8v, 1);
	EXPECT(&r, -ERANGE, NULL, "EVENT 999");

	/* Event 17 is in range but the table has no such type. */
	u32v = 17;
	start(&r, fam, KSCAP_CMD_SET_MASK);
	put_attr(&r, KSCAP_A_EVENT, &u32v, 4);
	put_attr(&r, KSCAP_A_ON, &u8v, 1);
	EXPECT(&r, -EINVAL, "no such event", "EVENT 17");

	start(&r, fam, KSCAP_CMD_SET_MASK);
	EXPECT(&r, -EINVAL, "need MASK", "SET_MASK with nothing");

	u32v = 80;
	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u32v, 4);
	put_attr(&r, 200, &u32v, 4);
	EXPECT(&r, -EINVAL, NULL, "unknown attribute 200");

	/* No consumer holds the device: enabling makes no sense. */
	start(&r, fam, KSCAP_CMD_ENABLE);
	EXPECT(&r, -ENODEV, "no consumer", "ENABLE without consumer");

	/* A new family's header checks hold for every command. */
	start(&r, fam, KSCAP_CMD_GET_INFO);
	r.g.reserved = 1;
	EXPECT(&r, -EINVAL, "reserved", "GET_INFO with genlmsghdr.reserved set");
	start(&r, fam, KSCAP_CMD_GET_STATS);
	r.n.nlmsg_flags |= NLM_F_REPLACE;
	EXPECT(&r, -EINVAL, "nlmsg_flags", "GET_STATS with NLM_F_REPLACE");

	/* Root may listen to the drops. */
	KT_CHECK(join_drops() == 0, "root cannot join the drops group: %m");

	/* And after all that, a good request still works. */
	u32v = 128;
	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u32v, 4);
	EXPECT(&r, 0, NULL, "SNAPLEN 128");
	start(&r, fam, KSCAP_CMD_GET_STATS);
	EXPECT(&r, 0, NULL, "GET_STATS");
}

static void unpriv(unsigned short fam)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	unsigned int u32v = 100;
	struct req r;

	KT_SYS(prctl(PR_SET_KEEPCAPS, 0));
	KT_SYS(setgid(65534));
	KT_SYS(setuid(65534));
	KT_SYS(syscall(SYS_capset, &hdr, data));
	/* The socket is opened with the unprivileged credentials. */
	close(nl_fd);
	nl_open();
	start(&r, fam, KSCAP_CMD_SET_SNAPLEN);
	put_attr(&r, KSCAP_A_SNAPLEN, &u32v, 4);
	EXPECT(&r, -EPERM, "CAP_SYS_ADMIN", "unprivileged SET_SNAPLEN");
	start(&r, fam, KSCAP_CMD_DISABLE);
	EXPECT(&r, -EPERM, NULL, "unprivileged DISABLE");
	start(&r, fam, KSCAP_CMD_GET_INFO);
	EXPECT(&r, -EPERM, "CAP_PERFMON", "unprivileged GET_INFO");
	KT_CHECK(join_drops() < 0, "uid 65534 without capabilities joined the drops group");
	KT_CHECK(errno == EPERM, "unprivileged join of the drops group: %m, want EPERM");
}

static void hold(unsigned int secs)
{
	struct kt_dev d;

	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	sleep(secs);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_close(&d);
}

static unsigned short fam_id;

/* GET_INFO's RING_BYTES: the ring memory the module holds now. */
static u64 ring_bytes(void)
{
	char reply[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	struct nlattr *a;
	struct req r;
	int len;
	u64 v;

	start(&r, fam_id, KSCAP_CMD_GET_INFO);
	KT_CHECK(transact(&r, reply, sizeof(reply)) == 0, "GET_INFO failed: %s", last_extack);
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	for (; NLA_NEXT_OK(a, len); len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == KSCAP_A_RING_BYTES) {
			memcpy(&v, (char *)a + NLA_HDRLEN, sizeof(v));
			return v;
		}
	kt_fail("GET_INFO reply has no RING_BYTES");
}

#define EXPECT_HELD(want, when) do {							\
	u64 __h = ring_bytes();								\
	KT_CHECK(__h == (want), "%s: ring memory held %llu, want %llu", when,		\
		 (unsigned long long)__h, (unsigned long long)(want));			\
	kt_log("%s: %llu bytes of rings", when, (unsigned long long)__h);		\
} while (0)

/*
 * Ring memory: none without a consumer, one ring per online CPU with one,
 * none again after. A CPU offline at open has no ring (its mapping is
 * refused) until it comes online, during capture; then its events are
 * there to read.
 */
static void mem(void)
{
	unsigned int online = kt_ncpus_online(), last;
	struct kt_ppid a;
	struct kt_dev d;
	u64 ring;

	EXPECT_HELD(0, "loaded, no consumer");
	kt_open(&d);
	ring = d.g.ring_size;
	EXPECT_HELD(online * ring, "consumer attached");
	kt_close(&d);
	EXPECT_HELD(0, "consumer gone");

	last = kt_pick_cpu();
	if (online < 2 || !last || kt_set_online(last, 0))
		kt_skip("cannot take a CPU offline: CPU hotplug part not run");
	kt_open(&d);
	EXPECT_HELD((online - 1) * ring, "consumer attached, a CPU offline");
	KT_CHECK(!d.data[last], "CPU %u is offline, yet its ring could be mapped", last);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	KT_CHECK(!kt_set_online(last, 1), "cannot bring CPU %u back online: %m", last);
	EXPECT_HELD(online * ring, "the CPU back online during capture");
	kt_pin(last);
	kt_getppid_storm(100);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	KT_CHECK(kt_map_ring(&d, last) == 0, "CPU %u's ring cannot be mapped once online", last);
	kt_ppid_init(&a, kt_gettid(), last);
	kt_ppid_count(&d, &a, kt_tail(&d, last), kt_head(&d, last));
	KT_CHECK(a.enters == 100 && a.exits == 100, "CPU %u's new ring: %llu getppid enters, %llu exits, want 100",
		 last, (unsigned long long)a.enters, (unsigned long long)a.exits);
	kt_check_counters(&d);
	kt_close(&d);
	EXPECT_HELD(0, "consumer gone again");
}

/*
 * Sum the DROPS notifications waiting on the socket: NEW_DROPS added up,
 * the last TOTAL_DROPS, and how many there were.
 */
static unsigned int read_drops(u64 *sum_new, u64 *last_total)
{
	char buf[16384];
	unsigned int n = 0;
	ssize_t len;

	*sum_new = *last_total = 0;
	while ((len = recv(nl_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
			int alen = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			u64 v;

			if (h->nlmsg_type < NLMSG_MIN_TYPE || g->cmd != KSCAP_CMD_DROPS)
				continue;
			n++;
			for (; NLA_NEXT_OK(a, alen); alen -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
				memcpy(&v, (char *)a + NLA_HDRLEN, sizeof(v));
				if (a->nla_type == KSCAP_A_NEW_DROPS)
					*sum_new += v;
				if (a->nla_type == KSCAP_A_TOTAL_DROPS)
					*last_total = v;
			}
		}
	}
	KT_CHECK(len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK), "netlink recv: %m");
	return n;
}

/*
 * Two consumers in turn overflow a small ring. For each, the DROPS
 * notifications add up to exactly the drops its counters show, the last
 * one's total included: nothing left out when capture stops, nothing
 * taken off by the previous consumer's count.
 */
static void sessions(unsigned long calls)
{
	struct kscap_counters c;
	u64 sum_new, last_total, drops;
	struct kt_dev d;
	unsigned int s, n;

	KT_CHECK(join_drops() == 0, "cannot join the drops group: %m");
	for (s = 0; s < 2; s++) {
		kt_open(&d);
		kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
		/*
		 * The first consumer makes few drops, the second makes more
		 * before the first timer tick than the first made in all.
		 */
		kt_getppid_storm(s ? calls : calls / 50);
		kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
		kt_stats(&d, KSCAP_ALL_CPUS, &c);
		drops = kt_drops_full(&c) + c.drops_nested + c.drops_toolong;
		kt_close(&d);
		n = read_drops(&sum_new, &last_total);
		kt_log("consumer %u: %llu drops; %u notifications, new drops adding up to %llu, last total %llu",
		       s + 1, (unsigned long long)drops, n, (unsigned long long)sum_new,
		       (unsigned long long)last_total);
		KT_CHECK(drops > 0, "consumer %u: no drops: the ring did not overflow", s + 1);
		KT_CHECK(sum_new == drops && last_total == drops,
			 "consumer %u: %llu drops, but notifications announced %llu new (last total %llu)",
			 s + 1, (unsigned long long)drops, (unsigned long long)sum_new,
			 (unsigned long long)last_total);
	}
}

int main(int argc, char **argv)
{
	unsigned short fam;

	if (argc == 3 && !strcmp(argv[1], "hold")) {
		hold(atoi(argv[2]));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "storm")) {
		kt_getppid_storm(strtoul(argv[2], NULL, 0));
		return 0;
	}
	nl_open();
	fam = fam_id = resolve_family();
	if (argc == 2 && !strcmp(argv[1], "check"))
		check(fam);
	else if (argc == 2 && !strcmp(argv[1], "unpriv"))
		unpriv(fam);
	else if (argc == 3 && !strcmp(argv[1], "sessions"))
		sessions(strtoul(argv[2], NULL, 0));
	else if (argc == 2 && !strcmp(argv[1], "mem"))
		mem();
	else
		kt_fail("usage: nlraw check|unpriv|hold SECS|storm N|sessions N|mem");
	return 0;
}
