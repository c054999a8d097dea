// SPDX-License-Identifier: MIT
/*
 * Summary statistics. Latencies go into a log-linear histogram (16 steps
 * per power of two, so a percentile is within about 6% of the truth)
 * instead of being kept one by one: memory stays bounded on long runs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "latency.h"
#include "summary.h"
#include "summary_raw.h"

static size_t name_slot(const char *name)
{
	uintptr_t p = (uintptr_t)name;

	return (size_t)((p >> 3) ^ (p >> 11)) & (SUMMARY_NAME_CACHE - 1);
}

unsigned int hist_bucket(uint64_t ns)
{
	return summary__hist_bucket(ns);
}

/* The middle of a bucket's range. */
uint64_t hist_value(unsigned int bucket)
{
	unsigned int e, sub;
	uint64_t lo;

	if (bucket < 16)
		return bucket;
	e = (bucket - 16) / 16 + 4;
	sub = (bucket - 16) % 16;
	lo = (16ULL + sub) << (e - 4);
	return lo + (1ULL << (e - 4)) / 2;
}

static void raw_types_init(void);
static void gen_clear(struct summary *s);

struct summary *summary_new(void)
{
	struct summary *s = calloc(1, sizeof(struct summary));

	if (s) {
		raw_types_init();
		gen_clear(s);
	}
	return s;
}

void summary_free(struct summary *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->sc[i]->errs);
		free(s->sc[i]);
	}
	free(s->sc);
	free(s);
}

static unsigned int category_of(unsigned int type);

static struct sc_stats *lookup(struct summary *s, const char *name, unsigned int type)
{
	uint32_t *slot = &s->cache[name_slot(name)];
	struct sc_stats *st;
	size_t i;

	if (*slot && s->sc[*slot - 1]->name == name)
		return s->sc[*slot - 1];
	for (i = 0; i < s->n; i++) {
		if (s->sc[i]->name == name || !strcmp(s->sc[i]->name, name)) {
			*slot = (uint32_t)i + 1;
			return s->sc[i];
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct sc_stats **nsc = realloc(s->sc, cap * sizeof(*nsc));

		if (!nsc)
			return NULL;
		s->sc = nsc;
		s->cap = cap;
	}
	/* the histogram in the row: one load less for the fast path */
	st = calloc(1, sizeof(*st) + HIST_BUCKETS * sizeof(st->hist[0]));
	if (!st)
		return NULL;
	st->min_ns = UINT64_MAX;
	st->name = name;
	st->category = category_of(type);
	s->sc[s->n] = st;
	*slot = (uint32_t)s->n + 1;
	s->n++;
	return st;
}

static int count_errno(struct sc_stats *st, int err)
{
	struct errcount *ne;
	size_t i;

	for (i = 0; i < st->nerrs; i++) {
		if (st->errs[i].err == err) {
			st->errs[i].count++;
			return 0;
		}
	}
	ne = realloc(st->errs, (st->nerrs + 1) * sizeof(*ne));
	if (!ne)
		return -ENOMEM;
	st->errs = ne;
	st->errs[st->nerrs].err = err;
	st->errs[st->nerrs++].count = 1;
	return 0;
}

int summary_add(struct summary *s, const struct kscap_evt *evt, int has_lat,
		uint64_t lat_ns)
{
	return summary_add_named(s, evt, kscap_evt_name(evt), has_lat, lat_ns);
}

int summary_add_named(struct summary *s, const struct kscap_evt *evt, const char *name,
		      int has_lat, uint64_t lat_ns)
{
	int64_t ret = 0;
	int has_ret;

	if (!KSCAP_EV_IS_EXIT(evt->type))
		return 0;
	has_ret = kscap_evt_ret(evt, &ret);
	return summary_add_exit(s, evt->type, name, has_ret, ret, has_lat, lat_ns);
}

/* One exit counted in its row: @err its errno if it failed, else 0. */
static inline __attribute__((always_inline)) int count_exit(struct sc_stats *st, int err,
							     int has_lat, uint64_t lat_ns)
{
	if (err) {
		/* the errno first: out of memory, nothing is counted */
		if (count_errno(st, err))
			return -ENOMEM;
		st->errors++;
	}
	summary__count_ok(st, has_lat, lat_ns);
	return 0;
}

int summary_add_exit(struct summary *s, unsigned int type, const char *name, int has_ret,
		     int64_t ret, int has_lat, uint64_t lat_ns)
{
	struct sc_stats *st;

	if (!KSCAP_EV_IS_EXIT(type))
		return 0;
	st = lookup(s, name, type);
	if (!st)
		return -ENOMEM;
	return count_exit(st, has_ret && ret < 0 && ret >= -4095 ? (int)-ret : 0, has_lat, lat_ns);
}

/* ---- events as kscap_next_raw() returns them ---- */

/* What the raw path needs of each event type (summary_raw.h), from the
 * event table and kscap_evt_ret()'s rules, worked out once. */
static const struct kscap_param_type_info param_types[KSCAP_PT_MAX] = {
	KSCAP_PARAM_TYPES(KSCAP_PT_INFO)
};
struct raw_type summary__raw_types[KSCAP_EV_MAX];
uint32_t summary__gen_e_lens, summary__gen_x_lens;
static bool raw_types_ready;
/* The integer types of the generic events' ID (SYSCALLID) and nativeID
 * (UINT16), as the table gives them: [0] ID, [1] nativeID. */
static struct {
	uint8_t size;
	bool sgn, ok;
} generic_params[2];

/* Whether values of @ptype are integers (kscap_param_int() takes them). */
static bool int_type(unsigned int ptype, uint8_t *size, bool *sgn)
{
	if (ptype >= KSCAP_PT_MAX || !(param_types[ptype].flags & KSCAP_PTF_INT))
		return false;
	*size = param_types[ptype].size;
	*sgn = param_types[ptype].flags & KSCAP_PTF_SIGNED;
	return true;
}

static void raw_types_init(void)
{
	unsigned int type, pt;

	if (raw_types_ready)
		return;
	for (type = 0; type < KSCAP_EV_MAX; type++) {
		const struct kscap_event_info *info = kscap_event_info(type);
		struct raw_type *rt = &summary__raw_types[type];

		if (!info)
			continue;
		rt->name = info->name;
		rt->category = info->category;
		if (!KSCAP_EV_IS_EXIT(type))
			continue;
		if (type == KSCAP_EV_GENERIC_X) {
			/* the result kscap appends (kscap_event_info.h) */
			if (int_type(KSCAP_PT_ERRNO, &rt->size, &rt->sgn))
				rt->ret = RAW_RET_GENERIC;
			continue;	/* its fast way: below, if the layout allows */
		}
		if (!info->nparams) {
			rt->fast = RAW_FAST_NORES;
			continue;
		}
		pt = info->params[0].type;
		if (pt == KSCAP_PT_DYN)
			rt->ret = RAW_RET_DECODE;	/* bpf's res_or_fd: the library knows its kinds */
		else if ((pt == KSCAP_PT_ERRNO || pt == KSCAP_PT_FD || pt == KSCAP_PT_PID ||
			  !strcmp(info->params[0].name, "res")) && int_type(pt, &rt->size, &rt->sgn))
			rt->ret = RAW_RET_FIRST;
		if (rt->ret == RAW_RET_FIRST)
			rt->fast = rt->size == 8 ? RAW_FAST_FIRST8 :
				   rt->size == 4 ? (rt->sgn ? RAW_FAST_FIRST4S : RAW_FAST_FIRST4U) :
				   RAW_FAST_NONE;
		else if (rt->ret == RAW_RET_NONE)
			rt->fast = RAW_FAST_NORES;
		rt->np = (uint8_t)info->nparams;
		rt->off = (uint16_t)(KSCAP_HDR_LEN + info->nparams * KSCAP_PARAM_LEN_SIZE);
		rt->min_len = (uint16_t)(rt->off + rt->size);
	}
	for (pt = 0; pt < 2; pt++)
		generic_params[pt].ok = int_type(kscap_event_info(KSCAP_EV_GENERIC_E)->params[pt].type,
						 &generic_params[pt].size, &generic_params[pt].sgn);
	/* the fast path's layouts: unsigned 2-byte codes and numbers, an
	 * 8-byte result */
	if (generic_params[0].ok && generic_params[0].size == 2 && !generic_params[0].sgn) {
		/* (as a 4-byte load sees the two lengths, in host order) */
		static const uint16_t e_lens[2] = { 2, 2 }, x_lens[2] = { 2, 8 };

		if (generic_params[1].ok && generic_params[1].size == 2 && !generic_params[1].sgn)
			memcpy(&summary__gen_e_lens, e_lens, sizeof(e_lens));
		if (summary__raw_types[KSCAP_EV_GENERIC_X].ret == RAW_RET_GENERIC &&
		    summary__raw_types[KSCAP_EV_GENERIC_X].size == 8)
			memcpy(&summary__gen_x_lens, x_lens, sizeof(x_lens));
	}
	raw_types_ready = true;
}

static inline const struct raw_type *raw_type_of(unsigned int type)
{
	if (__builtin_expect(!raw_types_ready, 0))
		raw_types_init();
	return &summary__raw_types[type < KSCAP_EV_MAX ? type : 0];
}

static unsigned int category_of(unsigned int type)
{
	return raw_type_of(type)->category;
}

/*
 * Parameter @idx (0 or 1) of the event at @b as an integer of @size
 * bytes: 0, or -1 if the event has no such parameter or it has another
 * size. Every byte read is within hdr.len.
 */
static inline __attribute__((always_inline))
int raw_int(const uint8_t *b, unsigned int idx, unsigned int size, bool sgn, int64_t *v)
{
	uint32_t evlen, np, off;
	uint16_t l;

	memcpy(&evlen, b + offsetof(struct kscap_evt_hdr, len), sizeof(evlen));
	memcpy(&np, b + offsetof(struct kscap_evt_hdr, nparams), sizeof(np));
	if (idx >= np || np > KSCAP_MAX_PARAMS)
		return -1;
	off = KSCAP_HDR_LEN + np * KSCAP_PARAM_LEN_SIZE;
	if (off > evlen)
		return -1;
	memcpy(&l, b + KSCAP_HDR_LEN, sizeof(l));
	if (idx) {
		off += l;
		memcpy(&l, b + KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE, sizeof(l));
	}
	if (l != size || off > evlen || size > evlen - off)
		return -1;
	switch (size) {
	case 8: {
		int64_t x;

		memcpy(&x, b + off, 8);
		*v = x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, b + off, 4);
		*v = sgn ? (int64_t)(int32_t)x : (int64_t)x;
		break;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, b + off, 2);
		*v = sgn ? (int64_t)(int16_t)x : (int64_t)x;
		break;
	}
	case 1:
		*v = sgn ? (int64_t)(int8_t)b[off] : (int64_t)b[off];
		break;
	default:
		return -1;
	}
	return 0;
}

static uint16_t raw_type_field(const void *ev)
{
	uint16_t type;

	memcpy(&type, (const uint8_t *)ev + offsetof(struct kscap_evt_hdr, type), sizeof(type));
	return type;
}

int raw_ret(const void *ev, int64_t *ret)
{
	const struct raw_type *rt = raw_type_of(raw_type_field(ev));

	switch (rt->ret) {
	case RAW_RET_FIRST:
		return !raw_int(ev, 0, rt->size, rt->sgn, ret);
	case RAW_RET_GENERIC:
		return !raw_int(ev, KSCAP_GENERIC_X_RES, rt->size, rt->sgn, ret);
	case RAW_RET_DECODE:
		return -1;
	default:
		return 0;
	}
}

/* A generic event's ID (@idx 0) or nativeID (1) parameter. */
static int raw_u16_param(const void *ev, unsigned int idx, int64_t *v)
{
	if (!raw_types_ready)
		raw_types_init();
	if (!generic_params[idx].ok)
		return -1;
	return raw_int(ev, idx, generic_params[idx].size, generic_params[idx].sgn, v);
}

int raw_generic_enter(const void *ev, int32_t *nr, uint16_t *id)
{
	int64_t i, n;

	if (raw_u16_param(ev, 0, &i) || raw_u16_param(ev, 1, &n))
		return -1;
	*id = (uint16_t)i;
	*nr = (int32_t)n;
	return 0;
}

/* The last names looked up: calls of one syscall come in runs. */
static const char *syscall_name(unsigned int nr)
{
	static unsigned int last_arch = ~0U, last_nr;
	static const char *last_name;
	unsigned int arch = kscap_syscall_arch();

	if (arch != last_arch || nr != last_nr) {
		last_name = kscap_syscall_name(nr);
		last_arch = arch;
		last_nr = nr;
	}
	return last_name;
}

/* A generic exit's name (raw_exit_name()); *@own: whether its own
 * enter named it (then the name depends on nothing else). */
static const char *generic_name(const void *ev, unsigned int enter_type, int32_t nr,
				uint16_t id, bool *own)
{
	const char *name;
	int64_t code;

	*own = false;
	if (raw_u16_param(ev, 0, &code))
		return raw_type_of(KSCAP_EV_GENERIC_X)->name;
	/* the enter must be this exit's own: a generic one, same scap code */
	if (enter_type == KSCAP_EV_GENERIC_E && nr >= 0 && id == code) {
		*own = true;
		name = syscall_name((unsigned int)nr);
		if (name)
			return name;
	}
	name = kscap_syscall_code_name((unsigned int)code);
	return name ? name : raw_type_of(KSCAP_EV_GENERIC_X)->name;
}

const char *raw_exit_name(const void *ev, unsigned int enter_type, int32_t nr, uint16_t id)
{
	bool own;
	uint16_t type = raw_type_field(ev);

	if (type == KSCAP_EV_GENERIC_X)
		return generic_name(ev, enter_type, nr, id, &own);
	return raw_type_of(type)->name;
}

/* A generic exit's row, by the native number its enter gave. */
static void gen_remember(struct summary *s, const struct latency_ev *enter, struct sc_stats *st)
{
	uint32_t key = latency_gen(enter->nr, enter->id);
	struct summary_gen *g = &s->gen[(key >> 16) % SUMMARY_GEN_ROWS];

	if (key == LATENCY_NO_GEN)
		return;	/* (the one key that says empty) */
	g->key = key;
	g->row = st;
}

static void gen_clear(struct summary *s)
{
	size_t i;

	for (i = 0; i < SUMMARY_GEN_ROWS; i++) {
		s->gen[i].key = LATENCY_NO_GEN;
		s->gen[i].row = NULL;
	}
	s->gen_arch = kscap_syscall_arch();
}

void summary_raw_sync(struct summary *s)
{
	if (kscap_syscall_arch() != s->gen_arch)
		gen_clear(s);
}

int summary_add_raw(struct summary *s, const void *ev, const struct latency_ev *enter,
		    int has_lat, uint64_t lat_ns, struct kscap_evt *scratch,
		    struct summary_exit *x)
{
	uint16_t type = raw_type_field(ev);
	const struct raw_type *rt = raw_type_of(type);
	struct sc_stats *st;
	int64_t ret = 0;
	int has_ret = 0;
	bool own = false;
	uint32_t len;

	x->name = rt->name;
	switch (rt->ret) {
	case RAW_RET_FIRST:
		has_ret = !raw_int(ev, 0, rt->size, rt->sgn, &ret);
		break;
	case RAW_RET_GENERIC:
		x->name = generic_name(ev, enter->type, enter->nr, enter->id, &own);
		has_ret = !raw_int(ev, KSCAP_GENERIC_X_RES, rt->size, rt->sgn, &ret);
		break;
	case RAW_RET_DECODE:
		memcpy(&len, (const uint8_t *)ev + offsetof(struct kscap_evt_hdr, len), sizeof(len));
		has_ret = !kscap_evt_parse(ev, len, scratch) && kscap_evt_ret(scratch, &ret);
		break;
	}
	x->err = has_ret && ret < 0 && ret >= -4095 ? (int)-ret : 0;
	if (!KSCAP_EV_IS_EXIT(type) || type >= KSCAP_EV_MAX)
		return 0;
	/* the row of a type that has its table name: found once */
	if (x->name == rt->name && s->type_row[type]) {
		st = s->type_row[type];
	} else {
		st = lookup(s, x->name, type);
		if (!st)
			return -ENOMEM;
		/* where summary_feed_raw() finds it next time */
		if (x->name == rt->name)
			s->type_row[type] = st;
		else if (own)
			gen_remember(s, enter, st);
	}
	return count_exit(st, x->err, has_lat, lat_ns);
}

static uint64_t percentile(const struct sc_stats *st, double p)
{
	uint64_t want, seen = 0;
	unsigned int b;

	if (!st->timed)
		return 0;
	want = (uint64_t)(p * (double)st->timed + 0.999999);
	if (want < 1)
		want = 1;
	for (b = 0; b < HIST_BUCKETS; b++) {
		seen += st->hist[b];
		if (seen >= want) {
			uint64_t v = hist_value(b);

			return v < st->min_ns ? st->min_ns : v > st->max_ns ? st->max_ns : v;
		}
	}
	return st->max_ns;
}

static int by_time(const void *a, const void *b)
{
	const struct sc_stats *x = *(const struct sc_stats *const *)a;
	const struct sc_stats *y = *(const struct sc_stats *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_count(const void *a, const void *b)
{
	const struct errcount *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->err - y->err;
}

size_t summary_count(const struct summary *s)
{
	return s->n;
}

void summary_row(const struct summary *s, size_t i, struct summary_row *row)
{
	const struct sc_stats *st = s->sc[i];

	row->index = i;
	row->name = st->name;
	row->category = st->category;
	row->calls = st->calls;
	row->errors = st->errors;
	row->total_ns = st->total_ns;
	row->avg_ns = st->timed ? st->total_ns / st->timed : 0;
	row->p95_ns = percentile(st, 0.95);
	row->p99_ns = percentile(st, 0.99);
}

/* A row's errno values, most frequent first (summary_errnos()). */
static size_t errnos_of(const struct sc_stats *st, struct summary_errno *out, size_t max)
{
	struct errcount *all;
	size_t n, k;

	if (!st->nerrs || !max)
		return 0;
	all = malloc(st->nerrs * sizeof(*all));
	if (!all)
		return 0;
	memcpy(all, st->errs, st->nerrs * sizeof(*all));
	qsort(all, st->nerrs, sizeof(*all), by_count);
	n = st->nerrs < max ? st->nerrs : max;
	for (k = 0; k < n; k++) {
		out[k].err = all[k].err;
		out[k].count = all[k].count;
	}
	free(all);
	return n;
}

size_t summary_errnos(const struct summary *s, size_t i, struct summary_errno *out,
		      size_t max)
{
	return errnos_of(s->sc[i], out, max);
}

static void top_errnos_of(const struct sc_stats *st, char *buf, size_t size)
{
	struct summary_errno top[3];
	size_t n = errnos_of(st, top, 3), k, off = 0;

	buf[0] = '\0';
	for (k = 0; k < n && off < size; k++) {
		const char *name = kscap_errno_name(top[k].err);
		int w;

		if (name)
			w = snprintf(buf + off, size - off, "%s%s:%llu", k ? " " : "",
				     name, (unsigned long long)top[k].count);
		else
			w = snprintf(buf + off, size - off, "%s%d:%llu", k ? " " : "",
				     top[k].err, (unsigned long long)top[k].count);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

void summary_top_errnos(const struct summary *s, size_t i, char *buf, size_t size)
{
	top_errnos_of(s->sc[i], buf, size);
}

struct cat_total {
	unsigned int category;
	uint64_t total_ns, calls;
};

static int cat_by_time(const void *a, const void *b)
{
	const struct cat_total *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return (int)x->category - (int)y->category;
}

void summary_print(const struct summary *s, FILE *out)
{
	struct sc_stats **order = calloc(s->n ? s->n : 1, sizeof(*order));
	struct cat_total *cats = calloc(s->n ? s->n : 1, sizeof(*cats));
	uint64_t total_ns = 0, calls = 0, errors = 0;
	size_t i, j, ncats = 0;

	if (!order || !cats) {
		fprintf(out, "summary: out of memory\n");
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		const struct sc_stats *st = s->sc[i];

		order[i] = s->sc[i];
		total_ns += st->total_ns;
		calls += st->calls;
		errors += st->errors;
		for (j = 0; j < ncats; j++)
			if (cats[j].category == st->category)
				break;
		if (j == ncats)
			cats[ncats++].category = st->category;
		cats[j].total_ns += st->total_ns;
		cats[j].calls += st->calls;
	}
	qsort(order, s->n, sizeof(*order), by_time);
	qsort(cats, ncats, sizeof(*cats), cat_by_time);

	fprintf(out, "%6s %11s %9s %8s %6s %10s %10s %10s  %-18s %s\n",
		"% time", "seconds", "calls", "errors", "err%", "avg(us)",
		"p95(us)", "p99(us)", "syscall", "top errors");
	for (j = 0; j < ncats; j++) {
		const char *cname = kscap_category_name(cats[j].category);

		fprintf(out, "--- %s: %llu calls, %.6f s\n", cname ? cname : "?",
			(unsigned long long)cats[j].calls, (double)cats[j].total_ns / 1e9);
		for (i = 0; i < s->n; i++) {
			const struct sc_stats *st = order[i];
			char errs[128];

			if (st->category != cats[j].category)
				continue;
			top_errnos_of(st, errs, sizeof(errs));
			fprintf(out, "%6.2f %11.6f %9llu %8llu %6.2f %10.2f %10.2f %10.2f  %-18s %s\n",
				total_ns ? 100.0 * (double)st->total_ns / (double)total_ns : 0.0,
				(double)st->total_ns / 1e9,
				(unsigned long long)st->calls, (unsigned long long)st->errors,
				st->calls ? 100.0 * (double)st->errors / (double)st->calls : 0.0,
				st->timed ? (double)st->total_ns / (double)st->timed / 1e3 : 0.0,
				(double)percentile(st, 0.95) / 1e3,
				(double)percentile(st, 0.99) / 1e3, st->name, errs);
		}
	}
	fprintf(out, "%6s %11.6f %9llu %8llu %6.2f %10s %10s %10s  %-18s\n", "100.00",
		(double)total_ns / 1e9, (unsigned long long)calls,
		(unsigned long long)errors,
		calls ? 100.0 * (double)errors / (double)calls : 0.0, "", "", "", "total");
out:
	free(order);
	free(cats);
}
