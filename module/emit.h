/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The steps every event takes on its CPU, inline: the syscall probes run
 * them for every call, so each load, store and call here is paid twice
 * per syscall (events.c for the rest of kscap_emit()).
 */
#ifndef KSCAP_EMIT_H
#define KSCAP_EMIT_H

#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/version.h>
#include "kscap_core.h"

/*
 * Tracepoints call their probes with preemption disabled (__DO_TRACE, on
 * 6.1 and 6.12), so a probe stays on its CPU without a preempt count of
 * its own. Since 6.14 the syscall tracepoints call them preemptible (for
 * probes that may fault): there the probes disable it themselves.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define KSCAP_TP_PREEMPTIBLE	1
#else
#define KSCAP_TP_PREEMPTIBLE	0
#endif

static __always_inline void kscap_tp_begin(void)
{
	if (KSCAP_TP_PREEMPTIBLE)
		preempt_disable_notrace();
#ifdef KSCAP_DEBUG
	WARN_ON_ONCE(preemptible());
#endif
}

static __always_inline void kscap_tp_end(void)
{
	if (KSCAP_TP_PREEMPTIBLE)
		preempt_enable_notrace();
}

/* The timestamp of an event (kscap_clock()): one place, for the profile. */
static __always_inline u64 kscap_now(void)
{
	return kscap_clock();
}

/*
 * What every event does first, on its CPU (preemption off): count the
 * hit, and check that its type is wanted and that no probe of ours is
 * running on this CPU already. Returns true with the nesting guard set,
 * or false (the drop counted). The caller has checked kscap_cfg.on.
 */
static __always_inline bool kscap_enter(struct kscap_cpu *cpu, u16 type, bool fillable)
{
	struct kscap_counters *cnt = &cpu->ring.status->counters;

	cnt->hits++;
	if (unlikely(!test_bit(type, kscap_cfg.mask) || !fillable)) {
		cnt->drops_mask++;
		return false;
	}
	/* Only a probe firing from an exception inside ours can get here. */
	if (unlikely(cpu->nest)) {
		cnt->drops_nested++;
		return false;
	}
	cpu->nest = 1;
	barrier();
	return true;
}

static __always_inline void kscap_leave(struct kscap_cpu *cpu)
{
	barrier();
	cpu->nest = 0;
}

/*
 * After kscap_enter(): an event of @type that the ring has no room for
 * (a CPU without a ring, its allocation failed, has none either).
 */
static __always_inline void kscap_drop_full(struct kscap_cpu *cpu, u16 type)
{
	cpu->ring.status->counters.drops_full[kscap_ops[type].drop_class]++;
	kscap_leave(cpu);
}

/*
 * The generic event, for every syscall without a row of its own: its
 * layout is fixed (ID, u16, then nativeID, u16, on enter or res, s64, on
 * exit), so it is written with a few stores, without the writer and
 * without a filler; kscap_events_init() checks the table still has that
 * layout. Inline in the syscall probes, where @type is a constant and
 * @code is read with the row from kscap_syscalls[@nr]. The
 * clock is read last, so that only the event's place and the CPU live
 * across its call.
 */
static __always_inline void kscap_write_generic(u16 type, long nr, long ret, u16 code)
{
	const bool enter = type == KSCAP_EV_GENERIC_E;
	const u32 np = 2;
	const u32 len = KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE + sizeof(u16) +
			(enter ? sizeof(u16) : sizeof(s64));
	struct kscap_cpu *cpu = this_cpu_ptr(&kscap_cpus);
	struct kscap_evt_hdr *h;
	u8 *p;

	if (!kscap_enter(cpu, type, true))
		return;
	if (unlikely(!kscap_ring_fits(&cpu->ring, len, false))) {
		kscap_drop_full(cpu, type);
		return;
	}
	p = kscap_ring_write_ptr(&cpu->ring);
	h = (struct kscap_evt_hdr *)p;
	put_unaligned((u64)task_pid_nr(current), &h->tid);
	put_unaligned(len, &h->len);
	put_unaligned(type, &h->type);
	put_unaligned(np, &h->nparams);
	p += KSCAP_HDR_LEN;
	put_unaligned((u16)sizeof(u16), (u16 *)p);
	put_unaligned((u16)(enter ? sizeof(u16) : sizeof(s64)), (u16 *)(p + 2));
	p += np * KSCAP_PARAM_LEN_SIZE;
	put_unaligned(code, (u16 *)p);				/* ID: scap's code */
	if (enter)
		put_unaligned((u16)nr, (u16 *)(p + 2));		/* nativeID */
	else
		put_unaligned((s64)ret, (s64 *)(p + 2));	/* res */
	put_unaligned(kscap_now(), &h->ts);
	/* Counted first: after the commit's barrier, status is one more load. */
	cpu->ring.status->counters.written++;
	kscap_ring_commit(&cpu->ring, len);
	kscap_leave(cpu);
}

#endif /* KSCAP_EMIT_H */
