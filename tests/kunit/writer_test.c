// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/writer.c: the event layout it produces, its
 * overflow discipline (never a byte past cap), and its reads of user
 * memory, which must neither fault nor sleep: they run in tracepoint
 * probes. Those reads are done under preempt_disable() so that
 * DEBUG_ATOMIC_SLEEP reports any path that could sleep.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/preempt.h>
#include "writer.h"
#include "kunit_user.h"

#define GUARD		0xa5
#define GUARD_LEN	64
#define TS		0x1122334455667788ULL
#define TID		4242ULL

/* A buffer of @len bytes followed by GUARD_LEN guard bytes, all GUARD. */
static u8 *guarded_buf(struct kunit *test, size_t len)
{
	u8 *b = kunit_kmalloc(test, len + GUARD_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	memset(b, GUARD, len + GUARD_LEN);
	return b;
}

/* Index of the first byte of [from, to) that is not GUARD, or -1. */
static long first_unguarded(const u8 *b, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (b[i] != GUARD)
			return i;
	return -1;
}

static u16 param_len(const u8 *ev, unsigned int i)
{
	return get_unaligned_le16(ev + KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE * i);
}

/* Where parameter @i's value starts, by the event's own length array. */
static const u8 *param_val(const u8 *ev, unsigned int i)
{
	u32 nparams = get_unaligned_le32(ev + offsetof(struct kscap_evt_hdr, nparams));
	const u8 *p = ev + KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE * nparams;
	unsigned int j;

	for (j = 0; j < i; j++)
		p += param_len(ev, j);
	return p;
}

/* The finished event is self-consistent: header + lengths + values. */
static void expect_well_formed(struct kunit *test, const u8 *ev, u32 len)
{
	u32 nparams = get_unaligned_le32(ev + offsetof(struct kscap_evt_hdr, nparams));
	u32 sum = KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE * nparams;
	unsigned int i;

	for (i = 0; i < nparams; i++)
		sum += param_len(ev, i);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(ev + offsetof(struct kscap_evt_hdr, len)), len);
	KUNIT_EXPECT_EQ(test, sum, len);
}

/* The event every layout/overflow test writes: 4 parameters, 50 bytes. */
#define SAMPLE_NPARAMS	4
#define SAMPLE_LEN	(KSCAP_HDR_LEN + 2 * SAMPLE_NPARAMS + 8 + 6 + 2 + 0)

static u32 write_sample(u8 *buf, u32 cap)
{
	struct kscap_event_writer w;

	kscap_w_begin(&w, buf, cap, 0x1234, SAMPLE_NPARAMS, TS, TID);
	kscap_w_u64(&w, 0xdeadbeefcafef00dULL);
	kscap_w_str(&w, "hello", 32);
	kscap_w_u16(&w, 0xbeef);
	kscap_w_empty(&w);
	return kscap_w_end(&w);
}

static void writer_event_layout(struct kunit *test)
{
	u8 *b = guarded_buf(test, 256);
	struct kscap_evt_hdr h;
	u32 len = write_sample(b, 256);

	KUNIT_ASSERT_EQ(test, len, (u32)SAMPLE_LEN);
	BUILD_BUG_ON(sizeof(h) != KSCAP_HDR_LEN);
	memcpy(&h, b, sizeof(h));
	KUNIT_EXPECT_EQ(test, le64_to_cpu((__force __le64)h.ts), TS);
	KUNIT_EXPECT_EQ(test, le64_to_cpu((__force __le64)h.tid), TID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu((__force __le32)h.len), (u32)SAMPLE_LEN);
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)h.type), 0x1234);
	KUNIT_EXPECT_EQ(test, le32_to_cpu((__force __le32)h.nparams), (u32)SAMPLE_NPARAMS);

	KUNIT_EXPECT_EQ(test, param_len(b, 0), 8);
	KUNIT_EXPECT_EQ(test, param_len(b, 1), 6);
	KUNIT_EXPECT_EQ(test, param_len(b, 2), 2);
	KUNIT_EXPECT_EQ(test, param_len(b, 3), 0);
	/* Values follow the length array directly, unpadded. */
	KUNIT_EXPECT_PTR_EQ(test, param_val(b, 0), b + KSCAP_HDR_LEN + 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(param_val(b, 0)),
			0xdeadbeefcafef00dULL);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 1), "hello", 6), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(param_val(b, 2)), 0xbeef);
	KUNIT_EXPECT_PTR_EQ(test, param_val(b, 3), b + SAMPLE_LEN);
	expect_well_formed(test, b, len);
	/* Not a byte written beyond the event. */
	KUNIT_EXPECT_EQ(test, first_unguarded(b, SAMPLE_LEN, 256 + GUARD_LEN), -1L);
}

/* Any cap short of the event: end() says 0 and nothing lands past cap. */
static void writer_overflow_stays_within_cap(struct kunit *test)
{
	u32 cap;

	for (cap = 0; cap <= SAMPLE_LEN; cap++) {
		u8 *b = guarded_buf(test, cap);
		u32 len = write_sample(b, cap);

		KUNIT_EXPECT_EQ_MSG(test, len, cap == SAMPLE_LEN ? cap : 0,
				    "cap %u", cap);
		KUNIT_EXPECT_EQ_MSG(test, first_unguarded(b, cap, cap + GUARD_LEN),
				    -1L, "cap %u", cap);
		kunit_kfree(test, b);
	}
}

static void writer_overflow_is_sticky(struct kunit *test)
{
	u8 *b = guarded_buf(test, 64);
	struct kscap_event_writer w;

	kscap_w_begin(&w, b, 40, 7, 3, TS, TID);
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), 40U - KSCAP_HDR_LEN - 6);
	kscap_w_u64(&w, 1);		/* 8 bytes: exactly the room */
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), 0U);
	KUNIT_EXPECT_FALSE(test, w.overflow);
	kscap_w_u8(&w, 2);		/* no room: overflow */
	KUNIT_EXPECT_TRUE(test, w.overflow);
	KUNIT_EXPECT_NULL(test, kscap_w_grow(&w, 1));
	kscap_w_empty(&w);		/* even an empty parameter after it */
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), 0U);
	KUNIT_EXPECT_EQ(test, first_unguarded(b, 40, 64 + GUARD_LEN), -1L);

	/* cap below the header: nothing at all is written. */
	memset(b, GUARD, 64 + GUARD_LEN);
	kscap_w_begin(&w, b, KSCAP_HDR_LEN + 5, 7, 3, TS, TID);
	kscap_w_empty(&w);
	kscap_w_empty(&w);
	kscap_w_empty(&w);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), 0U);
	KUNIT_EXPECT_EQ(test, first_unguarded(b, 0, 64 + GUARD_LEN), -1L);
}

/* A parameter's length is 16 bits: 65535 bytes fit, 65536 never do. */
static void writer_param_length_limit(struct kunit *test)
{
	const u32 fixed = KSCAP_HDR_LEN + 2 * 2;
	const u32 size = fixed + 70000;
	u8 *b = kunit_kzalloc(test, size + GUARD_LEN, GFP_KERNEL);
	struct kscap_event_writer w;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, b);

	kscap_w_begin(&w, b, size, 9, 2, TS, TID);
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), 65535U);
	p = kscap_w_grow(&w, 40000);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 'x', 40000);
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), 25535U);
	kscap_w_raw(&w, p, 25535);
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), 0U);
	kscap_w_next(&w);
	/* The next parameter has its own 65535, but now cap is the limit. */
	KUNIT_EXPECT_EQ(test, kscap_w_room(&w), size - (fixed + 65535));
	kscap_w_u8(&w, 0x42);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), fixed + 65535 + 1);
	KUNIT_EXPECT_EQ(test, param_len(b, 0), 65535);
	KUNIT_EXPECT_EQ(test, param_len(b, 1), 1);
	KUNIT_EXPECT_EQ(test, *param_val(b, 1), 0x42);
	expect_well_formed(test, b, fixed + 65535 + 1);

	/* One byte more, in one go or appended: the event does not fit. */
	kscap_w_begin(&w, b, size, 9, 2, TS, TID);
	KUNIT_EXPECT_NULL(test, kscap_w_grow(&w, 65536));
	kscap_w_next(&w);
	kscap_w_u8(&w, 0x42);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), 0U);

	kscap_w_begin(&w, b, size, 9, 2, TS, TID);
	kscap_w_raw(&w, b + 100, 65535);
	kscap_w_raw(&w, b + 100, 1);
	kscap_w_next(&w);
	kscap_w_u8(&w, 0x42);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), 0U);
}

static void expect_str_param(struct kunit *test, const char *s, u32 max,
			     const char *want)
{
	u8 *b = guarded_buf(test, 128);
	struct kscap_event_writer w;
	u32 n = strlen(want) + 1;

	kscap_w_begin(&w, b, 128, 3, 1, TS, TID);
	kscap_w_str(&w, s, max);
	KUNIT_EXPECT_EQ_MSG(test, kscap_w_end(&w), KSCAP_HDR_LEN + 2 + n,
			    "\"%s\" max %u", s, max);
	KUNIT_EXPECT_EQ_MSG(test, param_len(b, 0), n, "\"%s\" max %u", s, max);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(param_val(b, 0), want, n), 0,
			    "\"%s\" max %u", s, max);
	kunit_kfree(test, b);
}

static void writer_str_truncates_with_nul(struct kunit *test)
{
	expect_str_param(test, "hello world", 64, "hello world");
	expect_str_param(test, "hello world", 12, "hello world");	/* exact */
	expect_str_param(test, "hello world", 11, "hello worl");
	expect_str_param(test, "hello world", 6, "hello");
	expect_str_param(test, "hello world", 1, "");
	expect_str_param(test, "", 16, "");
}

/*
 * Pointers that must not be read: NULL, a kernel address (reading it would
 * leak kernel memory into the capture) and an unmapped user address.
 * Each gives an empty parameter; the event stays valid.
 */
static void write_bad_pointers(struct kunit *test, u8 *b, const char *where)
{
	static const char secret[] = "kernel-secret";
	const void __user *kptr = (const void __user *)secret;
	const void __user *low = (const void __user *)0x10;
	struct kscap_event_writer w;
	u32 len, faults;
	unsigned int i;

	kscap_w_begin(&w, b, 256, 5, 7, TS, TID);
	preempt_disable();
	kscap_w_user_str(&w, NULL, 32);
	kscap_w_user_buf(&w, NULL, 16);
	faults = w.faults;
	kscap_w_user_str(&w, kptr, 32);
	kscap_w_user_buf(&w, kptr, 16);
	kscap_w_user_str(&w, low, 32);
	kscap_w_user_buf(&w, low, 16);
	preempt_enable();
	kscap_w_u8(&w, 0x77);
	len = kscap_w_end(&w);

	KUNIT_EXPECT_EQ_MSG(test, len, KSCAP_HDR_LEN + 2 * 7 + 1U, "%s", where);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_EQ_MSG(test, param_len(b, i), 0, "%s: param %u", where, i);
	KUNIT_EXPECT_EQ_MSG(test, *param_val(b, 6), 0x77, "%s", where);
	/* Each bad non-NULL pointer is one fault. */
	KUNIT_EXPECT_EQ_MSG(test, w.faults - faults, 4U, "%s", where);
	KUNIT_EXPECT_EQ_MSG(test, first_unguarded(b, len, 256 + GUARD_LEN), -1L,
			    "%s", where);
}

static void writer_user_bad_pointers(struct kunit *test)
{
	/* In the test's kernel thread: no user address space at all. */
	write_bad_pointers(test, guarded_buf(test, 256), "no mm");
}

static void writer_user_bad_pointers_with_mm(struct kunit *test)
{
	u8 *b = guarded_buf(test, 256);

	kscap_ku_enter(test);
	write_bad_pointers(test, b, "user mm");
	kscap_ku_leave();
}

static void writer_user_reads_user_memory(struct kunit *test)
{
	u8 *b = guarded_buf(test, 256);
	void __user *s, *e;
	struct kscap_event_writer w;
	u32 len;

	kscap_ku_enter(test);
	s = kscap_ku_put(test, 0, "hello, user", 12);
	e = kscap_ku_put(test, 100, "", 1);

	kscap_w_begin(&w, b, 256, 11, 5, TS, TID);
	preempt_disable();
	kscap_w_user_str(&w, s, 64);	/* whole, with its NUL */
	kscap_w_user_str(&w, s, 6);	/* truncated, still NUL-terminated */
	kscap_w_user_str(&w, e, 64);	/* empty string: just the NUL */
	kscap_w_user_buf(&w, s, 5);	/* bytes, no NUL */
	kscap_w_user_buf(&w, s, 0);	/* nothing asked, nothing read */
	preempt_enable();
	len = kscap_w_end(&w);
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 5 + 12 + 6 + 1 + 5 + 0U);
	KUNIT_EXPECT_EQ(test, w.faults, 0U);
	KUNIT_EXPECT_EQ(test, w.truncated, 1U);	/* the string cut at 6 */
	KUNIT_EXPECT_EQ(test, param_len(b, 0), 12);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 0), "hello, user", 12), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 1), 6);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 1), "hello", 6), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 2), 1);
	KUNIT_EXPECT_EQ(test, *param_val(b, 2), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 3), 5);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 3), "hello", 5), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 4), 0);
	if (len)
		expect_well_formed(test, b, len);
}

/*
 * Reads that run into a page that is mapped but not present, or into no
 * mapping at all. A probe may not fault pages in, so: bytes that cannot be
 * read leave their parameter empty and count a fault, and the next
 * parameter starts where the failed one did; a string cut short by an
 * unreadable page keeps every readable byte, NUL-terminated, and counts
 * a fault too; a string whose NUL is the last readable byte is read whole.
 */
static void writer_user_faults_midway(struct kunit *test)
{
	const unsigned long edge = KSCAP_KU_UNTOUCHED;
	u8 *b = guarded_buf(test, 256);
	struct kscap_event_writer w;
	void __user *s;
	u32 len;

	kscap_ku_enter(test);
	/* "abcdef" without its NUL, right before the untouched page. */
	s = kscap_ku_put(test, edge - 6, "abcdef", 6);

	kscap_w_begin(&w, b, 256, 13, 7, TS, TID);
	preempt_disable();
	kscap_w_user_str(&w, s, 64);			/* cut: "abcdef", fault */
	kscap_w_user_buf(&w, s, 16);			/* fault */
	kscap_w_user_buf(&w, kscap_ku_ptr(edge), 8);	/* fault */
	kscap_w_user_str(&w, kscap_ku_ptr(edge), 8);	/* fault */
	kscap_w_user_str(&w, kscap_ku_ptr(KSCAP_KU_HOLE), 8);	/* fault */
	kscap_w_user_buf(&w, kscap_ku_ptr(KSCAP_KU_HOLE - 4), 8); /* fault */
	preempt_enable();
	kscap_w_u8(&w, 0x99);
	len = kscap_w_end(&w);

	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 7 + 7 + 1U);
	KUNIT_EXPECT_EQ(test, w.faults, 6U);
	KUNIT_EXPECT_EQ(test, w.truncated, 0U);
	KUNIT_EXPECT_EQ(test, param_len(b, 0), 7);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 0), "abcdef", 7), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 1), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 2), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 3), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 4), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 5), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 6), 1);
	KUNIT_EXPECT_EQ(test, *param_val(b, 6), 0x99);

	/* Its NUL is the last byte before the untouched page: read whole. */
	s = kscap_ku_put(test, edge - 4, "xyz", 4);
	kscap_w_begin(&w, b, 256, 13, 1, TS, TID);
	preempt_disable();
	kscap_w_user_str(&w, s, 64);
	preempt_enable();
	len = kscap_w_end(&w);
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 + 4U);
	KUNIT_EXPECT_EQ(test, w.faults, 0U);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 0), "xyz", 4), 0);
}

/* A zero-length read reads nothing, writes nothing, and is no fault. */
static void writer_user_zero_length(struct kunit *test)
{
	u8 *b = guarded_buf(test, 64);
	struct kscap_event_writer w;
	void __user *s;
	u32 len;

	kscap_ku_enter(test);
	s = kscap_ku_put(test, 0, "hello", 6);
	kscap_w_begin(&w, b, 64, 17, 4, TS, TID);
	kscap_w_u8(&w, 0x5a);
	preempt_disable();
	kscap_w_user_str(&w, s, 0);
	kscap_w_user_buf(&w, s, 0);
	preempt_enable();
	kscap_w_u8(&w, 0x6b);
	len = kscap_w_end(&w);
	kscap_ku_leave();

	KUNIT_EXPECT_EQ(test, len, KSCAP_HDR_LEN + 2 * 4 + 2U);
	KUNIT_EXPECT_EQ(test, w.faults, 0U);
	/* The byte before the empty parameters is not touched. */
	KUNIT_EXPECT_EQ(test, *param_val(b, 0), 0x5a);
	KUNIT_EXPECT_EQ(test, param_len(b, 1), 0);
	KUNIT_EXPECT_EQ(test, param_len(b, 2), 0);
	KUNIT_EXPECT_EQ(test, *param_val(b, 3), 0x6b);
	KUNIT_EXPECT_EQ(test, first_unguarded(b, len, 64 + GUARD_LEN), -1L);
}

/* User reads near cap: never a byte past it, and a valid event or none. */
static void writer_user_reads_stay_within_cap(struct kunit *test)
{
	static const char str[] = "a user string of forty-odd bytes, say";
	const u32 fixed = KSCAP_HDR_LEN + 2 * 3;
	const u32 full = fixed + sizeof(str) + 20 + 1;
	u8 *b = guarded_buf(test, full);
	void __user *s;
	u32 cap;

	kscap_ku_enter(test);
	s = kscap_ku_put(test, 0, str, sizeof(str));
	for (cap = 0; cap <= full; cap++) {
		struct kscap_event_writer w;
		u32 len;

		memset(b, GUARD, full + GUARD_LEN);
		kscap_w_begin(&w, b, cap, 15, 3, TS, TID);
		preempt_disable();
		kscap_w_user_str(&w, s, 64);
		kscap_w_user_buf(&w, s, 20);
		preempt_enable();
		kscap_w_u8(&w, 1);
		len = kscap_w_end(&w);

		KUNIT_EXPECT_EQ_MSG(test, first_unguarded(b, cap, full + GUARD_LEN),
				    -1L, "cap %u", cap);
		KUNIT_EXPECT_LE_MSG(test, len, cap, "cap %u", cap);
		if (len)
			expect_well_formed(test, b, len);
		/* Whole or not at all: never a string cut to the room. */
		KUNIT_EXPECT_EQ_MSG(test, len, cap == full ? full : 0, "cap %u", cap);
		KUNIT_EXPECT_EQ_MSG(test, w.truncated, 0U, "cap %u", cap);
		KUNIT_EXPECT_EQ_MSG(test, w.faults, 0U, "cap %u", cap);
	}
	kscap_ku_leave();
}

/*
 * The string's own cap and the room left, apart: a string longer than
 * its cap is cut there and counted, whatever the room; one within its
 * cap that the room cannot hold overflows, however little is missing.
 * A cap equal to the room is still the cap.
 */
static void writer_user_str_cap_or_room(struct kunit *test)
{
	static const char str[] = "0123456789abcdefghij";	/* 20 + NUL */
	const u32 fixed = KSCAP_HDR_LEN + 2;
	u8 *b = guarded_buf(test, 128);
	struct kscap_event_writer w;
	void __user *s;

	kscap_ku_enter(test);
	s = kscap_ku_put(test, 0, str, sizeof(str));
	preempt_disable();

	/* Cap 8, room 100: "0123456", counted. */
	kscap_w_begin(&w, b, fixed + 100, 3, 1, TS, TID);
	kscap_w_user_str(&w, s, 8);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), fixed + 8);
	KUNIT_EXPECT_EQ(test, w.truncated, 1U);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 0), "0123456", 8), 0);

	/* Cap 8 and room 8: the cap cuts it. */
	kscap_w_begin(&w, b, fixed + 8, 3, 1, TS, TID);
	kscap_w_user_str(&w, s, 8);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), fixed + 8);
	KUNIT_EXPECT_EQ(test, w.truncated, 1U);

	/* Cap 4096, room one byte short of the string: no event. */
	kscap_w_begin(&w, b, fixed + sizeof(str) - 1, 3, 1, TS, TID);
	kscap_w_user_str(&w, s, 4096);
	KUNIT_EXPECT_TRUE(test, w.overflow);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), 0U);
	KUNIT_EXPECT_EQ(test, w.truncated, 0U);

	/* Room exactly the string with its NUL: whole. */
	kscap_w_begin(&w, b, fixed + sizeof(str), 3, 1, TS, TID);
	kscap_w_user_str(&w, s, 4096);
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), fixed + (u32)sizeof(str));
	KUNIT_EXPECT_EQ(test, w.truncated, 0U);
	KUNIT_EXPECT_EQ(test, memcmp(param_val(b, 0), str, sizeof(str)), 0);

	/* String exactly its cap with the NUL: whole, not truncated. */
	kscap_w_begin(&w, b, fixed + 100, 3, 1, TS, TID);
	kscap_w_user_str(&w, s, sizeof(str));
	KUNIT_EXPECT_EQ(test, kscap_w_end(&w), fixed + (u32)sizeof(str));
	KUNIT_EXPECT_EQ(test, w.truncated, 0U);

	preempt_enable();
	kscap_ku_leave();
	KUNIT_EXPECT_EQ(test, first_unguarded(b, fixed + 100, 128 + GUARD_LEN), -1L);
}

static void writer_capped_counts(struct kunit *test)
{
	struct kscap_event_writer w;
	u8 b[64];

	kscap_w_begin(&w, b, sizeof(b), 3, 0, TS, TID);
	KUNIT_EXPECT_EQ(test, kscap_w_capped(&w, 80, 80), 80U);
	KUNIT_EXPECT_EQ(test, kscap_w_capped(&w, 0, 80), 0U);
	KUNIT_EXPECT_EQ(test, w.truncated, 0U);
	KUNIT_EXPECT_EQ(test, kscap_w_capped(&w, 81, 80), 80U);
	KUNIT_EXPECT_EQ(test, kscap_w_capped(&w, U64_MAX, 80), 80U);
	KUNIT_EXPECT_EQ(test, w.truncated, 2U);
}

/*
 * kscap_copy_user(): every length up to past KSCAP_COPY_SHORT (the word
 * by word copy and copy_from_user_nofault() beyond it), copied exactly,
 * not a byte written past it; and a read that reaches a page it may not
 * fault in fails, whichever byte of it is the first unreadable one.
 */
static void writer_copy_user_lengths_and_faults(struct kunit *test)
{
	const unsigned long edge = KSCAP_KU_UNTOUCHED;
	const u32 max = KSCAP_COPY_SHORT + 9;
	u8 *src = kunit_kmalloc(test, max, GFP_KERNEL);
	u8 *b = guarded_buf(test, max);
	void __user *u;
	int bad = 0;
	u32 len, i;

	KUNIT_ASSERT_NOT_NULL(test, src);
	for (i = 0; i < max; i++)
		src[i] = (u8)(i * 13 + 1);
	kscap_ku_enter(test);
	/* Misaligned on purpose: 3 bytes into page 1. */
	u = kscap_ku_put(test, PAGE_SIZE + 3, src, max);
	for (len = 0; len <= max && bad < 3; len++) {
		memset(b, GUARD, max + GUARD_LEN);
		preempt_disable();
		i = kscap_copy_user(b, u, len);
		preempt_enable();
		if (i || memcmp(b, src, len) || first_unguarded(b, len, max + GUARD_LEN) >= 0) {
			KUNIT_FAIL(test, "length %u: returned %u, or other bytes", len, i);
			bad++;
		}
	}
	/* The last 1 to 16 readable bytes, then the untouched page. */
	for (i = 1; i <= 16; i++) {
		u = kscap_ku_put(test, edge - i, src, i);
		preempt_disable();
		KUNIT_EXPECT_EQ_MSG(test, kscap_copy_user(b, u, i), 0, "%u readable", i);
		KUNIT_EXPECT_NE_MSG(test, kscap_copy_user(b, u, i + 1), 0, "%u + 1", i);
		KUNIT_EXPECT_NE_MSG(test, kscap_copy_user(b, u, i + 8), 0, "%u + 8", i);
		KUNIT_EXPECT_NE_MSG(test, kscap_copy_user(b, u, KSCAP_COPY_SHORT + 1), 0,
				    "%u + long", i);
		preempt_enable();
	}
	preempt_disable();
	/* No mapping at all, and a kernel address. */
	KUNIT_EXPECT_NE(test, kscap_copy_user(b, kscap_ku_ptr(KSCAP_KU_HOLE), 8), 0);
	KUNIT_EXPECT_NE(test, kscap_copy_user(b, (const void __user *)src, 8), 0);
	preempt_enable();
	kscap_ku_leave();
}

static int writer_suite_init(struct kunit_suite *suite)
{
	kscap_ku_setup();
	return 0;
}

static void writer_suite_exit(struct kunit_suite *suite)
{
	kscap_ku_teardown();
}

static struct kunit_case writer_cases[] = {
	KUNIT_CASE(writer_event_layout),
	KUNIT_CASE(writer_overflow_stays_within_cap),
	KUNIT_CASE(writer_overflow_is_sticky),
	KUNIT_CASE(writer_param_length_limit),
	KUNIT_CASE(writer_str_truncates_with_nul),
	KUNIT_CASE(writer_user_bad_pointers),
	KUNIT_CASE(writer_user_bad_pointers_with_mm),
	KUNIT_CASE(writer_user_reads_user_memory),
	KUNIT_CASE(writer_user_faults_midway),
	KUNIT_CASE(writer_user_zero_length),
	KUNIT_CASE(writer_user_reads_stay_within_cap),
	KUNIT_CASE(writer_user_str_cap_or_room),
	KUNIT_CASE(writer_capped_counts),
	KUNIT_CASE(writer_copy_user_lengths_and_faults),
	{}
};

static struct kunit_suite writer_suite = {
	.name = "kscap_writer",
	.suite_init = writer_suite_init,
	.suite_exit = writer_suite_exit,
	.test_cases = writer_cases,
};
kunit_test_suite(writer_suite);
