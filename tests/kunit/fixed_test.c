// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the fixed-layout path (module/fixed.c, fixed.h): for
 * every row it takes, the bytes it writes, and what it counts (faults,
 * truncations), are the row's filler's (the recipe's) for the same
 * arguments and return value: over argument values that make each
 * conversion show (sign and zero extension, flag tables, modes, the upper
 * half of a register), user data that is readable, unreadable or cut at
 * snaplen, and rooms just large enough and one byte short. No row is
 * named but to check that the rows the benchmark's calls hit are on the
 * path and that rows with strings, sockaddrs or other data are not.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "fixed.h"
#include "kunit_user.h"

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

/* The filler's event, as kscap_emit() writes it in @room bytes; its length (0: none). */
static u32 fixed_slow(u16 type, const struct kscap_ctx *ctx, u8 *buf, u32 room,
		      struct kscap_fixed_counts *n)
{
	struct kscap_event_writer w;
	u32 len;

	kscap_w_begin(&w, buf, room, type, kscap_ops[type].nparams,
		      0x1122334455667788ULL, 4242);
	preempt_disable();
	kscap_ops[type].fill(&w, ctx);
	preempt_enable();
	len = w.mistyped ? 0 : kscap_w_end(&w);
	n->faults = w.faults;
	/* kscap_emit() counts a truncation only in an event it writes. */
	n->truncated = len ? w.truncated : 0;
	return len;
}

/* Both paths for one row and one context: the same event, or none. */
static void fixed_compare(struct kunit *test, u16 t, const struct kscap_ctx *ctx,
			  u8 *slow, u8 *fast, const char *what, unsigned int a)
{
	const struct kscap_event_ops *ops = &kscap_ops[t];
	const char *name = kscap_event_table[t].name;
	struct kscap_fixed_counts sn, fn = { 0 };
	u32 slen, flen, room;

	memset(slow, 0xa5, FIXED_BUF_LEN);
	memset(fast, 0x5a, FIXED_BUF_LEN);
	slen = fixed_slow(t, ctx, slow, FIXED_BUF_LEN, &sn);
	flen = kscap_fixed_event(fast, FIXED_BUF_LEN, ops, t, ctx,
				 0x1122334455667788ULL, 4242, &fn);
	KUNIT_EXPECT_EQ_MSG(test, flen, slen, "%s, %s %u, ret %ld: length", name, what, a,
			    ctx->ret);
	KUNIT_EXPECT_GT_MSG(test, flen, 0U, "%s: not written", name);
	if (flen != slen || !flen)
		return;
	KUNIT_EXPECT_EQ_MSG(test, memcmp(fast, slow, flen), 0, "%s, %s %u, ret %ld: bytes differ",
			    name, what, a, ctx->ret);
	KUNIT_EXPECT_EQ_MSG(test, fn.faults, sn.faults, "%s, %s %u: faults", name, what, a);
	KUNIT_EXPECT_EQ_MSG(test, fn.truncated, sn.truncated, "%s, %s %u: truncated", name,
			    what, a);
	/* Not a byte past the event. */
	KUNIT_EXPECT_EQ_MSG(test, fast[flen], (u8)0x5a, "%s: wrote past its length", name);

	/* One byte short of the room it needs: neither writes it. */
	room = flen - 1;
	memset(fast, 0x5a, FIXED_BUF_LEN);
	KUNIT_EXPECT_EQ_MSG(test, fixed_slow(t, ctx, slow, room, &sn), 0U,
			    "%s: the recipe wrote into too small a room", name);
	KUNIT_EXPECT_EQ_MSG(test, kscap_fixed_event(fast, room, ops, t, ctx, 0, 0, &fn), 0U,
			    "%s: written into too small a room", name);
	KUNIT_EXPECT_EQ_MSG(test, fast[0], (u8)0x5a, "%s: wrote into too small a room", name);
}

/* Every fixed-layout row, for every argument set and return value. */
static unsigned int fixed_all(struct kunit *test, const unsigned long (*args)[6],
			      unsigned int nargs, const char *what)
{
	u8 *slow = kunit_kzalloc(test, FIXED_BUF_LEN, GFP_KERNEL);
	u8 *fast = kunit_kzalloc(test, FIXED_BUF_LEN, GFP_KERNEL);
	unsigned int t, a, r, rows = 0;

	if (!slow || !fast) {
		KUNIT_FAIL(test, "no memory");
		return 0;
	}
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		if (!kscap_ops[t].fixed_len)
			continue;
		rows++;
		for (a = 0; a < nargs; a++) {
			for (r = 0; r < ARRAY_SIZE(fixed_rets); r++) {
				struct kscap_ctx ctx = { .args = args[a], .ret = fixed_rets[r] };

				fixed_compare(test, t, &ctx, slow, fast, what, a);
			}
		}
	}
	return rows;
}

static void fixed_same_bytes(struct kunit *test)
{
	u32 snaplen = kscap_cfg.snaplen;
	unsigned int rows;

	kscap_cfg.snaplen = KSCAP_SNAPLEN_DEFAULT;
	rows = fixed_all(test, fixed_args, ARRAY_SIZE(fixed_args), "args");
	kscap_cfg.snaplen = snaplen;
	/* Well over a hundred rows are all integers. */
	KUNIT_EXPECT_GT(test, rows, 100U);
}

/*
 * User data: readable (whole, or cut at snaplen), running into a page
 * that cannot be read without a fault, or at a hole. Every argument is
 * the pointer, or the length, so each row's data argument is one of them.
 */
static void fixed_user_data(struct kunit *test)
{
	static const u32 snaplens[] = { KSCAP_SNAPLEN_DEFAULT, 16, 0 };
	u32 snaplen = kscap_cfg.snaplen;
	unsigned long args[5][6];
	u8 pattern[256];
	unsigned int i, s;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = i * 7 + 1;
	kscap_ku_enter(test);
	kscap_ku_put(test, 0, pattern, sizeof(pattern));
	for (i = 0; i < 6; i++) {
		args[0][i] = (unsigned long)kscap_ku_ptr(0);
		args[1][i] = i == 1 ? (unsigned long)kscap_ku_ptr(0) : 40;
		args[2][i] = i == 1 ? (unsigned long)kscap_ku_ptr(KSCAP_KU_UNTOUCHED - 8) : 64;
		args[3][i] = i == 1 ? (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE) : 64;
		args[4][i] = i == 1 ? 0 : 64;
	}
	for (s = 0; s < ARRAY_SIZE(snaplens); s++) {
		kscap_cfg.snaplen = snaplens[s];
		fixed_all(test, args, ARRAY_SIZE(args), "user data");
	}
	kscap_cfg.snaplen = snaplen;
	kscap_ku_leave();
}

/* The path's choice of rows follows the parameter types. */
static void fixed_rows(struct kunit *test)
{
	static const u16 on[] = {
		KSCAP_EV_CLOSE_E, KSCAP_EV_CLOSE_X, KSCAP_EV_READ_E, KSCAP_EV_WRITE_E,
		KSCAP_EV_RECVFROM_E, KSCAP_EV_OPENAT_E, KSCAP_EV_CLONE_E, KSCAP_EV_MMAP_E,
		KSCAP_EV_FCNTL_E, KSCAP_EV_IOCTL_E, KSCAP_EV_READ_X, KSCAP_EV_WRITE_X,
		KSCAP_EV_SENDTO_X, KSCAP_EV_PREAD_X,
	};
	static const u16 off[] = {
		KSCAP_EV_RECVFROM_X, KSCAP_EV_SENDMSG_X, KSCAP_EV_OPENAT_X, KSCAP_EV_POLL_E,
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

	/* Every row on it: integers, but for a last BYTEBUF; its length their sum. */
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = &kscap_event_table[t];
		u32 len = KSCAP_HDR_LEN + info->nparams * KSCAP_PARAM_LEN_SIZE;

		if (!kscap_ops[t].fixed_len)
			continue;
		KUNIT_EXPECT_LE(test, info->nparams, KSCAP_FIXED_MAX_PARAMS);
		for (i = 0; i < info->nparams && i < KSCAP_FIXED_MAX_PARAMS; i++) {
			u8 size = kscap_type_size(info->params[i].type);

			if (kscap_ops[t].fixed_data && i == info->nparams - 1U) {
				KUNIT_EXPECT_EQ(test, info->params[i].type, (u8)KSCAP_PT_BYTEBUF);
				KUNIT_EXPECT_EQ(test, kscap_ops[t].fixed[i].size, 0);
				continue;
			}
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
	kscap_ku_setup();
	/* What loading the module does: the tables derived from the rows. */
	return kscap_events_init();
}

static void fixed_suite_exit(struct kunit_suite *suite)
{
	kscap_ku_teardown();
}

static struct kunit_case fixed_cases[] = {
	KUNIT_CASE(fixed_same_bytes),
	KUNIT_CASE(fixed_user_data),
	KUNIT_CASE(fixed_rows),
	{}
};

static struct kunit_suite fixed_suite = {
	.name = "kscap_fixed",
	.suite_init = fixed_suite_init,
	.suite_exit = fixed_suite_exit,
	.test_cases = fixed_cases,
};
kunit_test_suite(fixed_suite);
