// SPDX-License-Identifier: GPL-2.0
/*
 * The event and parameter type tables, and the one function every probe ends in: kscap_emit()
 * writes an event straight into this CPU's ring.
 */
#include <linux/sched.h>
#include <linux/preempt.h>
#include "kscap_core.h"
#include "fixed.h"

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

static __always_inline u64 kscap_now(void)
{
	return kscap_clock();
}

/*
 * What every event does first: count the hit, and check that its type is
 * wanted and that no probe of ours is running on this CPU already. Returns
 * the CPU with preemption off and the nesting guard set, or NULL (counted)
 * with preemption back on.
 */
static __always_inline struct kscap_cpu *kscap_enter(u16 type, bool fillable)
{
	struct kscap_counters *cnt;
	struct kscap_cpu *cpu;

	/* Not a hit: capture has not begun, or has ended. */
	if (unlikely(!READ_ONCE(kscap_cfg.on)))
		return NULL;
	preempt_disable_notrace();
	cpu = this_cpu_ptr(&kscap_cpus);
	cnt = &cpu->ring.status->counters;
	cnt->hits++;

	if (unlikely(!test_bit(type, kscap_cfg.mask) || !fillable)) {
		cnt->drops_mask++;
		goto no;
	}
	/* A CPU whose ring could not be allocated when it came online. */
	if (unlikely(!cpu->ring.data)) {
		cnt->drops_full[kscap_ops[type].drop_class]++;
		goto no;
	}
	/* Only a probe firing from an exception inside ours can get here. */
	if (unlikely(cpu->nest)) {
		cnt->drops_nested++;
		goto no;
	}
	cpu->nest = 1;
	barrier();
	return cpu;
no:
	preempt_enable_notrace();
	return NULL;
}

static __always_inline void kscap_leave(struct kscap_cpu *cpu)
{
	barrier();
	cpu->nest = 0;
	preempt_enable_notrace();
}

/*
 * The generic event, for every syscall without a row of its own: its
 * layout is fixed (ID, u16, then nativeID, u16, on enter or res, s64, on
 * exit), so it is written with a few stores, without the writer and
 * without a filler. kscap_events_init() checks the table still has that
 * layout.
 */
void kscap_emit_generic(u16 type, long nr, long ret)
{
	const bool enter = type == KSCAP_EV_GENERIC_E;
	const u32 np = 2;
	const u32 len = KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE + sizeof(u16) +
			(enter ? sizeof(u16) : sizeof(s64));
	struct kscap_cpu *cpu = kscap_enter(type, true);
	struct kscap_evt_hdr *h;
	u8 *p;

	if (!cpu)
		return;
	if (unlikely(kscap_ring_space(&cpu->ring, false) < len)) {
		cpu->ring.status->counters.drops_full[kscap_ops[type].drop_class]++;
		goto out;
	}
	p = kscap_ring_write_ptr(&cpu->ring);
	h = (struct kscap_evt_hdr *)p;
	put_unaligned(kscap_now(), &h->ts);
	put_unaligned((u64)task_pid_nr(current), &h->tid);
	put_unaligned(len, &h->len);
	put_unaligned(type, &h->type);
	put_unaligned(np, &h->nparams);
	p += KSCAP_HDR_LEN;
	put_unaligned((u16)sizeof(u16), (u16 *)p);
	put_unaligned((u16)(enter ? sizeof(u16) : sizeof(s64)), (u16 *)(p + 2));
	p += np * KSCAP_PARAM_LEN_SIZE;
	put_unaligned(kscap_syscalls[nr].sc_code, (u16 *)p);	/* ID */
	if (enter)
		put_unaligned((u16)nr, (u16 *)(p + 2));		/* nativeID */
	else
		put_unaligned((s64)ret, (s64 *)(p + 2));	/* res */
	kscap_ring_commit(&cpu->ring, len);
	cpu->ring.status->counters.written++;
out:
	kscap_leave(cpu);
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
 * kscap_emit() for a type with a fixed layout: one room check for a
 * length known in advance, then the stores of fixed.h.
 */
static __always_inline void kscap_emit_fixed(struct kscap_cpu *cpu, u16 type,
					     const struct kscap_event_ops *ops,
					     const struct kscap_ctx *ctx)
{
	struct kscap_counters *cnt = &cpu->ring.status->counters;
	struct kscap_fixed_counts n = { 0 };
	u8 *p = kscap_ring_write_ptr(&cpu->ring);
	u32 len;

	len = kscap_fixed_event(p, kscap_ring_space(&cpu->ring, ops->critical), ops,
				type, ctx, kscap_now(), task_pid_nr(current), &n);
	if (unlikely(!len)) {
		cnt->drops_full[ops->drop_class]++;
		return;
	}
#ifdef KSCAP_DEBUG
	kscap_fixed_check(type, ctx, p, len, &n);
#endif
	kscap_ring_commit(&cpu->ring, len);
	cnt->written++;
	cnt->faults += n.faults;
	cnt->truncated += n.truncated;
}

void kscap_emit(u16 type, const struct kscap_ctx *ctx)
{
	const struct kscap_event_ops *ops = &kscap_ops[type];
	struct kscap_counters *cnt;
	struct kscap_event_writer w;
	struct kscap_cpu *cpu;
	u64 room;
	u32 len;

	cpu = kscap_enter(type, ops->fill);
	if (!cpu)
		return;
	if (ops->fixed_len) {
		kscap_emit_fixed(cpu, type, ops, ctx);
		kscap_leave(cpu);
		return;
	}
	cnt = &cpu->ring.status->counters;

	room = min_t(u64, kscap_ring_space(&cpu->ring, ops->critical),
		     KSCAP_MAX_EVENT_LEN);
	kscap_w_begin(&w, kscap_ring_write_ptr(&cpu->ring), room, type,
		      ops->nparams, kscap_now(), task_pid_nr(current));
	ops->fill(&w, ctx);
#ifdef KSCAP_DEBUG
	WARN_ONCE(w.mistyped, "kscap: %s wrote %u values of the wrong size\n",
		  kscap_event_table[type].name, w.mistyped);
#endif
	len = kscap_w_end(&w);
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
