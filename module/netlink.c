// SPDX-License-Identifier: GPL-2.0
/*
 * The "kscap" generic netlink family (uapi/kscap_netlink.h): info, stats,
 * the event mask, snaplen, capture on/off, and drop notifications.
 */
#include <linux/module.h>
#include <linux/bitmap.h>
#include <linux/capability.h>
#include <net/genetlink.h>
#include "kscap_core.h"
#include "control.h"
#include "netlink.h"
#include "kscap_netlink.h"
#include "compat.h"

/* Not const: 6.1's NLA_POLICY_FULL_RANGE wants a plain pointer. */
static struct netlink_range_validation kscap_snaplen_range = {
	.min = 1,
	.max = KSCAP_SNAPLEN_MAX,
};

static const struct nla_policy kscap_nl_policy[KSCAP_A_MAX + 1] = {
	[KSCAP_A_MASK] = NLA_POLICY_EXACT_LEN(KSCAP_MASK_BYTES),
	[KSCAP_A_EVENT] = NLA_POLICY_MAX(NLA_U32, KSCAP_EV_MAX - 1),
	[KSCAP_A_ON] = NLA_POLICY_MAX(NLA_U8, 1),
	[KSCAP_A_SNAPLEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &kscap_snaplen_range),
};

static struct genl_family kscap_genl_family;

/* Reads: CAP_SYS_ADMIN or CAP_PERFMON. Writes: CAP_SYS_ADMIN. */
static int kscap_nl_may(struct sk_buff *skb, struct genl_info *info, bool write)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	if (!write && netlink_capable(skb, CAP_PERFMON))
		return 0;
	if (write)
		NL_SET_ERR_MSG_MOD(info->extack, "changing capture needs CAP_SYS_ADMIN");
	else
		NL_SET_ERR_MSG_MOD(info->extack,
				   "reading capture state needs CAP_SYS_ADMIN or CAP_PERFMON");
	return -EPERM;
}

/* Start a reply to @info's request; NULL on allocation failure. */
static struct sk_buff *kscap_nl_reply(struct genl_info *info, size_t size,
				      void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &kscap_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int kscap_nl_send(struct sk_buff *msg, void *hdr, struct genl_info *info)
{
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kscap_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct kscap_info ki;
	struct sk_buff *msg;
	void *hdr;
	int err = kscap_nl_may(skb, info, false);

	if (err)
		return err;
	kscap_ctl_info(&ki);
	msg = kscap_nl_reply(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, KSCAP_A_ABI_VERSION, ki.abi_version) ||
	    nla_put_u32(msg, KSCAP_A_NCPUS, ki.ncpus) ||
	    nla_put_u64_64bit(msg, KSCAP_A_RING_SIZE, ki.ring_size, KSCAP_A_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_A_RESERVE, ki.reserve, KSCAP_A_PAD) ||
	    nla_put_u32(msg, KSCAP_A_SNAPLEN, ki.snaplen) ||
	    nla_put_u8(msg, KSCAP_A_ENABLED, ki.enabled) ||
	    nla_put_u8(msg, KSCAP_A_CONSUMER, ki.consumer) ||
	    nla_put_u64_64bit(msg, KSCAP_A_RING_BYTES, ki.ring_bytes, KSCAP_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kscap_nl_send(msg, hdr, info);
}

static int kscap_nl_put_counters(struct sk_buff *msg, int attr, u32 cpu,
				 const struct kscap_counters *c)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	u64 full = kscap_drops_full(c);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if ((cpu != KSCAP_ALL_CPUS && nla_put_u32(msg, KSCAP_C_CPU, cpu)) ||
	    nla_put_u64_64bit(msg, KSCAP_C_HITS, c->hits, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_WRITTEN, c->written, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_DROPS_FULL, full, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_DROPS_MASK, c->drops_mask, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_DROPS_NESTED, c->drops_nested, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_DROPS_TOOLONG, c->drops_toolong, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_FAULTS, c->faults, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_BAD_TAIL, c->bad_tail, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_TRUNCATED, c->truncated, KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_COMPAT_UNTRANSLATED, c->compat_untranslated,
			      KSCAP_C_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_C_CONSUMER_DROPS, kscap_ctl_consumer_drops(cpu),
			      KSCAP_C_PAD))
		goto cancel;
	for (i = 0; i < KSCAP_DROP_NR; i++)
		if (nla_put_u64_64bit(msg, KSCAP_C_DROPS_FILE + i,
				      c->drops_full[i], KSCAP_C_PAD))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* Room for one nested set of counters. */
#define KSCAP_NL_COUNTERS_SIZE \
	(nla_total_size(0) + nla_total_size(sizeof(u32)) + \
	 (KSCAP_C_MAX + 1) * nla_total_size_64bit(sizeof(u64)))

static int kscap_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct kscap_counters c;
	struct sk_buff *msg;
	unsigned int cpu;
	void *hdr;
	int err = kscap_nl_may(skb, info, false);

	if (err)
		return err;
	msg = kscap_nl_reply(info, (num_possible_cpus() + 1) * KSCAP_NL_COUNTERS_SIZE,
			     &hdr);
	if (!msg)
		return -ENOMEM;
	kscap_ctl_stats(KSCAP_ALL_CPUS, &c);
	err = kscap_nl_put_counters(msg, KSCAP_A_TOTAL, KSCAP_ALL_CPUS, &c);
	for_each_possible_cpu(cpu) {
		if (err)
			break;
		kscap_ctl_stats(cpu, &c);
		err = kscap_nl_put_counters(msg, KSCAP_A_CPU, cpu, &c);
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return kscap_nl_send(msg, hdr, info);
}

static int kscap_nl_get_mask(struct sk_buff *skb, struct genl_info *info)
{
	DECLARE_BITMAP(mask, KSCAP_EV_MAX);
	u8 bytes[KSCAP_MASK_BYTES] = { 0 };
	struct sk_buff *msg;
	unsigned int t;
	void *hdr;
	int err = kscap_nl_may(skb, info, false);

	if (err)
		return err;
	kscap_ctl_mask_get(mask);
	for_each_set_bit(t, mask, KSCAP_EV_MAX)
		bytes[t / 8] |= 1U << (t % 8);
	msg = kscap_nl_reply(info, nla_total_size(sizeof(bytes)), &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put(msg, KSCAP_A_MASK, sizeof(bytes), bytes)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kscap_nl_send(msg, hdr, info);
}

static int kscap_nl_set_mask(struct sk_buff *skb, struct genl_info *info)
{
	DECLARE_BITMAP(mask, KSCAP_EV_MAX);
	struct nlattr **a = info->attrs;
	const u8 *bytes;
	unsigned int t;
	int err = kscap_nl_may(skb, info, true);

	if (err)
		return err;
	if (a[KSCAP_A_MASK]) {
		bytes = nla_data(a[KSCAP_A_MASK]);
		bitmap_zero(mask, KSCAP_EV_MAX);
		for (t = 0; t < KSCAP_EV_MAX; t++)
			if (bytes[t / 8] & (1U << (t % 8)))
				__set_bit(t, mask);
		err = kscap_ctl_mask_set_all(mask);
		if (err)
			NL_SET_ERR_MSG_ATTR(info->extack, a[KSCAP_A_MASK],
					    "mask names an event type that does not exist");
		return err;
	}
	if (!a[KSCAP_A_EVENT] || !a[KSCAP_A_ON]) {
		NL_SET_ERR_MSG_MOD(info->extack, "need MASK, or EVENT and ON");
		return -EINVAL;
	}
	err = kscap_ctl_mask_event(nla_get_u32(a[KSCAP_A_EVENT]),
				   nla_get_u8(a[KSCAP_A_ON]));
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, a[KSCAP_A_EVENT],
				    "no such event type");
	return err;
}

static int kscap_nl_set_snaplen(struct sk_buff *skb, struct genl_info *info)
{
	int err = kscap_nl_may(skb, info, true);

	if (err)
		return err;
	if (!info->attrs[KSCAP_A_SNAPLEN]) {
		NL_SET_ERR_MSG_MOD(info->extack, "need SNAPLEN");
		return -EINVAL;
	}
	return kscap_ctl_set_snaplen(nla_get_u32(info->attrs[KSCAP_A_SNAPLEN]));
}

static int kscap_nl_enable(struct sk_buff *skb, struct genl_info *info)
{
	int err = kscap_nl_may(skb, info, true);

	if (err)
		return err;
	err = kscap_ctl_enable();
	if (err == -ENODEV)
		NL_SET_ERR_MSG_MOD(info->extack, "no consumer has /dev/kscap open");
	return err;
}

static int kscap_nl_disable(struct sk_buff *skb, struct genl_info *info)
{
	int err = kscap_nl_may(skb, info, true);

	if (!err)
		kscap_ctl_disable();
	return err;
}

static const struct genl_ops kscap_nl_ops[] = {
	{ .cmd = KSCAP_CMD_GET_INFO, .doit = kscap_nl_get_info },
	{ .cmd = KSCAP_CMD_GET_STATS, .doit = kscap_nl_get_stats },
	{ .cmd = KSCAP_CMD_GET_MASK, .doit = kscap_nl_get_mask },
	{ .cmd = KSCAP_CMD_SET_MASK, .doit = kscap_nl_set_mask },
	{ .cmd = KSCAP_CMD_SET_SNAPLEN, .doit = kscap_nl_set_snaplen },
	{ .cmd = KSCAP_CMD_ENABLE, .doit = kscap_nl_enable },
	{ .cmd = KSCAP_CMD_DISABLE, .doit = kscap_nl_disable },
};

/*
 * Drop counts tell what a capture is missing: joining needs CAP_SYS_ADMIN,
 * checked by genetlink when the socket binds to the group. (CAP_PERFMON,
 * enough for the read commands, cannot be asked for here: the core knows
 * only the two admin capabilities.)
 */
static const struct genl_multicast_group kscap_nl_mcgrps[] = {
	{ .name = KSCAP_GENL_MCGRP_DROPS, .flags = KSCAP_GENL_MCAST_SYS_ADMIN },
};

static struct genl_family kscap_genl_family __ro_after_init = {
	.name = KSCAP_GENL_NAME,
	.version = KSCAP_GENL_VERSION,
	.maxattr = KSCAP_A_MAX,
	.policy = kscap_nl_policy,
	.module = THIS_MODULE,
	.ops = kscap_nl_ops,
	.n_ops = ARRAY_SIZE(kscap_nl_ops),
	/*
	 * resv_start_op stays 0: every command gets a new family's checks
	 * (genlmsghdr.reserved must be 0, no ambiguous nlmsg_flags, no
	 * attributes without a policy) on top of strict attribute parsing.
	 */
	.mcgrps = kscap_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(kscap_nl_mcgrps),
};

static bool kscap_nl_registered;
static u64 kscap_nl_last_drops;

/*
 * From the control timer (softirq), and once more when capture stops:
 * announce new drops, if anyone listens. A total below the last one is a
 * new consumer's counters starting from zero (control says 0 then, with
 * its timer stopped): what the notifications count from starts again.
 */
void kscap_nl_notify_drops(u64 drops)
{
	struct sk_buff *msg;
	u64 new_drops;
	void *hdr;

	if (drops <= kscap_nl_last_drops) {
		kscap_nl_last_drops = drops;
		return;
	}
	new_drops = drops - kscap_nl_last_drops;
	kscap_nl_last_drops = drops;
	if (!READ_ONCE(kscap_nl_registered) ||
	    !genl_has_listeners(&kscap_genl_family, &init_net, 0))
		return;
	msg = genlmsg_new(2 * nla_total_size_64bit(sizeof(u64)), GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &kscap_genl_family, 0, KSCAP_CMD_DROPS);
	if (!hdr ||
	    nla_put_u64_64bit(msg, KSCAP_A_TOTAL_DROPS, drops, KSCAP_A_PAD) ||
	    nla_put_u64_64bit(msg, KSCAP_A_NEW_DROPS, new_drops, KSCAP_A_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&kscap_genl_family, msg, 0, 0, GFP_ATOMIC);
}

int kscap_nl_init(void)
{
	int err = genl_register_family(&kscap_genl_family);

	if (!err)
		WRITE_ONCE(kscap_nl_registered, true);
	return err;
}

void kscap_nl_exit(void)
{
	WRITE_ONCE(kscap_nl_registered, false);
	genl_unregister_family(&kscap_genl_family);
}
