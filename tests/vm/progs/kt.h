/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kt: what the VM test programs share. They talk to /dev/kscap through the
 * raw ABI of uapi/kscap.h (open, ioctl, mmap, the ring protocol), so they
 * test the module, not libkscap's device layer. Events are decoded by
 * libkscap's parser alone (kt_parse), built into the programs from
 * userlib's sources: the one decoder the tools use, at its strictest.
 *
 * A failed check ends the program: kt_fail() prints the reason and also
 * writes it to $KT_REASON, where the test script picks it up for its
 * KSCAP-RESULT line. Exit status: 0 pass, 1 fail, 77 skip.
 */
#ifndef KT_H
#define KT_H

#include <stdint.h>
#include <sys/syscall.h>
#include <stddef.h>
#include <sys/types.h>
#include "kscap.h"
#include "kscap_event_info.h"

typedef uint64_t u64;

/* The event table, instantiated from the uapi rows. */
/* The event table, with the rows kscap extends as the module writes them. */
extern struct kscap_event_info kt_events[KSCAP_EV_MAX];

/* Failure reporting. */
void kt_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void kt_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void kt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define KT_CHECK(cond, ...) do { if (!(cond)) kt_fail(__VA_ARGS__); } while (0)
/* A system call that must succeed. */
#define KT_SYS(call) ({ long __r = (long)(call); if (__r < 0) kt_fail("%s:%d: %s: %m", __FILE__, __LINE__, #call); __r; })

/* The device, opened and fully mapped. */
struct kt_dev {
	int fd;
	struct kscap_geometry g;
	unsigned char *status;		/* KSCAP_MMAP_STATUS, read-only */
	unsigned char *consumer;	/* KSCAP_MMAP_CONSUMER, read-write */
	unsigned char **data;		/* per CPU: KSCAP_MMAP_DATA(cpu), 2 * ring_size */
};

/*
 * Open /dev/kscap, check the ABI version and the geometry's sanity, and map
 * everything. Fails the test on any error.
 */
void kt_open(struct kt_dev *d);
void kt_close(struct kt_dev *d);
/*
 * Map @cpu's ring into d->data[cpu]: 0, or -ENODEV for a CPU without a
 * ring (offline at open), -EINVAL for one that cannot exist (left NULL).
 */
int kt_map_ring(struct kt_dev *d, unsigned int cpu);

static inline struct kscap_status_page *kt_status(const struct kt_dev *d, unsigned int cpu)
{
	return (struct kscap_status_page *)(d->status + (size_t)cpu * KSCAP_STATUS_STRIDE);
}

static inline struct kscap_consumer_slot *kt_slot(const struct kt_dev *d, unsigned int cpu)
{
	return (struct kscap_consumer_slot *)(d->consumer + (size_t)cpu * KSCAP_CONSUMER_STRIDE);
}

/* The ring protocol's two sides, with the barriers uapi/kscap.h asks for. */
static inline u64 kt_head(const struct kt_dev *d, unsigned int cpu)
{
	return __atomic_load_n(&kt_status(d, cpu)->head, __ATOMIC_ACQUIRE);
}

static inline u64 kt_tail(const struct kt_dev *d, unsigned int cpu)
{
	return __atomic_load_n(&kt_slot(d, cpu)->tail, __ATOMIC_RELAXED);
}

static inline void kt_set_tail(const struct kt_dev *d, unsigned int cpu, u64 tail)
{
	__atomic_store_n(&kt_slot(d, cpu)->tail, tail, __ATOMIC_RELEASE);
}

/* Consume everything: every tail := head. */
void kt_drain(const struct kt_dev *d);

void kt_ioctl(const struct kt_dev *d, unsigned long req, unsigned long arg, const char *what);

/* One CPU's counters (cpu = KSCAP_ALL_CPUS for the sum) by GET_STATS. */
void kt_stats(const struct kt_dev *d, unsigned int cpu, struct kscap_counters *c);
u64 kt_drops_full(const struct kscap_counters *c);
/*
 * Check, for every CPU, that GET_STATS agrees with the status page and
 * that hits == written + every drop; and that the all-CPU sum is the sum.
 * Capture must be disabled (counters still).
 */
void kt_check_counters(const struct kt_dev *d);

/* A parsed event. */
struct kt_ev {
	const unsigned char *p;		/* start of the event in the mapping */
	u64 pos;			/* its ring position */
	unsigned int cpu;
	u64 ts, tid;
	uint32_t len, nparams;
	uint16_t type;
	uint16_t plen[KSCAP_MAX_PARAMS];
	const unsigned char *pval[KSCAP_MAX_PARAMS];
};

/*
 * Parse the event at @p, of which @avail bytes are published, with
 * libkscap's kscap_evt_parse() and kscap__evt_check(KSCAP__CHECK_EXACT):
 * framing, the type, exactly the module's parameters, value sizes and
 * strings. Returns NULL if it is well formed, else what is wrong with it.
 */
const char *kt_parse(const unsigned char *p, u64 avail, struct kt_ev *ev);

/* Value of a fixed-size integer parameter (0 if empty). */
u64 kt_uparam(const struct kt_ev *ev, unsigned int i);
int64_t kt_sparam(const struct kt_ev *ev, unsigned int i);

/*
 * Walk cpu's ring over [from, to), calling @cb on each event. Fails the test
 * on a malformed event, an event crossing @to, or timestamps going
 * backwards. Returns the number of events.
 */
typedef void (*kt_walk_cb)(const struct kt_ev *ev, void *arg);
u64 kt_walk(const struct kt_dev *d, unsigned int cpu, u64 from, u64 to,
	    kt_walk_cb cb, void *arg);

/* Helpers for the workload side. */
pid_t kt_gettid(void);
void kt_pin(unsigned int cpu);		/* this thread onto one CPU */
unsigned int kt_ncpus_online(void);
unsigned int kt_pick_cpu(void);		/* the last online CPU */
u64 kt_now_ns(void);			/* CLOCK_REALTIME */
void kt_getppid_storm(unsigned long n);

/*
 * Counting one thread's getppid() events: enters (GENERIC_E whose nativeID
 * is getppid) and the GENERIC_X that follows each. Fails the test on an
 * event of that thread on another CPU than @cpu, malformed generic
 * parameters, an enter without its exit, or a timestamp outside
 * [tmin, tmax] (when tmax is set).
 */
struct kt_ppid {
	pid_t tid;
	unsigned int cpu;
	u64 tmin, tmax;
	/* out */
	u64 enters, exits, others;	/* others: events of tid not getppid's */
	u64 id;				/* the enters' ID parameter */
	int in_call;
};
void kt_ppid_init(struct kt_ppid *a, pid_t tid, unsigned int cpu);
void kt_ppid_cb(const struct kt_ev *ev, void *arg);
/* Walk cpu's ring over [from, to) with kt_ppid_cb. */
void kt_ppid_count(const struct kt_dev *d, struct kt_ppid *a, u64 from, u64 to);

/* Whether @type is one of the events the ring's reserve is kept for. */
int kt_is_critical(unsigned int type);

#define KT_NR_GETPPID	SYS_getppid	/* the native number */

/* ---- load, CPUs, and a consumer that keeps count ---- */

/*
 * A syscall mix until killed: open/read/close of /dev/zero, getppid, a
 * stat of /kscap if @with_stat, and a fork every @fork_every rounds.
 */
void kt_syscall_mix(unsigned int fork_every, int with_stat) __attribute__((noreturn));
/* Take @cpu offline (@on 0) or online; -1 if it cannot be. */
int kt_set_online(unsigned int cpu, int on);

#define KT_MAXCPU 256

/* A consumer of every ring: where it is in each, and how much it read. */
struct kt_reader {
	u64 tail[KT_MAXCPU];
	u64 nread[KT_MAXCPU];
};
/* Start at each ring's tail (fails above KT_MAXCPU CPUs). */
void kt_reader_init(struct kt_reader *r, const struct kt_dev *d);
/* One pass over every ring: parse what is there, count it, hand it back. */
void kt_reader_pass(struct kt_reader *r, const struct kt_dev *d);

/* A capture's totals, over every CPU. */
struct kt_totals {
	u64 hits, written, dropped, read;	/* dropped: every kind of drop */
};
/*
 * With capture disabled: a last pass, the counters' accounting
 * (kt_check_counters), and every ring read whole (read == written);
 * the totals into @t. @log: a line per CPU too.
 */
void kt_reader_finish(struct kt_reader *r, const struct kt_dev *d, struct kt_totals *t,
		      int log);
/* Drops for lack of room so far, all CPUs, from the status pages. */
u64 kt_drops_full_all(const struct kt_dev *d);

#endif /* KT_H */
