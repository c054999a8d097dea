/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of the module share: the per-CPU state, the capture
 * configuration read by the probes, and the tables derived from the uapi
 * event table at load time.
 */
#ifndef KSCAP_CORE_H
#define KSCAP_CORE_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/bitmap.h>
#include <linux/ktime.h>
#include "kscap.h"
#include "kscap_event_info.h"
#include "ring.h"
#include "writer.h"

struct kscap_cpu {
	struct kscap_cpu_ring ring;
	unsigned int nest;	/* a probe is running on this CPU */
};

DECLARE_PER_CPU_ALIGNED(struct kscap_cpu, kscap_cpus);

/* What the probes read on every event. */
struct kscap_config {
	DECLARE_BITMAP(mask, KSCAP_EV_MAX);	/* event types to capture */
	u32 snaplen;				/* BYTEBUF bytes kept */
	/*
	 * The capture gate: set once every probe is attached, cleared before
	 * any is detached. Attaching and detaching patch code one tracepoint
	 * at a time, slowly; the gate makes a capture begin and end at one
	 * instant for all of them, so it holds whole enter/exit pairs.
	 */
	bool on;
};
extern struct kscap_config kscap_cfg;

/*
 * The clock events are stamped with: ns since the epoch, the same on
 * every CPU, so consumers can merge the rings by it, and safe in any
 * context. It is the monotonic fast clock plus the kernel's own realtime
 * offset, read together: a clock step or a resume from suspend shows in
 * the next event, where an offset of ours taken at enable would skew every
 * later one. Between steps it is as monotonic as the monotonic clock.
 * (local_clock() was measured too: no cheaper here, and only within a tick
 * across CPUs where the TSC is unstable.)
 */
static __always_inline u64 kscap_clock(void)
{
	return ktime_get_real_fast_ns();
}

extern const struct kscap_event_info kscap_event_table[KSCAP_EV_MAX];
extern const struct kscap_param_type_info kscap_param_types[KSCAP_PT_MAX];

/* Pages as KiB, the unit of the ABI's vm_size, vm_rss and vm_swap. */
static inline u32 kscap_pages_to_kib(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* Everything a filler may need about the event it writes. */
struct kscap_ctx {
	struct pt_regs *regs;		/* syscall events */
	long nr;			/* syscall number */
	long ret;			/* exit events */
	struct task_struct *task;	/* procexit, switch: the task; clone exit: the child */
	const void *extra;		/* tracepoint-specific */
	const unsigned long *args;	/* the arguments; NULL: the registers' */
};

typedef void (*kscap_filler_t)(struct kscap_event_writer *w,
			       const struct kscap_ctx *ctx);

/*
 * A row whose parameters are all integers taken from the syscall's
 * registers, but for a last one of user data of a length they give, has a
 * fixed layout: its event is written by a few stores (fixed.h), without
 * the writer and the recipe interpreter. One parameter:
 */
struct kscap_fixed_param {
	u8 src;		/* enum kscap_fixed_src */
	u8 arg;		/* ARG, DATA_*: the argument; CONST: the value */
	u8 conv;	/* ARG: enum kscap_conv; DATA_ARG: the length's argument */
	u8 aux;		/* ARG through FLAGS: the flag table */
	u8 size;	/* bytes of the value: 1, 2, 4 or 8 (DATA_*: 0) */
	u16 regoff;	/* ARG, DATA_*: where a native call has argument arg in pt_regs */
};

enum kscap_fixed_src {
	KSCAP_FX_RET,	/* the return value */
	KSCAP_FX_ARG,	/* argument arg, through conv */
	KSCAP_FX_CONST,	/* the constant arg */
	/* Last only: a BYTEBUF of user data at argument arg, cut at snaplen, */
	KSCAP_FX_DATA_RET,	/* ret bytes of it (none if ret <= 0) */
	KSCAP_FX_DATA_ARG,	/* argument conv's value of bytes */
};

/* The most parameters a fixed-layout row has (mmap's enter: 6). */
#define KSCAP_FIXED_MAX_PARAMS	6
#define KSCAP_FIXED_MAX_LEN	(KSCAP_HDR_LEN + KSCAP_FIXED_MAX_PARAMS * \
				 (KSCAP_PARAM_LEN_SIZE + sizeof(u64)))

/* Per event type, derived at load time from the table and the fillers. */
struct kscap_event_ops {
	kscap_filler_t fill;	/* NULL: the module never emits this type */
	u8 nparams;
	u8 drop_class;		/* enum kscap_drop_class */
	bool critical;		/* may use the ring's reserve */
	bool fixed_args;	/* the fixed layout reads the arguments */
	bool fixed_data;	/* its last parameter is user data (DATA_*) */
	u16 fixed_len;		/* 0: no fixed layout; else the event's bytes (less the data) */
	struct kscap_fixed_param fixed[KSCAP_FIXED_MAX_PARAMS];
};
extern struct kscap_event_ops kscap_ops[KSCAP_EV_MAX];

/* Per native syscall number: which events it becomes (syscalls.c). */
struct kscap_syscall {
	u16 enter;		/* event type; the exit type is enter + 1 */
	u16 sc_code;		/* scap syscall code, for the generic event */
	/*
	 * The row's argument i is the call's argument arg0 + i, and the call
	 * has the row's first nargs arguments (KSCAP_SYSCALL_ARGS lines).
	 */
	u8 arg0;
	u8 nargs;
};
#define KSCAP_NR_SYSCALLS	512
#define KSCAP_SYSCALL_NARGS	6	/* arguments a syscall can have */
extern struct kscap_syscall kscap_syscalls[KSCAP_NR_SYSCALLS];

int kscap_events_init(void);
/* fixed.c: give every row that has one its fixed layout (after the fillers). */
void kscap_fixed_init(void);
void kscap_syscalls_init(void);
/* Argument @i as the event's row counts them: 0 where the call has none. */
unsigned long kscap_row_arg(const struct kscap_ctx *c, unsigned int i);
void kscap_fillers_register(void);

/* Emit one event of @type on this CPU (any context that may not sleep). */
void kscap_emit(u16 type, const struct kscap_ctx *ctx);
/*
 * kscap_emit() of the syscall event @type of a native call, from its
 * tracepoint (preemption off): the context is made here, not by the probe.
 */
void kscap_emit_sys(u16 type, struct pt_regs *regs, long nr, long ret);
/*
 * Emit the generic event (GENERIC_E or _X) of syscall @nr, which returned
 * @ret (exit only): the probes' short path for every syscall without a
 * row of its own.
 */
void kscap_emit_generic(u16 type, long nr, long ret);

/* syscalls_ia32.c: 32-bit processes' calls as x86_64 events */
struct kscap_ia32_call {
	unsigned long args[6];	/* when args_set: the x86_64 call's arguments */
	bool args_set;
	u16 enter;		/* event type (GENERIC_E: x64's generic event) */
	s16 x64;		/* the x86_64 number (-1: none) */
};
void kscap_ia32_init(void);
bool kscap_ia32_translate(struct pt_regs *regs, long nr, struct kscap_ia32_call *out);
void kscap_count_untranslated(void);

int kscap_probes_register(void);
void kscap_probes_unregister(void);
/* After a mask change while enabled: attach/detach the opt-in probes. */
int kscap_probes_sync(void);

/* Default mask: every type with a filler, less the costly opt-in ones. */
void kscap_mask_default(unsigned long *mask);

#endif /* KSCAP_CORE_H */
