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

#endif
