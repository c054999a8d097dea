/* SPDX-License-Identifier: MIT */
/*
 * --summary: per syscall, calls, errors, latency (average, p95, p99) and
 * the most frequent errno values, grouped by category, like strace -c.
 */
#ifndef SCAPDUMP_SUMMARY_H
#define SCAPDUMP_SUMMARY_H

#include <stdio.h>
#include <stdint.h>
#include "kscap/libkscap.h"

struct summary;

struct summary *summary_new(void);
void summary_free(struct summary *s);
/* Count an exit event; @has_lat says whether @lat_ns is known. 0 or -ENOMEM. */
int summary_add(struct summary *s, const struct kscap_evt *evt, int has_lat,
		uint64_t lat_ns);
/* The same under @name (a static string: kscap_threads_evt_name()). */
int summary_add_named(struct summary *s, const struct kscap_evt *evt, const char *name,
		      int has_lat, uint64_t lat_ns);
void summary_print(const struct summary *s, FILE *out);

/* The latency histogram, exposed for its tests. */
#define HIST_BUCKETS	(16 + 60 * 16)
unsigned int hist_bucket(uint64_t ns);
uint64_t hist_value(unsigned int bucket);

#endif
