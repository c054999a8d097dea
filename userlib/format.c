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

/* Address families as the scap ABI numbers them. */
#define SCAP_AF_UNIX	1
#define SCAP_AF_INET	2
#define SCAP_AF_INET6	10

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

/* Text: printable bytes as they are, the rest escaped. Stops at a NUL. */
static void put_text(struct sbuf *sb, const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i]) {
		size_t run = i;

		/* copy runs of plain characters in one go */
		while (run < n && s[run] >= 0x20 && s[run] < 0x7f)
			run++;
		if (run > i) {
			sb_putn(sb, (const char *)s + i, run - i);
			i = run;
			continue;
		}
		if (s[i] == '\n')
			sb_puts(sb, "\\n");
		else if (s[i] == '\t')
			sb_puts(sb, "\\t");
		else
			sb_printf(sb, "\\x%02x", s[i]);
		i++;
	}
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
	size_t i;

	if (c->json) {
		sb_json_str(c->sb, (const char *)s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t k = strnlen((const char *)s + i, n - i);

		put_text(c->sb, s + i, k);
		i += k;
		if (i < n)
			sb_puts(c->sb, "\\0");
	}
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

static int fmt_sockaddr(struct fctx *c, const uint8_t *v, size_t len)
{
	if (len < 1)
		return -EBADMSG;
	switch (v[0]) {
	case SCAP_AF_INET:
		if (len != 1 + 4 + 2)
			return -EBADMSG;
		open_q(c);
		put_ip4(c->sb, v + 1);
		sb_printf(c->sb, ":%u", ld16(v + 5));
		open_q(c);
		return 0;
	case SCAP_AF_INET6:
		if (len != 1 + 16 + 2)
			return -EBADMSG;
		open_q(c);
		put_ip6(c->sb, v + 1, true);
		sb_printf(c->sb, ":%u", ld16(v + 17));
		open_q(c);
		return 0;
	case SCAP_AF_UNIX:
		put_str(c, v + 1, len - 1);
		return 0;
	default:
		open_q(c);
		sb_printf(c->sb, "family %u", v[0]);
		open_q(c);
		return 0;
	}
}

static int fmt_socktuple(struct fctx *c, const uint8_t *v, size_t len)
{
	char buf[4 * KSCAP_PATH_MAX];
	struct sbuf tmp;

	if (len < 1)
		return -EBADMSG;
	switch (v[0]) {
	case SCAP_AF_INET:
		/* family, source ip, source port, dest ip, dest port */
		if (len != 1 + 4 + 2 + 4 + 2)
			return -EBADMSG;
		open_q(c);
		put_ip4(c->sb, v + 1);
		sb_printf(c->sb, ":%u->", ld16(v + 5));
		put_ip4(c->sb, v + 7);
		sb_printf(c->sb, ":%u", ld16(v + 11));
		open_q(c);
		return 0;
	case SCAP_AF_INET6:
		if (len != 1 + 16 + 2 + 16 + 2)
			return -EBADMSG;
		open_q(c);
		put_ip6(c->sb, v + 1, true);
		sb_printf(c->sb, ":%u->", ld16(v + 17));
		put_ip6(c->sb, v + 19, true);
		sb_printf(c->sb, ":%u", ld16(v + 35));
		open_q(c);
		return 0;
	case SCAP_AF_UNIX:
		/* family, source socket, dest socket (kernel addresses), path */
		if (len < 1 + 8 + 8)
			return -EBADMSG;
		sb_init(&tmp, buf, sizeof(buf));
		sb_printf(&tmp, "%" PRIx64 "->%" PRIx64, ld64(v + 1), ld64(v + 9));
		if (len > 17 && v[17]) {
			sb_putc(&tmp, ' ');
			put_text(&tmp, v + 17, len - 17);
		}
		put_built(c, &tmp);
		return 0;
	default:
		open_q(c);
		sb_printf(c->sb, "family %u", v[0]);
		open_q(c);
		return 0;
	}
}

static const char *const poll_names[] = {
	"IN", "PRI", "OUT", "RDHUP", "ERR", "HUP", "NVAL",
	"RDNORM", "RDBAND", "WRNORM", "WRBAND",
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

	if (len < 2)
		return -EBADMSG;
	n = ld16(v);
	if (len != 2 + (size_t)n * 10)
		return -EBADMSG;
	sb_putc(c->sb, '[');
	for (i = 0; i < n; i++) {
		const uint8_t *e = v + 2 + i * 10;

		if (i)
			sb_puts(c->sb, c->json ? "," : " ");
		if (c->json) {
			sb_printf(c->sb, "{\"fd\":%" PRId64 ",\"events\":\"", (int64_t)ld64(e));
			put_poll_flags(c->sb, ld16(e + 8));
			sb_puts(c->sb, "\"}");
		} else {
			sb_printf(c->sb, "%" PRId64 ":", (int64_t)ld64(e));
			put_poll_flags(c->sb, ld16(e + 8));
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

static int fmt_int(struct fctx *c, const struct val *x)
{
	struct kscap_param p = { .val = x->v, .len = (uint16_t)x->len, .type = (uint8_t)x->type };
	int64_t v;

	if (x->len > UINT16_MAX || kscap_param_int(&p, &v))
		return -EBADMSG;

	switch (x->type) {
	case KSCAP_PT_ERRNO:
		sb_i64(c->sb, v);
		/* Only -4095..-1 are errors; negating anything lower can overflow. */
		if (!c->json && v < 0 && v >= -4095 && kscap_errno_name((int)-v))
			sb_printf(c->sb, "(%s)", kscap_errno_name((int)-v));
		return 0;
	case KSCAP_PT_FD:
		/* An fd result may be -errno. */
		if (v == KSCAP_AT_FDCWD && !c->json)
			sb_puts(c->sb, "AT_FDCWD");
		else if (!c->json && v < 0 && v >= -4095 && kscap_errno_name((int)-v))
			sb_printf(c->sb, "%" PRId64 "(%s)", v, kscap_errno_name((int)-v));
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
		if (!c->json && v == SCAP_AF_INET)
			sb_puts(c->sb, "AF_INET");
		else if (!c->json && v == SCAP_AF_INET6)
			sb_puts(c->sb, "AF_INET6");
		else if (!c->json && v == SCAP_AF_UNIX)
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

static int fmt_val(struct fctx *c, const struct val *x)
{
	struct val inner;

	switch (x->type) {
	case KSCAP_PT_NONE:
		sb_puts(c->sb, c->json ? "null" : "");
		return 0;
	case KSCAP_PT_CHARBUF:
	case KSCAP_PT_FSPATH:
	case KSCAP_PT_FSRELPATH:
		if (!x->len) {
			sb_puts(c->sb, c->json ? "null" : "NULL");
			return 0;
		}
		if (c->json)
			put_str(c, x->v, x->len);
		else
			put_text(c->sb, x->v, x->len);
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
		if (x->len != 4)
			return -EBADMSG;
		open_q(c);
		put_ip4(c->sb, x->v);
		open_q(c);
		return 0;
	case KSCAP_PT_IPV6ADDR:
		if (x->len != 16)
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
		return fmt_int(c, x);
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
