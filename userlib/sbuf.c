// SPDX-License-Identifier: MIT
/*
 * A string builder over a caller's fixed buffer. It keeps counting past
 * the end so that callers get snprintf()'s "length it would have had".
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

void sb_init(struct sbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	if (size)
		buf[0] = '\0';
}

void sb_putn(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->len + 1 < sb->size) {
		size_t room = sb->size - 1 - sb->len;
		size_t k = n < room ? n : room;

		memcpy(sb->buf + sb->len, s, k);
		sb->buf[sb->len + k] = '\0';
	}
	sb->len += n;
}

void sb_putc(struct sbuf *sb, char c)
{
	sb_putn(sb, &c, 1);
}

void sb_puts(struct sbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Only short numeric formats come here; longer text uses sb_puts. */
	sb_putn(sb, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Decimal numbers without printf: they are most of what gets formatted. */
void sb_u64(struct sbuf *sb, uint64_t v)
{
	char t[20];
	size_t i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_putn(sb, t + i, sizeof(t) - i);
}

void sb_i64(struct sbuf *sb, int64_t v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_u64(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(sb, (uint64_t)v);
	}
}

void sb_json_str(struct sbuf *sb, const char *s, size_t n)
{
	size_t i;

	sb_putc(sb, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t run = i;

		/* plain characters in one go */
		while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
		       s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			sb_putn(sb, s + i, run - i);
			i = run - 1;
			continue;
		}

		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c == '\n') {
			sb_puts(sb, "\\n");
		} else if (c == '\t') {
			sb_puts(sb, "\\t");
		} else if (c < 0x20 || c >= 0x7f) {
			/* Bytes, not text: keep the output valid JSON
			 * whatever the captured data is. */
			sb_printf(sb, "\\u%04x", c);
		} else {
			sb_putc(sb, (char)c);
		}
	}
	sb_putc(sb, '"');
}
