/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The event table as data: what each event type is called, which category
 * it belongs to and what its parameters are. The module and libkscap each
 * instantiate it once with KSCAP_EVENT_TABLE_ROWS, so both read the same
 * rows from kscap_event_table.h.
 */
#ifndef _UAPI_KSCAP_EVENT_INFO_H
#define _UAPI_KSCAP_EVENT_INFO_H

#include "kscap.h"

struct kscap_param_info {
	const char *name;
	__u8 type;		/* enum kscap_param_type */
	__u8 fmt;		/* enum kscap_print_fmt */
	__u8 aux;		/* enum kscap_param_aux */
};

struct kscap_event_info {
	const char *name;	/* NULL: no such event type */
	__u16 category;		/* enum kscap_category */
	__u16 flags;		/* KSCAP_EF_* */
	__u8 nparams;
	struct kscap_param_info params[KSCAP_MAX_PARAMS];
};

#define KSCAP_P(n, t, f, a) \
	{ .name = (n), .type = KSCAP_PT_##t, .fmt = KSCAP_PF_##f, .aux = KSCAP_AUX_##a }

/* Use as: const struct kscap_event_info tbl[KSCAP_EV_MAX] = { KSCAP_EVENT_TABLE_ROWS }; */
#define KSCAP_EV(id, num, nm, cat, fl, np, ...)			\
	[num] = { .name = (nm), .category = (cat), .flags = (fl),	\
		  .nparams = (np), .params = { __VA_ARGS__ } },
#define KSCAP_EVENT_TABLE_ROWS "kscap_event_table.h"

/*
 * kscap's extension of a reference row (kscap.h, section 5): the generic
 * exit, syscall(SYSCALLID ID), carries one parameter more, the syscall's
 * return value, at index KSCAP_GENERIC_X_RES. Files and rings hold
 * generic exits of either length: a reader takes both (the reference
 * length from other writers, KSCAP_GENERIC_X_NPARAMS from kscap's module).
 */
#define KSCAP_GENERIC_X_RES		1
#define KSCAP_GENERIC_X_NPARAMS		2
#define KSCAP_GENERIC_X_RES_PARAM	KSCAP_P("res", ERRNO, DEC, NONE)

#endif /* _UAPI_KSCAP_EVENT_INFO_H */
