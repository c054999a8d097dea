/* SPDX-License-Identifier: MIT */
/* What the libFuzzer targets share: formatting a parsed event every way. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>
#include "kscap/libkscap.h"

/*
 * Everything a consumer does with an event: its name, return value, every
 * parameter as text and JSON, the whole event into a large and into a
 * small buffer (@small, 0..255, exercises the snprintf-like truncation),
 * and the thread table's update.
 */
static inline void fuzz_use_event(const struct kscap_evt *evt, size_t small,
				  struct kscap_threads *t)
{
	static char big[1 << 18];
	char tiny[256];
	int64_t ret;
	unsigned int i;

	(void)kscap_evt_name(evt);
	(void)kscap_evt_dir(evt);
	(void)kscap_evt_ret(evt, &ret);
	(void)kscap_evt_param(evt, "res");
	for (i = 0; i < evt->nparams; i++) {
		int64_t v;

		(void)kscap_param_int(&evt->params[i], &v);
		(void)kscap_param_format(evt, i, big, sizeof(big), 0);
		(void)kscap_param_format(evt, i, big, sizeof(big), KSCAP_FMT_JSON);
		(void)kscap_param_format(evt, i, tiny, small % sizeof(tiny), 0);
	}
	(void)kscap_evt_format(evt, big, sizeof(big), 0);
	(void)kscap_evt_format(evt, big, sizeof(big), KSCAP_FMT_JSON);
	(void)kscap_evt_format(evt, tiny, small % sizeof(tiny), KSCAP_FMT_JSON);
	(void)kscap_evt_format(evt, tiny, small % sizeof(tiny), 0);
	if (t)
		(void)kscap_threads_update(t, evt);
}

#endif
