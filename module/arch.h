/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows architectures differ (compat.h is the one for
 * kernel versions): which uapi syscall table numbers this architecture's
 * calls, and the calls it lacks. Everything else stays free of #ifdef.
 */
#ifndef KSCAP_ARCH_H
#define KSCAP_ARCH_H

#include <linux/elf-em.h>
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
