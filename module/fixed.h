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
#include "arch.h"

/*
 * Argument @i of the call: the ones given (a 32-bit call's, translated),
 * or the native call's register, read alone rather than all six copied
 * out (syscall_get_arguments()) for the one or two a row reads.
 */
static __always_inline unsigned long kscap_fixed_arg(const struct kscap_ctx *c, unsigned int i)
{
	if (unlikely(c->args))
		return c->args[i];
	return kscap_syscall_arg(c->regs, i);
}

/* kscap_fixed_arg() of parameter @fp's argument: its register's place is known. */
static __always_inline unsigned long kscap_fixed_param_arg(const struct kscap_ctx *c,
							   const struct kscap_fixed_param *fp)
{
	if (unlikely(c->args))
		return c->args[fp->arg];
	return *(const unsigned long *)((const u8 *)c->regs + fp->regoff);
}

/* kscap_conv() for the conversions that call out (flags, modes). */
s64 kscap_fixed_conv(u8 conv, u8 aux, unsigned long v);

/* What a fixed-layout event counts, as the writer would (struct kscap_event_writer). */
struct kscap_fixed_counts {
	u32 faults;		/* the data could not be read */
	u32 truncated;		/* the data was cut at snaplen */
};

/*
 * The length of the event of a fixed-layout row, before it is written:
 * the row's fixed bytes, and those of its user data (ops->fixed_data), a
 * length the registers give, cut at snaplen (counted in @n). *@data: the
 * data's bytes.
 */
static __always_inline u32 kscap_fixed_len(const struct kscap_event_ops *ops,
					   const struct kscap_ctx *c, u32 *data,
					   struct kscap_fixed_counts *n)
{
	u32 len = ops->fixed_len;

	*data = 0;
	if (ops->fixed_data) {
		const struct kscap_fixed_param *fp = &ops->fixed[ops->nparams - 1];
		u64 want = fp->src == KSCAP_FX_DATA_RET ? (c->ret > 0 ? c->ret : 0)
							: kscap_fixed_arg(c, fp->conv);

		*data = min_t(u64, want, READ_ONCE(kscap_cfg.snaplen));
		if (*data < want)
			n->truncated++;
		len += *data;
	}
	return len;
}

/*
 * Write the event of type @type, which has a fixed layout, at @buf, which
 * has room for the @len bytes kscap_fixed_len() gave (@data of them user
 * data), all but its timestamp. Returns its length: @len, or less when
 * the data could not be read (a fault leaves it empty, as the writer
 * does).
 */
static __always_inline u32 kscap_fixed_write(u8 *buf, u32 len, u32 data,
					     const struct kscap_event_ops *ops,
					     u16 type, const struct kscap_ctx *c, u64 tid,
					     struct kscap_fixed_counts *n)
{
	const unsigned int np = min_t(unsigned int, ops->nparams, KSCAP_FIXED_MAX_PARAMS);
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)buf;
	u16 *lens = (u16 *)(buf + KSCAP_HDR_LEN);
	u8 *p = buf + KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE;
	unsigned int i;

	put_unaligned(tid, &h->tid);
	put_unaligned(type, &h->type);
	put_unaligned((u32)np, &h->nparams);
	for (i = 0; i < np; i++) {
		/* A copy: the stores below could alias the table, for all the compiler knows. */
		const struct kscap_fixed_param fp = ops->fixed[i];
		u64 v;

		if (fp.src == KSCAP_FX_ARG) {
			v = kscap_fixed_param_arg(c, &fp);
			if (fp.conv == KSCAP_CONV_S32)
				v = (s64)(int)v;
			else if (fp.conv == KSCAP_CONV_U32)
				v = (u32)v;
			else if (fp.conv != KSCAP_CONV_RAW)
				v = kscap_fixed_conv(fp.conv, fp.aux, v);
		} else if (fp.src == KSCAP_FX_RET) {
			v = c->ret;
		} else if (fp.src == KSCAP_FX_CONST) {
			v = fp.arg;
		} else {
			/* The data, last: what cannot be read is left out. */
			if (data && kscap_copy_user(p, (const void __user *)
						    kscap_fixed_param_arg(c, &fp), data)) {
				n->faults++;
				len -= data;
				data = 0;
			}
			put_unaligned((u16)data, &lens[i]);
			break;
		}
		put_unaligned((u16)fp.size, &lens[i]);
		if (likely(fp.size == 8))
			put_unaligned(v, (u64 *)p);
		else if (fp.size == 4)
			put_unaligned((u32)v, (u32 *)p);
		else if (fp.size == 2)
			put_unaligned((u16)v, (u16 *)p);
		else
			*p = v;
		p += fp.size;
	}
	put_unaligned(len, &h->len);
	return len;
}

/*
 * Write the event of type @type, which has a fixed layout, at @buf if it
 * fits in @room bytes, stamped @ts and @tid. Returns its length, or 0
 * (nothing written) when it does not fit.
 */
static __always_inline u32 kscap_fixed_event(u8 *buf, u64 room,
					     const struct kscap_event_ops *ops,
					     u16 type, const struct kscap_ctx *c,
					     u64 ts, u64 tid,
					     struct kscap_fixed_counts *n)
{
	u32 data, len = kscap_fixed_len(ops, c, &data, n);

	if (unlikely(room < len))
		return 0;
	len = kscap_fixed_write(buf, len, data, ops, type, c, tid, n);
	put_unaligned(ts, &((struct kscap_evt_hdr *)buf)->ts);
	return len;
}

#endif /* KSCAP_FIXED_H */
