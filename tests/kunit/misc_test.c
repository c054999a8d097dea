// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/fill_misc.c: the FDLIST, SIGSET, ptrace and bpf
 * DYN, quotactl and semop encoders, and the fillers of signaldeliver,
 * switch, page_fault and cpu_hotplug.
 *
 * Expected values are the ABI's numbers written out, not taken from the
 * module's names, so a wrong translation cannot agree with itself. User
 * memory is real (kunit_user.h) and read under preempt_disable(), as in a
 * probe, so DEBUG_ATOMIC_SLEEP catches a read that could sleep.
 */
#include <kunit/test.h>
#include <linux/poll.h>
#include <linux/ptrace.h>
#include <linux/quota.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sem.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <uapi/linux/bpf.h>
#ifdef CONFIG_X86
#include <asm/trap_pf.h>
#endif
#include "encoders.h"
#include "fillers.h"
#include "tp_misc.h"
#include "kunit_user.h"

#define BUF_LEN		(KSCAP_HDR_LEN + 64 + 2 + KSCAP_FDLIST_MAX * KSCAP_FDLIST_ENTRY_LEN)
#define ONE_PARAM	(KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE)	/* value offset */

static u16 plen(const u8 *ev, unsigned int i)
{
	return get_unaligned_le16(ev + KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE * i);
}

static const u8 *pval(const u8 *ev, unsigned int i)
{
	u32 n = get_unaligned_le32(ev + offsetof(struct kscap_evt_hdr, nparams));
	const u8 *p = ev + KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE * n;
	unsigned int j;

	for (j = 0; j < i; j++)
		p += plen(ev, j);
	return p;
}

/* One encoder call as a one-parameter event; returns the event length. */
/* Values the last run_enc() cut at their cap. */
static u32 run_truncated;

static u32 run_enc(kscap_encoder_t enc, const unsigned long *args, long ret,
		   u8 b, u8 c, u8 *buf, u32 cap, u32 *faults)
{
	struct kscap_ctx ctx = { .ret = ret };
	struct kscap_src s = { .op = KSCAP_S_CALL, .b = b, .c = c };
	struct kscap_event_writer w;

	memset(buf, 0xa5, cap);
	kscap_w_begin(&w, buf, cap, 0, 1, 0, 0);
	preempt_disable();
	enc(&w, &ctx, args, NULL, &s);
	preempt_enable();
	if (faults)
		*faults = w.faults;
	run_truncated = w.truncated;
	return kscap_w_end(&w);
}

static s64 fd_at(const u8 *v, unsigned int i)
{
	return (s64)get_unaligned_le64(v + KSCAP_FDLIST_COUNT_LEN + i * KSCAP_FDLIST_ENTRY_LEN);
}

static u16 flags_at(const u8 *v, unsigned int i)
{
	return get_unaligned_le16(v + KSCAP_FDLIST_COUNT_LEN + i * KSCAP_FDLIST_ENTRY_LEN +
				  KSCAP_FDLIST_ENTRY_EVENTS);
}

static u8 *test_buf(struct kunit *test)
{
	u8 *b = kunit_kzalloc(test, BUF_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	return b;
}

static void misc_poll_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLIN), 1);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLPRI), 2);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLOUT), 4);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLRDHUP), 8);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLERR), 16);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLHUP), 32);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLNVAL), 64);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLRDNORM), 128);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLRDBAND), 256);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLWRNORM), 512);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLWRBAND), 1024);
	/* No ABI bit: dropped. */
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(POLLMSG | POLLREMOVE), 0);
	KUNIT_EXPECT_EQ(test, kscap_poll_to_abi(0xffff), 0x7ff);
}

static const struct pollfd three_fds[] = {
	{ .fd = 5, .events = POLLIN | POLLPRI, .revents = POLLIN | POLLRDNORM },
	{ .fd = -1, .events = POLLOUT, .revents = 0 },
	{ .fd = 7, .events = POLLRDHUP | POLLMSG,
	  .revents = POLLHUP | POLLERR | POLLNVAL },
};

static void misc_fdlist_entries(struct kunit *test)
{
	u8 *b = test_buf(test);
	unsigned long args[6] = { 0, 3 };
	u32 len_e, len_x, faults_e, faults_x;
	u8 *x = test_buf(test);

	kscap_ku_enter(test);
	args[0] = (unsigned long)kscap_ku_put(test, 0, three_fds, sizeof(three_fds));
	len_e = run_enc(kscap_enc_fdlist, args, 0, 0, 1, b, BUF_LEN, &faults_e);
	len_x = run_enc(kscap_enc_fdlist_revents, args, 2, 0, 1, x, BUF_LEN, &faults_x);
	kscap_ku_leave();

	/* Enter: every pollfd with its events. */
	KUNIT_EXPECT_EQ(test, len_e, ONE_PARAM + 2 + 3 * 10U);
	KUNIT_EXPECT_EQ(test, faults_e, 0U);
	KUNIT_EXPECT_EQ(test, plen(b, 0), 2 + 3 * 10);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(b, 0)), 3);
	KUNIT_EXPECT_EQ(test, fd_at(pval(b, 0), 0), 5LL);
	KUNIT_EXPECT_EQ(test, flags_at(pval(b, 0), 0), 1 | 2);
	KUNIT_EXPECT_EQ(test, fd_at(pval(b, 0), 1), -1LL);
	KUNIT_EXPECT_EQ(test, flags_at(pval(b, 0), 1), 4);
	KUNIT_EXPECT_EQ(test, fd_at(pval(b, 0), 2), 7LL);
	KUNIT_EXPECT_EQ(test, flags_at(pval(b, 0), 2), 8);

	/* Exit: only those that returned something, with their revents. */
	KUNIT_EXPECT_EQ(test, len_x, ONE_PARAM + 2 + 2 * 10U);
	KUNIT_EXPECT_EQ(test, faults_x, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(x, 0)), 2);
	KUNIT_EXPECT_EQ(test, fd_at(pval(x, 0), 0), 5LL);
	KUNIT_EXPECT_EQ(test, flags_at(pval(x, 0), 0), 1 | 128);
	KUNIT_EXPECT_EQ(test, fd_at(pval(x, 0), 1), 7LL);
	KUNIT_EXPECT_EQ(test, flags_at(pval(x, 0), 1), 16 | 32 | 64);
}

/* No pollfds: a count of 0, nothing read. */
static void misc_fdlist_empty(struct kunit *test)
{
	unsigned long args[6] = { 0, 0 };
	u8 *b = test_buf(test);
	u32 len, faults;

	len = run_enc(kscap_enc_fdlist, args, 0, 0, 1, b, BUF_LEN, &faults);
	KUNIT_EXPECT_EQ(test, len, ONE_PARAM + 2U);
	KUNIT_EXPECT_EQ(test, faults, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(b, 0)), 0);
}

/*
 * Clamping to KSCAP_FDLIST_MAX pollfds whatever nfds says, counted as
 * truncated; never to the room the writer has: a list that does not fit
 * overflows the event (it is dropped whole), one that just fits is
 * whole. The two present pages hold exactly KSCAP_FDLIST_MAX pollfds and
 * the third is not present: reading past the maximum would count a fault.
 */
static void misc_fdlist_clamp(struct kunit *test)
{
	const u32 nmax = KSCAP_FDLIST_MAX;
	unsigned long args[6] = { 0, 0 };
	u32 len_room, len_fit, len_max, f_room, f_max, i, bad = 0;
	u32 t_room, t_fit, t_max;
	struct pollfd *fds;
	u8 *r = test_buf(test);
	u8 *b = test_buf(test);

	KUNIT_ASSERT_EQ(test, nmax * sizeof(*fds), (size_t)KSCAP_KU_UNTOUCHED);
	fds = kunit_kcalloc(test, nmax, sizeof(*fds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fds);
	for (i = 0; i < nmax; i++) {
		fds[i].fd = 100 + i;
		fds[i].events = POLLOUT;
	}

	kscap_ku_enter(test);
	args[0] = (unsigned long)kscap_ku_put(test, 0, fds, nmax * sizeof(*fds));
	/* Three pollfds, room for the count and two and a half entries. */
	args[1] = 3;
	len_room = run_enc(kscap_enc_fdlist, args, 0, 0, 1, r,
			   ONE_PARAM + 2 + 25, &f_room);
	t_room = run_truncated;
	/* Room for exactly three. */
	len_fit = run_enc(kscap_enc_fdlist, args, 0, 0, 1, r,
			  ONE_PARAM + 2 + 30, NULL);
	t_fit = run_truncated;
	/* nfds far beyond the maximum (and beyond the readable pages). */
	args[1] = 1000000;
	len_max = run_enc(kscap_enc_fdlist, args, 0, 0, 1, b, BUF_LEN, &f_max);
	t_max = run_truncated;
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, len_room, 0U);
	KUNIT_EXPECT_EQ(test, f_room, 0U);
	KUNIT_EXPECT_EQ(test, t_room, 0U);

	KUNIT_EXPECT_EQ(test, len_fit, ONE_PARAM + 2 + 3 * 10U);
	KUNIT_EXPECT_EQ(test, t_fit, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(r, 0)), 3);
	KUNIT_EXPECT_EQ(test, fd_at(pval(r, 0), 2), 102LL);

	KUNIT_EXPECT_EQ(test, len_max, ONE_PARAM + 2 + nmax * 10);
	KUNIT_EXPECT_EQ(test, f_max, 0U);
	KUNIT_EXPECT_EQ(test, t_max, 1U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(b, 0)), nmax);
	for (i = 0; i < nmax; i++)
		if (fd_at(pval(b, 0), i) != 100 + i || flags_at(pval(b, 0), i) != 4)
			bad++;
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * Bad pointers: NULL or a hole gives an empty parameter and a fault; an
 * array that becomes unreadable part way keeps the entries read so far.
 */
static void misc_fdlist_bad(struct kunit *test)
{
	unsigned long args[6] = { 0, 2 };
	u32 len_null, len_hole, len_part, f_null, f_hole, f_part;
	u8 *n = test_buf(test), *h = test_buf(test), *p = test_buf(test);
	struct pollfd fds[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fds); i++)
		fds[i] = (struct pollfd){ .fd = i, .events = POLLIN };

	kscap_ku_enter(test);
	len_null = run_enc(kscap_enc_fdlist, args, 0, 0, 1, n, BUF_LEN, &f_null);
	args[0] = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
	len_hole = run_enc(kscap_enc_fdlist, args, 0, 0, 1, h, BUF_LEN, &f_hole);
	/* 16 readable pollfds right before the page that is not present. */
	args[0] = (unsigned long)kscap_ku_put(test, KSCAP_KU_UNTOUCHED - sizeof(fds),
					      fds, sizeof(fds));
	args[1] = 20;
	len_part = run_enc(kscap_enc_fdlist, args, 0, 0, 1, p, BUF_LEN, &f_part);
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, len_null, (u32)ONE_PARAM);
	KUNIT_EXPECT_EQ(test, f_null, 1U);
	KUNIT_EXPECT_EQ(test, len_hole, (u32)ONE_PARAM);
	KUNIT_EXPECT_EQ(test, f_hole, 1U);
	KUNIT_EXPECT_EQ(test, len_part, ONE_PARAM + 2 + 16 * 10U);
	KUNIT_EXPECT_EQ(test, f_part, 1U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(p, 0)), 16);
	KUNIT_EXPECT_EQ(test, fd_at(pval(p, 0), 15), 15LL);
}

/*
 * The FDLIST encoder as it was before it read chunks with
 * kscap_user_read() and mapped bits by shifts (copy_from_user_nofault(),
 * a bit loop, a room check per entry): what the new one must still write.
 */
static u16 ref_poll_bits(u16 ev)
{
	static const u16 map[16] = {
		[0] = 1, [1] = 2, [2] = 4, [13] = 8, [3] = 16, [4] = 32, [5] = 64,
		[6] = 128, [7] = 256, [8] = 512, [9] = 1024,
	};
	unsigned int bit;
	u16 abi = 0;

	for (bit = 0; bit < 16; bit++)
		if (ev & (1U << bit))
			abi |= map[bit];
	return abi;
}

static void ref_fdlist(struct kscap_event_writer *w, const struct pollfd __user *ufds,
		       u32 nfds, bool revents)
{
	struct pollfd chunk[16];
	u32 start = w->off, seen, count = 0, n, i;
	u8 *cnt;

	cnt = kscap_w_grow(w, sizeof(u16));
	if (!cnt)
		goto out;
	nfds = kscap_w_capped(w, nfds, KSCAP_FDLIST_MAX);
	for (seen = 0; seen < nfds; seen += n) {
		n = min_t(u32, nfds - seen, 16);
		if (copy_from_user_nofault(chunk, ufds + seen, n * sizeof(*chunk))) {
			w->faults++;
			if (!seen)
				w->off = start;
			break;
		}
		for (i = 0; i < n; i++) {
			u16 ev = revents ? chunk[i].revents : chunk[i].events;
			u8 *p;

			if (revents && !ev)
				continue;
			p = kscap_w_grow(w, KSCAP_FDLIST_ENTRY_LEN);
			if (!p)
				goto out;
			put_unaligned((s64)chunk[i].fd, (s64 *)p);
			put_unaligned(ref_poll_bits(ev), (u16 *)(p + KSCAP_FDLIST_ENTRY_EVENTS));
			count++;
		}
	}
	if (w->off != start)
		put_unaligned((u16)count, (u16 *)cnt);
out:
	kscap_w_next(w);
}

/* One poll event three ways; @which: 0 old encoder, 1 recipe, 2 direct filler. */
static u32 run_poll(u16 type, const unsigned long *args, long ret, int which,
		    u8 *buf, u32 cap, u32 *faults, u32 *truncated)
{
	struct kscap_ctx ctx = { .ret = ret, .args = args };
	struct kscap_event_writer w;

	memset(buf, 0xa5, cap);
	kscap_w_begin(&w, buf, cap, type, 2, 0, 0);
	preempt_disable();
	if (which == 1) {
		kscap_fill_recipe(&w, &ctx);
	} else if (which == 2) {
		kscap_ops[type].fill(&w, &ctx);
	} else if (type == KSCAP_EV_POLL_E) {
		ref_fdlist(&w, (const struct pollfd __user *)args[0], args[1], false);
		kscap_w_s64(&w, (s32)args[2]);
	} else {
		kscap_w_s64(&w, ret);
		ref_fdlist(&w, (const struct pollfd __user *)args[0], args[1], true);
	}
	preempt_enable();
	*faults = w.faults;
	*truncated = w.truncated;
	return kscap_w_end(&w);
}

/*
 * poll's rows, written by their own fillers, against their recipes and
 * against the old encoder: same bytes, faults and cuts, for lists of one
 * and of several chunks, a list cut by an absent page, unreadable and
 * NULL arrays, more pollfds than are looked at, and a ring too small.
 */
static void misc_poll_rows_match(struct kunit *test)
{
	static const struct { unsigned long off; u32 nfds; u32 cap; const char *what; } cases[] = {
		{ 0, 3, BUF_LEN, "three pollfds" },
		{ 0, 37, BUF_LEN, "three chunks" },
		{ KSCAP_KU_UNTOUCHED - 20 * sizeof(struct pollfd), 40, BUF_LEN,
		  "cut by an absent page" },
		{ KSCAP_KU_UNTOUCHED - 4, 2, BUF_LEN, "straddling an absent page" },
		{ KSCAP_KU_HOLE, 4, BUF_LEN, "unreadable" },
		{ ~0UL, 4, BUF_LEN, "NULL" },
		{ 0, 0, BUF_LEN, "no pollfds" },
		{ 0, 5000, BUF_LEN, "more than FDLIST_MAX" },
		{ 0, 37, KSCAP_HDR_LEN + 4 + 2 + 8 * 10, "no room" },
		/* Too little room for the fillers' one-check path: the general one. */
		{ 0, 3, KSCAP_HDR_LEN + 4 + 2 + 3 * 10 + 8, "exactly the room" },
	};
	static const u16 types[] = { KSCAP_EV_POLL_E, KSCAP_EV_POLL_X };
	struct pollfd *fds = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	u8 *b[3] = { test_buf(test), test_buf(test), test_buf(test) };
	unsigned int i, t, k;

	KUNIT_ASSERT_NOT_NULL(test, fds);
	for (i = 0; i < 2 * PAGE_SIZE / sizeof(*fds); i++)
		fds[i] = (struct pollfd){ .fd = (i % 7) ? (int)i : -1,
					  .events = (short)(i * 0x1235),
					  .revents = (i % 3) ? (short)(i * 0x2b1) : 0 };
	KUNIT_EXPECT_TRUE(test, kscap_ops[KSCAP_EV_POLL_E].fill != kscap_fill_recipe);
	kscap_ku_enter(test);
	kscap_ku_put(test, 0, fds, 2 * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long args[6] = { 0, cases[i].nfds, (unsigned long)-5 };

		args[0] = cases[i].off == ~0UL ? 0 : (unsigned long)kscap_ku_ptr(cases[i].off);
		for (t = 0; t < ARRAY_SIZE(types); t++) {
			u32 len[3], f[3], tr[3];

			for (k = 0; k < 3; k++)
				len[k] = run_poll(types[t], args, 2, k, b[k], cases[i].cap,
						  &f[k], &tr[k]);
			for (k = 1; k < 3; k++) {
				KUNIT_EXPECT_EQ_MSG(test, len[k], len[0], "%s, %s, way %u: length",
						    cases[i].what, t ? "exit" : "enter", k);
				KUNIT_EXPECT_EQ_MSG(test, f[k], f[0], "%s, %s, way %u: faults",
						    cases[i].what, t ? "exit" : "enter", k);
				KUNIT_EXPECT_EQ_MSG(test, tr[k], tr[0], "%s, %s, way %u: cut",
						    cases[i].what, t ? "exit" : "enter", k);
				if (len[k] == len[0])
					KUNIT_EXPECT_EQ_MSG(test, memcmp(b[k], b[0], len[0]), 0,
							    "%s, %s, way %u: bytes",
							    cases[i].what, t ? "exit" : "enter", k);
			}
			/* The cases mean what they say. */
			if (i == 2 && t == 0) {
				KUNIT_EXPECT_EQ(test, f[0], 1U);
				KUNIT_EXPECT_EQ(test, get_unaligned_le16(pval(b[0], 0)), 16);
			}
			if (i == 8)
				KUNIT_EXPECT_EQ(test, len[0], 0U);
			if (i == 7)
				KUNIT_EXPECT_EQ(test, tr[0], 1U);
			if (i == 9 && t == 0)
				KUNIT_EXPECT_EQ(test, len[0], cases[i].cap);
			if (i == 1 && t == 0)
				KUNIT_EXPECT_EQ(test, len[0],
						(u32)KSCAP_HDR_LEN + 4 + 2 + 37 * 10 + 8);
		}
	}
	/*
	 * Room for exactly the exit list of 37 pollfds: the first chunk is
	 * written in place, the rest (less room than pollfds) staged.
	 */
	{
		unsigned long args[6] = { (unsigned long)kscap_ku_ptr(0), 37 };
		u32 len[3], f[3], tr[3], cap, kept = 0;

		for (i = 0; i < 37; i++)
			kept += !!fds[i].revents;
		cap = KSCAP_HDR_LEN + 4 + 8 + 2 + kept * 10;
		for (k = 0; k < 3; k++)
			len[k] = run_poll(KSCAP_EV_POLL_X, args, 2, k, b[k], cap, &f[k], &tr[k]);
		KUNIT_EXPECT_EQ(test, len[0], cap);
		for (k = 1; k < 3; k++) {
			KUNIT_EXPECT_EQ_MSG(test, len[k], len[0], "exact room, way %u", k);
			if (len[k] == len[0])
				KUNIT_EXPECT_EQ_MSG(test, memcmp(b[k], b[0], len[0]), 0,
						    "exact room, way %u: bytes", k);
		}
		/* One byte less: dropped, every way. */
		for (k = 0; k < 3; k++)
			KUNIT_EXPECT_EQ(test, run_poll(KSCAP_EV_POLL_X, args, 2, k, b[k], cap - 1,
						       &f[k], &tr[k]), 0U);
	}
	kscap_ku_leave();
}

static void misc_sigset(struct kunit *test)
{
	/* SIGUSR1 (10), SIGUSR2 (12) and SIGRTMIN+1 (35) */
	u64 set = (1ULL << 9) | (1ULL << 11) | (1ULL << 34);
	unsigned long args[6] = { 0 };
	u8 *a = test_buf(test), *n = test_buf(test), *h = test_buf(test);
	u32 la, ln, lh, fa, fn, fh;

	kscap_ku_enter(test);
	args[3] = (unsigned long)kscap_ku_put(test, 64, &set, sizeof(set));
	la = run_enc(kscap_enc_sigset, args, 0, 3, 0, a, BUF_LEN, &fa);
	args[3] = 0;
	ln = run_enc(kscap_enc_sigset, args, 0, 3, 0, n, BUF_LEN, &fn);
	args[3] = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
	lh = run_enc(kscap_enc_sigset, args, 0, 3, 0, h, BUF_LEN, &fh);
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, la, ONE_PARAM + 4U);
	KUNIT_EXPECT_EQ(test, fa, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(a, 0)), 0xa00U);
	/* No sigset: 0, not a fault. */
	KUNIT_EXPECT_EQ(test, ln, ONE_PARAM + 4U);
	KUNIT_EXPECT_EQ(test, fn, 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(n, 0)), 0U);
	KUNIT_EXPECT_EQ(test, lh, (u32)ONE_PARAM);
	KUNIT_EXPECT_EQ(test, fh, 1U);
}

/* A DYN parameter of index @idx and 8-byte value @v. */
static void expect_dyn64(struct kunit *test, const u8 *ev, u32 len, u8 idx, u64 v)
{
	KUNIT_EXPECT_EQ(test, len, ONE_PARAM + 9U);
	KUNIT_EXPECT_EQ(test, plen(ev, 0), 9);
	KUNIT_EXPECT_EQ(test, pval(ev, 0)[0], idx);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(pval(ev, 0) + 1), v);
}

static void misc_ptrace(struct kunit *test)
{
	const u64 word = 0x1122334455667788ULL;
	unsigned long args[6] = { PTRACE_PEEKDATA, 42, 0x7000, 0 };
	u8 *pa = test_buf(test), *pd = test_buf(test), *bd = test_buf(test);
	u32 lpa, lpd, lbd, fpd, fbd, len;
	u8 *b = test_buf(test);

	kscap_ku_enter(test);
	/* PEEKDATA: data is where the kernel stored the word it read. */
	args[3] = (unsigned long)kscap_ku_put(test, 128, &word, sizeof(word));
	lpa = run_enc(kscap_enc_ptrace_addr, args, 0, 0, 2, pa, BUF_LEN, NULL);
	lpd = run_enc(kscap_enc_ptrace_data, args, 0, 0, 3, pd, BUF_LEN, &fpd);
	args[3] = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
	lbd = run_enc(kscap_enc_ptrace_data, args, 0, 0, 3, bd, BUF_LEN, &fbd);
	kscap_ku_leave();

	expect_dyn64(test, pa, lpa, 0, 0x7000);
	expect_dyn64(test, pd, lpd, 0, word);
	KUNIT_EXPECT_EQ(test, fpd, 0U);
	KUNIT_EXPECT_EQ(test, lbd, (u32)ONE_PARAM);
	KUNIT_EXPECT_EQ(test, fbd, 1U);

	/* CONT: data is the signal to deliver, a SIGTYPE. */
	args[0] = PTRACE_CONT;
	args[3] = SIGUSR1;
	len = run_enc(kscap_enc_ptrace_data, args, 0, 0, 3, b, BUF_LEN, NULL);
	KUNIT_EXPECT_EQ(test, len, ONE_PARAM + 2U);
	KUNIT_EXPECT_EQ(test, pval(b, 0)[0], 1);
	KUNIT_EXPECT_EQ(test, pval(b, 0)[1], 10);

	/* POKEDATA: data is the word written, as passed. */
	args[0] = PTRACE_POKEDATA;
	args[3] = 0xdeadbeefUL;
	len = run_enc(kscap_enc_ptrace_data, args, 0, 0, 3, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 0, 0xdeadbeef);

	/* A failed call: both 0, whatever the request. */
	args[0] = PTRACE_PEEKDATA;
	len = run_enc(kscap_enc_ptrace_addr, args, -ESRCH, 0, 2, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 0, 0);
	len = run_enc(kscap_enc_ptrace_data, args, -ESRCH, 0, 3, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 0, 0);
}

static void misc_bpf(struct kunit *test)
{
	unsigned long args[6] = { BPF_MAP_CREATE };
	u8 *b = test_buf(test);
	u32 len;

	/* A new fd: index FD (0). */
	len = run_enc(kscap_enc_bpf_res, args, 5, 0, 0, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 0, 5);
	args[0] = BPF_PROG_LOAD;
	len = run_enc(kscap_enc_bpf_res, args, 7, 0, 0, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 0, 7);
	/* Success without an fd, and failure: index RES (1). */
	args[0] = BPF_MAP_LOOKUP_ELEM;
	len = run_enc(kscap_enc_bpf_res, args, 0, 0, 0, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 1, 0);
	args[0] = BPF_MAP_CREATE;
	len = run_enc(kscap_enc_bpf_res, args, -EPERM, 0, 0, b, BUF_LEN, NULL);
	expect_dyn64(test, b, len, 1, (u64)-1);
}

static void misc_sembuf(struct kunit *test)
{
	const struct sembuf ops[2] = {
		{ .sem_num = 3, .sem_op = -1, .sem_flg = IPC_NOWAIT | SEM_UNDO },
		{ .sem_num = 4, .sem_op = 2, .sem_flg = 0 },
	};
	/* sem_num, sem_op, sem_flg (ABI: IPC_NOWAIT 1, SEM_UNDO 2) per op */
	const u16 want2[6] = { 3, 0xffff, 3, 4, 2, 0 };
	const u16 want1[6] = { 3, 0xffff, 3, 0, 0, 0 };
	unsigned long args[6] = { 9, 0, 2 };
	u32 len2[6], len1[6], lbad, fbad, f2 = 0, f;
	u16 got2[6], got1[6];
	u8 *b = test_buf(test);
	unsigned int i;

	kscap_ku_enter(test);
	args[1] = (unsigned long)kscap_ku_put(test, 256, ops, sizeof(ops));
	for (i = 0; i < 6; i++) {
		len2[i] = run_enc(kscap_enc_sembuf, args, 0, i / 3, i % 3, b, BUF_LEN, &f);
		got2[i] = get_unaligned_le16(pval(b, 0));
		f2 += f;
	}
	/* nsops 1: the second operation is not read, all 0. */
	args[2] = 1;
	for (i = 0; i < 6; i++) {
		len1[i] = run_enc(kscap_enc_sembuf, args, 0, i / 3, i % 3, b, BUF_LEN, NULL);
		got1[i] = get_unaligned_le16(pval(b, 0));
	}
	args[1] = (unsigned long)kscap_ku_ptr(KSCAP_KU_HOLE);
	lbad = run_enc(kscap_enc_sembuf, args, 0, 0, 0, b, BUF_LEN, &fbad);
	kscap_ku_leave();

	for (i = 0; i < 6; i++) {
		KUNIT_EXPECT_EQ_MSG(test, len2[i], ONE_PARAM + 2U, "field %u", i);
		KUNIT_EXPECT_EQ_MSG(test, got2[i], want2[i], "field %u", i);
		KUNIT_EXPECT_EQ_MSG(test, len1[i], ONE_PARAM + 2U, "field %u", i);
		KUNIT_EXPECT_EQ_MSG(test, got1[i], want1[i], "field %u", i);
	}
	KUNIT_EXPECT_EQ(test, f2, 0U);
	KUNIT_EXPECT_EQ(test, lbad, (u32)ONE_PARAM);
	KUNIT_EXPECT_EQ(test, fbad, 1U);
}

/* quotactl's fields, by the encoder's b (see QUOTACTL_E/X in recipes.c). */
enum {
	Q_CMD_, Q_TYPE_, Q_FMT_, Q_SPECIAL_, Q_FILE_, Q_BHARD_, Q_BSOFT_,
	Q_CURSPACE_, Q_IHARD_, Q_ISOFT_, Q_BTIME_, Q_ITIME_, Q_BGRACE_,
	Q_IGRACE_, Q_DQIFLAGS_, Q_FMTOUT_
};

/* An integer field's value; the two string fields read as 0 here. */
static u64 quota_field(struct kunit *test, const unsigned long *args, long ret,
		       u8 b, u8 *buf)
{
	u32 len;

	if (b == Q_SPECIAL_ || b == Q_FILE_)
		return 0;
	len = run_enc(kscap_enc_quotactl, args, ret, b, 0, buf, BUF_LEN, NULL);

	switch (len - ONE_PARAM) {
	case 1:
		return pval(buf, 0)[0];
	case 2:
		return get_unaligned_le16(pval(buf, 0));
	case 8:
		return get_unaligned_le64(pval(buf, 0));
	}
	KUNIT_FAIL(test, "field %u: %u bytes", b, len - ONE_PARAM);
	return ~0ULL;
}

static void misc_quotactl(struct kunit *test)
{
	const struct if_dqblk dq = {
		.dqb_bhardlimit = 100, .dqb_bsoftlimit = 50, .dqb_curspace = 7,
		.dqb_ihardlimit = 20, .dqb_isoftlimit = 10, .dqb_btime = 3,
		.dqb_itime = 4, .dqb_valid = QIF_BLIMITS | QIF_BTIME,
	};
	const struct if_dqinfo di = {
		.dqi_bgrace = 60, .dqi_igrace = 120, .dqi_flags = DQF_ROOT_SQUASH,
		.dqi_valid = IIF_BGRACE | IIF_FLAGS,
	};
	const u32 fmt = QFMT_VFS_V1;
	unsigned long args[6] = { QCMD(Q_SETQUOTA, GRPQUOTA), 0, 1000, 0 };
	u64 set[16], get_failed[16], info[16], on[3], getfmt;
	u8 *b = test_buf(test);
	void __user *special;
	unsigned int i;

	kscap_ku_enter(test);
	special = kscap_ku_put(test, 512, "/dev/vdb", 9);
	args[1] = (unsigned long)special;
	args[3] = (unsigned long)kscap_ku_put(test, 1024, &dq, sizeof(dq));
	/* Q_SETQUOTA: the struct is read even when the call fails. */
	for (i = 0; i < 16; i++)
		set[i] = quota_field(test, args, -ENOENT, i, b);
	/* Q_GETQUOTA that failed: what addr holds is not a result. */
	args[0] = QCMD(Q_GETQUOTA, USRQUOTA);
	for (i = 0; i < 16; i++)
		get_failed[i] = quota_field(test, args, -ENOENT, i, b);
	args[0] = QCMD(Q_GETINFO, USRQUOTA);
	args[3] = (unsigned long)kscap_ku_put(test, 2048, &di, sizeof(di));
	for (i = 0; i < 16; i++)
		info[i] = quota_field(test, args, 0, i, b);
	args[0] = QCMD(Q_GETFMT, USRQUOTA);
	args[3] = (unsigned long)kscap_ku_put(test, 3072, &fmt, sizeof(fmt));
	getfmt = quota_field(test, args, 0, Q_FMTOUT_, b);
	/* Q_QUOTAON: id is the format, addr the quota file's path. */
	args[0] = QCMD(Q_QUOTAON, USRQUOTA);
	args[2] = QFMT_VFS_V0;
	args[3] = (unsigned long)kscap_ku_put(test, 3200, "/aquota.user", 13);
	for (i = 0; i < 3; i++)
		on[i] = quota_field(test, args, 0, i, b);
	run_enc(kscap_enc_quotactl, args, 0, Q_FILE_, 0, b, BUF_LEN, NULL);
	KUNIT_EXPECT_STREQ(test, (const char *)pval(b, 0), "/aquota.user");
	run_enc(kscap_enc_quotactl, args, 0, Q_SPECIAL_, 0, b, BUF_LEN, NULL);
	KUNIT_EXPECT_STREQ(test, (const char *)pval(b, 0), "/dev/vdb");
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, set[Q_CMD_], 1ULL << 6);		/* Q_SETQUOTA */
	KUNIT_EXPECT_EQ(test, set[Q_TYPE_], 1ULL << 1);		/* GRPQUOTA */
	KUNIT_EXPECT_EQ(test, set[Q_FMT_], 1ULL << 0);		/* QFMT_NOT_USED */
	KUNIT_EXPECT_EQ(test, set[Q_BHARD_], 100ULL);
	KUNIT_EXPECT_EQ(test, set[Q_BSOFT_], 50ULL);
	/* Not marked valid: 0. */
	KUNIT_EXPECT_EQ(test, set[Q_CURSPACE_], 0ULL);
	KUNIT_EXPECT_EQ(test, set[Q_IHARD_], 0ULL);
	KUNIT_EXPECT_EQ(test, set[Q_ITIME_], 0ULL);
	/* Quota times are seconds; RELTIME is ns. */
	KUNIT_EXPECT_EQ(test, set[Q_BTIME_], 3000000000ULL);
	KUNIT_EXPECT_EQ(test, set[Q_BGRACE_], 0ULL);
	KUNIT_EXPECT_EQ(test, set[Q_DQIFLAGS_], 0ULL);
	KUNIT_EXPECT_EQ(test, set[Q_FMTOUT_], 1ULL << 0);

	KUNIT_EXPECT_EQ(test, get_failed[Q_CMD_], 1ULL << 5);	/* Q_GETQUOTA */
	KUNIT_EXPECT_EQ(test, get_failed[Q_TYPE_], 1ULL << 0);	/* USRQUOTA */
	for (i = Q_BHARD_; i <= Q_IGRACE_; i++)
		KUNIT_EXPECT_EQ_MSG(test, get_failed[i], 0ULL, "field %u", i);

	KUNIT_EXPECT_EQ(test, info[Q_CMD_], 1ULL << 3);		/* Q_GETINFO */
	KUNIT_EXPECT_EQ(test, info[Q_BHARD_], 0ULL);
	KUNIT_EXPECT_EQ(test, info[Q_BGRACE_], 60000000000ULL);
	KUNIT_EXPECT_EQ(test, info[Q_IGRACE_], 0ULL);
	KUNIT_EXPECT_EQ(test, info[Q_DQIFLAGS_], 1ULL << 1);	/* V1_DQF_RSQUASH */

	KUNIT_EXPECT_EQ(test, getfmt, 1ULL << 3);		/* QFMT_VFS_V1 */
	KUNIT_EXPECT_EQ(test, on[Q_CMD_], 1ULL << 0);		/* Q_QUOTAON */
	KUNIT_EXPECT_EQ(test, on[Q_FMT_], 1ULL << 2);		/* QFMT_VFS_V0 */
}

/* Run one filler as an event of @nparams parameters. */
static u32 run_fill(kscap_filler_t fill, const struct kscap_ctx *ctx,
		    u16 nparams, u8 *buf)
{
	struct kscap_event_writer w;

	kscap_w_begin(&w, buf, BUF_LEN, 0, nparams, 0, 0);
	preempt_disable();
	fill(&w, ctx);
	preempt_enable();
	return kscap_w_end(&w);
}

static void misc_signaldeliver(struct kunit *test)
{
	struct kernel_siginfo info;
	struct kscap_sig_data sd = { .info = &info };
	struct kscap_ctx ctx = { .extra = &sd };
	u8 *b = test_buf(test);
	u32 len;

	/* kill(): the sender's pid. */
	clear_siginfo(&info);
	info.si_signo = sd.sig = SIGUSR1;
	info.si_code = SI_USER;
	info.si_pid = 4242;
	len = run_fill(kscap_fill_signaldeliver, &ctx, 3, b);
	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 3 + 8 + 8 + 1U);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 0)), 4242LL);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 1)),
			(s64)task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, pval(b, 2)[0], 10);

	/* SIGCHLD names the child. */
	info.si_signo = sd.sig = SIGCHLD;
	info.si_code = CLD_EXITED;
	info.si_pid = 77;
	run_fill(kscap_fill_signaldeliver, &ctx, 3, b);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 0)), 77LL);

	/* A fault's siginfo holds an address there, not a pid. */
	clear_siginfo(&info);
	info.si_signo = sd.sig = SIGSEGV;
	info.si_code = SEGV_MAPERR;
	info.si_addr = (void __user *)0x1000;
	run_fill(kscap_fill_signaldeliver, &ctx, 3, b);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 0)), 0LL);
	KUNIT_EXPECT_EQ(test, pval(b, 2)[0], 11);

	/* No siginfo at all (a group exit's SIGKILL). */
	sd.info = SEND_SIG_NOINFO;
	sd.sig = SIGKILL;
	len = run_fill(kscap_fill_signaldeliver, &ctx, 3, b);
	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 3 + 8 + 8 + 1U);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 0)), 0LL);
	KUNIT_EXPECT_EQ(test, pval(b, 2)[0], 9);
}

static void misc_switch(struct kunit *test)
{
	struct kscap_ctx ctx = { .task = current };
	u8 *b = test_buf(test);
	u32 len;

	len = run_fill(kscap_fill_switch, &ctx, 6, b);
	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 6 + 8 + 8 + 8 + 4 + 4 + 4U);
	KUNIT_EXPECT_EQ(test, (s64)get_unaligned_le64(pval(b, 0)),
			(s64)task_pid_nr(current));
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(pval(b, 1)), (u64)current->maj_flt);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(pval(b, 2)), (u64)current->min_flt);
	/* A kernel thread has no memory of its own. */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 3)), 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 4)), 0U);
}

#ifdef CONFIG_X86
static void misc_page_fault(struct kunit *test)
{
	struct kscap_fault_data fd = {
		.addr = 0x7f0000001234UL, .error = X86_PF_WRITE | X86_PF_USER,
	};
	struct pt_regs regs = { .ip = 0x401000 };
	struct kscap_ctx ctx = { .regs = &regs, .extra = &fd };
	u8 *b = test_buf(test);
	u32 len;

	len = run_fill(kscap_fill_page_fault, &ctx, 3, b);
	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 3 + 8 + 8 + 4U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(pval(b, 0)), 0x7f0000001234ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(pval(b, 1)), 0x401000ULL);
	/* PAGE_NOT_PRESENT 2 | WRITE_ACCESS 4 | USER_FAULT 16 */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 2)), 0x16U);

	fd.error = X86_PF_PROT | X86_PF_INSTR | X86_PF_USER;
	run_fill(kscap_fill_page_fault, &ctx, 3, b);
	/* PROTECTION_VIOLATION 1 | READ_ACCESS 8 | USER 16 | INSTRUCTION_FETCH 128 */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 2)), 0x99U);
}
#endif

static void misc_cpu_hotplug(struct kunit *test)
{
	struct kscap_hotplug_data hd = { .cpu = 1, .action = KSCAP_CPU_HOTPLUG_OFFLINE };
	struct kscap_ctx ctx = { .extra = &hd };
	u8 *b = test_buf(test);
	u32 len;

	len = run_fill(kscap_fill_cpu_hotplug, &ctx, 2, b);
	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 2 + 4 + 4U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 0)), 1U);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(pval(b, 1)), 2U);
}

static int misc_suite_init(struct kunit_suite *suite)
{
	kscap_ku_setup();
	return 0;
}

static void misc_suite_exit(struct kunit_suite *suite)
{
	kscap_ku_teardown();
}

static struct kunit_case misc_cases[] = {
	KUNIT_CASE(misc_poll_bits),
	KUNIT_CASE(misc_fdlist_entries),
	KUNIT_CASE(misc_fdlist_empty),
	KUNIT_CASE(misc_fdlist_clamp),
	KUNIT_CASE(misc_fdlist_bad),
	KUNIT_CASE(misc_poll_rows_match),
	KUNIT_CASE(misc_sigset),
	KUNIT_CASE(misc_ptrace),
	KUNIT_CASE(misc_bpf),
	KUNIT_CASE(misc_sembuf),
	KUNIT_CASE(misc_quotactl),
	KUNIT_CASE(misc_signaldeliver),
	KUNIT_CASE(misc_switch),
#ifdef CONFIG_X86
	KUNIT_CASE(misc_page_fault),
#endif
	KUNIT_CASE(misc_cpu_hotplug),
	{}
};

static struct kunit_suite misc_suite = {
	.name = "kscap_misc",
	.suite_init = misc_suite_init,
	.suite_exit = misc_suite_exit,
	.test_cases = misc_cases,
};
kunit_test_suite(misc_suite);
