/* SPDX-License-Identifier: GPL-2.0 */
/* Fillers that live in files of their own, by family. */
#ifndef KSCAP_FILLERS_H
#define KSCAP_FILLERS_H

#include <linux/sched.h>
#include <asm/syscall.h>
#include "arch.h"
#include "kscap_core.h"

/*
 * Syscall argument @i of the event's syscall: one register (or the
 * translated copy of a 32-bit call's), no copy of all six.
 */
static __always_inline unsigned long kscap_arg(const struct kscap_ctx *c, unsigned int i)
{
	return c->args ? c->args[i] : kscap_syscall_arg(c->regs, i);
}

/* The event's syscall arguments, into @args (six of them). */
static __always_inline void kscap_get_args(const struct kscap_ctx *c, unsigned long *args)
{
	if (c->args)
		memcpy(args, c->args, KSCAP_SYSCALL_NARGS * sizeof(*args));
	else
		syscall_get_arguments(current, c->regs, args);
}

/* recipes.c: register every usable recipe as its event's filler */
void kscap_recipes_register(void);
/* The recipe interpreter, the filler of every row a recipe serves. */
void kscap_fill_recipe(struct kscap_event_writer *w, const struct kscap_ctx *c);

/* fill_proc.c */
void kscap_fill_clone_x(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_execve_e(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_execve_x(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_procexit(struct kscap_event_writer *w, const struct kscap_ctx *c);
/* Made once: what the probes need of the running kernel's controllers. */
void kscap_proc_init(void);
#ifdef CONFIG_CGROUPS
struct cgroup_subsys_state;
/*
 * A controller's "name=" prefix of the cgroups parameter, made of the
 * kernel's own name string @name, which it stands for as long as the
 * controller's name is that very pointer; len 0 (and no name) if longer
 * than s holds.
 */
struct kscap_cg_name {
	const char *name;
	u32 len;
	char s[16];
};
void kscap_cg_name_set(struct kscap_cg_name *n, const char *name);
/* The cgroups parameter's strings for these @count controllers. */
void kscap_put_cgroup_list(struct kscap_event_writer *w,
			   struct cgroup_subsys_state *const *subsys,
			   const struct kscap_cg_name *names, unsigned int count);
#endif

/*
 * Rows of hot syscalls written directly, not by their recipes (which
 * stay, as what they must equal): fill_misc.c, fill_net.c.
 */
void kscap_fill_poll_e(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_poll_x(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_sendto_e(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_recvfrom_x(struct kscap_event_writer *w, const struct kscap_ctx *c);

/* fill_misc.c: the events that do not come from a syscall */
void kscap_fill_signaldeliver(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_switch(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_page_fault(struct kscap_event_writer *w, const struct kscap_ctx *c);
void kscap_fill_cpu_hotplug(struct kscap_event_writer *w, const struct kscap_ctx *c);

#endif /* KSCAP_FILLERS_H */
