// SPDX-License-Identifier: GPL-2.0
/*
 * The encoder table: recipe sources that need code of their own, by
 * enum kscap_encoder. An encoder left NULL keeps every recipe that uses
 * it out of service, so its syscalls stay generic events rather than
 * events with made-up parameters.
 */
#include <linux/fcntl.h>
#include <asm/unistd.h>
#include "recipe.h"
#include "encoders.h"
#include "flags.h"

/*
 * Syscalls that come in a flag-less and a flag-taking version share an
 * event; only the second has the flags argument.
 */
static void enc_flags_if(struct kscap_writer *w, const struct kscap_ctx *c,
			 const unsigned long *args,
			 const struct kscap_param_info *pi,
			 const struct kscap_src *s)
{
	bool has_flags;

	switch (c->nr) {
	case __NR_eventfd2:
	case __NR_signalfd4:
	case __NR_inotify_init1:
		has_flags = true;
		break;
	default:
		has_flags = false;
	}
	kscap_put_int(w, pi->type, has_flags ? args[s->b] : 0);
}

/* open's mode means something only when the call may create a file. */
static void enc_open_mode(struct kscap_writer *w, const struct kscap_ctx *c,
			  const unsigned long *args,
			  const struct kscap_param_info *pi,
			  const struct kscap_src *s)
{
	u64 flags = s->b == KSCAP_ARG_CREAT ? O_CREAT : args[s->b];

	kscap_put_int(w, pi->type, kscap_open_mode_to_abi(flags, args[s->c]));
}

static void enc_sockopt_name(struct kscap_writer *w, const struct kscap_ctx *c,
			     const unsigned long *args,
			     const struct kscap_param_info *pi,
			     const struct kscap_src *s)
{
	kscap_put_int(w, pi->type,
		      kscap_sockopt_optname_to_abi(args[s->b], args[s->c]));
}

const kscap_encoder_t kscap_encoders[KSCAP_ENC_NR] = {
	[KSCAP_ENC_FLAGS_IF] = enc_flags_if,
	[KSCAP_ENC_OPEN_MODE] = enc_open_mode,
	[KSCAP_ENC_SOCKOPT_NAME] = enc_sockopt_name,
};
