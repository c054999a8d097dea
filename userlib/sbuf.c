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

/*
 * The length (2 to 4) of the well-formed UTF-8 sequence of a non-ASCII
 * character at @s, or 0 when the bytes there are not one: a stray
 * continuation byte, an overlong form, a surrogate, a code point past
 * U+10FFFF or a sequence cut short. *@cp gets the code point.
 */
size_t sb_utf8_len(const uint8_t *s, size_t n, uint32_t *cp)
{
	size_t need, i;
	uint32_t c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	need = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < need)
		return 0;
	c = s[0] & (0x3fU >> (need - 1));
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fU);
	}
	if ((need == 3 && c < 0x800) || (need == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return need;
}

/* Plain ASCII that needs no escape in either form. */
static bool plain(uint8_t c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * JSON: well-formed UTF-8 goes through as it is; control characters,
 * quote and backslash get JSON's escapes; a byte that is not part of
 * well-formed UTF-8 becomes \udcXX (XX: the byte), a lone low surrogate
 * that no valid character encodes (the "surrogateescape" convention).
 */
void sb_json_str(struct sbuf *sb, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, k;
	uint32_t cp;

	sb_putc(sb, '"');
	while (i < n) {
		size_t run = i;

		while (run < n && plain(u[run]))
			run++;
		if (run > i) {
			sb_putn(sb, s + i, run - i);
			i = run;
			continue;
		}
		if (u[i] == '"' || u[i] == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, s[i]);
		} else if (u[i] == '\n') {
			sb_puts(sb, "\\n");
		} else if (u[i] == '\t') {
			sb_puts(sb, "\\t");
		} else if (u[i] < 0x80) {
			sb_printf(sb, "\\u%04x", u[i]);
		} else if ((k = sb_utf8_len(u + i, n - i, &cp))) {
			sb_putn(sb, s + i, k);
			i += k;
			continue;
		} else {
			sb_printf(sb, "\\udc%02x", u[i]);
		}
		i++;
	}
	sb_putc(sb, '"');
}

/*
 * Text: printable ASCII and well-formed UTF-8 of printable characters go
 * through; backslash is \\, newline \n, tab \t, and every other byte
 * (control characters, C1 controls a terminal would obey, bytes that are
 * not well-formed UTF-8) is \xNN. A NUL is \0 when @nul_is_data, else
 * the end of the text.
 */
void sb_text_str(struct sbuf *sb, const char *s, size_t n, bool nul_is_data)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		size_t run = i;

		while (run < n && (plain(u[run]) || u[run] == '"'))
			run++;
		if (run > i) {
			sb_putn(sb, s + i, run - i);
			i = run;
			continue;
		}
		if (!u[i] && !nul_is_data)
			return;
		if (u[i] >= 0x80 && (k = sb_utf8_len(u + i, n - i, &cp)) && cp >= 0xa0) {
			sb_putn(sb, s + i, k);
			i += k;
			continue;
		}
		if (!u[i])
			sb_puts(sb, "\\0");
		else if (u[i] == '\\')
			sb_puts(sb, "\\\\");
		else if (u[i] == '\n')
			sb_puts(sb, "\\n");
		else if (u[i] == '\t')
			sb_puts(sb, "\\t");
		else
			sb_printf(sb, "\\x%02x", u[i]);
		i++;
	}
}
