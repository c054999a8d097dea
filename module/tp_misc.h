/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events that do not come from a syscall: signal delivery, context
 * switches, user page faults and CPU hotplug (and, where a new task's
 * return passes no sys_exit, arch.h, the child's clone exit). The probes
 * (tp_misc.c) hand their fillers (fill_misc.c) what the tracepoint gave
 * them through kscap_ctx.extra, as one of the structs below.
 */
#ifndef KSCAP_TP_MISC_H
#define KSCAP_TP_MISC_H

#include <linux/types.h>

struct kernel_siginfo;
struct k_sigaction;
struct task_struct;
struct pt_regs;

/* signaldeliver: the signal and its siginfo (may be SEND_SIG_NOINFO). */
struct kscap_sig_data {
	int sig;
	const struct kernel_siginfo *info;
};

/* page_fault: the faulting address and the x86 error code. */
struct kscap_fault_data {
	unsigned long addr;
	unsigned long error;
};

/* cpu_hotplug: which CPU, and what happened to it. */
struct kscap_hotplug_data {
	u32 cpu;
	u32 action;
};

/* cpu_hotplug's action codes (the ABI's numbers). */
#define KSCAP_CPU_HOTPLUG_ONLINE	1
#define KSCAP_CPU_HOTPLUG_OFFLINE	2

/* Tracepoint probes, for probes.c's list. */
void kscap_tp_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			     struct k_sigaction *ka);
void kscap_tp_sched_switch(void *data, bool preempt, struct task_struct *prev,
			   struct task_struct *next, unsigned int prev_state);
void kscap_tp_page_fault_user(void *data, unsigned long address,
			      struct pt_regs *regs, unsigned long error_code);
void kscap_tp_process_fork(void *data, struct task_struct *parent,
			   struct task_struct *child);

/* The CPU hotplug callbacks, attached while capture runs. */
int kscap_hotplug_register(void);
void kscap_hotplug_unregister(void);

#endif /* KSCAP_TP_MISC_H */
