/* SPDX-License-Identifier: MIT */
/* What every test program includes: cmocka and the library. */
#ifndef KSCAP_TEST_H
#define KSCAP_TEST_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kscap/libkscap.h"

/* Run one group; the runner turns cmocka's TAP output into PASS/FAIL. */
#define RUN(tests) cmocka_run_group_tests_name(__FILE__, tests, NULL, NULL)

/* Where the reference documents are (KSCAP_SEEDS overrides). */
static inline const char *seeds_dir(void)
{
	const char *d = getenv("KSCAP_SEEDS");

	return d ? d : SEEDS_DIR;
}

/*
 * Skip the running test, saying why: run.sh puts the reason (a TAP
 * comment printed just before cmocka's SKIP line) into the SKIP line.
 */
#define skip_because(...)					\
	do {							\
		printf("# skip-reason: " __VA_ARGS__);		\
		printf("\n");					\
		fflush(stdout);					\
		skip();						\
	} while (0)

/* The reference event table (seed 000), or a skip that says it is absent. */
#define REFERENCE_TABLE	"000_29674cbe420fd3bd.txt"
#define reference_open(path, size)					\
	({								\
		FILE *f_;						\
		snprintf((path), (size), "%s/" REFERENCE_TABLE, seeds_dir()); \
		f_ = fopen((path), "r");				\
		if (!f_)						\
			skip_because("no reference table %s (set KSCAP_SEEDS)", (path)); \
		f_;							\
	})

/* The rows uapi/kscap_event_table.h has, counted by the preprocessor. */
#pragma push_macro("KSCAP_EV")
#undef KSCAP_EV
#define KSCAP_EV(...) + 1
static inline unsigned int table_rows(void)
{
	return 0
#include "kscap_event_table.h"
	;
}
#pragma pop_macro("KSCAP_EV")

#endif
