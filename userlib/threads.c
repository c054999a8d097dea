// SPDX-License-Identifier: MIT
/*
 * The thread table: tid -> process id, parent, comm, exe, args, cwd. It is
 * seeded from /proc (procscan.c) or a capture file's process list, then
 * kept current by the events that change it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* A generic enter not yet followed by another enter of its thread. */
struct pending {
	int64_t tid;
	int32_t nr;		/* native number, -1: none */
	int32_t id;		/* scap code */
};

struct entry {
	struct kscap_thread th;
	struct entry *next;	/* hash chain */
	char *exe, *exepath, *cwd, *args;	/* owned copies behind th's pointers */
	struct pending gen;
};

/* Threads without an entry keep theirs in a small direct-mapped cache: a
 * collision only loses a name (the exit is then plain "syscall"). */
#define ORPHANS	256

struct kscap_threads {
	struct entry **buckets;
	size_t nbuckets;	/* a power of two */
	size_t count;
	int64_t reap;		/* exited thread to drop at the next update, or -1 */
	int64_t missed[32];	/* threads /proc did not have, most recent */
	unsigned int nmissed;	/* ever added to missed[] */
	struct pending orphans[ORPHANS];
};

static size_t bucket_of(const struct kscap_threads *t, int64_t tid)
{
	uint64_t h = (uint64_t)tid * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (t->nbuckets - 1);
}

struct kscap_threads *kscap_threads_new(void)
{
	struct kscap_threads *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t)
		return NULL;
	t->nbuckets = 256;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->reap = -1;
	for (i = 0; i < ORPHANS; i++)
		t->orphans[i].nr = -1;
	return t;
}

static void entry_free(struct entry *e)
{
	free(e->exe);
	free(e->exepath);
	free(e->cwd);
	free(e->args);
	free(e);
}

void kscap_threads_free(struct kscap_threads *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		struct entry *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			entry_free(e);
		}
	}
	free(t->buckets);
	free(t);
}

static struct entry *lookup(const struct kscap_threads *t, int64_t tid)
{
	struct entry *e;

	for (e = t->buckets[bucket_of(t, tid)]; e; e = e->next)
		if (e->th.tid == tid)
			return e;
	return NULL;
}

const struct kscap_thread *kscap_threads_find(const struct kscap_threads *t,
					      int64_t tid)
{
	struct entry *e = lookup(t, tid);

	return e ? &e->th : NULL;
}

/*
 * A short memory of threads that were already gone when looked up, so
 * that their remaining events do not each cost a failed /proc lookup.
 */
bool kscap__threads_missed(const struct kscap_threads *t, int64_t tid)
{
	unsigned int i, n = t->nmissed < ARRAY_SIZE(t->missed) ? t->nmissed :
				ARRAY_SIZE(t->missed);

	for (i = 0; i < n; i++)
		if (t->missed[i] == tid)
			return true;
	return false;
}

void kscap__threads_miss(struct kscap_threads *t, int64_t tid)
{
	t->missed[t->nmissed++ % ARRAY_SIZE(t->missed)] = tid;
}

size_t kscap_threads_count(const struct kscap_threads *t)
{
	return t->count;
}

static void grow(struct kscap_threads *t)
{
	size_t old_n = t->nbuckets, i;
	struct entry **old = t->buckets;
	struct entry **nb = calloc(old_n * 2, sizeof(*nb));

	if (!nb)
		return;	/* longer chains, still correct */
	t->buckets = nb;
	t->nbuckets = old_n * 2;
	for (i = 0; i < old_n; i++) {
		struct entry *e = old[i], *next;

		for (; e; e = next) {
			size_t b = bucket_of(t, e->th.tid);

			next = e->next;
			e->next = nb[b];
			nb[b] = e;
		}
	}
	free(old);
}

/* Replace an owned string with a copy of @n bytes of @s (NUL added). */
static int set_str(char **dst, const char **view, const char *s, size_t n)
{
	char *copy = malloc(n + 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, s, n);
	copy[n] = '\0';
	free(*dst);
	*dst = copy;
	*view = copy;
	return 0;
}

static int set_cstr(char **dst, const char **view, const char *s)
{
	return set_str(dst, view, s ? s : "", s ? strlen(s) : 0);
}

static struct entry *get_or_add(struct kscap_threads *t, int64_t tid)
{
	struct entry *e = lookup(t, tid);
	size_t b;

	if (e)
		return e;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->th.tid = tid;
	e->th.pid = tid;
	e->gen.nr = -1;
	e->th.exe = e->th.exepath = e->th.cwd = e->th.args = "";
	if (t->count >= t->nbuckets)
		grow(t);
	b = bucket_of(t, tid);
	e->next = t->buckets[b];
	t->buckets[b] = e;
	t->count++;
	return e;
}

static void remove_tid(struct kscap_threads *t, int64_t tid)
{
	struct entry **pp = &t->buckets[bucket_of(t, tid)];

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->th.tid == tid) {
			struct entry *e = *pp;

			*pp = e->next;
			entry_free(e);
			t->count--;
			return;
		}
	}
}

/* The struct kscap_thread of libkscap 2.0: the least a caller has. */
#define THREAD_SIZE_2_0	(offsetof(struct kscap_thread, args_len) + sizeof(size_t))

int kscap_threads_add_sz(struct kscap_threads *t, const struct kscap_thread *caller,
			 size_t th_size)
{
	struct kscap_thread full = { 0 }, *th = &full;
	struct entry *e;

	if (th_size < THREAD_SIZE_2_0)
		return kscap__fail(-EINVAL, "struct kscap_thread of %zu bytes is too small", th_size);
	memcpy(&full, caller, th_size < sizeof(full) ? th_size : sizeof(full));
	e = get_or_add(t, th->tid);

	if (!e)
		return kscap__fail(-ENOMEM, "out of memory");
	e->th.pid = th->pid;
	e->th.ptid = th->ptid;
	e->th.uid = th->uid;
	e->th.gid = th->gid;
	memcpy(e->th.comm, th->comm, sizeof(e->th.comm));
	e->th.comm[KSCAP_COMM_LEN] = '\0';
	if (set_cstr(&e->exe, &e->th.exe, th->exe) ||
	    set_cstr(&e->exepath, &e->th.exepath, th->exepath) ||
	    set_cstr(&e->cwd, &e->th.cwd, th->cwd) ||
	    set_str(&e->args, &e->th.args, th->args ? th->args : "", th->args ? th->args_len : 0))
		return kscap__fail(-ENOMEM, "out of memory");
	e->th.args_len = th->args ? th->args_len : 0;
	return 0;
}

const struct kscap_thread *kscap_threads_next(const struct kscap_threads *t,
					      size_t *cursor)
{
	/* cursor: bucket index in the high bits, chain position in the low */
	size_t b = *cursor >> 16, k = *cursor & 0xffff;

	for (; b < t->nbuckets; b++, k = 0) {
		struct entry *e = t->buckets[b];
		size_t i;

		for (i = 0; e && i < k; i++)
			e = e->next;
		if (e) {
			*cursor = (b << 16) | (k + 1);
			return &e->th;
		}
	}
	*cursor = b << 16;
	return NULL;
}

int kscap_threads_descends(const struct kscap_threads *t, int64_t tid, int64_t pid)
{
	const struct kscap_thread *th = kscap_threads_find(t, tid);
	int depth;

	if (tid == pid)
		return 1;
	/* Walk up the creators; the depth bound guards against loops a
	 * corrupt table could hold. */
	for (depth = 0; th && depth < 256; depth++) {
		if (th->pid == pid)
			return 1;
		if (th->ptid == th->tid || th->ptid <= 0)
			return 0;
		th = kscap_threads_find(t, th->ptid);
	}
	return 0;
}

/* ---- updates from events ---- */

static bool get_int(const struct kscap_evt *evt, const char *name, int64_t *v)
{
	const struct kscap_param *p = kscap_evt_param(evt, name);

	return p && !kscap_param_int(p, v);
}

static int copy_str_param(const struct kscap_evt *evt, const char *name,
			  char **dst, const char **view)
{
	const struct kscap_param *p = kscap_evt_param(evt, name);

	if (!p)
		return 0;
	return set_str(dst, view, (const char *)p->val,
		       strnlen((const char *)p->val, p->len));
}

static bool is_execve_exit(unsigned int type)
{
	return type == KSCAP_EV_EXECVE_X || type == KSCAP_EV_EXECVE_OLD_X;
}

/* Fill @e from the process fields a clone or execve exit event carries. */
static int fill_from_event(struct entry *e, const struct kscap_evt *evt)
{
	const struct kscap_param *p;
	int64_t v;

	if (get_int(evt, "pid", &v))
		e->th.pid = v;
	if (get_int(evt, "ptid", &v))
		e->th.ptid = v;
	if (get_int(evt, "uid", &v))
		e->th.uid = (uint32_t)v;
	if (get_int(evt, "gid", &v))
		e->th.gid = (uint32_t)v;
	p = kscap_evt_param(evt, "comm");
	if (p) {
		size_t n = strnlen((const char *)p->val, p->len);

		if (n > KSCAP_COMM_LEN)
			n = KSCAP_COMM_LEN;
		memcpy(e->th.comm, p->val, n);
		e->th.comm[n] = '\0';
	}
	p = kscap_evt_param(evt, "args");
	if (p) {
		if (set_str(&e->args, &e->th.args, (const char *)p->val, p->len))
			return -ENOMEM;
		e->th.args_len = p->len;
	}
	if (copy_str_param(evt, "exe", &e->exe, &e->th.exe) ||
	    copy_str_param(evt, "cwd", &e->cwd, &e->th.cwd))
		return -ENOMEM;
	/* An execve names the program anew; its path is known only when
	 * argv[0] is one. */
	if (is_execve_exit(evt->type) &&
	    set_cstr(&e->exepath, &e->th.exepath, e->th.exe[0] == '/' ? e->th.exe : ""))
		return -ENOMEM;
	return 0;
}

/* The parent's side of a clone: the child may not have run yet. */
static int add_child(struct kscap_threads *t, const struct kscap_evt *evt,
		     int64_t child)
{
	struct entry *parent, *e;
	int64_t flags = 0;

	if (lookup(t, child))
		return 0;	/* the child's own event came first */
	parent = get_or_add(t, (int64_t)evt->tid);
	if (!parent || fill_from_event(parent, evt))
		return -ENOMEM;
	e = get_or_add(t, child);
	if (!e)
		return -ENOMEM;
	/* parent is still valid: entries never move when the table grows */
	get_int(evt, "flags", &flags);
	e->th.pid = (flags & KSCAP_ABI_CLONE_FLAGS_CLONE_THREAD) ? parent->th.pid : child;
	e->th.ptid = parent->th.tid;
	e->th.uid = parent->th.uid;
	e->th.gid = parent->th.gid;
	memcpy(e->th.comm, parent->th.comm, sizeof(e->th.comm));
	if (set_cstr(&e->exe, &e->th.exe, parent->th.exe) ||
	    set_cstr(&e->exepath, &e->th.exepath, parent->th.exepath) ||
	    set_cstr(&e->cwd, &e->th.cwd, parent->th.cwd) ||
	    set_str(&e->args, &e->th.args, parent->th.args, parent->th.args_len))
		return -ENOMEM;
	e->th.args_len = parent->th.args_len;
	return 0;
}

/*
 * The generic exit carries only the scap code, which syscalls without a
 * row of their own share (0): remember the native number its enter had,
 * so that both halves are named alike. Any other enter forgets it.
 */
static const struct pending *pending_of(const struct kscap_threads *t, int64_t tid)
{
	const struct entry *e = lookup(t, tid);

	uint64_t h = (uint64_t)tid * 0x9e3779b97f4a7c15ULL;

	return e ? &e->gen : &t->orphans[(h >> 32) % ORPHANS];
}

static void note_enter(struct kscap_threads *t, const struct kscap_evt *evt)
{
	struct pending *p = (struct pending *)pending_of(t, (int64_t)evt->tid);
	int64_t nr, id;

	if (evt->type == KSCAP_EV_GENERIC_E && get_int(evt, "nativeID", &nr) &&
	    get_int(evt, "ID", &id)) {
		p->tid = (int64_t)evt->tid;
		p->nr = (int32_t)nr;
		p->id = (int32_t)id;
	} else if (p->tid == (int64_t)evt->tid) {
		p->nr = -1;
	}
}

const char *kscap_threads_evt_name(const struct kscap_threads *t,
				   const struct kscap_evt *evt)
{
	const struct pending *p;
	const char *name;
	int64_t id;

	if (evt->type != KSCAP_EV_GENERIC_X || !t || !get_int(evt, "ID", &id))
		return kscap_evt_name(evt);
	p = pending_of(t, (int64_t)evt->tid);
	/* the enter must be this exit's own: same thread, same scap code */
	if (p->tid != (int64_t)evt->tid || p->nr < 0 || p->id != id)
		return kscap_evt_name(evt);
	name = kscap_syscall_name((unsigned int)p->nr);
	return name ? name : kscap_evt_name(evt);
}

int kscap_threads_update(struct kscap_threads *t, const struct kscap_evt *evt)
{
	const struct kscap_event_info *info;
	int64_t res;
	struct entry *e;

	if (t->reap >= 0) {
		remove_tid(t, t->reap);
		t->reap = -1;
	}
	if (!KSCAP_EV_IS_EXIT(evt->type))
		note_enter(t, evt);
	if (evt->type == KSCAP_EV_PROCEXIT_E) {
		t->reap = (int64_t)evt->tid;
		return 0;
	}
	/* The rest: clone, fork, vfork and execve exits (the table's
	 * process-state rows). */
	info = kscap_event_info(evt->type);
	if (!info || !(info->flags & KSCAP_EF_PROC_STATE) || !KSCAP_EV_IS_EXIT(evt->type))
		return 0;
	if (!get_int(evt, "res", &res) || res < 0)
		return 0;	/* failed: nothing changed */
	/* A clone's parent side: the child's pid. */
	if (res > 0 && !is_execve_exit(evt->type))
		return add_child(t, evt, res) ? kscap__fail(-ENOMEM, "out of memory") : 0;
	/* The child's side of a clone, or a successful execve. */
	e = get_or_add(t, (int64_t)evt->tid);
	if (!e || fill_from_event(e, evt))
		return kscap__fail(-ENOMEM, "out of memory");
	return 0;
}
