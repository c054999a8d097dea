/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixed-layout path: an event whose parameters are all integers from
 * the syscall's registers (fds, counts, flags, the return value) has the
 * same length every time, so it is written with one room check and a
 * store per field, from a layout fixed.c derives from the event table
 * and the row's recipe at load time. The recipe stays the reference: the
 * debug build checks every event written this way against it, and so
 * does KUnit (tests/kunit/fixed_test.c).
 */
#ifndef KSCAP_FIXED_H
#define KSCAP_FIXED_H

#include <linux/sched.h>
#include <asm/syscall.h>
#include "recipe.h"

/*
 * Write the event of type @type, which has a fixed layout, at @buf: it
 * takes ops->fixed_len bytes, which the caller made sure are there.
 */
static __always_inline u32 kscap_fixed_write(u8 *buf, const struct kscap_event_ops *ops,
					     u16 type, const struct kscap_ctx *c,
					     u64 ts, u64 tid)
{
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)buf;
	u8 *lens = buf + KSCAP_HDR_LEN;
	u8 *p = lens + ops->nparams * KSCAP_PARAM_LEN_SIZE;
	const unsigned long *args = c->args;
	unsigned long regs[6];
	unsigned int i;

	put_unaligned(ts, &h->ts);
	put_unaligned(tid, &h->tid);
	put_unaligned((u32)ops->fixed_len, &h->len);
	put_unaligned(type, &h->type);
	put_unaligned((u32)ops->nparams, &h->nparams);
	if (ops->fixed_args && !args) {
		syscall_get_arguments(current, c->regs, regs);
		args = regs;
	}
	for (i = 0; i < ops->nparams && i < KSCAP_FIXED_MAX_PARAMS; i++) {
		const struct kscap_fixed_param *fp = &ops->fixed[i];
		s64 v;

		if (fp->src == KSCAP_FX_RET)
			v = c->ret;
		else if (fp->src == KSCAP_FX_ARG)
			v = kscap_conv(fp->conv, fp->aux, args[fp->arg]);
		else
			v = fp->arg;
		put_unaligned((u16)fp->size, (u16 *)(lens + i * KSCAP_PARAM_LEN_SIZE));
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
	return ops->fixed_len;
}

#endif /* KSCAP_FIXED_H */
