// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint probes. Each probe turns its tracepoint into a context and
 * an event type and calls kscap_emit(); nothing here may sleep or fault.
 */
#include <linux/tracepoint.h>
#include <linux/sched.h>
#include <linux/compat.h>
#include <asm/syscall.h>
#include "kscap_core.h"
#include "emit.h"
#include "tp_misc.h"
#include "arch.h"

/*
 * A 32-bit process's call (i386 numbering): the events of the x86_64 call
 * that does the same, or a count when there is none (syscalls_ia32.c).
 * Its arguments are always given to the fillers: the native fast paths
 * read the x86_64 registers (kscap_syscall_arg()), not the i386 ones.
 */
static noinline void kscap_sys_ia32(struct pt_regs *regs, long nr, long ret, bool exit)
{
	struct kscap_ctx ctx = { .regs = regs, .ret = ret };
	struct kscap_ia32_call call;

	if (!kscap_ia32_translate(regs, nr, &call)) {
		kscap_count_untranslated();
		return;
	}
	if (call.enter == KSCAP_EV_GENERIC_E) {
		kscap_emit_generic(call.enter + exit, call.x64, ret);
		return;
	}
	if (!call.args_set)
		syscall_get_arguments(current, regs, call.args);
	ctx.nr = call.x64;
	ctx.args = call.args;
	kscap_emit(call.enter + exit, &ctx);
}

/*
 * The syscall probes, the hottest code of the module: a generic event is
 * written inline, here, with no context on the stack (nor the stack
 * protector's canary that would come with it); a row of its own goes to
 * kscap_emit_sys(). The call's line of kscap_syscalls is read once, for
 * its row and its scap code alike.
 */
static void kscap_sys_enter(void *data, struct pt_regs *regs, long nr)
{
	struct kscap_syscall sc;

	/* Not a hit: capture has not begun, or has ended. */
	if (unlikely(!READ_ONCE(kscap_cfg.on)))
		return;
	if (unlikely(in_compat_syscall())) {
		kscap_sys_ia32(regs, nr, 0, false);
		return;
	}
	if (unlikely((unsigned long)nr >= KSCAP_NR_SYSCALLS))
		return;
	sc = kscap_syscalls[nr];
	if (sc.enter != KSCAP_EV_GENERIC_E) {
		kscap_emit_sys(sc.enter, regs, nr, 0);
		return;
	}
	kscap_tp_begin();
	kscap_write_generic(KSCAP_EV_GENERIC_E, nr, 0, sc.sc_code);
	kscap_tp_end();
}

static void kscap_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	struct kscap_syscall sc;
	long nr;

	if (unlikely(!READ_ONCE(kscap_cfg.on)))
		return;
	nr = syscall_get_nr(current, regs);
	if (unlikely(in_compat_syscall())) {
		kscap_sys_ia32(regs, nr, ret, true);
		return;
	}
	if (unlikely((unsigned long)nr >= KSCAP_NR_SYSCALLS))
		return;
	sc = kscap_syscalls[nr];
	if (sc.enter != KSCAP_EV_GENERIC_E) {
		kscap_emit_sys(sc.enter + 1, regs, nr, ret);
		return;
	}
	kscap_tp_begin();
	kscap_write_generic(KSCAP_EV_GENERIC_X, nr, ret, sc.sc_code);
	kscap_tp_end();
}

static void kscap_process_exit(void *data, struct task_struct *p)
{
	struct kscap_ctx ctx = { .task = p };

	kscap_emit(KSCAP_EV_PROCEXIT_E, &ctx);
}

struct kscap_probe {
	const char *name;
	void *func;
	struct tracepoint *tp;
	bool registered;
	/* Nonzero: an opt-in event's probe, attached only while in the mask. */
	u16 gate;
};

static struct kscap_probe kscap_probes[] = {
	{ .name = "sys_enter", .func = kscap_sys_enter },
	{ .name = "sys_exit", .func = kscap_sys_exit },
	{ .name = "sched_process_exit", .func = kscap_process_exit },
#if KSCAP_CHILD_SKIPS_SYS_EXIT
	{ .name = "sched_process_fork", .func = kscap_tp_process_fork },
#endif
	{ .name = "signal_deliver", .func = kscap_tp_signal_deliver },
	{ .name = "sched_switch", .func = kscap_tp_sched_switch,
	  .gate = KSCAP_EV_SWITCH_E },
#ifdef CONFIG_X86
	{ .name = "page_fault_user", .func = kscap_tp_page_fault_user,
	  .gate = KSCAP_EV_PAGE_FAULT_E },
#endif
};

static void kscap_find_tracepoint(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscap_probes); i++)
		if (!strcmp(tp->name, kscap_probes[i].name))
			kscap_probes[i].tp = tp;
}

int kscap_probes_register(void)
{
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(kscap_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(kscap_probes); i++) {
		struct kscap_probe *p = &kscap_probes[i];

		if (p->gate && !test_bit(p->gate, kscap_cfg.mask))
			continue;
		if (!p->tp) {
			pr_err("kscap: tracepoint %s not found\n", p->name);
			err = -ENOENT;
			goto fail;
		}
		err = tracepoint_probe_register(p->tp, p->func, NULL);
		if (err) {
			pr_err("kscap: cannot attach to %s: %d\n", p->name, err);
			goto fail;
		}
		p->registered = true;
	}
	err = kscap_hotplug_register();
	if (err) {
		pr_err("kscap: cannot attach to CPU hotplug: %d\n", err);
		goto fail;
	}
	return 0;
fail:
	kscap_probes_unregister();
	return err;
}

void kscap_probes_unregister(void)
{
	unsigned int i;

	kscap_hotplug_unregister();
	for (i = 0; i < ARRAY_SIZE(kscap_probes); i++) {
		struct kscap_probe *p = &kscap_probes[i];

		if (p->registered)
			WARN_ON(tracepoint_probe_unregister(p->tp, p->func, NULL));
		p->registered = false;
	}
	/* No probe is running, or will run, once this returns. */
	tracepoint_synchronize_unregister();
}

/*
 * While capture runs, attach or detach the opt-in probes as the mask now
 * says (the control lock is held). A probe that lingers a moment after
 * its detach finds its event masked off, so it writes nothing.
 */
int kscap_probes_sync(void)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(kscap_probes); i++) {
		struct kscap_probe *p = &kscap_probes[i];
		bool want = p->gate && test_bit(p->gate, kscap_cfg.mask);
		int e;

		if (!p->gate || want == p->registered)
			continue;
		if (!want) {
			WARN_ON(tracepoint_probe_unregister(p->tp, p->func, NULL));
			p->registered = false;
			continue;
		}
		e = p->tp ? tracepoint_probe_register(p->tp, p->func, NULL) : -ENOENT;
		if (e) {
			pr_err("kscap: cannot attach to %s: %d\n", p->name, e);
			err = e;
			continue;
		}
		p->registered = true;
	}
	return err;
}
