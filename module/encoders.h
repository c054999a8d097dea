/* SPDX-License-Identifier: GPL-2.0 */
/* Encoders that live in files of their own, by family. */
#ifndef KSCAP_ENCODERS_H
#define KSCAP_ENCODERS_H

#include "recipe.h"

#define KSCAP_ENCODER(name)						\
	void name(struct kscap_writer *w, const struct kscap_ctx *c,	\
		  const unsigned long *args,				\
		  const struct kscap_param_info *pi,			\
		  const struct kscap_src *s)

#endif /* KSCAP_ENCODERS_H */
