/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows architectures differ (compat.h is the one for
 * kernel versions): which uapi syscall table numbers this architecture's
 * calls, and the calls it lacks. Everything else stays free of #ifdef.
 */
#ifndef KSCAP_ARCH_H
#define KSCAP_ARCH_H

#include <linux/elf-em.h>
#include <linux/stddef.h>
#include <asm/ptrace.h>
#include <asm/unistd.h>

#if defined(CONFIG_X86_64)
#define KSCAP_SYSCALL_TABLE	"kscap_syscalls_x86_64.h"
#define KSCAP_ARCH_MACHINE	EM_X86_64
#define KSCAP_CHILD_SKIPS_SYS_EXIT	0
#elif defined(CONFIG_ARM64)
#define KSCAP_SYSCALL_TABLE	"kscap_syscalls_arm64.h"
#define KSCAP_ARCH_MACHINE	EM_AARCH64
#define KSCAP_CHILD_SKIPS_SYS_EXIT	1
#else
#error "kscap: x86_64 and arm64 only (uapi/kscap_syscalls_<arch>.h)"
#endif

/*
 * KSCAP_CHILD_SKIPS_SYS_EXIT: a new task's first return to user mode does
 * not pass the sys_exit tracepoint (arm64's ret_from_fork returns without
 * the syscall exit work; x86_64's runs it). There the child's clone exit
 * is written from sched_process_fork instead (tp_misc.c), and only there:
 * elsewhere it would be written twice.
 */

/*
 * Where argument @i (0-5) of a native syscall sits in its struct pt_regs,
 * as syscall_get_arguments() reads it; arm64's first is orig_x0, as x0
 * becomes the return value.
 */
static __always_inline unsigned int kscap_syscall_arg_off(unsigned int i)
{
	static const u16 off[6] = {
#if defined(CONFIG_X86_64)
		offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
		offsetof(struct pt_regs, dx), offsetof(struct pt_regs, r10),
		offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
#else
		offsetof(struct pt_regs, orig_x0), offsetof(struct pt_regs, regs[1]),
		offsetof(struct pt_regs, regs[2]), offsetof(struct pt_regs, regs[3]),
		offsetof(struct pt_regs, regs[4]), offsetof(struct pt_regs, regs[5]),
#endif
	};

	return off[i];
}

/*
 * Argument @i of the native syscall whose registers are @regs, read
 * alone: the fast paths read one or two arguments, not all six.
 */
static __always_inline unsigned long kscap_syscall_arg(const struct pt_regs *regs,
							unsigned int i)
{
	if (unlikely(i >= 6))
		return 0;
	return *(const unsigned long *)((const u8 *)regs + kscap_syscall_arg_off(i));
}

/* asm-generic architectures (arm64) have clone but no fork nor vfork. */
#ifdef __NR_fork
#define KSCAP_NR_FORK		__NR_fork
#else
#define KSCAP_NR_FORK		(-1)
#endif
#ifdef __NR_vfork
#define KSCAP_NR_VFORK		__NR_vfork
#else
#define KSCAP_NR_VFORK		(-1)
#endif

#endif /* KSCAP_ARCH_H */
