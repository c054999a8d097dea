/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixed-layout path: an event whose parameters are all integers from
 * the syscall's registers (fds, counts, flags, the return value), but for
 * a last one of user data whose length the registers give (read's,
 * write's), has a length known before it is written, so it is written
 * with one room check and a store per field (and one copy), from a layout fixed.c derives from the event table
 * and the row's recipe at load time. The recipe stays the reference: the
 * debug build checks every event written this way against it, and so
 * does KUnit (tests/kunit/fixed_test.c).
 */
#ifndef KSCAP_FIXED_H
#define KSCAP_FIXED_H

#include <linux/sched.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>
#include "recipe.h"

/* What a fixed-layout event counts, as the writer would (struct kscap_event_writer). */
struct kscap_fixed_counts {
	u32 faults;		/* the data could not be read */
	u32 truncated;		/* the data was cut at snaplen */
};

/*
 * Write the event of type @type, which has a fixed layout, at @buf if it
 * fits in @room bytes. Returns its length, or 0 (nothing written) when it
 * does not fit. Its parameters are integers from the registers, and the
 * last may be a BYTEBUF of user data (ops->fixed_data): the length of
 * that one is known before anything is written, so the room is checked
 * once, and a read that faults leaves it empty, as the writer does.
 */
static __always_inline u32 kscap_fixed_event(u8 *buf, u64 room,
					     const struct kscap_event_ops *ops,
					     u16 type, const struct kscap_ctx *c,
					     u64 ts, u64 tid,
					     struct kscap_fixed_counts *n)
{
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)buf;
	u8 *lens = buf + KSCAP_HDR_LEN;
	u8 *p = lens + ops->nparams * KSCAP_PARAM_LEN_SIZE;
	const unsigned long *args = c->args;
	unsigned long regs[6];
	u32 len = ops->fixed_len, data = 0;
	unsigned int i;

	if (ops->fixed_args && !args) {
		syscall_get_arguments(current, c->regs, regs);
		args = regs;
	}
	if (ops->fixed_data) {
		const struct kscap_fixed_param *fp = &ops->fixed[ops->nparams - 1];
		u64 want = fp->src == KSCAP_FX_DATA_RET ? (c->ret > 0 ? c->ret : 0)
							: args[fp->conv];

		data = min_t(u64, want, READ_ONCE(kscap_cfg.snaplen));
		if (data < want)
			n->truncated++;
		len += data;
	}
	if (unlikely(room < len))
		return 0;

	put_unaligned(ts, &h->ts);
	put_unaligned(tid, &h->tid);
	put_unaligned(type, &h->type);
	put_unaligned((u32)ops->nparams, &h->nparams);
	for (i = 0; i < ops->nparams && i < KSCAP_FIXED_MAX_PARAMS; i++) {
		const struct kscap_fixed_param *fp = &ops->fixed[i];
		u16 *plen = (u16 *)(lens + i * KSCAP_PARAM_LEN_SIZE);
		s64 v;

		if (fp->src == KSCAP_FX_RET) {
			v = c->ret;
		} else if (fp->src == KSCAP_FX_ARG) {
			v = kscap_conv(fp->conv, fp->aux, args[fp->arg]);
		} else if (fp->src == KSCAP_FX_CONST) {
			v = fp->arg;
		} else {
			/* The data, last: what cannot be read is left out. */
			if (data && copy_from_user_nofault(p, (const void __user *)args[fp->arg],
							   data)) {
				n->faults++;
				len -= data;
				data = 0;
			}
			put_unaligned((u16)data, plen);
			break;
		}
		put_unaligned((u16)fp->size, plen);
		switch (fp->size) {
		case 1:
			*p = v;
			break;
		case 2:
			put_unaligned((u16)v, (u16 *)p);
			break;
		case 4:
			put_unaligned((u32)v, (u32 *)p);
			break;
		default:
			put_unaligned((u64)v, (u64 *)p);
			break;
		}
		p += fp->size;
	}
	put_unaligned(len, &h->len);
	return len;
}

#endif /* KSCAP_FIXED_H */
