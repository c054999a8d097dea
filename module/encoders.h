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
