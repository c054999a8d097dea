/* SPDX-License-Identifier: GPL-2.0 */
/* Encoders that live in files of their own, by family. */
#ifndef KSCAP_ENCODERS_H
#define KSCAP_ENCODERS_H

#include <linux/uaccess.h>
#include "recipe.h"

#define KSCAP_ENCODER(name)						\
	void name(struct kscap_event_writer *w, const struct kscap_ctx *c,	\
		  const unsigned long *args,				\
		  const struct kscap_param_info *pi,			\
		  const struct kscap_src *s)

/*
 * copy_from_user_nofault() of @len bytes, for the small values encoders
 * read on every call (a sockaddr, a chunk of pollfds): the same all or
 * nothing result, without its cost per call (hardened usercopy's object
 * check, the string copy's setup): one access window, word loads, page
 * faults off so that an absent page fails instead of being faulted in.
 * Only for a syscall's own task, in its own mm (no NMI-time mm check).
 * False if any byte could not be read; @dst is then partly written.
 */
static __always_inline bool kscap_user_read(void *dst, const void __user *src,
					    u32 len)
{
	const u8 __user *s = src;
	u8 *d = dst;

	pagefault_disable();
	if (!user_read_access_begin(src, len)) {
		pagefault_enable();
		return false;
	}
	for (; len >= sizeof(u64); len -= sizeof(u64), s += sizeof(u64), d += sizeof(u64)) {
		u64 v;

		unsafe_get_user(v, (const u64 __user *)s, fault);
		put_unaligned(v, (u64 *)d);
	}
	if (len >= sizeof(u32)) {
		u32 v;

		unsafe_get_user(v, (const u32 __user *)s, fault);
		put_unaligned(v, (u32 *)d);
		len -= sizeof(u32);
		s += sizeof(u32);
		d += sizeof(u32);
	}
	if (len >= sizeof(u16)) {
		u16 v;

		unsafe_get_user(v, (const u16 __user *)s, fault);
		put_unaligned(v, (u16 *)d);
		len -= sizeof(u16);
		s += sizeof(u16);
		d += sizeof(u16);
	}
	if (len)
		unsafe_get_user(*d, s, fault);
	user_read_access_end();
	pagefault_enable();
	return true;
fault:
	user_read_access_end();
	pagefault_enable();
	return false;
}

/* fill_misc.c: poll, ppoll, ptrace, bpf, quotactl, semop */
#define KSCAP_FDLIST_MAX	1024	/* pollfds an FDLIST looks at */
u16 kscap_poll_to_abi(u16 events);
KSCAP_ENCODER(kscap_enc_fdlist);
KSCAP_ENCODER(kscap_enc_fdlist_revents);
KSCAP_ENCODER(kscap_enc_sigset);
KSCAP_ENCODER(kscap_enc_ptrace_addr);
KSCAP_ENCODER(kscap_enc_ptrace_data);
KSCAP_ENCODER(kscap_enc_bpf_res);
KSCAP_ENCODER(kscap_enc_quotactl);
KSCAP_ENCODER(kscap_enc_sembuf);

/* fill_net.c: addresses, tuples, message and iovec data, socket options */
KSCAP_ENCODER(kscap_enc_sockaddr);
KSCAP_ENCODER(kscap_enc_tuple);
KSCAP_ENCODER(kscap_enc_tuple_from);
KSCAP_ENCODER(kscap_enc_tuple_in_msg);
KSCAP_ENCODER(kscap_enc_tuple_to);
KSCAP_ENCODER(kscap_enc_tuple_msg);
KSCAP_ENCODER(kscap_enc_tuple_ret);
KSCAP_ENCODER(kscap_enc_accept_queue);
KSCAP_ENCODER(kscap_enc_sock_id);
KSCAP_ENCODER(kscap_enc_msg_size);
KSCAP_ENCODER(kscap_enc_msg_data);
KSCAP_ENCODER(kscap_enc_msg_data_ret);
KSCAP_ENCODER(kscap_enc_iov_size);
KSCAP_ENCODER(kscap_enc_iov_data);
KSCAP_ENCODER(kscap_enc_iov_data_ret);
KSCAP_ENCODER(kscap_enc_sockopt_val);
KSCAP_ENCODER(kscap_enc_sockopt_val_get);

#endif /* KSCAP_ENCODERS_H */
