// SPDX-License-Identifier: MIT
/*
 * Turning parameter values into text or JSON, one function per kind of
 * value. Every reader checks the length it was given first: a value of
 * the wrong size is "<invalid>", never a read past its end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "internal.h"

struct val {
	unsigned int type, fmt, aux;
	const char *name;
	const uint8_t *v;
	size_t len;
};

struct fctx {
	struct sbuf *sb;
	const struct kscap_evt *evt;
	bool json;
};

static int fmt_val(struct fctx *c, const struct val *x);

/* Text, escaped (sbuf.c says how). Stops at a NUL. */
static void put_text(struct sbuf *sb, const uint8_t *s, size_t n)
{
	sb_text_str(sb, (const char *)s, n, false);
}

static void put_str(struct fctx *c, const uint8_t *s, size_t n)
{
	if (c->json)
		sb_json_str(c->sb, (const char *)s, strnlen((const char *)s, n));
	else
		put_text(c->sb, s, n);
}

/* Bytes of a buffer: like a string, but NULs are data too. */
static void put_bytes(struct fctx *c, const uint8_t *s, size_t n)
{
	if (c->json)
		sb_json_str(c->sb, (const char *)s, n);
	else
		sb_text_str(c->sb, (const char *)s, n, true);
}

/* NUL-separated strings: an argv, an environment, cgroups. */
static void put_array(struct fctx *c, const uint8_t *s, size_t n)
{
	size_t i = 0, count = 0;

	sb_putc(c->sb, '[');
	while (i < n) {
		size_t k = strnlen((const char *)s + i, n - i);

		if (count++)
			sb_puts(c->sb, c->json ? "," : " ");
		put_str(c, s + i, k);
		i += k + 1;
	}
	sb_putc(c->sb, ']');
}

/* Pairs of NUL-terminated strings: key, value, key, value... */
static int put_pairs(struct fctx *c, const uint8_t *s, size_t n)
{
	size_t i = 0, count = 0;

	sb_putc(c->sb, c->json ? '{' : '[');
	while (i < n) {
		size_t k = strnlen((const char *)s + i, n - i), vlen;

		if (i + k >= n)
			return -EBADMSG;	/* a key without its value */
		vlen = strnlen((const char *)s + i + k + 1, n - i - k - 1);
		if (count++)
			sb_puts(c->sb, c->json ? "," : " ");
		put_str(c, s + i, k);
		sb_putc(c->sb, c->json ? ':' : '=');
		put_str(c, s + i + k + 1, vlen);
		i += k + 1 + vlen + 1;
	}
	sb_putc(c->sb, c->json ? '}' : ']');
	return 0;
}

static bool is_array_buf(const struct fctx *c, const struct val *x)
{
	if (c->evt->info->category != KSCAP_CAT_PROCESS || !x->name)
		return false;
	return !strcmp(x->name, "args") || !strcmp(x->name, "env") ||
	       !strcmp(x->name, "cgroups");
}

static void put_ip4(struct sbuf *sb, const uint8_t *a)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, s, sizeof(s));
	sb_puts(sb, s);
}

static void put_ip6(struct sbuf *sb, const uint8_t *a, bool brackets)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	if (brackets)
		sb_putc(sb, '[');
	sb_puts(sb, s);
	if (brackets)
		sb_putc(sb, ']');
}

/* Wrap text-only output (addresses) in quotes when the caller wants JSON;
 * such text never holds characters JSON must escape. */
static void open_q(struct fctx *c)
{
	if (c->json)
		sb_putc(c->sb, '"');
}

/* Text built in @tmp, quoted (and escaped) for JSON. */
static void put_built(struct fctx *c, struct sbuf *tmp)
{
	if (c->json)
		sb_json_str(c->sb, tmp->buf, strnlen(tmp->buf, tmp->size));
	else
		sb_puts(c->sb, tmp->buf);
}

/* An inet endpoint of SOCKADDR or SOCKTUPLE (uapi/kscap.h): address, port. */
static void put_in4_ep(struct sbuf *sb, const uint8_t *ep)
{
	put_ip4(sb, ep);
	sb_printf(sb, ":%u", ld16(ep + KSCAP_IN4_PORT));
}

static void put_in6_ep(struct sbuf *sb, const uint8_t *ep)
{
	put_ip6(sb, ep, true);
	sb_printf(sb, ":%u", ld16(ep + KSCAP_IN6_PORT));
}

static int fmt_sockaddr(struct fctx *c, const uint8_t *v, size_t len)
{
	const uint8_t *ep = v + KSCAP_FAMILY_LEN;

	if (len < KSCAP_FAMILY_LEN)
		return -EBADMSG;
	switch (v[0]) {
	case KSCAP_ABI_SOCKET_FAMILIES_AF_INET:
		if (len != KSCAP_SOCKADDR_IN4_LEN)
			return -EBADMSG;
		open_q(c);
		put_in4_ep(c->sb, ep);
		open_q(c);
		return 0;
	case KSCAP_ABI_SOCKET_FAMILIES_AF_INET6:
		if (len != KSCAP_SOCKADDR_IN6_LEN)
			return -EBADMSG;
		open_q(c);
		put_in6_ep(c->sb, ep);
		open_q(c);
		return 0;
	case KSCAP_ABI_SOCKET_FAMILIES_AF_UNIX:
		put_str(c, ep, len - KSCAP_FAMILY_LEN);
		return 0;
	default:
		open_q(c);
		sb_printf(c->sb, "family %u", v[0]);
		open_q(c);
		return 0;
	}
}

/*
 * A unix tuple's two socket ids, then its path. kscap's module writes
 * ids of its own (keyed hashes, uapi/kscap.h section 4); the reference
 * ABI's writers write kernel addresses there. Either prints as hex.
 */
static int fmt_unix_tuple(struct fctx *c, const uint8_t *v, size_t len)
{
	char buf[4 * KSCAP_PATH_MAX];
	const uint8_t *path = v + KSCAP_SOCKTUPLE_UN_PATH;
	struct sbuf tmp;

	if (len < KSCAP_SOCKTUPLE_UN_PATH)
		return -EBADMSG;
	sb_init(&tmp, buf, sizeof(buf));
	sb_printf(&tmp, "%" PRIx64 "->%" PRIx64, ld64(v + KSCAP_SOCKTUPLE_UN_SOURCE),
		  ld64(v + KSCAP_SOCKTUPLE_UN_DEST));
	if (len > KSCAP_SOCKTUPLE_UN_PATH && path[0]) {
		sb_putc(&tmp, ' ');
		put_text(&tmp, path, len - KSCAP_SOCKTUPLE_UN_PATH);
	}
	put_built(c, &tmp);
	return 0;
}

static int fmt_socktuple(struct fctx *c, const uint8_t *v, size_t len)
{
	const uint8_t *src = v + KSCAP_FAMILY_LEN;

	if (len < KSCAP_FAMILY_LEN)
		return -EBADMSG;
	switch (v[0]) {
	case KSCAP_ABI_SOCKET_FAMILIES_AF_INET:
		if (len != KSCAP_SOCKTUPLE_IN4_LEN)
			return -EBADMSG;
		open_q(c);
		put_in4_ep(c->sb, src);
		sb_puts(c->sb, "->");
		put_in4_ep(c->sb, src + KSCAP_IN4_EP_LEN);
		open_q(c);
		return 0;
	case KSCAP_ABI_SOCKET_FAMILIES_AF_INET6:
		if (len != KSCAP_SOCKTUPLE_IN6_LEN)
			return -EBADMSG;
		open_q(c);
		put_in6_ep(c->sb, src);
		sb_puts(c->sb, "->");
		put_in6_ep(c->sb, src + KSCAP_IN6_EP_LEN);
		open_q(c);
		return 0;
	case KSCAP_ABI_SOCKET_FAMILIES_AF_UNIX:
		return fmt_unix_tuple(c, v, len);
	default:
		open_q(c);
		sb_printf(c->sb, "family %u", v[0]);
		open_q(c);
		return 0;
	}
}

/* The ABI's poll bits (uapi/kscap.h), by bit number. */
static const char *const poll_names[] = {
#define POLL_NAME(name, bit) [bit] = #name,
	KSCAP_POLL_BITS(POLL_NAME)
#undef POLL_NAME
};

static void put_poll_flags(struct sbuf *sb, unsigned int flags)
{
	unsigned int bit, n = 0;

	for (bit = 0; bit < ARRAY_SIZE(poll_names); bit++) {
		if (!(flags & (1U << bit)))
			continue;
		if (n++)
			sb_putc(sb, '|');
		sb_puts(sb, poll_names[bit]);
	}
	flags &= ~((1U << ARRAY_SIZE(poll_names)) - 1);
	if (flags || !n)
		sb_printf(sb, n ? "|0x%x" : "0x%x", flags);
}

static int fmt_fdlist(struct fctx *c, const uint8_t *v, size_t len)
{
	unsigned int i, n;

	if (len < KSCAP_FDLIST_COUNT_LEN)
		return -EBADMSG;
	n = ld16(v);
	if (len != KSCAP_FDLIST_COUNT_LEN + (size_t)n * KSCAP_FDLIST_ENTRY_LEN)
		return -EBADMSG;
	sb_putc(c->sb, '[');
	for (i = 0; i < n; i++) {
		const uint8_t *e = v + KSCAP_FDLIST_COUNT_LEN + i * KSCAP_FDLIST_ENTRY_LEN;

		if (i)
			sb_puts(c->sb, c->json ? "," : " ");
		if (c->json) {
			sb_printf(c->sb, "{\"fd\":%" PRId64 ",\"events\":\"", (int64_t)ld64(e));
			put_poll_flags(c->sb, ld16(e + KSCAP_FDLIST_ENTRY_EVENTS));
			sb_puts(c->sb, "\"}");
		} else {
			sb_printf(c->sb, "%" PRId64 ":", (int64_t)ld64(e));
			put_poll_flags(c->sb, ld16(e + KSCAP_FDLIST_ENTRY_EVENTS));
		}
	}
	sb_putc(c->sb, ']');
	return 0;
}

/* Names of the bits (or the value) of @v in flag table @aux. */
static void put_flags(struct fctx *c, unsigned int aux, uint32_t v, bool octal)
{
	const struct kscap_flag_table *t = kscap__flag_table(aux);

	if (!t) {
		if (octal)
			sb_printf(c->sb, v ? "0%o" : "0", v);
		else if (c->json)
			sb_printf(c->sb, "%u", v);
		else
			sb_printf(c->sb, "0x%x", v);
		return;
	}
	open_q(c);
	kscap__flags_str(c->sb, t, v);
	open_q(c);
}

/*
 * The errno name of a result, if it is an error: the kernel returns
 * -4095..-1 for those. Anything else, however large, is a number and
 * never cut down to an int that happens to name an errno.
 */
static const char *errno_name(int64_t v)
{
	return v < 0 && v >= -KSCAP_MAX_ERRNO ? kscap_errno_name((int)-v) : NULL;
}

static int fmt_int(struct fctx *c, const struct val *x)
{
	struct kscap_param p = { .val = x->v, .len = (uint16_t)x->len, .type = (uint8_t)x->type };
	int64_t v;

	if (x->len > UINT16_MAX || kscap_param_int(&p, &v))
		return -EBADMSG;

	switch (x->type) {
	case KSCAP_PT_ERRNO:
		sb_i64(c->sb, v);
		if (!c->json && errno_name(v))
			sb_printf(c->sb, "(%s)", errno_name(v));
		return 0;
	case KSCAP_PT_FD:
		/* An fd result may be -errno. */
		if (v == KSCAP_AT_FDCWD && !c->json)
			sb_puts(c->sb, "AT_FDCWD");
		else if (!c->json && errno_name(v))
			sb_printf(c->sb, "%" PRId64 "(%s)", v, errno_name(v));
		else
			sb_i64(c->sb, v);
		return 0;
	case KSCAP_PT_SIGTYPE: {
		const char *name = kscap_signal_name((int)v);

		if (c->json && name)
			sb_printf(c->sb, "\"%s\"", name);
		else if (name)
			sb_printf(c->sb, "%" PRId64 "(%s)", v, name);
		else
			sb_printf(c->sb, "%" PRId64, v);
		return 0;
	}
	case KSCAP_PT_SYSCALLID: {
		const char *name = kscap_syscall_code_name((unsigned int)v);

		if (name && c->json)
			sb_printf(c->sb, "\"%s\"", name);
		else if (name)
			sb_puts(c->sb, name);
		else
			sb_printf(c->sb, "%" PRId64, v);
		return 0;
	}
	case KSCAP_PT_FLAGS8:
	case KSCAP_PT_FLAGS16:
	case KSCAP_PT_FLAGS32:
		put_flags(c, x->aux, (uint32_t)v, false);
		return 0;
	case KSCAP_PT_MODE:
		put_flags(c, x->aux, (uint32_t)v, true);
		return 0;
	case KSCAP_PT_BOOL:
		sb_puts(c->sb, v ? "true" : "false");
		return 0;
	case KSCAP_PT_SOCKFAMILY:
		if (!c->json && v == KSCAP_ABI_SOCKET_FAMILIES_AF_INET)
			sb_puts(c->sb, "AF_INET");
		else if (!c->json && v == KSCAP_ABI_SOCKET_FAMILIES_AF_INET6)
			sb_puts(c->sb, "AF_INET6");
		else if (!c->json && v == KSCAP_ABI_SOCKET_FAMILIES_AF_UNIX)
			sb_puts(c->sb, "AF_UNIX");
		else
			sb_printf(c->sb, "%" PRId64, v);
		return 0;
	case KSCAP_PT_ABSTIME:
		if (!c->json) {
			time_t sec = (time_t)((uint64_t)v / 1000000000ULL);
			struct tm tm;
			char s[32];

			gmtime_r(&sec, &tm);
			strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
			sb_printf(c->sb, "%s.%09" PRIu64 "Z", s, (uint64_t)((uint64_t)v % 1000000000U));
			return 0;
		}
		break;
	case KSCAP_PT_SIGSET:
		if (!c->json) {
			sb_printf(c->sb, "0x%" PRIx64, v);
			return 0;
		}
		break;
	default:
		break;
	}

	/* Plain numbers: the table's print format says dec, hex or octal. */
	if (!c->json && x->fmt == KSCAP_PF_HEX)
		sb_printf(c->sb, "0x%" PRIx64, (uint64_t)v);
	else if (!c->json && x->fmt == KSCAP_PF_OCT)
		sb_printf(c->sb, v ? "0%" PRIo64 : "0", (uint64_t)v);
	else if (x->type == KSCAP_PT_UINT64 || x->type == KSCAP_PT_RELTIME ||
		 x->type == KSCAP_PT_ABSTIME)
		sb_u64(c->sb, (uint64_t)v);
	else
		sb_i64(c->sb, v);
	return 0;
}

static int fmt_text(struct fctx *c, const struct val *x)
{
	if (!x->len) {
		sb_puts(c->sb, c->json ? "null" : "NULL");
		return 0;
	}
	if (c->json)
		put_str(c, x->v, x->len);
	else
		put_text(c->sb, x->v, x->len);
	return 0;
}

/*
 * A type with no printer of its own, as its row in uapi/kscap.h says:
 * integers (most types), text, or else bytes; so a new type needs no
 * more than its row to be shown.
 */
static int fmt_by_row(struct fctx *c, const struct val *x)
{
	unsigned int flags = x->type < KSCAP_PT_MAX ? kscap_param_types[x->type].flags : 0;

	if (x->type >= KSCAP_PT_MAX || (flags & KSCAP_PTF_INT))
		return fmt_int(c, x);
	if (flags & KSCAP_PTF_STRING)
		return fmt_text(c, x);
	put_bytes(c, x->v, x->len);
	return 0;
}

static int fmt_val(struct fctx *c, const struct val *x)
{
	struct val inner;

	switch (x->type) {
	case KSCAP_PT_NONE:
		sb_puts(c->sb, c->json ? "null" : "");
		return 0;
	case KSCAP_PT_BYTEBUF:
		if (is_array_buf(c, x))
			put_array(c, x->v, x->len);
		else
			put_bytes(c, x->v, x->len);
		return 0;
	case KSCAP_PT_CHARBUFARRAY:
		put_array(c, x->v, x->len);
		return 0;
	case KSCAP_PT_CHARBUF_PAIR_ARRAY:
		return put_pairs(c, x->v, x->len);
	case KSCAP_PT_SOCKADDR:
		if (!x->len) {
			sb_puts(c->sb, c->json ? "null" : "NULL");
			return 0;
		}
		return fmt_sockaddr(c, x->v, x->len);
	case KSCAP_PT_SOCKTUPLE:
		if (!x->len) {
			sb_puts(c->sb, c->json ? "null" : "NULL");
			return 0;
		}
		return fmt_socktuple(c, x->v, x->len);
	case KSCAP_PT_FDLIST:
		return fmt_fdlist(c, x->v, x->len);
	case KSCAP_PT_IPV4ADDR:
		if (x->len != kscap_param_types[KSCAP_PT_IPV4ADDR].size)
			return -EBADMSG;
		open_q(c);
		put_ip4(c->sb, x->v);
		open_q(c);
		return 0;
	case KSCAP_PT_IPV6ADDR:
		if (x->len != kscap_param_types[KSCAP_PT_IPV6ADDR].size)
			return -EBADMSG;
		open_q(c);
		put_ip6(c->sb, x->v, false);
		open_q(c);
		return 0;
	case KSCAP_PT_IPADDR:
		if (x->len != 4 && x->len != 16)
			return -EBADMSG;
		open_q(c);
		if (x->len == 4)
			put_ip4(c->sb, x->v);
		else
			put_ip6(c->sb, x->v, false);
		open_q(c);
		return 0;
	case KSCAP_PT_IPV4NET:
	case KSCAP_PT_IPV6NET:
	case KSCAP_PT_IPNET:
		/* an address and its netmask */
		if (x->len != 8 && x->len != 32)
			return -EBADMSG;
		open_q(c);
		if (x->len == 8) {
			put_ip4(c->sb, x->v);
			sb_putc(c->sb, '/');
			put_ip4(c->sb, x->v + 4);
		} else {
			put_ip6(c->sb, x->v, false);
			sb_putc(c->sb, '/');
			put_ip6(c->sb, x->v + 16, false);
		}
		open_q(c);
		return 0;
	case KSCAP_PT_DOUBLE: {
		double d;

		if (x->len != sizeof(d))
			return -EBADMSG;
		memcpy(&d, x->v, sizeof(d));
		sb_printf(c->sb, "%g", d);
		return 0;
	}
	case KSCAP_PT_DYN:
		if (x->len < 1)
			return -EBADMSG;
		inner = *x;
		if (kscap__dyn_type(x->aux, x->v[0], &inner.type, &inner.fmt))
			return -EBADMSG;
		inner.aux = KSCAP_AUX_NONE;
		inner.v = x->v + 1;
		inner.len = x->len - 1;
		return fmt_val(c, &inner);
	default:
		return fmt_by_row(c, x);
	}
}

static int format_one(struct sbuf *sb, const struct kscap_evt *evt,
		      unsigned int idx, unsigned int flags)
{
	const struct kscap_param *p = &evt->params[idx];
	struct fctx c = { .sb = sb, .evt = evt, .json = flags & KSCAP_FMT_JSON };
	struct val x = {
		.type = p->type, .fmt = p->fmt, .aux = p->aux, .name = p->name,
		.v = p->val, .len = p->len,
	};
	size_t start = sb->len;
	int err;

	err = fmt_val(&c, &x);
	if (err) {
		/* Take back what was written of the bad value. */
		sb->len = start;
		if (start < sb->size)
			sb->buf[start] = '\0';
		sb_puts(sb, c.json ? "\"<invalid>\"" : "<invalid>");
	}
	return err;
}

int kscap_param_format(const struct kscap_evt *evt, unsigned int idx,
		       char *buf, size_t size, unsigned int flags)
{
	struct sbuf sb;
	int err;

	sb_init(&sb, buf, size);
	if (idx >= evt->nparams)
		return kscap__fail(-EINVAL, "no parameter %u", idx);
	err = format_one(&sb, evt, idx, flags);
	if (err)
		return kscap__fail(err, "%s: parameter %s is malformed",
				   evt->info->name, evt->params[idx].name);
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}

int kscap_evt_format(const struct kscap_evt *evt, char *buf, size_t size,
		     unsigned int flags)
{
	bool json = flags & KSCAP_FMT_JSON;
	struct sbuf sb;
	uint32_t i;

	sb_init(&sb, buf, size);
	if (json)
		sb_putc(&sb, '{');
	for (i = 0; i < evt->nparams; i++) {
		if (i)
			sb_putc(&sb, json ? ',' : ' ');
		if (json) {
			sb_json_str(&sb, evt->params[i].name, strlen(evt->params[i].name));
			sb_putc(&sb, ':');
		} else {
			sb_puts(&sb, evt->params[i].name);
			sb_putc(&sb, '=');
		}
		format_one(&sb, evt, i, flags);
	}
	if (json)
		sb_putc(&sb, '}');
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}

int kscap_str_format(const char *s, size_t n, char *buf, size_t size,
		     unsigned int flags)
{
	struct sbuf sb;

	sb_init(&sb, buf, size);
	if (flags & KSCAP_FMT_JSON)
		sb_json_str(&sb, s, n);
	else
		sb_text_str(&sb, s, n, true);
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}
