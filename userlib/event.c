// SPDX-License-Identifier: MIT
/*
 * Parsing an event: check every length it claims before using it, then
 * point each parameter at its bytes. Nothing is copied.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"

/*
 * Parameters a newer writer appends beyond a row of the table. The ABI
 * grows only by appending, so the row's parameters keep their meaning and
 * the extra ones are either known here or kept as raw bytes.
 */
static const struct {
	uint16_t type;
	uint8_t idx;
	struct kscap_param_info pi;
} appended[] = {
	/* kscap's own extension: the generic exit's return value */
	{ KSCAP_EV_GENERIC_X, KSCAP_GENERIC_X_RES, KSCAP_GENERIC_X_RES_PARAM },
};

static const char *const raw_names[KSCAP_MAX_PARAMS] = {
	"param0", "param1", "param2", "param3", "param4", "param5", "param6",
	"param7", "param8", "param9", "param10", "param11", "param12",
	"param13", "param14", "param15", "param16", "param17", "param18",
	"param19",
};

static const struct kscap_param_info raw_param = {
	NULL, KSCAP_PT_BYTEBUF, KSCAP_PF_NA, KSCAP_AUX_NONE
};

/* What parameter @i of an event of @type is, for @i past its row. */
static const struct kscap_param_info *extra_info(unsigned int type, uint32_t i)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(appended); k++)
		if (appended[k].type == type && appended[k].idx == i)
			return &appended[k].pi;
	return &raw_param;
}

unsigned int kscap__evt_raw_params(const struct kscap_evt *evt)
{
	unsigned int i, n = 0;

	for (i = evt->info->nparams; i < evt->nparams; i++)
		n += extra_info(evt->type, i) == &raw_param;
	return n;
}

int kscap_evt_parse_sz(const void *buf, size_t avail, struct kscap_evt *evt,
		       size_t evt_size)
{
	const uint8_t *p = buf;
	const struct kscap_event_info *info;
	size_t off, sum = 0, room;
	uint32_t i;

	/* The caller's struct may be older (smaller) than ours. */
	if (evt_size < offsetof(struct kscap_evt, params))
		return kscap__fail(-EINVAL, "struct kscap_evt of %zu bytes is too small", evt_size);
	room = (evt_size - offsetof(struct kscap_evt, params)) / sizeof(struct kscap_param);
	if (avail < KSCAP_HDR_LEN)
		return kscap__fail(-EBADMSG, "event header cut short: %zu bytes", avail);
	evt->raw = p;
	evt->ts = ld64(p + offsetof(struct kscap_evt_hdr, ts));
	evt->tid = ld64(p + offsetof(struct kscap_evt_hdr, tid));
	evt->len = ld32(p + offsetof(struct kscap_evt_hdr, len));
	evt->type = ld16(p + offsetof(struct kscap_evt_hdr, type));
	evt->nparams = ld32(p + offsetof(struct kscap_evt_hdr, nparams));

	if (evt->len < KSCAP_HDR_LEN || evt->len > avail)
		return kscap__fail(-EBADMSG, "event length %u out of bounds [%d, %zu]",
				   evt->len, KSCAP_HDR_LEN, avail);
	info = kscap_event_info(evt->type);
	if (!info)
		return kscap__fail(-EBADMSG, "unknown event type %u", evt->type);
	/* More parameters than the row: a newer writer appended them. */
	if (evt->nparams < info->nparams || evt->nparams > KSCAP_MAX_PARAMS)
		return kscap__fail(-EBADMSG, "%s: %u parameters, the table has %u (at most %d)",
				   info->name, evt->nparams, info->nparams,
				   KSCAP_MAX_PARAMS);
	if (evt->nparams > room)
		return kscap__fail(-E2BIG, "%s: %u parameters, the caller's struct kscap_evt "
				   "holds %zu (built with an older libkscap.h)",
				   info->name, evt->nparams, room);
	off = KSCAP_HDR_LEN + (size_t)evt->nparams * KSCAP_PARAM_LEN_SIZE;
	if (off > evt->len)
		return kscap__fail(-EBADMSG, "%s: length %u too short for %u parameters",
				   info->name, evt->len, evt->nparams);

	/* One pass lays the parameters out and sums their lengths; the
	 * event is valid only if they fill it exactly (on failure @evt is
	 * not to be used). */
	evt->info = info;
	for (i = 0; i < evt->nparams; i++) {
		const struct kscap_param_info *pi =
			i < info->nparams ? &info->params[i] : extra_info(evt->type, i);
		struct kscap_param *prm = &evt->params[i];

		prm->name = pi->name ? pi->name : raw_names[i];
		prm->type = pi->type;
		prm->fmt = pi->fmt;
		prm->aux = pi->aux;
		prm->len = ld16(p + KSCAP_HDR_LEN + i * KSCAP_PARAM_LEN_SIZE);
		prm->val = p + off + sum;
		sum += prm->len;
	}
	if (off + sum != evt->len)
		return kscap__fail(-EBADMSG, "%s: parameters take %zu bytes, the event has %zu",
				   info->name, sum, (size_t)evt->len - off);
	return 0;
}

/* How many parameters kscap's module appends to rows of @type. */
static unsigned int appended_count(unsigned int type)
{
	unsigned int k, n = 0;

	for (k = 0; k < ARRAY_SIZE(appended); k++)
		n += appended[k].type == type;
	return n;
}

/* What is wrong with parameter @i of a parsed @evt, or NULL. */
static const char *param_wrong(const struct kscap_evt *evt, uint32_t i)
{
	const struct kscap_param *p = &evt->params[i];
	const struct kscap_param_type_info *ti;

	if (!p->len || p->type >= KSCAP_PT_MAX)
		return NULL;	/* empty: the writer had no value */
	ti = &kscap_param_types[p->type];
	if (ti->size && p->len != ti->size)
		return "is not of its type's size";
	if ((ti->flags & KSCAP_PTF_STRING) && p->val[p->len - 1])
		return "is not NUL-terminated";
	return NULL;
}

int kscap__evt_check(const struct kscap_evt *evt, unsigned int how)
{
	const struct kscap_event_info *info = evt->info;
	unsigned int want = info->nparams + appended_count(evt->type);
	const char *why;
	uint32_t i;

	if (info->flags & KSCAP_EF_OLD_VERSION)
		return kscap__fail(-EBADMSG, "%s (type %u): an old version of the row, never written",
				   info->name, evt->type);
	if (evt->len > KSCAP_MAX_EVENT_LEN)
		return kscap__fail(-EBADMSG, "%s: %u bytes, more than an event may take (%u)",
				   info->name, evt->len, KSCAP_MAX_EVENT_LEN);
	if ((how & KSCAP__CHECK_EXACT) && evt->nparams != want)
		return kscap__fail(-EBADMSG, "%s: %u parameters, the module writes %u",
				   info->name, evt->nparams, want);
	for (i = 0; i < evt->nparams; i++) {
		why = param_wrong(evt, i);
		if (why)
			return kscap__fail(-EBADMSG, "%s: parameter %u (%s, %s, %u bytes) %s",
					   info->name, i, evt->params[i].name,
					   kscap_param_type_name(evt->params[i].type),
					   evt->params[i].len, why);
	}
	return 0;
}

char kscap_evt_dir(const struct kscap_evt *evt)
{
	return KSCAP_EV_IS_EXIT(evt->type) ? '<' : '>';
}

const struct kscap_param *kscap_evt_param(const struct kscap_evt *evt,
					  const char *name)
{
	uint32_t i;

	for (i = 0; i < evt->nparams; i++)
		if (!strcmp(evt->params[i].name, name))
			return &evt->params[i];
	return NULL;
}

const char *kscap_evt_name(const struct kscap_evt *evt)
{
	const struct kscap_param *p;
	const char *name = NULL;
	int64_t v;

	if (evt->type != KSCAP_EV_GENERIC_E && evt->type != KSCAP_EV_GENERIC_X)
		return evt->info->name;
	/* The native number names the syscall best; the exit event only
	 * has the scap code. */
	p = kscap_evt_param(evt, "nativeID");
	if (p && !kscap_param_int(p, &v))
		name = kscap_syscall_name((unsigned int)v);
	p = kscap_evt_param(evt, "ID");
	if (!name && p && !kscap_param_int(p, &v))
		name = kscap_syscall_code_name((unsigned int)v);
	return name ? name : evt->info->name;
}

static bool is_signed(unsigned int type)
{
	return type < KSCAP_PT_MAX && (kscap_param_types[type].flags & KSCAP_PTF_SIGNED);
}

/* The size of an integer type, 0 for the others. */
static size_t int_size(unsigned int type)
{
	if (type >= KSCAP_PT_MAX || !(kscap_param_types[type].flags & KSCAP_PTF_INT))
		return 0;
	return kscap_param_types[type].size;
}

int kscap_param_int(const struct kscap_param *p, int64_t *out)
{
	size_t size = int_size(p->type);

	if (!size || p->len != size)
		return -EBADMSG;
	switch (size) {
	case 1:
		*out = is_signed(p->type) ? (int64_t)(int8_t)p->val[0] : (int64_t)p->val[0];
		break;
	case 2:
		*out = is_signed(p->type) ? (int64_t)(int16_t)ld16(p->val) : (int64_t)ld16(p->val);
		break;
	case 4:
		*out = is_signed(p->type) ? (int64_t)(int32_t)ld32(p->val) : (int64_t)ld32(p->val);
		break;
	default:
		*out = (int64_t)ld64(p->val);
		break;
	}
	return 0;
}

/*
 * Whether an exit's first parameter of type @type (named @name) is the
 * system call's result. The table says so by the type: errno values, fds
 * and pids; a numeric result of another type (brk and mmap's address,
 * -errno in the top page) is named "res", the name the table gives
 * results. getuid()'s uid is data, not a success or failure.
 */
static bool is_result(unsigned int type, const char *name)
{
	switch (type) {
	case KSCAP_PT_ERRNO:
	case KSCAP_PT_FD:
	case KSCAP_PT_PID:
		return true;
	default:
		return int_size(type) && !strcmp(name, "res");
	}
}

int kscap_evt_ret(const struct kscap_evt *evt, int64_t *ret)
{
	const struct kscap_param *p;
	struct kscap_param inner;
	unsigned int type, fmt;

	if (!KSCAP_EV_IS_EXIT(evt->type) || !evt->nparams)
		return 0;
	/* The generic exit's row has no return value; kscap appends one. */
	if (evt->type == KSCAP_EV_GENERIC_X) {
		p = kscap_evt_param(evt, "res");
		return p && !kscap_param_int(p, ret);
	}
	p = &evt->params[0];
	if (p->type == KSCAP_PT_DYN) {
		/* bpf's res_or_fd: the first byte says which it is */
		if (p->len < 1 || kscap__dyn_type(p->aux, p->val[0], &type, &fmt))
			return 0;
		inner = *p;
		inner.type = (uint8_t)type;
		inner.val = p->val + 1;
		inner.len = (uint16_t)(p->len - 1);
		p = &inner;
	}
	if (!is_result(p->type, p->name))
		return 0;
	return kscap_param_int(p, ret) ? 0 : 1;
}
