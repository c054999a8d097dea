/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows kernel versions differ. Everything else calls
 * these and stays free of #if.
 */
#ifndef KSCAP_COMPAT_H
#define KSCAP_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <net/genetlink.h>

/* 6.3 made vm_flags read-only and added accessors. */
static inline void kscap_vma_forbid_write(struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
#else
	vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYWRITE);
#endif
}

/*
 * Keep a mapping out of fork()ed children (perf does the same): a child
 * would otherwise hold the device open through it, unseen by the consumer.
 */
static inline void kscap_vma_dontcopy(struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	vma->vm_flags |= VM_DONTCOPY;
#else
	vm_flags_set(vma, VM_DONTCOPY);
#endif
}

/*
 * 6.2 made the RSS counters per-CPU: a plain read lags by up to a batch
 * per CPU, so a small process just forked reads 0. Sum them (a raw
 * spinlock, fine in any context but NMI); before, they are one atomic.
 */
static inline unsigned long kscap_mm_counter(struct mm_struct *mm, int member)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return get_mm_counter(mm, member);
#else
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#endif
}

static inline unsigned long kscap_mm_rss(struct mm_struct *mm)
{
	return kscap_mm_counter(mm, MM_FILEPAGES) +
	       kscap_mm_counter(mm, MM_ANONPAGES) +
	       kscap_mm_counter(mm, MM_SHMEMPAGES);
}

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

/*
 * 6.9 added BPF_TOKEN_CREATE, a bpf() command that makes an fd; before,
 * no command has this value (expand where <uapi/linux/bpf.h> is included).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define KSCAP_BPF_TOKEN_CREATE	BPF_TOKEN_CREATE
#else
#define KSCAP_BPF_TOKEN_CREATE	(-1)
#endif

/*
 * A multicast group only CAP_SYS_ADMIN may join: the group flag came with
 * 6.8 and stable 6.1.y/6.6.y in 2024 (Debian's 6.1 and 6.12 have it).
 * Without it any local user could listen, so refuse to build.
 */
#ifdef GENL_MCAST_CAP_SYS_ADMIN
#define KSCAP_GENL_MCAST_SYS_ADMIN	GENL_MCAST_CAP_SYS_ADMIN
#else
#error "kscap: this kernel cannot restrict a genetlink multicast group to CAP_SYS_ADMIN (GENL_MCAST_CAP_SYS_ADMIN)"
#endif

#endif /* KSCAP_COMPAT_H */
