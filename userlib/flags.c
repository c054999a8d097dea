// SPDX-License-Identifier: MIT
/*
 * Flag names for FLAGS8/16/32 and MODE parameters, and the types DYN
 * parameters select: one table per enum kscap_param_aux kind, built from
 * the rows of uapi/kscap_flags.h. A kind without rows prints as hex.
 */
#include <errno.h>
#include <pthread.h>
#include "internal.h"

static const struct {
	unsigned int aux;
	struct kscap_flag_name row;
} flag_rows[] = {
#define KSCAP_FLAG(table, name, value) \
	{ KSCAP_AUX_##table, { (uint32_t)(value), #name } },
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

static const struct {
	unsigned int aux, kind;
	uint32_t code_mask;
} flag_kinds[] = {
#define KSCAP_FLAG_KIND(table, kind, code_mask, unknown, keep_below) \
	{ KSCAP_AUX_##table, KSCAP_FLAG_KIND_##kind, (code_mask) },
#include "kscap_flags.h"
#undef KSCAP_FLAG_KIND
};

static const struct {
	unsigned int aux, index, type, fmt;
} dyn_rows[] = {
#define KSCAP_DYN(table, name, index, type, fmt) \
	{ KSCAP_AUX_##table, (index), KSCAP_PT_##type, KSCAP_PF_##fmt },
#include "kscap_flags.h"
#undef KSCAP_DYN
};

static struct kscap_flag_table builtin[KSCAP_AUX_MAX];
static const struct kscap_flag_table *override[KSCAP_AUX_MAX];
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* Each kind's rows in one run of an array, keeping the uapi's order
 * (which is what the printing rules rely on). */
static void build_builtin(void)
{
	static struct kscap_flag_name names[ARRAY_SIZE(flag_rows)];
	unsigned int aux, n = 0;
	size_t i;

	for (aux = 0; aux < KSCAP_AUX_MAX; aux++) {
		unsigned int first = n;

		for (i = 0; i < ARRAY_SIZE(flag_rows); i++)
			if (flag_rows[i].aux == aux)
				names[n++] = flag_rows[i].row;
		if (n == first)
			continue;
		builtin[aux].names = &names[first];
		builtin[aux].count = n - first;
		builtin[aux].kind = KSCAP_FLAG_KIND_BITS;
		for (i = 0; i < ARRAY_SIZE(flag_kinds); i++) {
			if (flag_kinds[i].aux == aux) {
				builtin[aux].kind = flag_kinds[i].kind;
				builtin[aux].code_mask = flag_kinds[i].code_mask;
			}
		}
	}
}

const struct kscap_flag_table *kscap__flag_table(unsigned int aux)
{
	if (aux >= KSCAP_AUX_MAX)
		return NULL;
	if (override[aux])
		return override[aux];
	pthread_once(&builtin_once, build_builtin);
	return builtin[aux].count ? &builtin[aux] : NULL;
}

void kscap__set_flag_table(unsigned int aux, const struct kscap_flag_table *t)
{
	if (aux < KSCAP_AUX_MAX)
		override[aux] = t;
}

/* Bits: rows in order, each whose bits are all set and not yet printed. */
static unsigned int put_bits(struct sbuf *sb, const struct kscap_flag_table *t,
			     uint32_t v, uint32_t skip_mask, unsigned int n)
{
	uint32_t done = 0;
	unsigned int i;

	for (i = 0; i < t->count; i++) {
		uint32_t f = t->names[i].value;

		if (!f || (f & skip_mask) || (v & f) != f || (done & f) == f)
			continue;
		if (n++)
			sb_putc(sb, '|');
		sb_puts(sb, t->names[i].name);
		done |= f;
	}
	v &= ~skip_mask & ~done;
	if (v)
		sb_printf(sb, n++ ? "|0x%x" : "0x%x", v);
	return n;
}

/* Values: the first row that equals. */
static bool put_value(struct sbuf *sb, const struct kscap_flag_table *t,
		      uint32_t v, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < t->count; i++) {
		if ((t->names[i].value & ~mask) == 0 && t->names[i].value == v) {
			sb_puts(sb, t->names[i].name);
			return true;
		}
	}
	return false;
}

void kscap__flags_str(struct sbuf *sb, const struct kscap_flag_table *t, uint32_t v)
{
	unsigned int i;

	switch (t->kind) {
	case KSCAP_FLAG_KIND_VALUES:
		if (!put_value(sb, t, v, 0xffffffffU))
			sb_printf(sb, "0x%x", v);
		return;
	case KSCAP_FLAG_KIND_MIXED:
		if (!put_value(sb, t, v & t->code_mask, t->code_mask))
			sb_printf(sb, "0x%x", v & t->code_mask);
		put_bits(sb, t, v, t->code_mask, 1);
		return;
	default:
		if (v == 0) {
			for (i = 0; i < t->count; i++) {
				if (t->names[i].value == 0) {
					sb_puts(sb, t->names[i].name);
					return;
				}
			}
			sb_putc(sb, '0');
			return;
		}
		put_bits(sb, t, v, 0, 0);
		return;
	}
}

int kscap__dyn_type(unsigned int aux, unsigned int idx, unsigned int *type,
		    unsigned int *fmt)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dyn_rows); i++) {
		if (dyn_rows[i].aux == aux && dyn_rows[i].index == idx) {
			*type = dyn_rows[i].type;
			*fmt = dyn_rows[i].fmt;
			return 0;
		}
	}
	return -EBADMSG;
}
