// SPDX-License-Identifier: MIT
/*
 * The part of the netlink client libnl leaves to us: turning the kscap
 * family's attributes into structs, and digging the kernel's extended ack
 * message out of an error. Messages are built here with libnl, as the
 * kernel would send them.
 */
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "test.h"
#include "kscap_netlink.h"
#include "nl_parse.h"

static void put_counters(struct nl_msg *msg, int attr, uint32_t cpu, uint64_t base)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	assert_non_null(nest);
	if (cpu != KSCAP_ALL_CPUS)
		assert_int_equal(nla_put_u32(msg, KSCAP_C_CPU, cpu), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_HITS, base + 1), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_WRITTEN, base + 2), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_DROPS_MASK, base + 3), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_DROPS_NESTED, base + 4), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_DROPS_TOOLONG, base + 5), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_FAULTS, base + 6), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_BAD_TAIL, base + 7), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_TRUNCATED, base + 8), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_COMPAT_UNTRANSLATED, base + 9), 0);
	for (i = 0; i < KSCAP_DROP_NR; i++)
		assert_int_equal(nla_put_u64(msg, KSCAP_C_DROPS_FILE + i, base + 10 + i), 0);
	nla_nest_end(msg, nest);
}

static struct nl_msg *new_reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 42, 0, 0, cmd, KSCAP_GENL_VERSION));
	return msg;
}

static void check_counters(const struct kscap_counters *c, uint64_t base)
{
	int i;

	assert_int_equal(c->hits, base + 1);
	assert_int_equal(c->written, base + 2);
	assert_int_equal(c->drops_mask, base + 3);
	assert_int_equal(c->drops_nested, base + 4);
	assert_int_equal(c->drops_toolong, base + 5);
	assert_int_equal(c->faults, base + 6);
	assert_int_equal(c->bad_tail, base + 7);
	assert_int_equal(c->truncated, base + 8);
	assert_int_equal(c->compat_untranslated, base + 9);
	for (i = 0; i < KSCAP_DROP_NR; i++)
		assert_int_equal(c->drops_full[i], base + 10 + i);
}

static void stats_total_and_cpus(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_STATS);
	struct kscap_counters cpus[4];
	uint32_t ids[4];
	struct kscap_nl_stats st = { .percpu = cpus, .cpus = ids, .ncpus = 4 };

	put_counters(msg, KSCAP_A_TOTAL, KSCAP_ALL_CPUS, 1000);
	put_counters(msg, KSCAP_A_CPU, 0, 100);
	put_counters(msg, KSCAP_A_CPU, 3, 300);
	assert_int_equal(kscap_nl_parse_stats(nlmsg_hdr(msg), &st), 0);
	assert_int_equal(st.ncpus, 2);
	check_counters(&st.total, 1000);
	assert_int_equal(ids[0], 0);
	check_counters(&cpus[0], 100);
	assert_int_equal(ids[1], 3);
	check_counters(&cpus[1], 300);
	assert_int_equal(st.consumer_drops, KSCAP_NL_UNKNOWN);	/* module < 1.3 */
	nlmsg_free(msg);
}

/* ABI 1.3: the consumer's reported drops, from the total. */
static void stats_consumer_drops(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_STATS);
	struct kscap_counters cpus[1];
	struct kscap_nl_stats st = { .percpu = cpus, .ncpus = 1 };
	struct nlattr *nest = nla_nest_start(msg, KSCAP_A_TOTAL);

	assert_int_equal(nla_put_u64(msg, KSCAP_C_HITS, 1), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_CONSUMER_DROPS, 12345), 0);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, KSCAP_A_CPU);
	assert_int_equal(nla_put_u32(msg, KSCAP_C_CPU, 0), 0);
	assert_int_equal(nla_put_u64(msg, KSCAP_C_CONSUMER_DROPS, 7), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(kscap_nl_parse_stats(nlmsg_hdr(msg), &st), 0);
	assert_int_equal(st.consumer_drops, 12345);
	assert_int_equal(st.total.hits, 1);
	assert_int_equal(st.ncpus, 1);
	nlmsg_free(msg);
}

/* More CPUs than the caller has room for: the rest are not written. */
static void stats_respects_room(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_STATS);
	struct kscap_counters cpus[2];
	struct kscap_nl_stats st = { .percpu = cpus, .ncpus = 1 };

	memset(cpus, 0xaa, sizeof(cpus));
	put_counters(msg, KSCAP_A_TOTAL, KSCAP_ALL_CPUS, 0);
	put_counters(msg, KSCAP_A_CPU, 0, 100);
	put_counters(msg, KSCAP_A_CPU, 1, 200);
	assert_int_equal(kscap_nl_parse_stats(nlmsg_hdr(msg), &st), 0);
	assert_int_equal(st.ncpus, 1);
	check_counters(&cpus[0], 100);
	assert_int_equal(cpus[1].hits, 0xaaaaaaaaaaaaaaaaULL);
	nlmsg_free(msg);
}

/* A counter of the wrong size is a malformed reply, not garbage. */
static void counters_wrong_size(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_STATS);
	struct nlattr *nest = nla_nest_start(msg, KSCAP_A_TOTAL);
	struct kscap_nl_stats st = { 0 };

	assert_int_equal(nla_put_u16(msg, KSCAP_C_HITS, 7), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(kscap_nl_parse_stats(nlmsg_hdr(msg), &st), -EBADMSG);
	nlmsg_free(msg);
}

static void info_fields(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_INFO);
	struct nlattr *tb[KSCAP_A_MAX + 1];
	struct kscap_nl_info info;

	nla_put_u32(msg, KSCAP_A_ABI_VERSION, KSCAP_ABI_VERSION);
	nla_put_u32(msg, KSCAP_A_NCPUS, 2);
	nla_put_u64(msg, KSCAP_A_RING_SIZE, 8 << 20);
	nla_put_u64(msg, KSCAP_A_RESERVE, 512 << 10);
	nla_put_u32(msg, KSCAP_A_SNAPLEN, 80);
	nla_put_u8(msg, KSCAP_A_ENABLED, 1);
	nla_put_u8(msg, KSCAP_A_CONSUMER, 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, KSCAP_A_MAX, NULL), 0);
	assert_int_equal(kscap_nl_parse_info(tb, &info), 0);
	/* A module before ABI 1.1 does not say what it holds. */
	assert_true(info.ring_bytes == KSCAP_NL_UNKNOWN);
	nla_put_u64(msg, KSCAP_A_RING_BYTES, 16 << 20);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, KSCAP_A_MAX, NULL), 0);
	assert_int_equal(kscap_nl_parse_info(tb, &info), 0);
	assert_true(info.ring_bytes == 16 << 20);
	assert_int_equal(info.abi_version, KSCAP_ABI_VERSION);
	assert_int_equal(info.ncpus, 2);
	assert_int_equal(info.ring_size, 8 << 20);
	assert_int_equal(info.reserve, 512 << 10);
	assert_int_equal(info.snaplen, 80);
	assert_true(info.enabled);
	assert_false(info.consumer);
	nlmsg_free(msg);
}

static void info_missing_attrs(void **state)
{
	struct nl_msg *msg = new_reply(KSCAP_CMD_GET_INFO);
	struct nlattr *tb[KSCAP_A_MAX + 1];
	struct kscap_nl_info info;

	nla_put_u32(msg, KSCAP_A_NCPUS, 2);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, KSCAP_A_MAX, NULL), 0);
	assert_int_equal(kscap_nl_parse_info(tb, &info), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "lacks"));
	nlmsg_free(msg);
}

/* An NLMSG_ERROR with the request capped and an extended ack message. */
static void extack_message(void **state)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	struct nlmsgerr e = { .error = -EINVAL };
	char buf[64];

	e.msg.nlmsg_len = sizeof(struct nlmsghdr) + 20;
	assert_int_equal(nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_string(msg, NLMSGERR_ATTR_MSG, "kscap: need SNAPLEN"), 0);
	assert_string_equal(kscap_nl_parse_extack(nlmsg_hdr(msg), buf, sizeof(buf)),
			    "kscap: need SNAPLEN");
	/* Truncated to the caller's buffer, still terminated. */
	assert_string_equal(kscap_nl_parse_extack(nlmsg_hdr(msg), buf, 6), "kscap");
	nlmsg_free(msg);
}

static void extack_absent(void **state)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	struct nlmsgerr e = { .error = -EPERM };
	char buf[64] = "stale";

	assert_int_equal(nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO), 0);
	assert_string_equal(kscap_nl_parse_extack(nlmsg_hdr(msg), buf, sizeof(buf)), "");
	nlmsg_free(msg);
}

/* No module here: opening the control channel fails with a clear error. */
static void open_without_module(void **state)
{
	struct kscap_nl *nl = NULL;
	int err = kscap_nl_open(&nl);

	if (err == 0) {
		kscap_nl_close(nl);
		skip_because("a kscap netlink family exists here: the test needs none");
	}
	assert_true(err == -ENOENT || err == -EPROTONOSUPPORT);
	assert_true(strlen(kscap_last_error()) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats_total_and_cpus),
		cmocka_unit_test(stats_consumer_drops),
		cmocka_unit_test(stats_respects_room),
		cmocka_unit_test(counters_wrong_size),
		cmocka_unit_test(info_fields),
		cmocka_unit_test(info_missing_attrs),
		cmocka_unit_test(extack_message),
		cmocka_unit_test(extack_absent),
		cmocka_unit_test(open_without_module),
	};

	return RUN(tests);
}
