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
/* The same from the fields an exit's header and result give: @has_ret
 * says whether @ret is known (kscap_evt_ret()). */
int summary_add_exit(struct summary *s, unsigned int type, const char *name, int has_ret,
		     int64_t ret, int has_lat, uint64_t lat_ns);
void summary_print(const struct summary *s, FILE *out);

/*
 * Events read in place (kscap_next_raw(): hdr.len bytes at @ev, the
 * header and parameter count checked, nothing else), for --summary and
 * --top, which need no more of most events than these. Every read is
 * bounded by hdr.len.
 */
/* An exit's result as kscap_evt_ret() gives it: 1 and *@ret, 0 if it has
 * none; -1 if only the decoded event can tell (bpf's res_or_fd). */
int raw_ret(const void *ev, int64_t *ret);
/* A generic enter's scap code and native number: 0, or -1 if unreadable. */
int raw_generic_enter(const void *ev, int32_t *nr, uint16_t *id);
/* An exit's name as kscap_threads_evt_name() gives it, the thread's last
 * enter being of @enter_type, and for a generic one @nr and @id (see
 * raw_generic_enter(); the caller keeps them, latency_feed_ev()). */
const char *raw_exit_name(const void *ev, unsigned int enter_type, int32_t nr, uint16_t id);

struct latency_ev;

/* What summary_add_raw() found in an exit. */
struct summary_exit {
	const char *name;
	int err;		/* the errno of a failed call, else 0 */
};

/*
 * An exit read raw, counted: its result and name as raw_ret() and
 * raw_exit_name() give them (@enter: the thread's last enter, from
 * latency_feed_ev()), told in @x. @scratch takes the decoded event when
 * the result needs it. 0 or -ENOMEM.
 */
int summary_add_raw(struct summary *s, const void *ev, const struct latency_ev *enter,
		    int has_lat, uint64_t lat_ns, struct kscap_evt *scratch,
		    struct summary_exit *x);

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
