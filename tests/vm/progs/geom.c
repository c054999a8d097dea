// SPDX-License-Identifier: GPL-2.0
/*
 * geom: open the device and check its geometry against what the module
 * parameters asked for (the load test's helper).
 *
 *   geom [--expect-ring N] [--expect-reserve N] [--expect-pow2]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kt.h"

int main(int argc, char **argv)
{
	struct kt_dev d;
	int i;

	kt_open(&d);	/* checks the version and the geometry's sanity */
	kt_log("ncpus %u page_size %u ring_size %llu reserve %llu status_len %llu consumer_len %llu",
	       d.g.ncpus, d.g.page_size, (unsigned long long)d.g.ring_size,
	       (unsigned long long)d.g.reserve, (unsigned long long)d.g.status_len,
	       (unsigned long long)d.g.consumer_len);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect-ring") && i + 1 < argc) {
			u64 want = strtoull(argv[++i], NULL, 0);

			KT_CHECK(d.g.ring_size == want, "ring_size %llu, want %llu",
				 (unsigned long long)d.g.ring_size, (unsigned long long)want);
		} else if (!strcmp(argv[i], "--expect-reserve") && i + 1 < argc) {
			u64 want = strtoull(argv[++i], NULL, 0);

			KT_CHECK(d.g.reserve == want, "reserve %llu, want %llu",
				 (unsigned long long)d.g.reserve, (unsigned long long)want);
		} else if (!strcmp(argv[i], "--expect-pow2")) {
			/* kt_open() already insists on a power of two. */
		} else {
			kt_fail("usage: geom [--expect-ring N] [--expect-reserve N] [--expect-pow2]");
		}
	}
	kt_close(&d);
	return 0;
}
