// SPDX-License-Identifier: GPL-2.0
#include <linux/uaccess.h>
#include "writer.h"

void kscap_w_begin(struct kscap_writer *w, void *buf, u32 cap, u16 type,
		   u16 nparams, u64 ts, u64 tid)
{
	u32 fixed = KSCAP_HDR_LEN + nparams * KSCAP_PARAM_LEN_SIZE;
	struct kscap_evt_hdr *h = buf;

	w->buf = buf;
	w->cap = cap;
	w->type = type;
	w->nparams = nparams;
	w->idx = 0;
	w->faults = 0;
	w->off = fixed;
	w->param_start = fixed;
	w->overflow = cap < fixed;
	if (w->overflow)
		return;
	put_unaligned(ts, &h->ts);
	put_unaligned(tid, &h->tid);
	put_unaligned(type, &h->type);
	put_unaligned((u32)nparams, &h->nparams);
}

void kscap_w_next(struct kscap_writer *w)
{
	u16 *lens = (u16 *)(w->buf + KSCAP_HDR_LEN);

	if (unlikely(w->idx >= w->nparams)) {
		/* A filler wrote more parameters than its row has: a bug. */
		WARN_ON_ONCE(1);
		w->overflow = true;
		return;
	}
	if (!w->overflow)
		put_unaligned((u16)(w->off - w->param_start), &lens[w->idx]);
	w->idx++;
	w->param_start = w->off;
}

u32 kscap_w_end(struct kscap_writer *w)
{
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)w->buf;

	if (w->overflow)
		return 0;
	if (WARN_ON_ONCE(w->idx != w->nparams))
		return 0;
	put_unaligned(w->off, &h->len);
	return w->off;
}

void kscap_w_str(struct kscap_writer *w, const char *s, u32 max)
{
	u32 n = strnlen(s, max ? max - 1 : 0);
	u8 *p = kscap_w_grow(w, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	kscap_w_next(w);
}

/*
 * Copy a user string of at most @max bytes (NUL included) into @dst
 * without faulting. The kernel does not export its nofault strncpy, so
 * copy page by page: a string that ends just before an unmapped page is
 * still read whole. Returns the length with the NUL, @max if the string
 * was cut (dst[max - 1] is then NUL), or -EFAULT.
 */
static long kscap_strncpy_user_nofault(char *dst, const char __user *src,
				       u32 max)
{
	u32 done = 0;

	while (done < max) {
		unsigned long addr = (unsigned long)src + done;
		u32 chunk = min_t(u32, max - done,
				  PAGE_SIZE - offset_in_page(addr));
		char *nul;

		if (copy_from_user_nofault(dst + done,
					   (const void __user *)addr, chunk))
			return done ? (long)done : -EFAULT;
		nul = memchr(dst + done, '\0', chunk);
		if (nul)
			return nul - dst + 1;
		done += chunk;
	}
	dst[max - 1] = '\0';
	return max;
}

void kscap_w_user_str(struct kscap_writer *w, const char __user *s, u32 max)
{
	u32 room = kscap_w_room(w);
	long n;

	if (!s || !max) {
		kscap_w_next(w);
		return;
	}
	if (max > room) {
		if (!room) {
			w->overflow = true;
			kscap_w_next(w);
			return;
		}
		max = room;
	}
	n = kscap_strncpy_user_nofault((char *)w->buf + w->off, s, max);
	if (n < 0) {
		/* Unreadable: leave the parameter empty and say so. */
		w->faults++;
	} else {
		/* A string cut short by an unmapped page still ends in NUL. */
		w->buf[w->off + n - 1] = '\0';
		w->off += n;
	}
	kscap_w_next(w);
}

bool kscap_w_user_append(struct kscap_writer *w, const void __user *s, u32 len)
{
	u32 start = w->off;
	u8 *p = kscap_w_grow(w, len);

	if (!p)
		return false;
	if (copy_from_user_nofault(p, s, len)) {
		w->off = start;
		w->faults++;
		return false;
	}
	return true;
}

void kscap_w_user_buf(struct kscap_writer *w, const void __user *s, u32 len)
{
	if (len)
		kscap_w_user_append(w, s, len);
	kscap_w_next(w);
}
