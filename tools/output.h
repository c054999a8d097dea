/* SPDX-License-Identifier: MIT */
/* One event per line: text or JSON. */
#ifndef SCAPDUMP_OUTPUT_H
#define SCAPDUMP_OUTPUT_H

#include <stdio.h>
#include <stdint.h>
#include "kscap/libkscap.h"

struct out_event {
	uint64_t num;
	unsigned int cpu;
	const struct kscap_evt *evt;
	const struct kscap_thread *th;	/* NULL if unknown */
	const char *name;		/* NULL: kscap_evt_name() */
	int has_lat;
	uint64_t lat_ns;
	const char *host;		/* --subscribe: where it happened */
};

/* Print the line; returns what fputs returned (EOF on a write error). */
int print_text(FILE *out, const struct out_event *e);
int print_json(FILE *out, const struct out_event *e);
/* The event table, one row per line, as the reference document writes it. */
void print_table(FILE *out);
/* The syscalls of @arch: "NR NAME EVENT" (EVENT "generic" or the row's
 * name), then "- - EVENT" for each syscall row no call of @arch becomes. */
void print_syscalls(FILE *out, unsigned int arch);

#endif
