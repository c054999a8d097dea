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

/* One syscall's figures, as --summary prints them and --top shows them. */
struct summary_row {
	size_t index;		/* its number, for summary_errnos() */
	const char *name;
	unsigned int category;
	uint64_t calls, errors;
	uint64_t total_ns, avg_ns, p95_ns, p99_ns;
};

struct summary_errno {
	int err;
	uint64_t count;
};

/* Rows are numbered 0..summary_count()-1 in the order first seen; a
 * row keeps its number as others are added. */
size_t summary_count(const struct summary *s);
void summary_row(const struct summary *s, size_t i, struct summary_row *row);
/* Row @i's errno values, most frequent first: how many were stored in
 * @out (at most @max). */
size_t summary_errnos(const struct summary *s, size_t i, struct summary_errno *out,
		      size_t max);
/* The three most frequent as text: "ENOENT:7 EACCES:1". */
void summary_top_errnos(const struct summary *s, size_t i, char *buf, size_t size);

/* The latency histogram, exposed for its tests. */
#define HIST_BUCKETS	(16 + 60 * 16)
unsigned int hist_bucket(uint64_t ns);
uint64_t hist_value(unsigned int bucket);

#endif
