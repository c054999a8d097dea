// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the event decoder (kscap_evt_parse) and the formatter.
 *
 * Input byte 0 chooses how the rest is read:
 *   even  the rest is an event as a ring holds it (header, lengths,
 *         values), any bytes at all: the parser must refuse what is wrong;
 *   odd   the rest is a type (2 bytes), one length byte per parameter the
 *         table gives that type (the last one takes what is left), then
 *         the values: a well framed event with arbitrary values, so the
 *         formatter sees every parameter type with hostile contents.
 */
#include <stdlib.h>
#include "fuzz_common.h"

static uint8_t ev[KSCAP_HDR_LEN + 2 * KSCAP_MAX_PARAMS + 70000];

static size_t frame(const uint8_t *in, size_t n)
{
	const struct kscap_event_info *info;
	uint16_t type, lens[KSCAP_MAX_PARAMS];
	uint32_t np, len, i;
	size_t vals, left, off;
	uint64_t ts = 1700000000000000000ULL, tid = 42;

	if (n < 2)
		return 0;
	type = (uint16_t)((in[0] | in[1] << 8) % KSCAP_EV_MAX);
	info = kscap_event_info(type);
	if (!info)
		return 0;
	np = info->nparams;
	in += 2;
	n -= 2;
	if (n < np)
		return 0;
	vals = n - np;
	if (vals > 65535 * 2)
		vals = 65535 * 2;
	left = vals;
	for (i = 0; i < np; i++) {
		size_t l = i + 1 == np ? left : in[i];

		if (l > left)
			l = left;
		if (l > 65535)
			l = 65535;
		lens[i] = (uint16_t)l;
		left -= l;
	}
	vals -= left;
	len = KSCAP_HDR_LEN + 2 * np + (uint32_t)vals;
	memcpy(ev, &ts, 8);
	memcpy(ev + 8, &tid, 8);
	memcpy(ev + 16, &len, 4);
	memcpy(ev + 20, &type, 2);
	memcpy(ev + 22, &np, 4);
	memcpy(ev + KSCAP_HDR_LEN, lens, 2 * np);
	off = KSCAP_HDR_LEN + 2 * np;
	memcpy(ev + off, in + np, vals);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kscap_threads *t;
	struct kscap_evt evt;
	uint8_t *copy;
	size_t n;

	if (size < 1)
		return 0;
	t = kscap_threads_new();
	if (data[0] & 1) {
		n = frame(data + 1, size - 1);
		/* A framed event must parse: the framing is the ABI's. */
		if (n && kscap_evt_parse(ev, n, &evt))
			abort();
		if (n)
			fuzz_use_event(&evt, data[0] >> 1, t);
	} else {
		/* An exact-size heap copy: ASan sees any read past the end. */
		n = size - 1;
		copy = malloc(n ? n : 1);
		memcpy(copy, data + 1, n);
		if (kscap_evt_parse(copy, n, &evt) == 0)
			fuzz_use_event(&evt, n, t);
		free(copy);
	}
	kscap_threads_free(t);
	return 0;
}
