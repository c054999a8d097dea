/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSCAP_FLAGS_H
#define KSCAP_FLAGS_H

#include <linux/types.h>
#include "kscap.h"

/* The ABI's flag values, as KSCAP_ABI_<TABLE>_<NAME>. */
enum {
#define KSCAP_FLAG(table, name, value) KSCAP_ABI_##table##_##name = (value),
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

/*
 * Translate a kernel flag word into the ABI's bits for flag table @table
 * (an enum kscap_param_aux). Bits the ABI has no name for are dropped.
 */
u32 kscap_flags_to_abi(unsigned int table, u64 raw);

#endif /* KSCAP_FLAGS_H */
