// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel flag bits to ABI flag bits. One table of (kernel bit, ABI bit)
 * pairs per flag kind, one loop to apply any of them.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include "flags.h"

struct kscap_flag_map {
	u64 kernel;
	u32 abi;
};

#define MAP(table, name) { name, KSCAP_ABI_##table##_##name }

static const struct kscap_flag_map clone_map[] = {
	MAP(CLONE_FLAGS, CLONE_FILES), MAP(CLONE_FLAGS, CLONE_FS),
	MAP(CLONE_FLAGS, CLONE_IO), MAP(CLONE_FLAGS, CLONE_NEWIPC),
	MAP(CLONE_FLAGS, CLONE_NEWNET), MAP(CLONE_FLAGS, CLONE_NEWNS),
	MAP(CLONE_FLAGS, CLONE_NEWPID), MAP(CLONE_FLAGS, CLONE_NEWUTS),
	MAP(CLONE_FLAGS, CLONE_PARENT), MAP(CLONE_FLAGS, CLONE_PARENT_SETTID),
	MAP(CLONE_FLAGS, CLONE_PTRACE), MAP(CLONE_FLAGS, CLONE_SIGHAND),
	MAP(CLONE_FLAGS, CLONE_SYSVSEM), MAP(CLONE_FLAGS, CLONE_THREAD),
	MAP(CLONE_FLAGS, CLONE_UNTRACED), MAP(CLONE_FLAGS, CLONE_VM),
	MAP(CLONE_FLAGS, CLONE_NEWUSER), MAP(CLONE_FLAGS, CLONE_CHILD_CLEARTID),
	MAP(CLONE_FLAGS, CLONE_CHILD_SETTID), MAP(CLONE_FLAGS, CLONE_SETTLS),
	MAP(CLONE_FLAGS, CLONE_VFORK), MAP(CLONE_FLAGS, CLONE_NEWCGROUP),
};

struct kscap_flag_table {
	const struct kscap_flag_map *map;
	unsigned int n;
};

#define TABLE(aux, m) [KSCAP_AUX_##aux] = { m, ARRAY_SIZE(m) }

static const struct kscap_flag_table kscap_flag_tables[KSCAP_AUX_MAX] = {
	TABLE(CLONE_FLAGS, clone_map),
};

u32 kscap_flags_to_abi(unsigned int table, u64 raw)
{
	const struct kscap_flag_table *t;
	unsigned int i;
	u32 abi = 0;

	if (WARN_ON_ONCE(table >= KSCAP_AUX_MAX))
		return 0;
	t = &kscap_flag_tables[table];
	for (i = 0; i < t->n; i++)
		if (raw & t->map[i].kernel)
			abi |= t->map[i].abi;
	return abi;
}
