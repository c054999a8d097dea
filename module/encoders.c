// SPDX-License-Identifier: GPL-2.0
/*
 * The encoder table: recipe sources that need code of their own, by
 * enum kscap_encoder. An encoder left NULL keeps every recipe that uses
 * it out of service, so its syscalls stay generic events rather than
 * events with made-up parameters.
 */
#include <linux/fcntl.h>
#include "recipe.h"
#include "encoders.h"
#include "flags.h"

/*
 * An argument only some of a row's calls take (a flag-less and a
 * flag-taking version share an event): the uapi syscall table's
 * KSCAP_SYSCALL_ARGS line says which do; 0 from the others.
 */
static void enc_opt_arg(struct kscap_event_writer *w, const struct kscap_ctx *c,
			const unsigned long *args,
			const struct kscap_param_info *pi,
			const struct kscap_src *s)
{
	kscap_put_int(w, pi->type, kscap_row_arg(c, s->b));
}

/* open's mode means something only when the call may create a file. */
static void enc_open_mode(struct kscap_event_writer *w, const struct kscap_ctx *c,
			  const unsigned long *args,
			  const struct kscap_param_info *pi,
			  const struct kscap_src *s)
{
	u64 flags = s->b == KSCAP_ARG_CREAT ? O_CREAT : args[s->b];

	kscap_put_int(w, pi->type, kscap_open_mode_to_abi(flags, args[s->c]));
}

static void enc_sockopt_name(struct kscap_event_writer *w, const struct kscap_ctx *c,
			     const unsigned long *args,
			     const struct kscap_param_info *pi,
			     const struct kscap_src *s)
{
	kscap_put_int(w, pi->type,
		      kscap_sockopt_optname_to_abi(args[s->b], args[s->c]));
}

const kscap_encoder_t kscap_encoders[KSCAP_ENC_NR] = {
	[KSCAP_ENC_OPT_ARG] = enc_opt_arg,
	[KSCAP_ENC_OPEN_MODE] = enc_open_mode,
	[KSCAP_ENC_SOCKOPT_NAME] = enc_sockopt_name,
	[KSCAP_ENC_FDLIST] = kscap_enc_fdlist,
	[KSCAP_ENC_FDLIST_REVENTS] = kscap_enc_fdlist_revents,
	[KSCAP_ENC_SIGSET] = kscap_enc_sigset,
	[KSCAP_ENC_PTRACE_ADDR] = kscap_enc_ptrace_addr,
	[KSCAP_ENC_PTRACE_DATA] = kscap_enc_ptrace_data,
	[KSCAP_ENC_BPF_RES] = kscap_enc_bpf_res,
	[KSCAP_ENC_QUOTACTL] = kscap_enc_quotactl,
	[KSCAP_ENC_SEMBUF] = kscap_enc_sembuf,
	[KSCAP_ENC_SOCKADDR] = kscap_enc_sockaddr,
	[KSCAP_ENC_TUPLE] = kscap_enc_tuple,
	[KSCAP_ENC_TUPLE_FROM] = kscap_enc_tuple_from,
	[KSCAP_ENC_TUPLE_IN_MSG] = kscap_enc_tuple_in_msg,
	[KSCAP_ENC_TUPLE_TO] = kscap_enc_tuple_to,
	[KSCAP_ENC_TUPLE_MSG] = kscap_enc_tuple_msg,
	[KSCAP_ENC_TUPLE_RET] = kscap_enc_tuple_ret,
	[KSCAP_ENC_ACCEPT_QUEUE] = kscap_enc_accept_queue,
	[KSCAP_ENC_SOCK_ID] = kscap_enc_sock_id,
	[KSCAP_ENC_MSG_SIZE] = kscap_enc_msg_size,
	[KSCAP_ENC_MSG_DATA] = kscap_enc_msg_data,
	[KSCAP_ENC_MSG_DATA_RET] = kscap_enc_msg_data_ret,
	[KSCAP_ENC_IOV_SIZE] = kscap_enc_iov_size,
	[KSCAP_ENC_IOV_DATA] = kscap_enc_iov_data,
	[KSCAP_ENC_IOV_DATA_RET] = kscap_enc_iov_data_ret,
	[KSCAP_ENC_SOCKOPT_VAL] = kscap_enc_sockopt_val,
	[KSCAP_ENC_SOCKOPT_VAL_GET] = kscap_enc_sockopt_val_get,
};
