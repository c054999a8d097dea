/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event writer: serialises one event straight into ring memory (or any
 * buffer), bounded by the room it was given. Once a value does not fit the
 * writer goes into overflow, ignores everything after and kscap_w_end()
 * returns 0, so a caller never has to check each field.
 *
 * A parameter is made of one or more appends (kscap_w_raw() and friends)
 * closed by kscap_w_next(); the kscap_w_u8() ... helpers do both.
 */
#ifndef KSCAP_WRITER_H
#define KSCAP_WRITER_H

#include <linux/types.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "kscap.h"

struct kscap_event_writer {
	u8 *buf;		/* start of the event */
	u32 cap;		/* bytes the event may take */
	u32 off;		/* where the next value byte goes */
	u32 param_start;	/* where the open parameter began */
	u16 type;		/* the event type */
	u16 nparams;
	u16 idx;		/* the parameter being written */
	bool overflow;
	u32 faults;		/* user reads that failed */
	u32 truncated;		/* values cut at their documented cap */
	u32 mistyped;		/* KSCAP_DEBUG: values of the wrong size */
};

#ifdef KSCAP_DEBUG
/*
 * Whether @len bytes suit parameter @idx of event @type: a fixed-size
 * type takes its size, or nothing (an empty parameter). Holds every
 * filler, hand-written or a recipe, to the event table (recipes.c).
 */
bool kscap_param_len_ok(u16 type, u16 idx, u32 len);
#endif

/*
 * The writer's core is inline: every event with a row of its own runs it
 * (generic events have a short path of their own, kscap_emit_generic(),
 * and rows of integers from the registers another, fixed.h).
 */

/* Start an event of @nparams parameters in @buf, which has @cap bytes. */
static __always_inline void kscap_w_begin(struct kscap_event_writer *w, void *buf,
					  u32 cap, u16 type, u16 nparams,
					  u64 ts, u64 tid)
{
	u32 fixed = KSCAP_HDR_LEN + nparams * KSCAP_PARAM_LEN_SIZE;
	struct kscap_evt_hdr *h = buf;

	w->buf = buf;
	w->cap = cap;
	w->type = type;
	w->nparams = nparams;
	w->idx = 0;
	w->faults = 0;
	w->truncated = 0;
	w->mistyped = 0;
	w->off = fixed;
	w->param_start = fixed;
	w->overflow = cap < fixed;
	if (unlikely(w->overflow))
		return;
	put_unaligned(ts, &h->ts);
	put_unaligned(tid, &h->tid);
	put_unaligned(type, &h->type);
	put_unaligned((u32)nparams, &h->nparams);
}

/* Close the open parameter and open the next one. */
static __always_inline void kscap_w_next(struct kscap_event_writer *w)
{
	u16 *lens = (u16 *)(w->buf + KSCAP_HDR_LEN);

	if (unlikely(w->idx >= w->nparams)) {
		/* A filler wrote more parameters than its row has: a bug. */
		WARN_ON_ONCE(1);
		w->overflow = true;
		return;
	}
	if (likely(!w->overflow))
		put_unaligned((u16)(w->off - w->param_start), &lens[w->idx]);
#ifdef KSCAP_DEBUG
	if (!w->overflow && !kscap_param_len_ok(w->type, w->idx, w->off - w->param_start))
		w->mistyped++;
#endif
	w->idx++;
	w->param_start = w->off;
}

/* Total length of the finished event, or 0 if it did not fit. */
static __always_inline u32 kscap_w_end(struct kscap_event_writer *w)
{
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)w->buf;

	if (unlikely(w->overflow))
		return 0;
	if (WARN_ON_ONCE(w->idx != w->nparams))
		return 0;
	put_unaligned(w->off, &h->len);
	return w->off;
}

/* Room left for the open parameter's value. */
static inline u32 kscap_w_room(const struct kscap_event_writer *w)
{
	u32 room = w->overflow ? 0 : w->cap - w->off;

	return min_t(u32, room, U16_MAX - (w->off - w->param_start));
}

/* Reserve @len bytes of the open parameter; NULL (and overflow) if no room. */
static inline u8 *kscap_w_grow(struct kscap_event_writer *w, u32 len)
{
	u8 *p;

	if (unlikely(len > kscap_w_room(w))) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->off;
	w->off += len;
	return p;
}

static inline void kscap_w_raw(struct kscap_event_writer *w, const void *src, u32 len)
{
	u8 *p = kscap_w_grow(w, len);

	if (p)
		memcpy(p, src, len);
}

/*
 * Close the open parameter after its first @n bytes; the bytes written
 * after those become the start of the next parameter, still open.
 */
static inline void kscap_w_split(struct kscap_event_writer *w, u32 n)
{
	u32 end = w->off;

	if (w->overflow)
		return;
	w->off = w->param_start + n;
	kscap_w_next(w);
	w->off = end;
}

#define KSCAP_W_FIXED(name, type)						\
static inline void kscap_w_##name(struct kscap_event_writer *w, type v)		\
{										\
	u8 *p = kscap_w_grow(w, sizeof(v));					\
										\
	if (p)									\
		put_unaligned(v, (type *)p);					\
	kscap_w_next(w);							\
}
KSCAP_W_FIXED(u8, u8)
KSCAP_W_FIXED(u16, u16)
KSCAP_W_FIXED(u32, u32)
KSCAP_W_FIXED(u64, u64)
KSCAP_W_FIXED(s64, s64)
#undef KSCAP_W_FIXED

/* A parameter with no value (length 0). */
static inline void kscap_w_empty(struct kscap_event_writer *w)
{
	kscap_w_next(w);
}

/*
 * The bytes of a value of @len bytes that its cap lets through; a value
 * cut there counts as truncated. A value the ring has no room for is not
 * cut: it overflows, and the event is dropped whole.
 */
static inline u32 kscap_w_capped(struct kscap_event_writer *w, u64 len, u32 cap)
{
	if (len <= cap)
		return len;
	w->truncated++;
	return cap;
}

/*
 * Read @len bytes of user memory at @src into @dst without faulting or
 * sleeping: true if every byte was read (else @dst is partly written).
 * For the short values the probes read on every call (a sockaddr, a
 * chunk of pollfds, a buffer's first bytes): copy_from_user_nofault()
 * would copy them with `rep movsb`, which costs about as much per byte
 * as this does per word, after a hardened-usercopy check of the
 * destination that only restates the caller's room check. One access
 * window, word loads (the last word overlapping the one before it rather
 * than reading past the end), page faults off so that an absent page
 * fails instead of being faulted in. Only for the syscall's own task in
 * its own mm (no NMI-time mm check). Inline: a constant @len folds.
 */
static __always_inline bool kscap_user_read(void *dst, const void __user *src, u32 len)
{
	const u8 __user *s = src;
	u8 *d = dst;
	u32 i;

	pagefault_disable();
	if (!user_read_access_begin(src, len))
		goto out;
	if (len >= sizeof(u64)) {
		u64 v;

		for (i = 0; i + sizeof(u64) <= len; i += sizeof(u64)) {
			unsafe_get_user(v, (const u64 __user *)(s + i), fault);
			put_unaligned(v, (u64 *)(d + i));
		}
		if (i < len) {
			i = len - sizeof(u64);
			unsafe_get_user(v, (const u64 __user *)(s + i), fault);
			put_unaligned(v, (u64 *)(d + i));
		}
	} else {
		if (len & sizeof(u32)) {
			u32 v;

			unsafe_get_user(v, (const u32 __user *)s, fault);
			put_unaligned(v, (u32 *)d);
			s += sizeof(u32);
			d += sizeof(u32);
		}
		if (len & sizeof(u16)) {
			u16 v;

			unsafe_get_user(v, (const u16 __user *)s, fault);
			put_unaligned(v, (u16 *)d);
			s += sizeof(u16);
			d += sizeof(u16);
		}
		if (len & 1)
			unsafe_get_user(*d, s, fault);
	}
	user_read_access_end();
	pagefault_enable();
	return true;
fault:
	user_read_access_end();
out:
	pagefault_enable();
	return false;
}

/*
 * The same for a length only known at run time, into ring memory the
 * caller has checked the room of; nonzero if any byte could not be read.
 * Past KSCAP_COPY_SHORT bytes, `rep movsb`'s start-up cost is paid back.
 */
#define KSCAP_COPY_SHORT	256
int kscap_copy_user_short(u8 *dst, const u8 __user *src, u32 len);

static __always_inline int kscap_copy_user(void *dst, const void __user *src, u32 len)
{
	if (len <= KSCAP_COPY_SHORT)
		return kscap_copy_user_short(dst, src, len);
	return copy_from_user_nofault(dst, src, len) ? -EFAULT : 0;
}

/* Kernel string, NUL-terminated, at most @max bytes with the NUL. */
void kscap_w_str(struct kscap_event_writer *w, const char *s, u32 max);
/*
 * User string and user bytes, read without faulting or sleeping. A bad
 * pointer leaves the parameter empty and counts a fault. A string longer
 * than @max is cut there (counted as truncated); one the room left cannot
 * hold overflows the event; one that runs into an unreadable page keeps
 * the bytes before it and counts a fault.
 */
void kscap_w_user_str(struct kscap_event_writer *w, const char __user *s, u32 max);
void kscap_w_user_buf(struct kscap_event_writer *w, const void __user *s, u32 len);
/* Append (without closing) @len user bytes; false on a fault. */
bool kscap_w_user_append(struct kscap_event_writer *w, const void __user *s, u32 len);

#endif /* KSCAP_WRITER_H */
