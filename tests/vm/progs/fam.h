/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fam: what the per-family decoding tests (fam_*.c) share.
 *
 * A family test makes its calls with capture on and, right after each
 * one, writes down what the module must have recorded: "thread T made an
 * open; the exit event has fd = 3, name = "/tmp/x", ...". Expectations
 * live in a shared anonymous mapping, so forked children add theirs to
 * the same list, and nothing is allocated while capturing (a malloc could
 * add brk or mmap calls that the memory test counts).
 *
 * Once capture is off, every ring is walked (kt_walk fails on any badly
 * formed event, ours or not), the events are put in time order, and each
 * expectation is looked up among the events of its thread: the next
 * event of that type after the previous match and, for a syscall, the
 * exit event right after its enter. Every mismatch is printed; the first
 * one is the test's failure reason. A missing event is a mismatch, so a
 * module that emits nothing fails every check.
 *
 * Header-only: the Makefile makes a program of every .c file.
 */
#ifndef FAM_H
#define FAM_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

/* The ABI's flag values, as ABI_<TABLE>_<NAME> (uapi/kscap_flags.h). */
enum {
#define KSCAP_FLAG(table, name, value) ABI_##table##_##name = (value),
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

/* scap syscall code of each native syscall (0: none). */
static const uint16_t fam_sc_code[512] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) [nr] = (code),
#ifdef __aarch64__
#include "kscap_syscalls_arm64.h"
#else
#include "kscap_syscalls_x86_64.h"
#endif
#undef KSCAP_SYSCALL
};

#define FAM_MAX_EXP	600
#define FAM_MAX_CHK	24
#define FAM_POOL	(512 * 1024)
#define FAM_MAX_TIDS	64

enum fam_kind { FAM_INT, FAM_STR, FAM_BUF, FAM_EMPTY, FAM_RANGE, FAM_NONEMPTY, FAM_ID };

/*
 * Ids the test cannot know (opaque socket ids): id k (1..FAM_MAX_IDS-1)
 * takes the first value the events show for it; every later use must
 * show the same value, none may be 0, and the two ids of one buffer must
 * differ (a freed socket's id may come back, so no wider rule holds).
 */
#define FAM_MAX_IDS	32

struct fam_chk {
	const char *param;	/* a literal: the same address in forked children */
	uint8_t x;		/* 0: the enter event, 1: the exit */
	uint8_t kind;
	uint32_t off, len;	/* FAM_STR, FAM_BUF: bytes in the pool */
	u64 v, hi;		/* FAM_INT: v; FAM_RANGE: [v, hi]; FAM_ID: id v */
	/* FAM_BUF: up to two u64 ids at these byte offsets (id 0: none) */
	uint8_t id_off[2], id[2];
};

struct fam_exp {
	pid_t tid;
	uint16_t type;
	uint8_t pair;		/* type is a syscall enter; its exit follows */
	uint8_t nchk;
	uint32_t what;		/* label, in the pool */
	struct fam_chk chk[FAM_MAX_CHK];
};

struct fam_store {
	unsigned int n;
	uint32_t pool_used;
	struct fam_exp exp[FAM_MAX_EXP];
	char pool[FAM_POOL];
};

static struct fam_store *fam_st;

struct fam {
	struct kt_dev d;
	unsigned int cpu;
	u64 head0[256];
	u64 t0, t1;
	u64 faults;		/* user reads the module could not make */
	struct kt_ev *ev;
	size_t n, cap;
};

/* Where the store's bytes go; fails the test when it is full. */
static uint32_t fam_pool_put(const void *p, size_t len)
{
	uint32_t off = fam_st->pool_used;

	if (len > FAM_POOL - off)
		kt_fail("fam: expectation pool full");
	memcpy(fam_st->pool + off, p, len);
	fam_st->pool_used += len;
	return off;
}

/* Call once, before any fork: the list every process appends to. */
static void fam_init(void)
{
	void *m = mmap(NULL, sizeof(*fam_st), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		kt_fail("fam: mmap of the expectation store: %m");
	fam_st = m;
}

static void fam_vnew(pid_t tid, unsigned int type, int pair, const char *fmt, va_list ap)
{
	struct fam_exp *e;
	char what[256];

	if (fam_st->n >= FAM_MAX_EXP)
		kt_fail("fam: more than %d expectations", FAM_MAX_EXP);
	vsnprintf(what, sizeof(what), fmt, ap);
	e = &fam_st->exp[fam_st->n];
	memset(e, 0, sizeof(*e));
	e->tid = tid;
	e->type = type;
	e->pair = pair;
	e->what = fam_pool_put(what, strlen(what) + 1);
	fam_st->n++;
}

/* A syscall of @tid whose enter event is @enter; the exit must follow. */
static __attribute__((format(printf, 3, 4), unused))
void fam_call(pid_t tid, unsigned int enter, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fam_vnew(tid, enter, 1, fmt, ap);
	va_end(ap);
}

/* A lone event of @tid (a child's clone exit, procexit). */
static __attribute__((format(printf, 3, 4), unused))
void fam_one(pid_t tid, unsigned int type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fam_vnew(tid, type, 0, fmt, ap);
	va_end(ap);
}

static struct fam_chk *fam_chk_new(int x, const char *param, int kind)
{
	struct fam_exp *e;
	struct fam_chk *c;

	if (!fam_st->n)
		kt_fail("fam: a check before any expectation");
	e = &fam_st->exp[fam_st->n - 1];
	if (e->nchk >= FAM_MAX_CHK)
		kt_fail("fam: more than %d checks for one call", FAM_MAX_CHK);
	c = &e->chk[e->nchk++];
	memset(c, 0, sizeof(*c));
	c->param = param;
	c->x = x;
	c->kind = kind;
	return c;
}

static __attribute__((unused)) void fam_int(int x, const char *param, u64 v)
{
	fam_chk_new(x, param, FAM_INT)->v = v;
}

static __attribute__((unused)) void fam_range(int x, const char *param, u64 lo, u64 hi)
{
	struct fam_chk *c = fam_chk_new(x, param, FAM_RANGE);

	c->v = lo;
	c->hi = hi;
}

static __attribute__((unused)) void fam_buf(int x, const char *param, const void *p, size_t len)
{
	struct fam_chk *c = fam_chk_new(x, param, FAM_BUF);

	c->off = fam_pool_put(p, len);
	c->len = len;
}

/* A string parameter: the bytes and their NUL. */
static __attribute__((unused)) void fam_str(int x, const char *param, const char *s)
{
	struct fam_chk *c = fam_chk_new(x, param, FAM_STR);

	c->len = strlen(s) + 1;
	c->off = fam_pool_put(s, c->len);
}

/* A u64 parameter that is id @id (see FAM_MAX_IDS). */
static __attribute__((unused)) void fam_id(int x, const char *param, unsigned int id)
{
	KT_CHECK(id && id < FAM_MAX_IDS, "test bug: id %u", id);
	fam_chk_new(x, param, FAM_ID)->v = id;
}

/* Make the last check, a buffer, hold id @id at byte @off (slot 0 or 1). */
static __attribute__((unused)) void fam_buf_id(unsigned int slot, unsigned int off, unsigned int id)
{
	struct fam_exp *e = &fam_st->exp[fam_st->n - 1];
	struct fam_chk *c = &e->chk[e->nchk - 1];

	KT_CHECK(c->kind == FAM_BUF && slot < 2 && off + 8 <= c->len && id && id < FAM_MAX_IDS,
		 "test bug: id %u at %u", id, off);
	c->id_off[slot] = off;
	c->id[slot] = id;
}

static __attribute__((unused)) void fam_empty(int x, const char *param)
{
	fam_chk_new(x, param, FAM_EMPTY);
}

static __attribute__((unused)) void fam_nonempty(int x, const char *param)
{
	fam_chk_new(x, param, FAM_NONEMPTY);
}

/*
 * Shorthands: E_ checks the enter event, X_ the exit (for a lone event,
 * either means the event).
 */
#define E_INT(p, v)	fam_int(0, p, (u64)(v))
#define X_INT(p, v)	fam_int(1, p, (u64)(v))
#define E_STR(p, s)	fam_str(0, p, s)
#define X_STR(p, s)	fam_str(1, p, s)
#define E_BUF(p, b, n)	fam_buf(0, p, b, n)
#define X_BUF(p, b, n)	fam_buf(1, p, b, n)
#define E_EMPTY(p)	fam_empty(0, p)
#define X_EMPTY(p)	fam_empty(1, p)
#define X_RANGE(p, lo, hi) fam_range(1, p, (u64)(lo), (u64)(hi))
#define X_SOME(p)	fam_nonempty(1, p)
#define X_ID(p, k)	fam_id(1, p, k)

/* Capture: open and map the device, pin to one CPU, enable. */
static __attribute__((unused)) void fam_begin(struct fam *f)
{
	struct kscap_counters c;
	unsigned int cpu;

	memset(f, 0, sizeof(*f));
	kt_open(&f->d);
	KT_CHECK(f->d.g.ncpus <= 256, "%u CPUs: raise the test's limit", f->d.g.ncpus);
	/* Children inherit the pinning: one ring holds all of the test's events, in order. */
	f->cpu = kt_pick_cpu();
	kt_pin(f->cpu);
	for (cpu = 0; cpu < f->d.g.ncpus; cpu++)
		f->head0[cpu] = kt_head(&f->d, cpu);
	kt_stats(&f->d, KSCAP_ALL_CPUS, &c);
	f->faults = c.faults;
	f->t0 = kt_now_ns();
	kt_ioctl(&f->d, KSCAP_IOC_ENABLE, 0, "ENABLE");
}

static void fam_collect(const struct kt_ev *ev, void *arg)
{
	struct fam *f = arg;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 4096;
		f->ev = realloc(f->ev, f->cap * sizeof(*f->ev));
		KT_CHECK(f->ev, "out of memory");
	}
	f->ev[f->n++] = *ev;
}

static int fam_cmp(const void *a, const void *b)
{
	const struct kt_ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Disable, walk every ring (all events must be well formed), sort. */
static __attribute__((unused)) void fam_end(struct fam *f)
{
	struct kscap_counters c;
	unsigned int cpu;

	kt_ioctl(&f->d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	f->t1 = kt_now_ns();
	for (cpu = 0; cpu < f->d.g.ncpus; cpu++)
		kt_walk(&f->d, cpu, f->head0[cpu], kt_head(&f->d, cpu), fam_collect, f);
	qsort(f->ev, f->n, sizeof(*f->ev), fam_cmp);
	kt_check_counters(&f->d);
	kt_stats(&f->d, KSCAP_ALL_CPUS, &c);
	f->faults = c.faults - f->faults;
	kt_log("%zu events captured; drops: full %llu, toolong %llu, nested %llu; faults %llu",
	       f->n, (unsigned long long)kt_drops_full(&c), (unsigned long long)c.drops_toolong,
	       (unsigned long long)c.drops_nested, (unsigned long long)f->faults);
}

/* ---- verification ---- */

static unsigned int fam_nbad, fam_nok;
static char fam_first[400];

static __attribute__((format(printf, 1, 2))) void fam_bad(const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "MISMATCH: %s\n", msg);
	if (!fam_nbad++)
		snprintf(fam_first, sizeof(fam_first), "%s", msg);
}

static u64 fam_ids[FAM_MAX_IDS];	/* 0: not seen yet */

/* Whether @v may be id @k: the first value it takes, and no other id's. */
static int fam_id_ok(const char *what, unsigned int k, u64 v)
{
	if (!v) {
		fam_bad("%s: id %u is 0", what, k);
		return 0;
	}
	if (fam_ids[k]) {
		if (fam_ids[k] != v)
			fam_bad("%s: id %u is 0x%llx, was 0x%llx before", what, k,
				(unsigned long long)v, (unsigned long long)fam_ids[k]);
		return fam_ids[k] == v;
	}
	fam_ids[k] = v;
	return 1;
}

static const char *fam_evname(unsigned int type)
{
	static char buf[4][48];
	static int k;
	char *b = buf[k++ & 3];

	if (type < KSCAP_EV_MAX && kt_events[type].name)
		snprintf(b, 48, "%s%s(%u)", KSCAP_EV_IS_EXIT(type) ? "<" : ">",
			 kt_events[type].name, type);
	else
		snprintf(b, 48, "type %u", type);
	return b;
}

static int fam_param_idx(unsigned int type, const char *name)
{
	const struct kscap_event_info *info = &kt_events[type];
	int i;

	for (i = 0; i < info->nparams; i++)
		if (!strcmp(info->params[i].name, name))
			return i;
	return -1;
}

static void fam_show_bytes(char *out, size_t outlen, const unsigned char *p, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 5 < outlen; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			out[o++] = p[i];
		else
			o += snprintf(out + o, outlen - o, "\\x%02x", p[i]);
	}
	if (i < n && o + 4 < outlen)
		snprintf(out + o, outlen - o, "...");
	else
		out[o] = '\0';
}

static void fam_check_one(const char *what, const struct kt_ev *ev, const struct fam_chk *c)
{
	int i = fam_param_idx(ev->type, c->param);
	const char *en = fam_evname(ev->type);
	unsigned int len;
	char got[200], want[200];
	u64 v, mask;

	if (i < 0) {
		fam_bad("%s: test bug: %s has no parameter '%s'", what, en, c->param);
		return;
	}
	len = ev->plen[i];
	switch (c->kind) {
	case FAM_EMPTY:
		if (len) {
			fam_show_bytes(got, sizeof(got), ev->pval[i], len);
			fam_bad("%s: %s %s is %u bytes (%s), want empty", what, en, c->param, len, got);
			return;
		}
		break;
	case FAM_NONEMPTY:
		if (!len) {
			fam_bad("%s: %s %s is empty", what, en, c->param);
			return;
		}
		break;
	case FAM_INT:
	case FAM_RANGE:
		if (!len || len > 8) {
			fam_bad("%s: %s %s is %u bytes, want an integer", what, en, c->param, len);
			return;
		}
		v = kt_uparam(ev, i);
		mask = len == 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
		if (c->kind == FAM_INT && v != (c->v & mask)) {
			fam_bad("%s: %s %s = %lld (0x%llx), want %lld (0x%llx)", what, en, c->param,
				(long long)kt_sparam(ev, i), (unsigned long long)v,
				(long long)c->v, (unsigned long long)(c->v & mask));
			return;
		}
		if (c->kind == FAM_RANGE && (v < c->v || v > c->hi)) {
			fam_bad("%s: %s %s = %llu, want %llu..%llu", what, en, c->param,
				(unsigned long long)v, (unsigned long long)c->v,
				(unsigned long long)c->hi);
			return;
		}
		break;
	case FAM_ID:
		if (len != 8) {
			fam_bad("%s: %s %s is %u bytes, want an id", what, en, c->param, len);
			return;
		}
		if (!fam_id_ok(what, c->v, kt_uparam(ev, i)))
			return;
		break;
	case FAM_STR:
	case FAM_BUF:
		if (len == c->len && (c->id[0] || c->id[1])) {
			/* The id slots hold what the event has, once checked. */
			unsigned char *want_b = (unsigned char *)fam_st->pool + c->off;
			u64 seen[2] = { 0, 0 };
			unsigned int s;
			u64 idv;


			for (s = 0; s < 2; s++) {
				if (!c->id[s])
					continue;
				memcpy(&idv, ev->pval[i] + c->id_off[s], 8);
				if (!fam_id_ok(what, c->id[s], idv))
					return;
				memcpy(want_b + c->id_off[s], &idv, 8);
				seen[s] = idv;
			}
			if (c->id[0] && c->id[1] && c->id[0] != c->id[1] && seen[0] == seen[1]) {
				fam_bad("%s: %s %s: ids %u and %u are both 0x%llx", what, en,
					c->param, c->id[0], c->id[1], (unsigned long long)seen[0]);
				return;
			}
		}
		if (len != c->len || memcmp(ev->pval[i], fam_st->pool + c->off, len)) {
			fam_show_bytes(got, sizeof(got), ev->pval[i], len);
			fam_show_bytes(want, sizeof(want),
				       (const unsigned char *)fam_st->pool + c->off, c->len);
			fam_bad("%s: %s %s = \"%s\" (%u bytes), want \"%s\" (%u bytes)", what, en,
				c->param, got, len, want, c->len);
			return;
		}
		break;
	}
	fam_nok++;
}

/* The types of @tid's events from @from on, to show what came instead. */
static void fam_show_tid(const struct fam *f, pid_t tid, size_t from)
{
	char line[600];
	size_t i, o = 0, k = 0;

	for (i = from; i < f->n && k < 16; i++) {
		if (f->ev[i].tid != (u64)tid)
			continue;
		o += snprintf(line + o, sizeof(line) - o, " %s", fam_evname(f->ev[i].type));
		k++;
		if (o >= sizeof(line) - 60)
			break;
	}
	fprintf(stderr, "  tid %d's events from there:%s\n", tid, k ? line : " none");
}

static size_t fam_next_of(const struct fam *f, pid_t tid, size_t from)
{
	while (from < f->n && f->ev[from].tid != (u64)tid)
		from++;
	return from;
}

/* Check every expectation; fails the test on any mismatch. */
static __attribute__((unused)) void fam_verify(struct fam *f)
{
	struct { pid_t tid; size_t cur; } cur[FAM_MAX_TIDS];
	unsigned int ncur = 0, k, j;

	for (k = 0; k < fam_st->n; k++) {
		const struct fam_exp *e = &fam_st->exp[k];
		const char *what = fam_st->pool + e->what;
		const struct kt_ev *ee, *xe = NULL;
		size_t i, *cp = NULL;

		for (j = 0; j < ncur; j++)
			if (cur[j].tid == e->tid)
				cp = &cur[j].cur;
		if (!cp) {
			KT_CHECK(ncur < FAM_MAX_TIDS, "fam: too many threads");
			cur[ncur].tid = e->tid;
			cur[ncur].cur = 0;
			cp = &cur[ncur++].cur;
		}
		for (i = *cp; i < f->n; i++)
			if (f->ev[i].tid == (u64)e->tid && f->ev[i].type == e->type)
				break;
		if (i == f->n) {
			fam_bad("%s: no %s event of tid %d", what, fam_evname(e->type), e->tid);
			fam_show_tid(f, e->tid, *cp);
			continue;
		}
		ee = &f->ev[i];
		*cp = i + 1;
		if (ee->ts < f->t0 - 1000000000ULL || ee->ts > f->t1 + 1000000000ULL)
			fam_bad("%s: %s at ts %llu, outside the capture [%llu, %llu] (1 s slack)",
				what, fam_evname(ee->type), (unsigned long long)ee->ts,
				(unsigned long long)f->t0, (unsigned long long)f->t1);
		if (e->pair) {
			size_t n = fam_next_of(f, e->tid, i + 1);

			if (n == f->n || f->ev[n].type != e->type + 1) {
				fam_bad("%s: %s is followed by %s, not by its exit", what,
					fam_evname(e->type),
					n == f->n ? "nothing" : fam_evname(f->ev[n].type));
			} else {
				xe = &f->ev[n];
				*cp = n + 1;
			}
		}
		for (j = 0; j < e->nchk; j++) {
			const struct fam_chk *c = &e->chk[j];
			const struct kt_ev *ev = !e->pair ? ee : c->x ? xe : ee;

			if (ev)
				fam_check_one(what, ev, c);
		}
	}
	kt_log("%u expectations, %u parameter checks passed, %u mismatches",
	       fam_st->n, fam_nok, fam_nbad);
	if (fam_nbad)
		kt_fail("%u mismatch%s; first: %s", fam_nbad, fam_nbad > 1 ? "es" : "", fam_first);
}

/* ---- helpers for the workloads ---- */

/* The kernel's new_encode_dev() of a userspace dev_t. */
static __attribute__((unused)) uint32_t fam_encode_dev(dev_t dev)
{
	unsigned int ma = major(dev), mi = minor(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffU) << 12);
}

/* A raw syscall's result as the kernel returned it: -errno on failure. */
static __attribute__((unused)) long fam_ret(long r)
{
	return r == -1 ? -errno : r;
}
#define SC(...)	fam_ret(syscall(__VA_ARGS__))

/* open(2) as a raw syscall where it exists; arm64 has openat only. */
#ifdef SYS_open
#define FAM_OPEN(path, flags, mode)	SC(SYS_open, path, flags, mode)
#else
#define FAM_OPEN(path, flags, mode)	SC(SYS_openat, AT_FDCWD, path, flags, mode)
#endif

/* Read a whole small file with raw syscalls (no stdio, no malloc). */
static __attribute__((unused)) ssize_t fam_read_file(const char *path, char *buf, size_t len)
{
#ifdef SYS_open
	int fd = (int)syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
#else	/* arm64 (asm-generic) has openat only */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
#endif
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1 &&
	       (n = syscall(SYS_read, fd, buf + got, len - 1 - got)) > 0)
		got += n;
	syscall(SYS_close, fd);
	buf[got] = '\0';
	return got;
}

/* A "Name:   value kB" field of /proc/self/status, in kB (-1 if absent). */
static __attribute__((unused)) long fam_status_kb(const char *field)
{
	char buf[4096], *p;
	size_t fl = strlen(field);

	if (fam_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, field, fl) && p[fl] == ':')
			return strtol(p + fl + 1, NULL, 10);
	return -1;
}

/* Wait for @pid; fails the test unless it exited with @code. */
static __attribute__((unused)) void fam_wait(pid_t pid, int code, const char *what)
{
	int st;

	if (waitpid(pid, &st, __WALL) != pid)
		kt_fail("waitpid %s (%d): %m", what, pid);
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code,
		 "%s (pid %d) ended with status 0x%x, want exit %d", what, pid, st, code);
}

#endif /* FAM_H */
