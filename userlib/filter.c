// SPDX-License-Identifier: MIT
/*
 * Filters. Each kind (pid, tid, comm, event, direction, failed, category,
 * default set) holds a list of accepted values; an event passes if it
 * passes every kind that has values. What depends only on the event type
 * becomes a mask the module applies itself (kscap_filter_push).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"


struct id_rule {
	int64_t id;		/* a pid or a tid */
	bool descendants;
};

struct kscap_filter {
	struct id_rule *pids;
	size_t npids;
	struct id_rule *tids;
	size_t ntids;
	char **comms;
	size_t ncomms;
	bool have_types;
	uint8_t types[KSCAP_MASK_BYTES];	/* event types named by -e */
	char **syscalls;		/* syscall names only generic events carry */
	size_t nsyscalls;
	unsigned int *cats;
	size_t ncats;
	char dir;			/* 0, '>' or '<' */
	bool failed;
	bool default_set;
};

static void bit_set(uint8_t *map, unsigned int i)
{
	map[i / 8] |= (uint8_t)(1U << (i % 8));
}

static bool bit_get(const uint8_t *map, unsigned int i)
{
	return map[i / 8] & (1U << (i % 8));
}

struct kscap_filter *kscap_filter_new(void)
{
	return calloc(1, sizeof(struct kscap_filter));
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void kscap_filter_free(struct kscap_filter *f)
{
	if (!f)
		return;
	free(f->pids);
	free(f->tids);
	free_strv(f->comms, f->ncomms);
	free_strv(f->syscalls, f->nsyscalls);
	free(f->cats);
	free(f);
}

/* Grow *@v by one element of @size bytes; NULL if out of memory. */
static void *push(void *v, size_t *n, size_t size)
{
	void *nv = realloc(v, (*n + 1) * size);

	if (nv)
		(*n)++;
	return nv;
}

static int add_str(char ***v, size_t *n, const char *s)
{
	char *copy = strdup(s);
	char **nv;

	if (!copy)
		return kscap__fail(-ENOMEM, "out of memory");
	nv = push(*v, n, sizeof(char *));
	if (!nv) {
		free(copy);
		return kscap__fail(-ENOMEM, "out of memory");
	}
	nv[*n - 1] = copy;
	*v = nv;
	return 0;
}

static int add_rule(struct id_rule **v, size_t *n, int64_t id, int descendants)
{
	struct id_rule *nv = push(*v, n, sizeof(*nv));

	if (!nv)
		return kscap__fail(-ENOMEM, "out of memory");
	nv[*n - 1].id = id;
	nv[*n - 1].descendants = descendants;
	*v = nv;
	return 0;
}

int kscap_filter_pid(struct kscap_filter *f, int64_t pid, int descendants)
{
	return add_rule(&f->pids, &f->npids, pid, descendants);
}

int kscap_filter_tid(struct kscap_filter *f, int64_t tid, int descendants)
{
	return add_rule(&f->tids, &f->ntids, tid, descendants);
}

int kscap_filter_comm(struct kscap_filter *f, const char *comm)
{
	return add_str(&f->comms, &f->ncomms, comm);
}

int kscap_filter_type(struct kscap_filter *f, unsigned int type)
{
	if (!kscap_event_info(type))
		return kscap__fail(-EINVAL, "no event type %u", type);
	bit_set(f->types, type);
	f->have_types = true;
	return 0;
}

/* One name: every event type called so, or a syscall generic events carry. */
static int add_event_name(struct kscap_filter *f, const char *name)
{
	unsigned int type;
	bool found = false;

	for (type = 0; type < KSCAP_EV_MAX; type++) {
		const struct kscap_event_info *info = kscap_event_info(type);

		if (info && !strcmp(info->name, name)) {
			bit_set(f->types, type);
			found = true;
		}
	}
	if (!found) {
		if (kscap_syscall_by_name(name) < 0)
			return kscap__fail(-ENOENT, "unknown event or syscall: %s", name);
		if (add_str(&f->syscalls, &f->nsyscalls, name))
			return -ENOMEM;
	}
	f->have_types = true;
	return 0;
}

int kscap_filter_events(struct kscap_filter *f, const char *names)
{
	char *copy = strdup(names), *save = NULL, *tok;
	int err = 0;

	if (!copy)
		return kscap__fail(-ENOMEM, "out of memory");
	/* An empty list, or an empty name in it, is a mistake: taken as
	 * nothing, it would let every event through. */
	for (tok = copy; !err; tok = save + 1) {
		save = strchr(tok, ',');
		if (save)
			*save = '\0';
		if (!*tok)
			err = kscap__fail(-EINVAL, "empty event name in '%s'", names);
		else
			err = add_event_name(f, tok);
		if (!save)
			break;
	}
	free(copy);
	return err;
}

int kscap_filter_dir(struct kscap_filter *f, char dir)
{
	if (dir != '>' && dir != '<')
		return kscap__fail(-EINVAL, "direction must be '>' or '<', not '%c'", dir);
	f->dir = dir;
	return 0;
}

int kscap_filter_failed(struct kscap_filter *f)
{
	f->failed = true;
	return 0;
}

int kscap_filter_default_set(struct kscap_filter *f)
{
	f->default_set = true;
	return 0;
}

static int add_cat(struct kscap_filter *f, unsigned int cat)
{
	unsigned int *nv = push(f->cats, &f->ncats, sizeof(*nv));

	if (!nv)
		return kscap__fail(-ENOMEM, "out of memory");
	nv[f->ncats - 1] = cat;
	f->cats = nv;
	return 0;
}

int kscap_filter_category(struct kscap_filter *f, const char *name)
{
	/* Shorter names for groups of categories, as strace-like tools
	 * label them. */
	static const struct {
		const char *alias;
		unsigned int cats[3];
	} groups[] = {
		{ "io", { KSCAP_CAT_IO_READ, KSCAP_CAT_IO_WRITE, KSCAP_CAT_IO_OTHER } },
		{ "fs", { KSCAP_CAT_FILE } },
		{ "mem", { KSCAP_CAT_MEMORY } },
		{ "proc", { KSCAP_CAT_PROCESS } },
		{ "sig", { KSCAP_CAT_SIGNAL } },
	};
	size_t i, j;
	int cat;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		if (strcmp(groups[i].alias, name))
			continue;
		for (j = 0; j < 3 && groups[i].cats[j]; j++)
			if (add_cat(f, groups[i].cats[j]))
				return -ENOMEM;
		return 0;
	}
	cat = kscap_category_by_name(name);
	if (cat < 0)
		return kscap__fail(-EINVAL, "unknown category: %s", name);
	return add_cat(f, (unsigned int)cat);
}

/* ---- matching ---- */

static bool is_generic(unsigned int type)
{
	return type == KSCAP_EV_GENERIC_E || type == KSCAP_EV_GENERIC_X;
}

/* The parts that depend on the type alone (what the kernel can do). */
static bool type_passes(const struct kscap_filter *f, unsigned int type)
{
	const struct kscap_event_info *info = kscap_event_info(type);
	size_t i;

	if (!info)
		return false;
	if (f->have_types && !bit_get(f->types, type) &&
	    !(is_generic(type) && f->nsyscalls))
		return false;
	if (f->dir && (f->dir == '<') != (bool)KSCAP_EV_IS_EXIT(type))
		return false;
	if (f->default_set && !(info->flags & KSCAP_EF_DEFAULT_SET))
		return false;
	if (f->ncats) {
		for (i = 0; i < f->ncats; i++)
			if (info->category == f->cats[i])
				break;
		if (i == f->ncats)
			return false;
	}
	return true;
}

static bool generic_passes(const struct kscap_filter *f, const struct kscap_evt *evt,
			   const struct kscap_threads *t)
{
	const char *name;
	size_t i;

	if (!f->have_types || !is_generic(evt->type) || bit_get(f->types, evt->type))
		return true;
	name = kscap_threads_evt_name(t, evt);
	for (i = 0; i < f->nsyscalls; i++)
		if (!strcmp(f->syscalls[i], name))
			return true;
	return false;
}

static bool pid_passes(const struct kscap_filter *f, const struct kscap_evt *evt,
		       const struct kscap_threads *t)
{
	const struct kscap_thread *th = t ? kscap_threads_find(t, (int64_t)evt->tid) : NULL;
	size_t i;

	for (i = 0; i < f->npids; i++) {
		const struct id_rule *r = &f->pids[i];

		if ((int64_t)evt->tid == r->id || (th && th->pid == r->id))
			return true;
		if (r->descendants && t && kscap_threads_descends(t, (int64_t)evt->tid, r->id))
			return true;
	}
	return false;
}

/* Thread @tid is @target or was created by it, directly or not. */
static bool created_by(const struct kscap_threads *t, int64_t tid, int64_t target)
{
	const struct kscap_thread *th = kscap_threads_find(t, tid);
	int depth;

	for (depth = 0; th && depth < 256; depth++) {
		if (th->tid == target || th->ptid == target)
			return true;
		if (th->ptid == th->tid || th->ptid <= 0)
			return false;
		th = kscap_threads_find(t, th->ptid);
	}
	return false;
}

static bool tid_passes(const struct kscap_filter *f, const struct kscap_evt *evt,
		       const struct kscap_threads *t)
{
	size_t i;

	for (i = 0; i < f->ntids; i++) {
		const struct id_rule *r = &f->tids[i];

		if ((int64_t)evt->tid == r->id)
			return true;
		if (r->descendants && t && created_by(t, (int64_t)evt->tid, r->id))
			return true;
	}
	return false;
}

int kscap_filter_match(const struct kscap_filter *f, const struct kscap_evt *evt,
		       const struct kscap_threads *t)
{
	size_t i;

	if (!type_passes(f, evt->type) || !generic_passes(f, evt, t))
		return 0;
	if (f->ntids && !tid_passes(f, evt, t))
		return 0;
	if (f->npids && !pid_passes(f, evt, t))
		return 0;
	if (f->ncomms) {
		const struct kscap_thread *th = t ? kscap_threads_find(t, (int64_t)evt->tid) : NULL;

		if (!th)
			return 0;
		for (i = 0; i < f->ncomms; i++)
			if (!fnmatch(f->comms[i], th->comm, 0))
				break;
		if (i == f->ncomms)
			return 0;
	}
	if (f->failed) {
		int64_t ret;

		if (!kscap_evt_ret(evt, &ret) || ret >= 0 || ret < -4095)
			return 0;
	}
	return 1;
}

/* ---- pushing down to the module ---- */

/* The events the thread table is kept current with. */
static bool needed_for_threads(unsigned int type)
{
	return kscap_event_table[type].flags & KSCAP_EF_PROC_STATE;
}

/*
 * Without decoding: what the type alone decides. The thread table's
 * types are always decoded (they keep it current); so is any type whose
 * fate hangs on more than the header (tids, pids, comms, syscall names,
 * failures).
 */
int kscap_filter_match_type(const struct kscap_filter *f, unsigned int type)
{
	if (needed_for_threads(type))
		return -1;
	if (!type_passes(f, type))
		return 0;
	if (f->ntids || f->npids || f->ncomms || f->failed ||
	    (f->have_types && is_generic(type) && !bit_get(f->types, type)))
		return -1;
	return 1;
}

int kscap_filter_kernel_mask(const struct kscap_filter *f, unsigned int flags,
			     uint8_t mask[KSCAP_MASK_BYTES])
{
	unsigned int type;

	memset(mask, 0, KSCAP_MASK_BYTES);
	if (!f->have_types && !f->dir && !f->default_set && !f->ncats) {
		for (type = 0; type < KSCAP_EV_MAX; type++)
			if (kscap_event_info(type))
				bit_set(mask, type);
		return 0;
	}
	for (type = 0; type < KSCAP_EV_MAX; type++) {
		if (!kscap_event_info(type))
			continue;
		if (needed_for_threads(type) || type_passes(f, type)) {
			bit_set(mask, type);
			/* An exit's latency is measured from its enter. */
			if ((flags & KSCAP_PUSH_KEEP_ENTER) && KSCAP_EV_IS_EXIT(type) &&
			    kscap_event_info(type - 1))
				bit_set(mask, type - 1);
		}
	}
	return 1;
}

int kscap_filter_push(const struct kscap_filter *f, struct kscap *h,
		      unsigned int flags)
{
	uint8_t mask[KSCAP_MASK_BYTES];
	unsigned int type;
	int err;

	if (!kscap_filter_kernel_mask(f, flags, mask))
		return kscap_mask_all(h);
	err = kscap_mask_zero(h);
	for (type = 0; !err && type < KSCAP_EV_MAX; type++)
		if (bit_get(mask, type))
			err = kscap_mask_set(h, type);
	return err;
}
