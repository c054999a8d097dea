// SPDX-License-Identifier: MIT
/*
 * Writes the fuzzers' seed corpora (make seeds): a few valid inputs per
 * target, so fuzzing starts from the formats' real shapes, and the
 * reproducers of what was found (named after what they reproduce).
 *
 *   mkseeds DIR     writes into DIR/capread, DIR/event and DIR/nl
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "kscap/libkscap.h"
#include "kscap_netlink.h"
#include "capfile_util.h"

static const char *dir;

static void put(const char *sub, const char *name, const void *p, size_t n, int mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "w");
	if (!f || (mode >= 0 && fputc(mode, f) == EOF) || fwrite(p, 1, n, f) != n || fclose(f))
		abort();
}

/* An event seed for fuzz_event's raw mode (leading byte 0). */
static void ev_raw(const char *name, const uint8_t *raw, uint32_t len)
{
	put("event", name, raw, len, 0);
}

/* A framed-mode seed: type, one length byte per parameter, values. */
static void ev_framed(const char *name, uint16_t type, const uint8_t *lens,
		      unsigned int n, const void *vals, size_t vlen)
{
	uint8_t buf[512];

	buf[0] = (uint8_t)type;
	buf[1] = (uint8_t)(type >> 8);
	memcpy(buf + 2, lens, n);
	memcpy(buf + 2 + n, vals, vlen);
	put("event", name, buf, 2 + n + vlen, 1);
}

static void events(void)
{
	static struct evb b;
	const uint8_t *raw;
	uint32_t len;
	int64_t min64 = INT64_MIN, min32 = INT32_MIN;
	const uint8_t one8[] = { 8 };

	raw = ev_open_x(&b, 1000, 100, 3, "/etc/passwd", &len);
	ev_raw("open_x", raw, len);
	raw = ev_clone_x(&b, 2000, 100, 101, 100, 1, "bash", 0, &len);
	ev_raw("clone_x", raw, len);
	raw = ev_execve_x(&b, 3000, 101, 0, 101, 100, "ls", "-l\0/nope", 9, "ls", &len);
	ev_raw("execve_x", raw, len);
	evb_start(&b, KSCAP_EV_CLOSE_X, 4000, 100);
	evb_u64(&b, (uint64_t)min64);
	raw = evb_end(&b, &len);
	/* The ERRNO overflow of issue 11: negating INT64_MIN for a name. */
	ev_raw("errno-int64-min", raw, len);
	ev_framed("errno-int64-min-framed", KSCAP_EV_CLOSE_X, one8, 1, &min64, 8);
	ev_framed("errno-int32-min-framed", KSCAP_EV_CLOSE_X, one8, 1, &min32, 8);
}

static void capture(void)
{
	char tmp[256];
	char *buf;
	FILE *f;
	long n;

	tmp_name(tmp, sizeof(tmp), "seed");
	write_session(tmp);
	f = fopen(tmp, "r");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		abort();
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	unlink(tmp);
	put("capread", "session", buf, (size_t)n, -1);
	free(buf);
}

static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, 42, 0, 0, cmd, KSCAP_GENL_VERSION))
		abort();
	return msg;
}

static void counters(struct nl_msg *msg, int attr, uint32_t cpu)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	if (cpu != KSCAP_ALL_CPUS)
		nla_put_u32(msg, KSCAP_C_CPU, cpu);
	for (i = KSCAP_C_HITS; i <= KSCAP_C_MAX; i++)
		nla_put_u64(msg, i, 1000 + i);
	nla_nest_end(msg, nest);
}

static void put_msg(const char *name, struct nl_msg *msg)
{
	put("nl", name, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len, -1);
	nlmsg_free(msg);
}

static void netlink(void)
{
	struct nl_msg *msg;
	uint8_t mask[KSCAP_MASK_BYTES];
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
		struct nlattr a;
		char text[12];
	} err;

	msg = reply(KSCAP_CMD_GET_INFO);
	nla_put_u32(msg, KSCAP_A_ABI_VERSION, KSCAP_ABI_VERSION);
	nla_put_u32(msg, KSCAP_A_NCPUS, 2);
	nla_put_u64(msg, KSCAP_A_RING_SIZE, 1 << 20);
	nla_put_u64(msg, KSCAP_A_RESERVE, 1 << 16);
	nla_put_u32(msg, KSCAP_A_SNAPLEN, 80);
	nla_put_u8(msg, KSCAP_A_ENABLED, 1);
	nla_put_u8(msg, KSCAP_A_CONSUMER, 0);
	put_msg("info", msg);

	msg = reply(KSCAP_CMD_GET_STATS);
	counters(msg, KSCAP_A_TOTAL, KSCAP_ALL_CPUS);
	counters(msg, KSCAP_A_CPU, 0);
	counters(msg, KSCAP_A_CPU, 1);
	put_msg("stats", msg);

	msg = reply(KSCAP_CMD_GET_MASK);
	memset(mask, 0x5a, sizeof(mask));
	nla_put(msg, KSCAP_A_MASK, sizeof(mask), mask);
	put_msg("mask", msg);

	msg = reply(KSCAP_CMD_DROPS);
	nla_put_u64(msg, KSCAP_A_TOTAL_DROPS, 77);
	nla_put_u64(msg, KSCAP_A_NEW_DROPS, 7);
	put_msg("drops", msg);

	/* An error with a capped request and an extended ack message. */
	memset(&err, 0, sizeof(err));
	err.h.nlmsg_len = sizeof(err);
	err.h.nlmsg_type = NLMSG_ERROR;
	err.h.nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	err.e.error = -EINVAL;
	err.e.msg.nlmsg_len = sizeof(struct nlmsghdr) + 4;
	err.a.nla_type = NLMSGERR_ATTR_MSG;
	err.a.nla_len = NLA_HDRLEN + sizeof(err.text);
	strcpy(err.text, "bad snaplen");
	put("nl", "error-extack", &err, sizeof(err), -1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	dir = argv[1];
	events();
	capture();
	netlink();
	return 0;
}
