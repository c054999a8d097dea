// SPDX-License-Identifier: GPL-2.0
/*
 * Which rows take the fixed-layout path (fixed.h), and their layouts:
 * derived at load time from the event table's parameter types and the
 * rows' recipes, so a row changed in either is re-derived, or left to
 * the recipe, without an edit here.
 */
#include "fixed.h"

/*
 * Parameter @pi as a fixed-layout field from its recipe source @s;
 * false if the source needs more than the registers (user memory other
 * than a BYTEBUF of a length they give, a file, an encoder) or the type
 * is not what the source writes.
 */
static bool kscap_fixed_param_of(const struct kscap_param_info *pi,
				 const struct kscap_src *s,
				 struct kscap_fixed_param *fp)
{
	memset(fp, 0, sizeof(*fp));
	if (s->op == KSCAP_S_DATA_RET || s->op == KSCAP_S_DATA_ARG) {
		if (pi->type != KSCAP_PT_BYTEBUF || s->a >= 6 || s->b >= 6)
			return false;
		fp->src = s->op == KSCAP_S_DATA_RET ? KSCAP_FX_DATA_RET : KSCAP_FX_DATA_ARG;
		fp->arg = s->a;
		fp->conv = s->b;
		fp->regoff = kscap_syscall_arg_off(s->a);
		return true;
	}
	fp->size = kscap_type_size(pi->type);
	if (!fp->size)
		return false;
	switch (s->op) {
	case KSCAP_S_RET:
		fp->src = KSCAP_FX_RET;
		return true;
	case KSCAP_S_CONST:
		fp->src = KSCAP_FX_CONST;
		fp->arg = s->a;
		return true;
	case KSCAP_S_ARG:
		fp->conv = kscap_arg_conv(pi);
		fp->aux = pi->aux;
		break;
	case KSCAP_S_ARG_U32:
		fp->conv = KSCAP_CONV_U32;
		break;
	case KSCAP_S_ARG_S32:
		fp->conv = KSCAP_CONV_S32;
		break;
	default:
		return false;
	}
	if (s->a >= 6)
		return false;
	fp->src = KSCAP_FX_ARG;
	fp->arg = s->a;
	fp->regoff = kscap_syscall_arg_off(s->a);
	return true;
}

/* The conversions that are calls, out of the fast path's loop. */
s64 kscap_fixed_conv(u8 conv, u8 aux, unsigned long v)
{
	return kscap_conv(conv, aux, v);
}

static void kscap_fixed_build(u16 type)
{
	const struct kscap_event_info *info = &kscap_event_table[type];
	struct kscap_event_ops *ops = &kscap_ops[type];
	struct kscap_fixed_param fx[KSCAP_FIXED_MAX_PARAMS];
	const struct kscap_src *s = kscap_recipe_serving(type);
	u32 len = KSCAP_HDR_LEN + info->nparams * KSCAP_PARAM_LEN_SIZE;
	bool args = false, data = false;
	unsigned int i;

	ops->fixed_len = 0;
	if (!ops->fill || info->nparams > KSCAP_FIXED_MAX_PARAMS)
		return;
	/* A row without parameters is its header, whoever fills it. */
	if (!s && info->nparams)
		return;
	for (i = 0; i < info->nparams; i++) {
		if (!kscap_fixed_param_of(&info->params[i], &s[i], &fx[i]))
			return;
		data = fx[i].src == KSCAP_FX_DATA_RET || fx[i].src == KSCAP_FX_DATA_ARG;
		/* User data only last: its length is the one that varies. */
		if (data && i != info->nparams - 1U)
			return;
		args |= fx[i].src != KSCAP_FX_RET && fx[i].src != KSCAP_FX_CONST;
		len += fx[i].size;
	}
	memcpy(ops->fixed, fx, sizeof(fx[0]) * info->nparams);
	ops->fixed_args = args;
	ops->fixed_data = data;
	ops->fixed_len = len;
}

void kscap_fixed_init(void)
{
	unsigned int t;

	for (t = 0; t < KSCAP_EV_MAX; t++)
		kscap_fixed_build(t);
	/* Written by kscap_emit_generic(), not by kscap_emit(). */
	kscap_ops[KSCAP_EV_GENERIC_E].fixed_len = 0;
	kscap_ops[KSCAP_EV_GENERIC_X].fixed_len = 0;
}
