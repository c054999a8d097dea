// SPDX-License-Identifier: GPL-2.0
#include <linux/uaccess.h>
#include "writer.h"

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
 * The slow way, for a string strncpy_from_user() could not read whole: page
 * by page, so that a string cut short by an unreadable page keeps what was
 * readable before it. Returns the bytes read (a string without its NUL),
 * or -EFAULT if not even the first byte was.
 */
static long kscap_strncpy_user_pages(char *dst, const char __user *src,
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
			break;
		nul = memchr(dst + done, '\0', chunk);
		if (nul)
			return nul - dst + 1;
		done += chunk;
	}
	return done ? (long)done : -EFAULT;
}

/*
 * Copy a user string of at most @max bytes (NUL included) into @dst
 * without faulting or sleeping: strncpy_from_user() with page faults
 * disabled, which is what the kernel's (unexported) nofault variant does.
 * It reads a word at a time and no further than the NUL, and falls back
 * to bytes where a word would cross into an unreadable page, so a string
 * that ends just before one is read whole. Returns the length with the
 * NUL, @max if the string was cut (the caller puts the NUL), or -EFAULT.
 */
static long kscap_strncpy_user_nofault(char *dst, const char __user *src,
				       u32 max)
{
	long n;

	pagefault_disable();
	n = strncpy_from_user(dst, src, max);
	pagefault_enable();
	if (unlikely(n < 0))
		return kscap_strncpy_user_pages(dst, src, max);
	return n < max ? n + 1 : max;
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
