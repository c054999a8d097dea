// SPDX-License-Identifier: MIT
/*
 * The control client for the module's "kscap" generic netlink family
 * (uapi/kscap_netlink.h), on libnl-genl-3. libnl does the socket, the
 * family lookup and attribute validation; what is left to us is turning
 * attributes into structs (kscap_nl_parse_*), which the unit tests cover.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/netlink.h>
#include "kscap/libkscap.h"
#include "kscap_netlink.h"
#include "internal.h"
#include "nl_parse.h"

struct kscap_nl {
	struct nl_sock *sk;
	int family;
	char extack[256];		/* the kernel's message for the last error */
	/* reply being collected */
	int (*parse)(struct nlattr **attrs, void *out);
	void *out;
	int parse_err;
};

static struct nla_policy kscap_nl_attr_policy[KSCAP_A_MAX + 1] = {
	[KSCAP_A_ABI_VERSION] = { .type = NLA_U32 },
	[KSCAP_A_NCPUS] = { .type = NLA_U32 },
	[KSCAP_A_RING_SIZE] = { .type = NLA_U64 },
	[KSCAP_A_RESERVE] = { .type = NLA_U64 },
	[KSCAP_A_SNAPLEN] = { .type = NLA_U32 },
	[KSCAP_A_ENABLED] = { .type = NLA_U8 },
	[KSCAP_A_CONSUMER] = { .type = NLA_U8 },
	[KSCAP_A_MASK] = { .minlen = KSCAP_MASK_BYTES },
	[KSCAP_A_TOTAL] = { .type = NLA_NESTED },
	[KSCAP_A_CPU] = { .type = NLA_NESTED },
	[KSCAP_A_TOTAL_DROPS] = { .type = NLA_U64 },
	[KSCAP_A_NEW_DROPS] = { .type = NLA_U64 },
	[KSCAP_A_RING_BYTES] = { .type = NLA_U64 },
};

static struct nla_policy kscap_nl_ctr_policy[KSCAP_C_MAX + 1] = {
	[KSCAP_C_CPU] = { .type = NLA_U32 },
	[KSCAP_C_HITS] = { .type = NLA_U64 },
	[KSCAP_C_WRITTEN] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_FULL] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_MASK] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_NESTED] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_TOOLONG] = { .type = NLA_U64 },
	[KSCAP_C_FAULTS] = { .type = NLA_U64 },
	[KSCAP_C_BAD_TAIL] = { .type = NLA_U64 },
	[KSCAP_C_COMPAT_UNTRANSLATED] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_FILE] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_NET] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_IPC] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_MEMORY] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_PROCESS] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_IO] = { .type = NLA_U64 },
	[KSCAP_C_DROPS_OTHER] = { .type = NLA_U64 },
	[KSCAP_C_TRUNCATED] = { .type = NLA_U64 },
	[KSCAP_C_CONSUMER_DROPS] = { .type = NLA_U64 },
};

static uint64_t get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

int kscap_nl_parse_counters(struct nlattr *nest, struct kscap_counters *c,
			    uint32_t *cpu, uint64_t *consumer_drops)
{
	struct nlattr *tb[KSCAP_C_MAX + 1];
	unsigned int i;

	if (nla_parse_nested(tb, KSCAP_C_MAX, nest, kscap_nl_ctr_policy) < 0)
		return kscap__fail(-EBADMSG, "netlink: malformed counters");
	memset(c, 0, sizeof(*c));
	c->hits = get_u64(tb, KSCAP_C_HITS);
	c->written = get_u64(tb, KSCAP_C_WRITTEN);
	for (i = 0; i < KSCAP_DROP_NR; i++)
		c->drops_full[i] = get_u64(tb, KSCAP_C_DROPS_FILE + i);
	c->drops_mask = get_u64(tb, KSCAP_C_DROPS_MASK);
	c->drops_nested = get_u64(tb, KSCAP_C_DROPS_NESTED);
	c->drops_toolong = get_u64(tb, KSCAP_C_DROPS_TOOLONG);
	c->faults = get_u64(tb, KSCAP_C_FAULTS);
	c->bad_tail = get_u64(tb, KSCAP_C_BAD_TAIL);
	c->truncated = get_u64(tb, KSCAP_C_TRUNCATED);
	c->compat_untranslated = get_u64(tb, KSCAP_C_COMPAT_UNTRANSLATED);
	if (cpu)
		*cpu = tb[KSCAP_C_CPU] ? nla_get_u32(tb[KSCAP_C_CPU]) : KSCAP_ALL_CPUS;
	if (consumer_drops)
		*consumer_drops = tb[KSCAP_C_CONSUMER_DROPS] ?
				  nla_get_u64(tb[KSCAP_C_CONSUMER_DROPS]) : KSCAP_NL_UNKNOWN;
	return 0;
}

int kscap_nl_parse_info(struct nlattr **tb, struct kscap_nl_info *info)
{
	if (!tb[KSCAP_A_ABI_VERSION] || !tb[KSCAP_A_NCPUS] || !tb[KSCAP_A_RING_SIZE])
		return kscap__fail(-EBADMSG, "netlink: info reply lacks attributes");
	memset(info, 0, sizeof(*info));
	info->abi_version = nla_get_u32(tb[KSCAP_A_ABI_VERSION]);
	info->ncpus = nla_get_u32(tb[KSCAP_A_NCPUS]);
	info->ring_size = nla_get_u64(tb[KSCAP_A_RING_SIZE]);
	info->reserve = get_u64(tb, KSCAP_A_RESERVE);
	info->snaplen = tb[KSCAP_A_SNAPLEN] ? nla_get_u32(tb[KSCAP_A_SNAPLEN]) : 0;
	info->enabled = tb[KSCAP_A_ENABLED] && nla_get_u8(tb[KSCAP_A_ENABLED]);
	info->consumer = tb[KSCAP_A_CONSUMER] && nla_get_u8(tb[KSCAP_A_CONSUMER]);
	info->ring_bytes = tb[KSCAP_A_RING_BYTES] ? nla_get_u64(tb[KSCAP_A_RING_BYTES]) :
						    KSCAP_NL_UNKNOWN;
	return 0;
}

/*
 * Stats reply: TOTAL, then one CPU nest per CPU. @st->ncpus is the room in
 * @st->percpu on entry and the number of CPUs filled on return.
 */
int kscap_nl_parse_stats(struct nlmsghdr *nlh, struct kscap_nl_stats *st)
{
	struct nlattr *a;
	unsigned int room = st->ncpus, n = 0;
	int rem, err;

	st->ncpus = 0;
	memset(&st->total, 0, sizeof(st->total));
	st->consumer_drops = KSCAP_NL_UNKNOWN;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct kscap_counters c;
		uint64_t consumer_drops;
		uint32_t cpu;

		if (nla_type(a) != KSCAP_A_TOTAL && nla_type(a) != KSCAP_A_CPU)
			continue;
		err = kscap_nl_parse_counters(a, &c, &cpu, &consumer_drops);
		if (err)
			return err;
		if (nla_type(a) == KSCAP_A_TOTAL) {
			st->total = c;
			st->consumer_drops = consumer_drops;
		} else if (n < room && st->percpu) {
			st->percpu[n] = c;
			if (st->cpus)
				st->cpus[n] = cpu;
			n++;
		}
	}
	st->ncpus = n;
	return 0;
}

/* The kernel's extended ack message, if the error carries one. */
const char *kscap_nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *a;
	int len;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return buf;
	/* Without NLM_F_CAPPED the request is echoed after the error. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + off + e->msg.nlmsg_len)
			return buf;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	}
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	for (a = (const struct nlattr *)((const char *)e + off); nla_ok(a, len);
	     a = nla_next(a, &len)) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0) {
			size_t n = strnlen(nla_data(a), nla_len(a));

			if (n >= size)
				n = size - 1;
			memcpy(buf, nla_data(a), n);
			buf[n] = '\0';
			break;
		}
	}
	return buf;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct kscap_nl *nl = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;

	kscap_nl_parse_extack(nlh, nl->extack, sizeof(nl->extack));
	nl->parse_err = err->error;
	return NL_STOP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct kscap_nl *nl = arg;
	struct nlattr *tb[KSCAP_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (!nl->parse)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, KSCAP_A_MAX, kscap_nl_attr_policy) < 0) {
		nl->parse_err = kscap__fail(-EBADMSG, "netlink: malformed reply");
		return NL_STOP;
	}
	nl->parse_err = nl->parse(tb, nl->out);
	return NL_OK;
}

int kscap_nl_open(struct kscap_nl **out)
{
	struct kscap_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl)
		return kscap__fail(-ENOMEM, "out of memory");
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return kscap__fail(-ENOMEM, "out of memory");
	}
	if (genl_connect(nl->sk) < 0) {
		kscap_nl_close(nl);
		return kscap__fail(-EPROTONOSUPPORT, "netlink: cannot open a generic netlink socket");
	}
	/* Ask for the kernel's explanations along with its errors. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, KSCAP_GENL_NAME);
	if (nl->family < 0) {
		kscap_nl_close(nl);
		return kscap__fail(-ENOENT, "netlink: no \"%s\" family: is the kscap module loaded?",
				 KSCAP_GENL_NAME);
	}
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, nl);
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, on_error, nl);
	*out = nl;
	return 0;
}

void kscap_nl_close(struct kscap_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

const char *kscap_nl_extack(const struct kscap_nl *nl)
{
	return nl->extack;
}

/* Send one request built by @fill and wait for its reply or ack. */
static int kscap_nl_request(struct kscap_nl *nl, uint8_t cmd,
			    int (*fill)(struct nl_msg *msg, const void *arg),
			    const void *arg,
			    int (*parse)(struct nlattr **tb, void *out), void *out)
{
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return kscap__fail(-ENOMEM, "out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd, KSCAP_GENL_VERSION) ||
	    (fill && fill(msg, arg) < 0)) {
		nlmsg_free(msg);
		return kscap__fail(-EMSGSIZE, "netlink: request too large");
	}
	nl->extack[0] = '\0';
	nl->parse = parse;
	nl->out = out;
	nl->parse_err = 0;
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return kscap__fail(-EIO, "netlink: send: %s", nl_geterror(err));
	err = nl_recvmsgs_default(nl->sk);
	if (nl->parse_err < 0)
		return kscap__fail(nl->parse_err, "netlink: %s%s%s", kscap_strerror(nl->parse_err),
				 nl->extack[0] ? ": " : "", nl->extack);
	if (err < 0)
		return kscap__fail(-EIO, "netlink: receive: %s", nl_geterror(err));
	return 0;
}

static int parse_info(struct nlattr **tb, void *out)
{
	return kscap_nl_parse_info(tb, out);
}

/* Our struct filled, then as much as the caller's holds copied. */
static void copy_out(void *dst, size_t dst_size, const void *src, size_t src_size)
{
	memcpy(dst, src, dst_size < src_size ? dst_size : src_size);
}

int kscap_nl_info_sz(struct kscap_nl *nl, struct kscap_nl_info *info, size_t info_size)
{
	struct kscap_nl_info full = { 0 };
	int err = kscap_nl_request(nl, KSCAP_CMD_GET_INFO, NULL, NULL, parse_info, &full);

	if (!err)
		copy_out(info, info_size, &full, sizeof(full));
	return err;
}

static int on_stats(struct nl_msg *msg, void *arg)
{
	struct kscap_nl *nl = arg;

	nl->parse_err = kscap_nl_parse_stats(nlmsg_hdr(msg), nl->out);
	return NL_OK;
}

int kscap_nl_stats_sz(struct kscap_nl *nl, struct kscap_nl_stats *st, size_t st_size)
{
	struct kscap_nl_stats full = { 0 };
	int err;

	if (st_size < offsetof(struct kscap_nl_stats, ncpus) + sizeof(st->ncpus))
		return kscap__fail(-EINVAL, "struct kscap_nl_stats of %zu bytes is too small",
				   st_size);
	copy_out(&full, sizeof(full), st, st_size);
	/* The stats reply is a list, not a flat attribute set. */
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_stats, nl);
	err = kscap_nl_request(nl, KSCAP_CMD_GET_STATS, NULL, NULL, NULL, &full);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, nl);
	if (!err)
		copy_out(st, st_size, &full, sizeof(full));
	return err;
}

static int parse_mask(struct nlattr **tb, void *out)
{
	if (!tb[KSCAP_A_MASK])
		return kscap__fail(-EBADMSG, "netlink: mask reply lacks MASK");
	memcpy(out, nla_data(tb[KSCAP_A_MASK]), KSCAP_MASK_BYTES);
	return 0;
}

int kscap_nl_get_mask(struct kscap_nl *nl, uint8_t mask[KSCAP_MASK_BYTES])
{
	return kscap_nl_request(nl, KSCAP_CMD_GET_MASK, NULL, NULL, parse_mask, mask);
}

static int fill_mask(struct nl_msg *msg, const void *arg)
{
	return nla_put(msg, KSCAP_A_MASK, KSCAP_MASK_BYTES, arg);
}

int kscap_nl_set_mask(struct kscap_nl *nl, const uint8_t mask[KSCAP_MASK_BYTES])
{
	return kscap_nl_request(nl, KSCAP_CMD_SET_MASK, fill_mask, mask, NULL, NULL);
}

struct event_onoff {
	uint32_t type;
	uint8_t on;
};

static int fill_event(struct nl_msg *msg, const void *arg)
{
	const struct event_onoff *e = arg;

	return nla_put_u32(msg, KSCAP_A_EVENT, e->type) ?:
	       nla_put_u8(msg, KSCAP_A_ON, e->on);
}

int kscap_nl_mask_event(struct kscap_nl *nl, unsigned int type, int on)
{
	struct event_onoff e = { .type = type, .on = !!on };

	return kscap_nl_request(nl, KSCAP_CMD_SET_MASK, fill_event, &e, NULL, NULL);
}

static int fill_snaplen(struct nl_msg *msg, const void *arg)
{
	return nla_put_u32(msg, KSCAP_A_SNAPLEN, *(const uint32_t *)arg);
}

int kscap_nl_set_snaplen(struct kscap_nl *nl, unsigned int snaplen)
{
	uint32_t v = snaplen;

	return kscap_nl_request(nl, KSCAP_CMD_SET_SNAPLEN, fill_snaplen, &v, NULL, NULL);
}

int kscap_nl_enable(struct kscap_nl *nl, int on)
{
	return kscap_nl_request(nl, on ? KSCAP_CMD_ENABLE : KSCAP_CMD_DISABLE,
				NULL, NULL, NULL, NULL);
}

/* Drop notifications: join the group, then each call waits for one. */
struct drops_wait {
	struct kscap_nl_drops *out;
	int got;
};

static int on_drops(struct nl_msg *msg, void *arg)
{
	struct drops_wait *dw = arg;
	struct nlattr *tb[KSCAP_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);

	/* Any multicast may arrive here: no genl header, no cmd to read. */
	if (!genlmsg_valid_hdr(nlh, 0) || gh->cmd != KSCAP_CMD_DROPS ||
	    genlmsg_parse(nlh, 0, tb, KSCAP_A_MAX, kscap_nl_attr_policy) < 0 ||
	    !tb[KSCAP_A_TOTAL_DROPS] || !tb[KSCAP_A_NEW_DROPS])
		return NL_SKIP;
	dw->out->total = nla_get_u64(tb[KSCAP_A_TOTAL_DROPS]);
	dw->out->new_drops = nla_get_u64(tb[KSCAP_A_NEW_DROPS]);
	dw->got = 1;
	return NL_STOP;
}

int kscap_nl_watch_drops(struct kscap_nl *nl)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, KSCAP_GENL_NAME, KSCAP_GENL_MCGRP_DROPS);

	if (grp < 0)
		return kscap__fail(-ENOENT, "netlink: no drops group");
	nl_socket_disable_seq_check(nl->sk);
	if (nl_socket_add_membership(nl->sk, grp) < 0)
		return kscap__fail(-EIO, "netlink: cannot join the drops group");
	return 0;
}

int kscap_nl_next_drops_sz(struct kscap_nl *nl, struct kscap_nl_drops *caller, size_t d_size)
{
	struct kscap_nl_drops full = { 0 }, *d = &full;
	struct drops_wait dw = { .out = d };
	int err;

	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_drops, &dw);
	err = nl_recvmsgs_default(nl->sk);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_reply, nl);
	if (err < 0 && !dw.got)
		return kscap__fail(-EIO, "netlink: receive: %s", nl_geterror(err));
	if (dw.got)
		copy_out(caller, d_size, &full, sizeof(full));
	return dw.got;
}

int kscap_nl_fd(const struct kscap_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}
