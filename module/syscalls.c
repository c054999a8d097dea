// SPDX-License-Identifier: GPL-2.0
/*
 * Which event each x86_64 syscall becomes. A syscall with no row below
 * becomes the generic event, named by its scap syscall code and its
 * native number.
 */
#include <linux/kernel.h>
#include <asm/unistd.h>
#include "kscap_core.h"

struct kscap_syscall kscap_syscalls[KSCAP_NR_SYSCALLS] __read_mostly;

/* scap syscall codes, from the uapi syscall table */
static const u16 kscap_sc_codes[KSCAP_NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, sig) [nr] = (code),
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

/* Syscalls with an event of their own: number and enter event type. */
static const struct {
	u16 nr;
	u16 enter;
} kscap_syscall_events[] = {
	{ __NR_clone, KSCAP_EV_CLONE_E },
	{ __NR_clone3, KSCAP_EV_CLONE_E },
	{ __NR_fork, KSCAP_EV_FORK_E },
	{ __NR_vfork, KSCAP_EV_VFORK_E },
	{ __NR_execve, KSCAP_EV_EXECVE_E },
	{ __NR_execveat, KSCAP_EV_EXECVE_E },
};

void kscap_syscalls_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(__NR_syscalls > KSCAP_NR_SYSCALLS);
	for (i = 0; i < KSCAP_NR_SYSCALLS; i++) {
		kscap_syscalls[i].enter = KSCAP_EV_GENERIC_E;
		kscap_syscalls[i].sc_code = kscap_sc_codes[i];
	}
	for (i = 0; i < ARRAY_SIZE(kscap_syscall_events); i++) {
		u16 enter = kscap_syscall_events[i].enter;

		/* Both halves must exist, or the syscall stays generic. */
		if (kscap_ops[enter].fill && kscap_ops[enter + 1].fill)
			kscap_syscalls[kscap_syscall_events[i].nr].enter = enter;
	}
}
