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
#elif defined(CONFIG_ARM64)
#define KSCAP_SYSCALL_TABLE	"kscap_syscalls_arm64.h"
#define KSCAP_ARCH_MACHINE	EM_AARCH64
#else
#error "kscap: x86_64 and arm64 only (uapi/kscap_syscalls_<arch>.h)"
#endif

/* asm-generic architectures (arm64) have clone but no vfork: no number. */
#ifdef __NR_vfork
#define KSCAP_NR_VFORK		__NR_vfork
#else
#define KSCAP_NR_VFORK		(-1)
#endif

#endif /* KSCAP_ARCH_H */
