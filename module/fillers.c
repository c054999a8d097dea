// SPDX-License-Identifier: GPL-2.0
/*
 * The fillers: one function per event type that writes its parameters,
 * in the order of its row in uapi/kscap_event_table.h. The list at the
 * bottom is the only place that ties a type to its filler.
 */
#include <linux/sched.h>
#include <asm/syscall.h>
#include "kscap_core.h"
#include "fillers.h"
#include "fill_net.h"
#include "arch.h"

/*
 * Generic events are written by kscap_emit_generic(), which needs no
 * filler: this one only marks the two types as emitted (see kscap_ops).
 */
static void fill_generic(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	WARN_ON_ONCE(1);
}

/* Enter events of the process family carry nothing. */
static void fill_none(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
}

static const struct {
	u16 type;
	kscap_filler_t fill;
} kscap_filler_list[] = {
	{ KSCAP_EV_GENERIC_E, fill_generic },
	{ KSCAP_EV_GENERIC_X, fill_generic },
	{ KSCAP_EV_CLONE_E, fill_none },
	{ KSCAP_EV_CLONE_X, kscap_fill_clone_x },
	{ KSCAP_EV_FORK_E, fill_none },
	{ KSCAP_EV_FORK_X, kscap_fill_clone_x },
	{ KSCAP_EV_VFORK_E, fill_none },
	{ KSCAP_EV_VFORK_X, kscap_fill_clone_x },
	{ KSCAP_EV_EXECVE_E, kscap_fill_execve_e },
	{ KSCAP_EV_EXECVE_X, kscap_fill_execve_x },
	{ KSCAP_EV_PROCEXIT_E, kscap_fill_procexit },
	{ KSCAP_EV_SIGNALDELIVER_E, kscap_fill_signaldeliver },
	{ KSCAP_EV_SWITCH_E, kscap_fill_switch },
	{ KSCAP_EV_PAGE_FAULT_E, kscap_fill_page_fault },
	{ KSCAP_EV_CPU_HOTPLUG_E, kscap_fill_cpu_hotplug },
	/* In place of their recipes (registered first), for speed. */
	{ KSCAP_EV_POLL_E, kscap_fill_poll_e },
	{ KSCAP_EV_POLL_X, kscap_fill_poll_x },
	{ KSCAP_EV_SENDTO_E, kscap_fill_sendto_e },
	{ KSCAP_EV_RECVFROM_X, kscap_fill_recvfrom_x },
};

void kscap_fillers_register(void)
{
	unsigned int i;

	kscap_net_init();
	kscap_proc_init();
	kscap_recipes_register();
	for (i = 0; i < ARRAY_SIZE(kscap_filler_list); i++)
		kscap_ops[kscap_filler_list[i].type].fill = kscap_filler_list[i].fill;
}
