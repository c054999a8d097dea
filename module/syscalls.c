// SPDX-License-Identifier: GPL-2.0
/*
 * Which event each native syscall becomes: the row column of this
 * architecture's uapi syscall table (module/arch.h picks it). A syscall
 * whose row is GENERIC, or has no line, becomes the generic event, named
 * by its scap syscall code and its native number.
 */
#include <linux/kernel.h>
#include "kscap_core.h"
#include "arch.h"
#include "fillers.h"
#include "recipe.h"

struct kscap_syscall kscap_syscalls[KSCAP_NR_SYSCALLS] __read_mostly;

/* The table's rows and scap syscall codes; no line: generic, code 0. */
static const struct kscap_syscall kscap_syscall_table[KSCAP_NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) \
	[nr] = { .enter = KSCAP_EV_##row##_E, .sc_code = (code) },
#include KSCAP_SYSCALL_TABLE
#undef KSCAP_SYSCALL
};

/* The calls whose arguments sit elsewhere than their row reads them. */
static const struct {
	u16 nr;
	u8 first;
	u8 count;
} kscap_syscall_args[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig)
#define KSCAP_SYSCALL_ARGS(name, first, count) { __NR_##name, (first), (count) },
#include KSCAP_SYSCALL_TABLE
#undef KSCAP_SYSCALL_ARGS
#undef KSCAP_SYSCALL
};

static void kscap_syscall_args_init(void)
{
	unsigned int i;

	for (i = 0; i < KSCAP_NR_SYSCALLS; i++)
		kscap_syscalls[i].nargs = KSCAP_SYSCALL_NARGS;
	for (i = 0; i < ARRAY_SIZE(kscap_syscall_args); i++) {
		struct kscap_syscall *sc = &kscap_syscalls[kscap_syscall_args[i].nr];

		sc->arg0 = kscap_syscall_args[i].first;
		sc->nargs = kscap_syscall_args[i].count;
		/* Recipes read plain arguments: a shifted call needs a filler. */
		if (WARN_ON(sc->arg0 + sc->nargs > KSCAP_SYSCALL_NARGS ||
			    (sc->arg0 && kscap_recipe_find(sc->enter))))
			sc->enter = KSCAP_EV_GENERIC_E;
	}
}

unsigned long kscap_row_arg(const struct kscap_ctx *c, unsigned int i)
{
	const struct kscap_syscall *sc;

	if (c->nr < 0 || c->nr >= KSCAP_NR_SYSCALLS)
		return i < KSCAP_SYSCALL_NARGS ? kscap_arg(c, i) : 0;
	sc = &kscap_syscalls[c->nr];
	return i < sc->nargs ? kscap_arg(c, sc->arg0 + i) : 0;
}

void kscap_syscalls_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(__NR_syscalls > KSCAP_NR_SYSCALLS);
	BUILD_BUG_ON(KSCAP_EV_GENERIC_E != 0);	/* a hole is generic */
	for (i = 0; i < KSCAP_NR_SYSCALLS; i++) {
		u16 enter = kscap_syscall_table[i].enter;

		kscap_syscalls[i].sc_code = kscap_syscall_table[i].sc_code;
		/* Both halves must exist, or the syscall stays generic. */
		if (enter != KSCAP_EV_GENERIC_E &&
		    !(kscap_ops[enter].fill && kscap_ops[enter + 1].fill))
			enter = KSCAP_EV_GENERIC_E;
		kscap_syscalls[i].enter = enter;
	}
	kscap_syscall_args_init();
	kscap_ia32_init();
}

/* A call that cannot be recorded: counted on this CPU. */
void kscap_count_untranslated(void)
{
	preempt_disable_notrace();
	this_cpu_ptr(&kscap_cpus)->ring.status->counters.compat_untranslated++;
	preempt_enable_notrace();
}
