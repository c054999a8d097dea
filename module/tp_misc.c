// SPDX-License-Identifier: GPL-2.0
/*
 * Probes of the events that do not come from a syscall. Each turns what
 * its hook was given into a context and calls kscap_emit(), which keeps
 * the emitting CPU's ring rules (one writer at a time, nesting dropped).
 *
 * Where they run:
 * - signal_deliver: in get_signal(), with the sighand lock held and
 *   interrupts off.
 * - sched_switch: inside __schedule(), with the runqueue lock held. Only
 *   lock-free reads and the ring write happen here: nothing that takes a
 *   lock, wakes a task or could call back into the scheduler.
 * - page_fault_user: at the start of the x86 fault handler, interrupts
 *   off, for faults taken in user mode only. A fault inside one of our own
 *   probes (a nofault user copy) is a kernel-mode fault, which fires
 *   page_fault_kernel instead, not hooked: so this probe never runs inside
 *   another of ours. Should it ever, kscap_emit() drops it (drops_nested).
 * - sched_process_fork (arm64 only, arch.h): in kernel_clone(), in the
 *   parent, once the child is complete and before it first runs.
 * - the CPU hotplug callbacks: process context, on the CPU that comes up
 *   or goes down.
 * sched_switch and page_fault_user are attached only while their event is
 * in the mask (probes.c), so they cost nothing by default.
 */
#include <linux/cpuhotplug.h>
#include <linux/cpu.h>
#include <linux/sched.h>
#include <linux/compat.h>
#include <asm/syscall.h>
#include "kscap_core.h"
#include "tp_misc.h"
#include "arch.h"

void kscap_tp_signal_deliver(void *data, int sig, struct kernel_siginfo *info,
			     struct k_sigaction *ka)
{
	struct kscap_sig_data sd = { .sig = sig, .info = info };
	struct kscap_ctx ctx = { .extra = &sd };

	kscap_emit(KSCAP_EV_SIGNALDELIVER_E, &ctx);
}

/* prev is current: the event is written as prev's, naming next. */
void kscap_tp_sched_switch(void *data, bool preempt, struct task_struct *prev,
			   struct task_struct *next, unsigned int prev_state)
{
	struct kscap_ctx ctx = { .task = next };

	kscap_emit(KSCAP_EV_SWITCH_E, &ctx);
}

void kscap_tp_page_fault_user(void *data, unsigned long address,
			      struct pt_regs *regs, unsigned long error_code)
{
	struct kscap_fault_data fd = { .addr = address, .error = error_code };
	struct kscap_ctx ctx = { .regs = regs, .extra = &fd };

	kscap_emit(KSCAP_EV_PAGE_FAULT_E, &ctx);
}

/*
 * The child's clone exit, where the child's return from the call passes
 * no sys_exit (arch.h): written now, from the parent's call (the row of
 * clone, clone3, fork or vfork its number picks, its flags read from the
 * parent's arguments as the child's would be) with the child's values.
 * Only a user task's clone family call makes one: not kernel threads, nor
 * io_uring's workers (created inside other calls, they never return to
 * user mode), nor 32-bit tasks' calls, which are counted, not decoded.
 */
void kscap_tp_process_fork(void *data, struct task_struct *parent,
			   struct task_struct *child)
{
	struct kscap_ctx ctx = { .task = child };
	long nr;

	if ((current->flags & PF_KTHREAD) || (child->flags & (PF_KTHREAD | PF_IO_WORKER)) ||
	    in_compat_syscall())
		return;
	ctx.regs = task_pt_regs(current);
	nr = syscall_get_nr(current, ctx.regs);
	if (nr != __NR_clone && nr != __NR_clone3 && nr != KSCAP_NR_FORK &&
	    nr != KSCAP_NR_VFORK)
		return;
	ctx.nr = nr;
	kscap_emit(kscap_syscalls[nr].enter + 1, &ctx);
}

static void kscap_hotplug_emit(unsigned int cpu, u32 action)
{
	struct kscap_hotplug_data hd = { .cpu = cpu, .action = action };
	struct kscap_ctx ctx = { .extra = &hd };

	kscap_emit(KSCAP_EV_CPU_HOTPLUG_E, &ctx);
}

static int kscap_cpu_online(unsigned int cpu)
{
	kscap_hotplug_emit(cpu, KSCAP_CPU_HOTPLUG_ONLINE);
	return 0;
}

static int kscap_cpu_offline(unsigned int cpu)
{
	kscap_hotplug_emit(cpu, KSCAP_CPU_HOTPLUG_OFFLINE);
	return 0;
}

/* The dynamic state cpuhp gave us; 0 while not attached. */
static int kscap_hp_state;

/*
 * Called with the control lock held. The callbacks take no lock of ours,
 * so cpuhp's own locks never wait on it.
 */
int kscap_hotplug_register(void)
{
	int ret;

	if (kscap_hp_state > 0)
		return 0;
	/* _nocalls: attaching must not fake events for CPUs already up. */
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "kscap:online",
					kscap_cpu_online, kscap_cpu_offline);
	if (ret < 0)
		return ret;
	kscap_hp_state = ret;
	return 0;
}

void kscap_hotplug_unregister(void)
{
	if (kscap_hp_state <= 0)
		return;
	/* Returns once no callback of ours is running or will run. */
	cpuhp_remove_state_nocalls(kscap_hp_state);
	kscap_hp_state = 0;
}
