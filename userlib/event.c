// SPDX-License-Identifier: MIT
/*
 * Parsing an event: check every length it claims before using it, then
 * point each parameter at its bytes. Nothing is copied.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"

int kscap_evt_parse(const void *buf, size_t avail, struct kscap_evt *evt)
{
	const uint8_t *p = buf;
	const struct kscap_event_info *info;
	size_t off, sum = 0;
	uint32_t i;

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
	if (evt->nparams != info->nparams && !kscap__ext_nparams(evt->type, evt->nparams))
		return kscap__fail(-EBADMSG, "%s: %u parameters, the table has %u",
				   info->name, evt->nparams, info->nparams);
	off = KSCAP_HDR_LEN + (size_t)evt->nparams * KSCAP_PARAM_LEN_SIZE;
	if (off > evt->len)
		return kscap__fail(-EBADMSG, "%s: length %u too short for %u parameters",
				   info->name, evt->len, evt->nparams);

	/* One pass lays the parameters out and sums their lengths; the
	 * event is valid only if they fill it exactly (on failure @evt is
	 * not to be used). */
	evt->info = info;
	for (i = 0; i < evt->nparams; i++) {
		const struct kscap_param_info *pi = i < info->nparams ? &info->params[i] :
						    kscap__ext_param(evt->type, i);
		struct kscap_param *prm = &evt->params[i];

		prm->name = pi->name;
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
	switch (type) {
	case KSCAP_PT_INT8:
	case KSCAP_PT_INT16:
	case KSCAP_PT_INT32:
	case KSCAP_PT_INT64:
	case KSCAP_PT_ERRNO:
	case KSCAP_PT_FD:
	case KSCAP_PT_PID:
		return true;
	default:
		return false;
	}
}

/* The size a fixed-size numeric type has, 0 for the others. */
static size_t int_size(unsigned int type)
{
	switch (type) {
	case KSCAP_PT_INT8:
	case KSCAP_PT_UINT8:
	case KSCAP_PT_FLAGS8:
	case KSCAP_PT_SIGTYPE:
	case KSCAP_PT_L4PROTO:
	case KSCAP_PT_SOCKFAMILY:
		return 1;
	case KSCAP_PT_INT16:
	case KSCAP_PT_UINT16:
	case KSCAP_PT_FLAGS16:
	case KSCAP_PT_SYSCALLID:
	case KSCAP_PT_PORT:
		return 2;
	case KSCAP_PT_INT32:
	case KSCAP_PT_UINT32:
	case KSCAP_PT_FLAGS32:
	case KSCAP_PT_UID:
	case KSCAP_PT_GID:
	case KSCAP_PT_SIGSET:
	case KSCAP_PT_MODE:
	case KSCAP_PT_BOOL:
		return 4;
	case KSCAP_PT_INT64:
	case KSCAP_PT_UINT64:
	case KSCAP_PT_ERRNO:
	case KSCAP_PT_FD:
	case KSCAP_PT_PID:
	case KSCAP_PT_RELTIME:
	case KSCAP_PT_ABSTIME:
		return 8;
	default:
		return 0;
	}
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

int kscap_evt_ret(const struct kscap_evt *evt, int64_t *ret)
{
	const struct kscap_param *p;

	if (!KSCAP_EV_IS_EXIT(evt->type) || !evt->nparams)
		return 0;
	p = &evt->params[0];
	/* A generic exit has res only as kscap extends it (uapi/kscap.h, 5). */
	if (evt->type == KSCAP_EV_GENERIC_X) {
		if (evt->nparams <= KSCAP_GENERIC_X_RES)
			return 0;
		p = &evt->params[KSCAP_GENERIC_X_RES];
	}
	switch (p->type) {
	case KSCAP_PT_ERRNO:
	case KSCAP_PT_FD:
	case KSCAP_PT_PID:
		break;
	case KSCAP_PT_UINT64:
		/* brk and mmap return addresses, or -errno in the top page. */
		if (strcmp(p->name, "res"))
			return 0;
		break;
	default:
		return 0;
	}
	return kscap_param_int(p, ret) ? 0 : 1;
}
