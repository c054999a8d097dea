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
 * Kernel values to the ABI's, for the tables of uapi/kscap_flags.h; @table
 * is an enum kscap_param_aux. @raw is the syscall argument as its C type
 * sees it (cast an int argument to u32 or int first, as the kernel would).
 * Safe in any context: no locks, no allocation, a loop over a const table.
 *
 * kscap_flags_to_abi()  for BITS tables: every kernel bit the table has a
 *                       row for, in the ABI's bits; other bits are dropped.
 * kscap_value_to_abi()  for VALUES and MIXED tables: the ABI's code for the
 *                       kernel's, or the table's unknown value (see
 *                       KSCAP_FLAG_KIND in kscap_flags.h), plus for MIXED
 *                       tables (futex op) the flag bits.
 * Either accepts any table and does what the table's kind needs, so a
 * call site that picks the wrong one still gets the right answer.
 *
 * Special inputs: MOUNT_FLAGS takes mount()'s flags as passed (the
 * legacy magic number is removed here); QUOTACTL_CMDS and QUOTACTL_TYPES
 * both take quotactl()'s whole cmd argument; PF_FLAGS takes the x86 page
 * fault error code; EXECVE_FLAGS has no kernel counterpart (always 0).
 */
u32 kscap_flags_to_abi(unsigned int table, u64 raw);
u32 kscap_value_to_abi(unsigned int table, u64 raw);

/*
 * Whether @aux names a table of uapi/kscap_flags.h: the DIRFD auxes and
 * NONE say something else about a parameter.
 */
bool kscap_aux_is_table(unsigned int aux);

/* getsockopt/setsockopt optname: only SOL_SOCKET options have ABI codes. */
u32 kscap_sockopt_optname_to_abi(int level, int optname);

/* A file mode's permission bits (S_IFMT dropped), for MODE parameters. */
u32 kscap_mode_to_abi(u64 mode);

/*
 * open/openat/openat2's mode, which only means something when the call
 * may create a file (O_CREAT or O_TMPFILE); 0 otherwise.
 */
u32 kscap_open_mode_to_abi(u64 flags, u64 mode);

#endif /* KSCAP_FLAGS_H */
