/* SPDX-License-Identifier: MIT */
/*
 * --top: the --summary figures shown live, like top(1) for system calls.
 * The model (rows, sort order, colours, the detail of one syscall) is
 * kept apart from the screen so that it can be tested on its own.
 */
#ifndef SCAPDUMP_TOP_H
#define SCAPDUMP_TOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "output.h"
#include "summary.h"

/* Columns, in screen order; each one sorts. */
enum top_col {
	TOP_COL_NAME, TOP_COL_CAT, TOP_COL_CALLS, TOP_COL_ERRORS, TOP_COL_ERRPCT,
	TOP_COL_AVG, TOP_COL_P95, TOP_COL_P99, TOP_COL_TIME, TOP_COL_NR
};

/* The categories of the category bar. */
enum top_group {
	TOP_IO, TOP_FS, TOP_NET, TOP_MEM, TOP_PROC, TOP_SIG, TOP_OTHER, TOP_GROUP_NR
};

enum top_colour { TOP_PLAIN, TOP_YELLOW, TOP_RED };

/* A row turns red at this error rate, yellow at this average latency. */
#define TOP_RED_ERRPCT		50
#define TOP_YELLOW_AVG_NS	5000000ULL
/* Failed calls kept per syscall for the detail view. */
#define TOP_FAILS		5
#define TOP_FAIL_LEN		240

struct top;

struct top_detail {
	struct summary_row row;
	struct summary_errno errs[16];
	size_t nerrs;
	const char *fails[TOP_FAILS];	/* newest first */
	size_t nfails;
};

/* The model alone: no screen, no keyboard (the tests). */
struct top *top_new(struct summary *sum);
void top_free(struct top *t);

enum top_group top_group_of(unsigned int category);
const char *top_group_name(enum top_group g);
enum top_colour top_colour_of(const struct summary_row *row);

/* Remember one failed call's text (for the detail view). 0 or -ENOMEM. */
int top_record_failure(struct top *t, const char *name, const char *line);
/* The same from the event's bytes (@len of them at @ev, as the ring or
 * kscap_evt.raw hold them) and what its line shows besides (@e's num,
 * cpu, th, host; @e->evt is not used): copied, its line made only when
 * the detail view shows it. 0 or -ENOMEM. */
int top_record_failure_raw(struct top *t, const char *name, const void *ev, uint32_t len,
			   const struct out_event *e);
/* The rows shown: those of the chosen category group, sorted. At most
 * @max; returns how many. */
size_t top_rows(struct top *t, struct summary_row *rows, size_t max);
/* Calls per category group (the category bar). */
void top_groups(const struct top *t, uint64_t calls[TOP_GROUP_NR]);
/* Everything the detail view of @name shows; -1 if it has no row. */
int top_detail(struct top *t, const char *name, struct top_detail *d);

/* Keys: what the user sees changes; returns true for quit. */
bool top_key(struct top *t, int key);
enum top_col top_sort_col(const struct top *t);
bool top_sort_desc(const struct top *t);
int top_group_filter(const struct top *t);	/* -1: all */
bool top_paused(const struct top *t);
/* The syscall the detail view shows, or NULL for the table. */
const char *top_detail_name(const struct top *t);

/*
 * The live view. On a terminal, an ncurses screen refreshed every second
 * (a replayed file goes at the pace it was recorded); elsewhere a plain
 * table printed every second. @stop is scapdump's signal flag.
 */
struct top *top_start(struct summary *sum, bool replay, volatile sig_atomic_t *stop);
/* After an event that passed the filters was summed; true: quit. */
bool top_event(struct top *t, const struct out_event *e);
/* The same for an event read raw, at time @ts, its failure (if any)
 * recorded with top_record_failure_raw(): counted, and the screen
 * updated when its time comes. */
bool top_tick(struct top *t, uint64_t ts);
/* The count of events shown is kept by the caller at @shown (read when
 * the screen is drawn): then top_tick() need only be called for an event
 * at or after top_due() (or every 64 Ki events). */
void top_count(struct top *t, const uint64_t *shown);
uint64_t top_due(const struct top *t);
/* No event came for a while; true: quit. */
bool top_idle(struct top *t);
/* End of the input: on a terminal, stay until the user quits. */
void top_finish(struct top *t);

#endif
