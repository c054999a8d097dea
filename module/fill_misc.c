// SPDX-License-Identifier: GPL-2.0
/*
 * Encoders for the values of poll, ppoll, ptrace, bpf, quotactl and semop
 * that no generic recipe source describes, and the fillers of the events
 * that do not come from a syscall (signaldeliver, switch, page_fault,
 * cpu_hotplug; their probes are in tp_misc.c).
 *
 * Everything here runs inside a tracepoint probe: user memory is read
 * with the nofault copies only, nothing sleeps or takes a lock, and every
 * length is bounded before a byte is written.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/log2.h>
#include <linux/bitops.h>
#include <linux/ptrace.h>
#include <linux/quota.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sem.h>
#include <linux/signal.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>
#include "kscap_core.h"
#include "encoders.h"
#include "fillers.h"
#include "flags.h"
#include "tp_misc.h"

/* A parameter made of an index byte and a value (PT_DYN). */
static void put_dyn(struct kscap_event_writer *w, u8 idx, const void *v, u32 len)
{
	u8 *p = kscap_w_grow(w, 1 + len);

	if (p) {
		p[0] = idx;
		memcpy(p + 1, v, len);
	}
	kscap_w_next(w);
}

static void put_dyn_s64(struct kscap_event_writer *w, u8 idx, s64 v)
{
	put_dyn(w, idx, &v, sizeof(v));
}

/* ---- FDLIST: poll() and ppoll() ------------------------------------- */

/*
 * Where the kernel's poll bits are the generic ones (x86, arm64: all but
 * a few architectures), the ABI's are the same bits moved: IN, PRI and
 * OUT stay, ERR ... WRBAND move up one to make room for RDHUP, and
 * POLLMSG and POLLREMOVE are dropped. A few shifts instead of a loop
 * over the set bits, for each pollfd of every poll.
 */
#if POLLIN == 0x1 && POLLPRI == 0x2 && POLLOUT == 0x4 && POLLERR == 0x8 &&	\
	POLLHUP == 0x10 && POLLNVAL == 0x20 && POLLRDNORM == 0x40 &&		\
	POLLRDBAND == 0x80 && POLLWRNORM == 0x100 && POLLWRBAND == 0x200 &&	\
	POLLRDHUP == 0x2000
static __always_inline u16 poll_to_abi(u16 ev)
{
	return (ev & 0x7) | ((ev & 0x3f8) << 1) | ((ev & POLLRDHUP) >> 10);
}
#else
/*
 * Indexed by the number of the kernel's bit: the ABI's bit (KSCAP_POLL_*,
 * uapi/kscap.h). Kernel bits without one (POLLMSG, POLLREMOVE) are dropped.
 */
static const u16 kscap_poll_abi[16] = {
	[ilog2(POLLIN)] = KSCAP_POLL_IN,
	[ilog2(POLLPRI)] = KSCAP_POLL_PRI,
	[ilog2(POLLOUT)] = KSCAP_POLL_OUT,
	[ilog2(POLLRDHUP)] = KSCAP_POLL_RDHUP,
	[ilog2(POLLERR)] = KSCAP_POLL_ERR,
	[ilog2(POLLHUP)] = KSCAP_POLL_HUP,
	[ilog2(POLLNVAL)] = KSCAP_POLL_NVAL,
	[ilog2(POLLRDNORM)] = KSCAP_POLL_RDNORM,
	[ilog2(POLLRDBAND)] = KSCAP_POLL_RDBAND,
	[ilog2(POLLWRNORM)] = KSCAP_POLL_WRNORM,
	[ilog2(POLLWRBAND)] = KSCAP_POLL_WRBAND,
};

static u16 poll_to_abi(u16 events)
{
	unsigned long ev = events;
	unsigned int bit;
	u16 abi = 0;

	for_each_set_bit(bit, &ev, ARRAY_SIZE(kscap_poll_abi))
		abi |= kscap_poll_abi[bit];
	return abi;
}
#endif

u16 kscap_poll_to_abi(u16 events)
{
	BUILD_BUG_ON(poll_to_abi(POLLRDHUP) != KSCAP_POLL_RDHUP ||
		     poll_to_abi(POLLERR) != KSCAP_POLL_ERR ||
		     poll_to_abi(POLLWRBAND) != KSCAP_POLL_WRBAND ||
		     poll_to_abi(POLLOUT) != KSCAP_POLL_OUT);
	return poll_to_abi(events);
}

/* pollfds read from user memory at a time. */
#define KSCAP_POLLFD_CHUNK	16

/*
 * The entries of the @n pollfds at @u straight into the ring at @p, which
 * has room for @n entries: read and encoded in one access window, no
 * copy on the stack. Returns the entries written, or -EFAULT if any
 * pollfd could not be read (what was written at @p is then not kept).
 */
static __always_inline int fdlist_chunk_direct(u8 *p, const struct pollfd __user *u,
					       u32 n, bool revents)
{
	u8 *q = p;
	u32 i;

	BUILD_BUG_ON(sizeof(*u) != sizeof(u64));
	pagefault_disable();
	if (!user_read_access_begin(u, n * sizeof(*u))) {
		pagefault_enable();
		return -EFAULT;
	}
	for (i = 0; i < n; i++) {
		struct pollfd pf;
		u64 v;
		u16 ev;

		unsafe_get_user(v, (const u64 __user *)(u + i), fault);
		memcpy(&pf, &v, sizeof(pf));
		ev = revents ? pf.revents : pf.events;
		if (revents && !ev)
			continue;
		put_unaligned((s64)pf.fd, (s64 *)q);
		put_unaligned(poll_to_abi(ev), (u16 *)(q + KSCAP_FDLIST_ENTRY_EVENTS));
		q += KSCAP_FDLIST_ENTRY_LEN;
	}
	user_read_access_end();
	pagefault_enable();
	return (q - p) / KSCAP_FDLIST_ENTRY_LEN;
fault:
	user_read_access_end();
	pagefault_enable();
	return -EFAULT;
}

/*
 * A chunk when the room left may not hold all of its entries (the exit
 * event keeps only some): read on the stack, counted, then written if
 * they fit. Returns the entries written, -EFAULT (unreadable) or
 * -ENOSPC (no room: the writer overflows, the event is dropped).
 */
static noinline int fdlist_chunk_staged(struct kscap_event_writer *w,
					const struct pollfd __user *u, u32 n, bool revents)
{
	/* Entries are used only once read: no zeroing on every call. */
	struct pollfd chunk[KSCAP_POLLFD_CHUNK] __uninitialized;
	u32 i, k = n;
	u8 *p;

	if (!kscap_user_read(chunk, u, n * sizeof(*chunk)))
		return -EFAULT;
	if (revents)
		for (i = 0, k = 0; i < n; i++)
			k += !!chunk[i].revents;
	p = kscap_w_grow(w, k * KSCAP_FDLIST_ENTRY_LEN);
	if (!p)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		u16 ev = revents ? chunk[i].revents : chunk[i].events;

		if (revents && !ev)
			continue;
		put_unaligned((s64)chunk[i].fd, (s64 *)p);
		put_unaligned(poll_to_abi(ev), (u16 *)(p + KSCAP_FDLIST_ENTRY_EVENTS));
		p += KSCAP_FDLIST_ENTRY_LEN;
	}
	return k;
}

/*
 * The list: a u16 count, then per entry the fd (s64) and its flags (u16).
 * The enter event lists every pollfd with its events; the exit event only
 * those that returned something, with their revents (as the ABI does).
 *
 * At most KSCAP_FDLIST_MAX pollfds are looked at (more are counted as
 * truncated); entries the room left cannot hold drop the event, which
 * is never written with a shorter list. The pollfds are read a chunk at a
 * time, each whole or not at all: an unreadable array gives an empty
 * parameter; one that becomes unreadable part way keeps the entries of
 * the chunks read before.
 */
static __always_inline void put_fdlist(struct kscap_event_writer *w,
				       const struct pollfd __user *ufds,
				       u32 nfds, bool revents)
{
	u32 start = w->off, seen, count = 0, n;
	u8 *cnt;
	int k;

	cnt = kscap_w_grow(w, sizeof(u16));
	if (!cnt)
		goto out;
	nfds = kscap_w_capped(w, nfds, KSCAP_FDLIST_MAX);

	for (seen = 0; seen < nfds; seen += n) {
		n = min_t(u32, nfds - seen, KSCAP_POLLFD_CHUNK);
		if (kscap_w_room(w) >= n * KSCAP_FDLIST_ENTRY_LEN) {
			k = fdlist_chunk_direct(w->buf + w->off, ufds + seen, n, revents);
			if (k > 0)
				w->off += k * KSCAP_FDLIST_ENTRY_LEN;
		} else {
			k = fdlist_chunk_staged(w, ufds + seen, n, revents);
		}
		if (k == -ENOSPC)
			goto out;
		if (k < 0) {
			w->faults++;
			if (!seen)
				w->off = start;	/* nothing read: empty */
			break;
		}
		count += k;
	}
	if (w->off != start)
		put_unaligned((u16)count, (u16 *)cnt);
out:
	kscap_w_next(w);
}

static noinline void put_fdlist_events(struct kscap_event_writer *w,
				       const struct pollfd __user *ufds, u32 nfds)
{
	put_fdlist(w, ufds, nfds, false);
}

static noinline void put_fdlist_revents(struct kscap_event_writer *w,
					const struct pollfd __user *ufds, u32 nfds)
{
	put_fdlist(w, ufds, nfds, true);
}

KSCAP_ENCODER(kscap_enc_fdlist)
{
	put_fdlist_events(w, (const struct pollfd __user *)args[s->b], (u32)args[s->c]);
}

KSCAP_ENCODER(kscap_enc_fdlist_revents)
{
	put_fdlist_revents(w, (const struct pollfd __user *)args[s->b], (u32)args[s->c]);
}

/*
 * poll's rows, written directly rather than through their recipes (the
 * interpreter's dispatch per parameter costs as much as the values):
 * the same bytes, which tests/kunit/misc_test.c compares.
 *
 * Only the arguments used are read (no copy of all six), and when the
 * pollfds fit one chunk and the room left holds the whole event at its
 * longest, the event is written with one room check: the values, then
 * both lengths and the writer's state set as kscap_w_next() would have.
 * Anything else (a long list, little room, a writer not at its first
 * parameter) takes the general path, put_fdlist().
 */
/* Whether @w is fresh, of 2 parameters, with @need bytes of room. */
static __always_inline bool poll_fast_ok(const struct kscap_event_writer *w, u32 need)
{
	return likely(!w->overflow && w->idx == 0 && w->nparams == 2 &&
		      w->cap - w->off >= need);
}

/*
 * The list of @n (at most a chunk) pollfds at @p, room checked: its
 * length, 0 (empty, a fault counted) if the pollfds could not be read.
 */
static __always_inline u32 poll_fdlist_fast(struct kscap_event_writer *w, u8 *p,
					    const struct pollfd __user *ufds, u32 n,
					    bool revents)
{
	int k = n ? fdlist_chunk_direct(p + sizeof(u16), ufds, n, revents) : 0;

	if (unlikely(k < 0)) {
		w->faults++;
		return 0;
	}
	put_unaligned((u16)k, (u16 *)p);
	return sizeof(u16) + k * KSCAP_FDLIST_ENTRY_LEN;
}

/* Close both parameters, of @len0 and @len1 bytes, at once. */
static __always_inline void poll_fast_close(struct kscap_event_writer *w, u32 len0, u32 len1)
{
	u16 *lens = (u16 *)(w->buf + KSCAP_HDR_LEN);

	put_unaligned((u16)len0, &lens[0]);
	put_unaligned((u16)len1, &lens[1]);
	w->off += len0 + len1;
	w->param_start = w->off;
	w->idx = 2;
}

/* The longest list a fast event holds: its count and a chunk of entries. */
#define KSCAP_POLL_FAST_LIST	(sizeof(u16) + KSCAP_POLLFD_CHUNK * KSCAP_FDLIST_ENTRY_LEN)

void kscap_fill_poll_e(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct pollfd __user *ufds = (const struct pollfd __user *)kscap_arg(c, 0);
	u32 nfds = kscap_arg(c, 1);
	s64 timeout = (s32)kscap_arg(c, 2);	/* a C int */
	u32 len;
	u8 *p;

	if (nfds <= KSCAP_POLLFD_CHUNK &&
	    poll_fast_ok(w, KSCAP_POLL_FAST_LIST + sizeof(s64))) {
		p = w->buf + w->off;
		len = poll_fdlist_fast(w, p, ufds, nfds, false);
		put_unaligned(timeout, (s64 *)(p + len));
		poll_fast_close(w, len, sizeof(s64));
		return;
	}
	put_fdlist_events(w, ufds, nfds);
	kscap_w_s64(w, timeout);
}

void kscap_fill_poll_x(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct pollfd __user *ufds = (const struct pollfd __user *)kscap_arg(c, 0);
	u32 nfds = kscap_arg(c, 1);
	u8 *p;

	if (nfds <= KSCAP_POLLFD_CHUNK &&
	    poll_fast_ok(w, sizeof(s64) + KSCAP_POLL_FAST_LIST)) {
		p = w->buf + w->off;
		put_unaligned((s64)c->ret, (s64 *)p);
		poll_fast_close(w, sizeof(s64),
				poll_fdlist_fast(w, p + sizeof(s64), ufds, nfds, true));
		return;
	}
	kscap_w_s64(w, c->ret);
	put_fdlist_revents(w, ufds, nfds);
}

/* ---- SIGSET ----------------------------------------------------------- */

/* The first 32 signals of the user's sigset; 0 when there is none. */
KSCAP_ENCODER(kscap_enc_sigset)
{
	const void __user *u = (const void __user *)args[s->b];
	unsigned long first = 0;

	if (u && copy_from_user_nofault(&first, u, sizeof(first))) {
		w->faults++;
		kscap_w_empty(w);
		return;
	}
	kscap_w_u32(w, (u32)first);
}

/* ---- ptrace: addr and data (DYN) -------------------------------------- */

/* The PTRACE_DYNAMIC_PARAM indexes. */
#define KSCAP_PTRACE_IDX_UINT64		0
#define KSCAP_PTRACE_IDX_SIGTYPE	1

/*
 * addr (arg c). A failed call carries no addr or data: both are UINT64 0,
 * as the ABI has it.
 */
KSCAP_ENCODER(kscap_enc_ptrace_addr)
{
	put_dyn_s64(w, KSCAP_PTRACE_IDX_UINT64, c->ret < 0 ? 0 : args[s->c]);
}

/*
 * What data (arg c) means depends on the request (arg b): the word a PEEK read
 * (which the kernel stored at data), the signal a resuming request
 * delivers, or else the argument as it was.
 */
KSCAP_ENCODER(kscap_enc_ptrace_data)
{
	unsigned long data = args[s->c];
	u64 word = 0;
	u8 sig;

	if (c->ret < 0) {
		put_dyn_s64(w, KSCAP_PTRACE_IDX_UINT64, 0);
		return;
	}
	switch ((long)args[s->b]) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
	case PTRACE_PEEKUSR:
		if (copy_from_user_nofault(&word, (const void __user *)data,
					   sizeof(unsigned long))) {
			w->faults++;
			kscap_w_empty(w);
			return;
		}
		put_dyn_s64(w, KSCAP_PTRACE_IDX_UINT64, word);
		return;
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
	case PTRACE_DETACH:
#ifdef PTRACE_SINGLEBLOCK
	case PTRACE_SINGLEBLOCK:
#endif
#ifdef PTRACE_SYSEMU
	case PTRACE_SYSEMU:
	case PTRACE_SYSEMU_SINGLESTEP:
#endif
		/* The signal to deliver as the tracee resumes (0: none). */
		sig = data;
		put_dyn(w, KSCAP_PTRACE_IDX_SIGTYPE, &sig, sizeof(sig));
		return;
	default:
		put_dyn_s64(w, KSCAP_PTRACE_IDX_UINT64, data);
	}
}

/* ---- bpf: res_or_fd (DYN) --------------------------------------------- */

/* The BPF_DYNAMIC_PARAM indexes. */
#define KSCAP_BPF_IDX_FD	0
#define KSCAP_BPF_IDX_RES	1

/* The bpf() commands whose success value is a new file descriptor. */
static bool kscap_bpf_makes_fd(int cmd)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
	case BPF_PROG_LOAD:
	case BPF_OBJ_GET:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
	case BPF_RAW_TRACEPOINT_OPEN:
	case BPF_BTF_LOAD:
	case BPF_BTF_GET_FD_BY_ID:
	case BPF_LINK_CREATE:
	case BPF_LINK_GET_FD_BY_ID:
	case BPF_ENABLE_STATS:
	case BPF_ITER_CREATE:
		return true;
	default:
		return cmd == KSCAP_BPF_TOKEN_CREATE;
	}
}

KSCAP_ENCODER(kscap_enc_bpf_res)
{
	bool fd = c->ret >= 0 && kscap_bpf_makes_fd((int)args[s->b]);

	put_dyn_s64(w, fd ? KSCAP_BPF_IDX_FD : KSCAP_BPF_IDX_RES, c->ret);
}

/* ---- quotactl ------------------------------------------------------- */

/*
 * quotactl(cmd, special, id, addr): the encoder's b is the field to write
 * (enum kscap_quota_field), one call per parameter of QUOTACTL_E and _X.
 */
enum { QARG_CMD, QARG_SPECIAL, QARG_ID, QARG_ADDR };

/* The command, which quotactl()'s cmd holds above the quota type. */
static u32 kscap_qcmd(u32 cmd)
{
	return cmd >> SUBCMDSHIFT;
}

/*
 * A struct the command passes at addr: what Q_SETQUOTA and Q_SETINFO
 * set, or what Q_GETQUOTA and Q_GETINFO got (only when they succeeded:
 * otherwise the memory holds whatever the caller left there). Returns
 * false, after writing the parameter, when there is no such struct or it
 * cannot be read; a fault is counted once, at the struct's first field.
 */
static bool kscap_quota_struct(struct kscap_event_writer *w, const struct kscap_ctx *c,
			       const unsigned long *args, unsigned int get,
			       unsigned int set, void *dst, size_t len,
			       bool first, u8 field_size)
{
	u32 qcmd = kscap_qcmd(args[QARG_CMD]);

	if (!(qcmd == set || (qcmd == get && c->ret >= 0))) {
		if (field_size == 1)
			kscap_w_u8(w, 0);
		else
			kscap_w_u64(w, 0);
		return false;
	}
	if (copy_from_user_nofault(dst, (const void __user *)args[QARG_ADDR], len)) {
		if (first)
			w->faults++;
		kscap_w_empty(w);
		return false;
	}
	return true;
}

/* A quota time, in seconds, as the ABI's RELTIME (ns). */
static u64 kscap_quota_secs(u64 s)
{
	return s * NSEC_PER_SEC;
}

/*
 * struct if_dqblk's fields (all u64), by enum kscap_quota_field: where
 * each is, the dqb_valid bit that says it was set or got, and whether it
 * is a time in seconds (RELTIME: ns).
 */
static const struct {
	u8 off;
	u8 valid;
	bool secs;
} kscap_dqblk_fields[] = {
#define DQB(f, member, bit, s) \
	[KSCAP_QUOTA_##f] = { offsetof(struct if_dqblk, member), bit, s }
	DQB(BHARD, dqb_bhardlimit, QIF_BLIMITS, false),
	DQB(BSOFT, dqb_bsoftlimit, QIF_BLIMITS, false),
	DQB(CURSPACE, dqb_curspace, QIF_SPACE, false),
	DQB(IHARD, dqb_ihardlimit, QIF_ILIMITS, false),
	DQB(ISOFT, dqb_isoftlimit, QIF_ILIMITS, false),
	DQB(BTIME, dqb_btime, QIF_BTIME, true),
	DQB(ITIME, dqb_itime, QIF_ITIME, true),
#undef DQB
};

static void put_dqblk(struct kscap_event_writer *w, const struct kscap_ctx *c,
		      const unsigned long *args, unsigned int field)
{
	struct if_dqblk q;
	u64 v;

	BUILD_BUG_ON(ARRAY_SIZE(kscap_dqblk_fields) != KSCAP_QUOTA_ITIME + 1);
	if (!kscap_quota_struct(w, c, args, Q_GETQUOTA, Q_SETQUOTA, &q,
				sizeof(q), field == KSCAP_QUOTA_BHARD, 8))
		return;
	/* A field the struct does not mark valid is 0. */
	memcpy(&v, (u8 *)&q + kscap_dqblk_fields[field].off, sizeof(v));
	if (!(q.dqb_valid & kscap_dqblk_fields[field].valid))
		v = 0;
	else if (kscap_dqblk_fields[field].secs)
		v = kscap_quota_secs(v);
	kscap_w_u64(w, v);
}

static void put_dqinfo(struct kscap_event_writer *w, const struct kscap_ctx *c,
		       const unsigned long *args, unsigned int field)
{
	struct if_dqinfo q;

	if (!kscap_quota_struct(w, c, args, Q_GETINFO, Q_SETINFO, &q, sizeof(q),
				field == KSCAP_QUOTA_BGRACE,
				field == KSCAP_QUOTA_DQI_FLAGS ? 1 : 8))
		return;
	switch (field) {
	case KSCAP_QUOTA_BGRACE:
		kscap_w_u64(w, q.dqi_valid & IIF_BGRACE ?
			    kscap_quota_secs(q.dqi_bgrace) : 0);
		break;
	case KSCAP_QUOTA_IGRACE:
		kscap_w_u64(w, q.dqi_valid & IIF_IGRACE ?
			    kscap_quota_secs(q.dqi_igrace) : 0);
		break;
	default:
		kscap_w_u8(w, q.dqi_valid & IIF_FLAGS ?
			   kscap_flags_to_abi(KSCAP_AUX_QUOTACTL_DQI_FLAGS,
					      q.dqi_flags) : 0);
	}
}

KSCAP_ENCODER(kscap_enc_quotactl)
{
	u32 cmd = args[QARG_CMD], qcmd = kscap_qcmd(cmd);
	u32 fmt;

	switch (s->b) {
	case KSCAP_QUOTA_CMD:
		kscap_w_u16(w, kscap_value_to_abi(KSCAP_AUX_QUOTACTL_CMDS, cmd));
		break;
	case KSCAP_QUOTA_TYPE:
		kscap_w_u8(w, kscap_value_to_abi(KSCAP_AUX_QUOTACTL_TYPES, cmd));
		break;
	case KSCAP_QUOTA_FMT:
		/* Q_QUOTAON's id is the quota format. */
		kscap_w_u8(w, qcmd != Q_QUOTAON ? KSCAP_ABI_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED :
			   kscap_value_to_abi(KSCAP_AUX_QUOTACTL_QUOTA_FMTS, (u32)args[QARG_ID]));
		break;
	case KSCAP_QUOTA_SPECIAL:
		kscap_w_user_str(w, (const char __user *)args[QARG_SPECIAL], KSCAP_PATH_MAX);
		break;
	case KSCAP_QUOTA_QUOTAFILE:
		/* Only Q_QUOTAON names a quota file (at addr). */
		if (qcmd == Q_QUOTAON)
			kscap_w_user_str(w, (const char __user *)args[QARG_ADDR],
					 KSCAP_PATH_MAX);
		else
			kscap_w_str(w, "", 1);
		break;
	case KSCAP_QUOTA_BHARD ... KSCAP_QUOTA_ITIME:
		put_dqblk(w, c, args, s->b);
		break;
	case KSCAP_QUOTA_BGRACE ... KSCAP_QUOTA_DQI_FLAGS:
		put_dqinfo(w, c, args, s->b);
		break;
	case KSCAP_QUOTA_FMT_OUT:
		/* A successful Q_GETFMT stored the format, a u32, at addr. */
		if (qcmd != Q_GETFMT || c->ret < 0) {
			kscap_w_u8(w, KSCAP_ABI_QUOTACTL_QUOTA_FMTS_QFMT_NOT_USED);
			break;
		}
		if (copy_from_user_nofault(&fmt, (const void __user *)args[QARG_ADDR],
					   sizeof(fmt))) {
			w->faults++;
			kscap_w_empty(w);
			break;
		}
		kscap_w_u8(w, kscap_value_to_abi(KSCAP_AUX_QUOTACTL_QUOTA_FMTS, fmt));
		break;
	default:
		/* A recipe asking for a field that does not exist: a bug. */
		WARN_ON_ONCE(1);
		kscap_w_empty(w);
	}
}

/* ---- semop: the first two operations -------------------------------- */

/* semop(semid, sops, nsops) */
#define SEMOP_ARG_SOPS	1
#define SEMOP_ARG_NSOPS	2

/*
 * Field c (enum kscap_sembuf_field) of operation b of the sembuf array.
 * An operation past nsops is all 0.
 */
KSCAP_ENCODER(kscap_enc_sembuf)
{
	const struct sembuf __user *ops =
		(const struct sembuf __user *)args[SEMOP_ARG_SOPS];
	struct sembuf sb = { 0 };

	if (s->b < (u32)args[SEMOP_ARG_NSOPS] && ops &&
	    copy_from_user_nofault(&sb, ops + s->b, sizeof(sb))) {
		if (s->c == KSCAP_SEMBUF_SEM_NUM)
			w->faults++;
		kscap_w_empty(w);
		return;
	}
	switch (s->c) {
	case KSCAP_SEMBUF_SEM_NUM:
		kscap_w_u16(w, sb.sem_num);
		break;
	case KSCAP_SEMBUF_SEM_OP:
		kscap_w_u16(w, (u16)sb.sem_op);
		break;
	default:
		kscap_w_u16(w, kscap_flags_to_abi(KSCAP_AUX_SEMOP_FLAGS,
						  (u16)sb.sem_flg));
	}
}

/* ---- signaldeliver -------------------------------------------------- */

/*
 * The sender's pid, when the siginfo names one: signals sent by kill(),
 * tkill(), tgkill(), sigqueue() and mq_notify(), and SIGCHLD's child.
 * Kernel-made signals (faults, timers, SIGIO) carry other data there.
 * si_pid is as the receiver's pid namespace sees it; the header's tids
 * are the initial namespace's, so the pid is looked up again there.
 */
static pid_t kscap_sig_sender(int sig, const struct kernel_siginfo *info)
{
	struct pid_namespace *ns;
	struct pid *pid;
	pid_t nr;

	/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are not pointers. */
	if ((unsigned long)info <= (unsigned long)SEND_SIG_PRIV)
		return 0;
	switch (info->si_code) {
	case SI_USER:
	case SI_QUEUE:
	case SI_TKILL:
	case SI_MESGQ:
		break;
	default:
		if (sig != SIGCHLD || info->si_code <= 0)
			return 0;
	}
	nr = info->si_pid;
	ns = task_active_pid_ns(current);
	if (nr <= 0 || !ns || ns == &init_pid_ns)
		return nr;
	rcu_read_lock();
	pid = find_pid_ns(nr, ns);
	nr = pid ? pid_nr(pid) : 0;
	rcu_read_unlock();
	return nr;
}

void kscap_fill_signaldeliver(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct kscap_sig_data *sd = c->extra;

	kscap_w_s64(w, kscap_sig_sender(sd->sig, sd->info));	/* spid */
	kscap_w_s64(w, task_pid_nr(current));			/* dpid */
	kscap_w_u8(w, sd->sig);					/* sig */
}

/* ---- switch ---------------------------------------------------------- */

/*
 * Written as the task leaving the CPU (current), about the one coming in.
 * Only plain reads of current's own counters: no lock may be taken here.
 */
void kscap_fill_switch(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	struct mm_struct *mm = current->mm;
	unsigned long vm = 0, rss = 0, swap = 0;

	if (mm) {
		vm = READ_ONCE(mm->total_vm);
		rss = get_mm_rss(mm);
		swap = get_mm_counter(mm, MM_SWAPENTS);
	}
	kscap_w_s64(w, task_pid_nr(c->task));		/* next */
	kscap_w_u64(w, READ_ONCE(current->maj_flt));	/* pgft_maj */
	kscap_w_u64(w, READ_ONCE(current->min_flt));	/* pgft_min */
	kscap_w_u32(w, kscap_pages_to_kib(vm));	/* KiB */
	kscap_w_u32(w, kscap_pages_to_kib(rss));
	kscap_w_u32(w, kscap_pages_to_kib(swap));
}

/* ---- page_fault ------------------------------------------------------ */

void kscap_fill_page_fault(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct kscap_fault_data *fd = c->extra;

	kscap_w_u64(w, fd->addr);				/* addr */
	kscap_w_u64(w, instruction_pointer(c->regs));		/* ip */
	kscap_w_u32(w, kscap_flags_to_abi(KSCAP_AUX_PF_FLAGS, fd->error));
}

/* ---- cpu_hotplug ----------------------------------------------------- */

void kscap_fill_cpu_hotplug(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct kscap_hotplug_data *hd = c->extra;

	kscap_w_u32(w, hd->cpu);
	kscap_w_u32(w, hd->action);
}
