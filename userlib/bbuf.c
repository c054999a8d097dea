// SPDX-License-Identifier: MIT
/*
 * A growing little-endian byte buffer, for the metadata blocks of capture
 * files. Running out of memory is sticky and checked once at the end.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void bb_put(struct bbuf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

void bb_str(struct bbuf *b, const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	BB_PUT(b, uint16_t, n);
	bb_put(b, s, n);
}

size_t bb_entry_start(struct bbuf *b)
{
	size_t start = b->len;

	BB_PUT(b, uint32_t, 0);
	return start;
}

void bb_entry_end(struct bbuf *b, size_t start, bool self)
{
	uint32_t len = (uint32_t)(b->len - start - (self ? 0 : 4));

	if (!b->oom)
		memcpy(b->p + start, &len, sizeof(len));
}
