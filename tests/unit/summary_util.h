/* SPDX-License-Identifier: MIT */
/* Events fed to --summary's (and --top's) model: built, parsed, added. */
#ifndef SUMMARY_UTIL_H
#define SUMMARY_UTIL_H

#include "test.h"
#include "evbuild.h"
#include "summary.h"

/* Parse @raw into @evt and add it to @s with latency @lat. */
static inline void summary_feed(struct summary *s, const uint8_t *raw, uint32_t len,
				uint64_t lat, struct kscap_evt *evt)
{
	assert_int_equal(kscap_evt_parse(raw, len, evt), 0);
	assert_int_equal(summary_add(s, evt, 1, lat), 0);
}

/* A read of 10 bytes that took @lat ns. */
static inline void summary_add_read(struct summary *s, struct evb *b, uint64_t lat)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_read_x(b, 1, 1, 10, "0123456789", 10, &len);

	summary_feed(s, raw, len, lat, &evt);
}

#endif /* SUMMARY_UTIL_H */
