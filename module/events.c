// SPDX-License-Identifier: GPL-2.0
/*
 * The event and parameter type tables, and the one function every probe ends in: kscap_emit()
 * writes an event straight into this CPU's ring.
 */
#include <linux/sched.h>
#include <linux/preempt.h>
#include "kscap_core.h"
#include "fixed.h"
#include "emit.h"

const struct kscap_event_info kscap_event_table[KSCAP_EV_MAX] = {
#include KSCAP_EVENT_TABLE_ROWS
};

const struct kscap_param_type_info kscap_param_types[KSCAP_PT_MAX] = {
	KSCAP_PARAM_TYPES(KSCAP_PT_INFO)
};

struct kscap_event_ops kscap_ops[KSCAP_EV_MAX] __read_mostly;
struct kscap_config kscap_cfg __read_mostly;
DEFINE_PER_CPU_ALIGNED(struct kscap_cpu, kscap_cpus);

static u8 kscap_drop_class(u16 category)
{
	switch (category) {
	case KSCAP_CAT_FILE:
		return KSCAP_DROP_FILE;
	case KSCAP_CAT_NET:
		return KSCAP_DROP_NET;
	case KSCAP_CAT_IPC:
		return KSCAP_DROP_IPC;
	case KSCAP_CAT_MEMORY:
		return KSCAP_DROP_MEMORY;
	case KSCAP_CAT_PROCESS:
	case KSCAP_CAT_SIGNAL:
	case KSCAP_CAT_USER:
		return KSCAP_DROP_PROCESS;
	case KSCAP_CAT_IO_READ:
	case KSCAP_CAT_IO_WRITE:
	case KSCAP_CAT_IO_OTHER:
	case KSCAP_CAT_WAIT:
		return KSCAP_DROP_IO;
	default:
		return KSCAP_DROP_OTHER;
	}
}

/*
 * The layout kscap_emit_generic() writes: the reference rows, u16 ID and
 * nativeID, u16 ID, and on exit the appended s64 res (kscap.h, section 5).
 */
static bool kscap_generic_layout_ok(void)
{
	const struct kscap_event_info *e = &kscap_event_table[KSCAP_EV_GENERIC_E];
	const struct kscap_event_info *x = &kscap_event_table[KSCAP_EV_GENERIC_X];

	return e->nparams == 2 && e->params[0].type == KSCAP_PT_SYSCALLID &&
	       e->params[1].type == KSCAP_PT_UINT16 &&
	       x->nparams == 1 && x->params[0].type == KSCAP_PT_SYSCALLID &&
	       kscap_ops[KSCAP_EV_GENERIC_E].fill && kscap_ops[KSCAP_EV_GENERIC_X].fill;
}

int kscap_events_init(void)
{
	unsigned int t;

	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = &kscap_event_table[t];
		struct kscap_event_ops *ops = &kscap_ops[t];

		ops->nparams = info->nparams;
		ops->drop_class = kscap_drop_class(info->category);
		/* A full ring never costs a consumer a process. */
		ops->critical = !!(info->flags & KSCAP_EF_PROC_STATE);
	}
	kscap_fillers_register();
	if (WARN_ON(!kscap_generic_layout_ok()))
		return -EINVAL;

	/* A filler for a type the table does not have is a bug. */
	for (t = 0; t < KSCAP_EV_MAX; t++)
		if (WARN_ON(kscap_ops[t].fill && !kscap_event_table[t].name))
			return -EINVAL;
	kscap_fixed_init();
	kscap_syscalls_init();
	return 0;
}

void kscap_mask_default(unsigned long *mask)
{
	unsigned int t;

	bitmap_zero(mask, KSCAP_EV_MAX);
	for (t = 0; t < KSCAP_EV_MAX; t++)
		if (kscap_ops[t].fill)
			__set_bit(t, mask);
	/* Costly and rarely wanted: opt-in. */
	__clear_bit(KSCAP_EV_SWITCH_E, mask);
	__clear_bit(KSCAP_EV_PAGE_FAULT_E, mask);
}

/* Out of line, for 32-bit processes' calls (the probes inline it). */
void kscap_emit_generic(u16 type, long nr, long ret)
{
	if (unlikely(!READ_ONCE(kscap_cfg.on)))
		return;
	kscap_tp_begin();
	kscap_write_generic(type, nr, ret, kscap_syscalls[nr].sc_code);
	kscap_tp_end();
}

#ifdef KSCAP_DEBUG
/*
 * The debug build writes every fixed-layout event a second time, with
 * its row's filler (the recipe), and wants the same bytes and counts.
 * Its user data is read twice: only a buffer the task changed in between
 * (another thread) could differ, so the data's bytes are not compared.
 */
static void kscap_fixed_check(u16 type, const struct kscap_ctx *ctx, const u8 *fast,
			      u32 len, const struct kscap_fixed_counts *n)
{
	const struct kscap_event_ops *ops = &kscap_ops[type];
	const struct kscap_evt_hdr *h = (const struct kscap_evt_hdr *)fast;
	u8 slow[KSCAP_FIXED_MAX_LEN + 2 * KSCAP_SNAPLEN_DEFAULT];
	struct kscap_event_writer w;
	u32 slen, cmp = len;

	/* The stack has no room for the largest data: checked when short. */
	if (len > sizeof(slow))
		return;
	kscap_w_begin(&w, slow, sizeof(slow), type, ops->nparams,
		      get_unaligned(&h->ts), get_unaligned(&h->tid));
	ops->fill(&w, ctx);
	slen = kscap_w_end(&w);
	if (ops->fixed_data)
		cmp -= get_unaligned((u16 *)(fast + KSCAP_HDR_LEN) + ops->nparams - 1);
	WARN_ONCE(w.mistyped || slen != len || memcmp(slow, fast, cmp) ||
		  w.faults != n->faults || w.truncated != n->truncated,
		  "kscap: %s: the fixed layout wrote other bytes than the recipe\n",
		  kscap_event_table[type].name);
}
#endif

/*
 * kscap_emit() for a type with a fixed layout: its length is known before
 * anything is written, so one room check, then the stores of fixed.h.
 */
static __always_inline void kscap_emit_fixed(struct kscap_cpu *cpu, u16 type,
					     const struct kscap_event_ops *ops,
					     const struct kscap_ctx *ctx)
{
	struct kscap_counters *cnt;
	struct kscap_fixed_counts n = { 0 };
	u32 len, data;
	u8 *p;

	len = kscap_fixed_len(ops, ctx, &data, &n);
	if (unlikely(!kscap_ring_fits(&cpu->ring, len, ops->critical))) {
		kscap_drop_full(cpu, type);
		return;
	}
	p = kscap_ring_write_ptr(&cpu->ring);
	len = kscap_fixed_write(p, len, data, ops, type, ctx, task_pid_nr(current), &n);
	put_unaligned(kscap_now(), &((struct kscap_evt_hdr *)p)->ts);
#ifdef KSCAP_DEBUG
	kscap_fixed_check(type, ctx, p, len, &n);
#endif
	cnt = &cpu->ring.status->counters;
	cnt->written++;
	cnt->faults += n.faults;
	cnt->truncated += n.truncated;
	kscap_ring_commit(&cpu->ring, len);
	kscap_leave(cpu);
}

/* The rows the writer and a filler write: room for the longest event, or all there is. */
static __always_inline void kscap_emit_filled(struct kscap_cpu *cpu, u16 type,
					      const struct kscap_event_ops *ops,
					      const struct kscap_ctx *ctx)
{
	struct kscap_counters *cnt;
	/* kscap_w_begin() sets every field: no zeroing first (INIT_STACK_ALL_ZERO). */
	struct kscap_event_writer w __uninitialized;
	u64 room;
	u32 len;

	room = min_t(u64, kscap_ring_room(&cpu->ring, KSCAP_MAX_EVENT_LEN, ops->critical),
		     KSCAP_MAX_EVENT_LEN);
	kscap_w_begin(&w, kscap_ring_write_ptr(&cpu->ring), room, type,
		      ops->nparams, kscap_now(), task_pid_nr(current));
	ops->fill(&w, ctx);
#ifdef KSCAP_DEBUG
	WARN_ONCE(w.mistyped, "kscap: %s wrote %u values of the wrong size\n",
		  kscap_event_table[type].name, w.mistyped);
#endif
	len = kscap_w_end(&w);
	cnt = &cpu->ring.status->counters;
	cnt->faults += w.faults;
	if (likely(len)) {
		kscap_ring_commit(&cpu->ring, len);
		cnt->written++;
		cnt->truncated += w.truncated;
	} else if (room == KSCAP_MAX_EVENT_LEN) {
		cnt->drops_toolong++;
	} else {
		cnt->drops_full[ops->drop_class]++;
	}
	kscap_leave(cpu);
}

/*
 * kscap_emit() on this CPU, preemption off: the hit, the gate and the
 * guard (kscap_enter()), then the fixed layout or the writer.
 */
static __always_inline void kscap_emit_on_cpu(u16 type, const struct kscap_ctx *ctx)
{
	const struct kscap_event_ops *ops = &kscap_ops[type];
	struct kscap_cpu *cpu;

	/* Not a hit: capture has not begun, or has ended. */
	if (unlikely(!READ_ONCE(kscap_cfg.on)))
		return;
	cpu = this_cpu_ptr(&kscap_cpus);
	if (!kscap_enter(cpu, type, ops->fill))
		return;
	if (ops->fixed_len)
		kscap_emit_fixed(cpu, type, ops, ctx);
	else
		kscap_emit_filled(cpu, type, ops, ctx);
}

void kscap_emit(u16 type, const struct kscap_ctx *ctx)
{
	preempt_disable_notrace();
	kscap_emit_on_cpu(type, ctx);
	preempt_enable_notrace();
}

/* A syscall row the writer and a filler write: their context is in memory. */
static noinline void kscap_emit_sys_filled(u16 type, struct pt_regs *regs, long nr, long ret)
{
	const struct kscap_event_ops *ops = &kscap_ops[type];
	struct kscap_ctx ctx = { .regs = regs, .nr = nr, .ret = ret };
	struct kscap_cpu *cpu = this_cpu_ptr(&kscap_cpus);

	if (kscap_enter(cpu, type, ops->fill))
		kscap_emit_filled(cpu, type, ops, &ctx);
}

/*
 * A fixed-layout row's context stays in registers, all of it inline (but
 * for the debug build's check): no copy of it in memory, nor the stack
 * protector's canary that would guard that copy. The probe has checked
 * kscap_cfg.on.
 */
void kscap_emit_sys(u16 type, struct pt_regs *regs, long nr, long ret)
{
	const struct kscap_event_ops *ops = &kscap_ops[type];

	kscap_tp_begin();
	if (likely(ops->fixed_len)) {
		const struct kscap_ctx ctx = { .regs = regs, .nr = nr, .ret = ret };
		struct kscap_cpu *cpu = this_cpu_ptr(&kscap_cpus);

		if (kscap_enter(cpu, type, ops->fill))
			kscap_emit_fixed(cpu, type, ops, &ctx);
	} else {
		kscap_emit_sys_filled(type, regs, nr, ret);
	}
	kscap_tp_end();
}
