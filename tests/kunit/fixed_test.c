// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the fixed-layout path (module/fixed.c, fixed.h): for
 * every row it takes, the bytes it writes are the bytes the row's filler
 * (the recipe) writes for the same arguments and return value, over
 * argument values that make each conversion show (sign and zero
 * extension, flag tables, modes, the upper half of a register). No row
 * is named but to check that the rows the benchmark's calls hit are on
 * the path and that rows with strings or buffers are not.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "fixed.h"

#define FIXED_BUF_LEN	4096

/* Register values, six at a time (one per argument). */
static const unsigned long fixed_args[][6] = {
	{ 0, 0, 0, 0, 0, 0 },
	{ ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL },
	{ 3, 0x1000, 4096, 0x8000000000000001UL, 0x7fffffff, 0x80000000UL },
	{ 0xffffffff00000005UL, 0x00000000ffffffffUL, 0x1ff, 0x41, 0x80241, 0xc0 },
	{ 0x123456789abcdef0UL, 0xfedcba9876543210UL, 0x11, 0xdeadbeefUL,
	  0x0101010101010101UL, 0x8000UL },
	{ -2L, -100L, 0x2, 0x4, 0x8, 0x800 },
};

static const long fixed_rets[] = { 0, -EPERM, -ERESTARTSYS, 64, 0x100000001L, -1 };

/* The filler's event, as kscap_emit() writes it; its length (0: none). */
static u32 fixed_slow(u16 type, const struct kscap_ctx *ctx, u8 *buf)
{
	struct kscap_event_writer w;

	kscap_w_begin(&w, buf, FIXED_BUF_LEN, type, kscap_ops[type].nparams,
		      0x1122334455667788ULL, 4242);
	preempt_disable();
	kscap_ops[type].fill(&w, ctx);
	preempt_enable();
	return w.mistyped ? 0 : kscap_w_end(&w);
}

static void fixed_same_bytes(struct kunit *test)
{
	u8 *slow = kunit_kzalloc(test, FIXED_BUF_LEN, GFP_KERNEL);
	u8 *fast = kunit_kzalloc(test, FIXED_BUF_LEN, GFP_KERNEL);
	unsigned int t, a, r, rows = 0;

	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_NOT_NULL(test, fast);
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_ops *ops = &kscap_ops[t];

		if (!ops->fixed_len)
			continue;
		rows++;
		for (a = 0; a < ARRAY_SIZE(fixed_args); a++) {
			for (r = 0; r < ARRAY_SIZE(fixed_rets); r++) {
				struct kscap_ctx ctx = {
					.args = fixed_args[a], .ret = fixed_rets[r],
				};
				u32 slen, flen;

				memset(slow, 0xa5, FIXED_BUF_LEN);
				memset(fast, 0x5a, FIXED_BUF_LEN);
				slen = fixed_slow(t, &ctx, slow);
				flen = kscap_fixed_write(fast, ops, t, &ctx,
							 0x1122334455667788ULL, 4242);
				KUNIT_EXPECT_EQ_MSG(test, flen, slen, "%s (type %u), args %u, ret %ld: length",
						    kscap_event_table[t].name, t, a, fixed_rets[r]);
				if (flen != slen)
					continue;
				KUNIT_EXPECT_EQ_MSG(test, memcmp(fast, slow, flen), 0,
						    "%s (type %u), args %u, ret %ld: bytes differ",
						    kscap_event_table[t].name, t, a, fixed_rets[r]);
				/* Not a byte past the event. */
				KUNIT_EXPECT_EQ_MSG(test, fast[flen], (u8)0x5a, "%s: wrote past its length",
						    kscap_event_table[t].name);
			}
		}
	}
	/* Well over a hundred rows are all integers. */
	KUNIT_EXPECT_GT(test, rows, 100U);
}

/* The path's choice of rows follows the parameter types. */
static void fixed_rows(struct kunit *test)
{
	static const u16 on[] = {
		KSCAP_EV_CLOSE_E, KSCAP_EV_CLOSE_X, KSCAP_EV_READ_E, KSCAP_EV_WRITE_E,
		KSCAP_EV_RECVFROM_E, KSCAP_EV_OPENAT_E, KSCAP_EV_CLONE_E, KSCAP_EV_MMAP_E,
		KSCAP_EV_FCNTL_E, KSCAP_EV_IOCTL_E,
	};
	static const u16 off[] = {
		KSCAP_EV_READ_X, KSCAP_EV_WRITE_X, KSCAP_EV_OPENAT_X, KSCAP_EV_POLL_E,
		KSCAP_EV_SENDTO_E, KSCAP_EV_CLONE_X, KSCAP_EV_EXECVE_E, KSCAP_EV_PROCEXIT_E,
		KSCAP_EV_GENERIC_E, KSCAP_EV_GENERIC_X, KSCAP_EV_PIPE_X, KSCAP_EV_BRK_X,
	};
	unsigned int i, t;

	for (i = 0; i < ARRAY_SIZE(on); i++)
		KUNIT_EXPECT_NE_MSG(test, kscap_ops[on[i]].fixed_len, 0,
				    "%s: not on the fixed-layout path", kscap_event_table[on[i]].name);
	for (i = 0; i < ARRAY_SIZE(off); i++)
		KUNIT_EXPECT_EQ_MSG(test, kscap_ops[off[i]].fixed_len, 0,
				    "%s: on the fixed-layout path", kscap_event_table[off[i]].name);

	/* Every row on it: integer parameters only, its length their sum. */
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = &kscap_event_table[t];
		u32 len = KSCAP_HDR_LEN + info->nparams * KSCAP_PARAM_LEN_SIZE;

		if (!kscap_ops[t].fixed_len)
			continue;
		KUNIT_EXPECT_LE(test, info->nparams, KSCAP_FIXED_MAX_PARAMS);
		for (i = 0; i < info->nparams && i < KSCAP_FIXED_MAX_PARAMS; i++) {
			u8 size = kscap_type_size(info->params[i].type);

			KUNIT_EXPECT_NE_MSG(test, size, 0, "%s param %u: not an integer",
					    info->name, i);
			KUNIT_EXPECT_EQ(test, kscap_ops[t].fixed[i].size, size);
			len += size;
		}
		KUNIT_EXPECT_EQ_MSG(test, (u32)kscap_ops[t].fixed_len, len, "%s: length",
				    info->name);
		KUNIT_EXPECT_LE(test, len, (u32)KSCAP_FIXED_MAX_LEN);
	}
}

static int fixed_suite_init(struct kunit_suite *suite)
{
	/* What loading the module does: the tables derived from the rows. */
	return kscap_events_init();
}

static struct kunit_case fixed_cases[] = {
	KUNIT_CASE(fixed_same_bytes),
	KUNIT_CASE(fixed_rows),
	{}
};

static struct kunit_suite fixed_suite = {
	.name = "kscap_fixed",
	.suite_init = fixed_suite_init,
	.test_cases = fixed_cases,
};
kunit_test_suite(fixed_suite);
