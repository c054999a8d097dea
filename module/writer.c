// SPDX-License-Identifier: GPL-2.0
#include <linux/uaccess.h>
#include "writer.h"

/* Out of line: the writer's user values have lengths known only at run time. */
int kscap_copy_user_short(u8 *dst, const u8 __user *src, u32 len)
{
	return kscap_user_read(dst, src, len) ? 0 : -EFAULT;
}

void kscap_w_str(struct kscap_event_writer *w, const char *s, u32 max)
{
	u32 n = strnlen(s, max ? max - 1 : 0);
	u8 *p = kscap_w_grow(w, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	kscap_w_next(w);
}

/* How a bounded read of a user string ended. */
enum kscap_ustr {
	KSCAP_USTR_WHOLE,	/* NUL found: the string and its NUL */
	KSCAP_USTR_CUT,		/* no NUL in the bytes allowed */
	KSCAP_USTR_FAULT,	/* an unreadable byte before the NUL */
};

/*
 * The slow way, for a string strncpy_from_user() could not read whole: page
 * by page, so that a string cut short by an unreadable page keeps what was
 * readable before it. *@len: the bytes before the NUL, the cut or the fault.
 */
static enum kscap_ustr kscap_ustr_pages(char *dst, const char __user *src,
					u32 max, u32 *len)
{
	u32 done = 0;

	while (done < max) {
		unsigned long addr = (unsigned long)src + done;
		u32 chunk = min_t(u32, max - done,
				  PAGE_SIZE - offset_in_page(addr));
		char *nul;

		if (copy_from_user_nofault(dst + done,
					   (const void __user *)addr, chunk)) {
			*len = done;
			return KSCAP_USTR_FAULT;
		}
		nul = memchr(dst + done, '\0', chunk);
		if (nul) {
			*len = nul - dst;
			return KSCAP_USTR_WHOLE;
		}
		done += chunk;
	}
	*len = max;
	return KSCAP_USTR_CUT;
}

/*
 * Copy a user string of at most @max bytes into @dst without faulting or
 * sleeping: strncpy_from_user() with page faults disabled, which is what
 * the kernel's (unexported) nofault variant does. It reads a word at a
 * time and no further than the NUL, and falls back to bytes where a word
 * would cross into an unreadable page, so a string that ends just before
 * one is read whole.
 */
static enum kscap_ustr kscap_ustr_copy(char *dst, const char __user *src,
				       u32 max, u32 *len)
{
	long n;

	pagefault_disable();
	n = strncpy_from_user(dst, src, max);
	pagefault_enable();
	if (unlikely(n < 0))
		return kscap_ustr_pages(dst, src, max, len);
	*len = n;
	return n < max ? KSCAP_USTR_WHOLE : KSCAP_USTR_CUT;
}

void kscap_w_user_str(struct kscap_event_writer *w, const char __user *s, u32 max)
{
	u32 lim = min(max, kscap_w_room(w));
	char *dst = (char *)w->buf + w->off;
	u32 len;

	if (!s || !max) {
		kscap_w_next(w);
		return;
	}
	if (!lim) {
		w->overflow = true;
		kscap_w_next(w);
		return;
	}
	switch (kscap_ustr_copy(dst, s, lim, &len)) {
	case KSCAP_USTR_WHOLE:
		dst[len] = '\0';
		kscap_w_grow(w, len + 1);
		break;
	case KSCAP_USTR_CUT:
		/* Cut by the room left, not by the cap: the event is dropped. */
		if (lim < max) {
			w->overflow = true;
			break;
		}
		dst[max - 1] = '\0';
		kscap_w_grow(w, max);
		w->truncated++;
		break;
	case KSCAP_USTR_FAULT:
		/* What was readable (len < lim, so its NUL fits), or nothing. */
		w->faults++;
		if (len) {
			dst[len] = '\0';
			kscap_w_grow(w, len + 1);
		}
		break;
	}
	kscap_w_next(w);
}

bool kscap_w_user_append(struct kscap_event_writer *w, const void __user *s, u32 len)
{
	u32 start = w->off;
	u8 *p = kscap_w_grow(w, len);

	if (!p)
		return false;
	if (kscap_copy_user(p, s, len)) {
		w->off = start;
		w->faults++;
		return false;
	}
	return true;
}

void kscap_w_user_buf(struct kscap_event_writer *w, const void __user *s, u32 len)
{
	if (len)
		kscap_w_user_append(w, s, len);
	kscap_w_next(w);
}
