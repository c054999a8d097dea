// SPDX-License-Identifier: MIT
/*
 * The per-architecture syscall tables of uapi/ (the module maps numbers to
 * rows with them, libkscap names syscalls with them): arm64's numbers are
 * the reference's (seed 002), a call both architectures have becomes the
 * same row with the same scap code on both, and every row no arm64 call
 * becomes is listed as such (KSCAP_NO_SYSCALL).
 */
#include <stdio.h>
#include <stdlib.h>
#include "test.h"
#include "internal.h"

struct sc {
	int nr;
	const char *name;
	unsigned int code;
	unsigned int enter;
};

static const struct sc x86_64[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) { nr, #name, code, KSCAP_EV_##row##_E },
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

static const struct sc arm64[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) { nr, #name, code, KSCAP_EV_##row##_E },
#include "kscap_syscalls_arm64.h"
#undef KSCAP_SYSCALL
};

static const struct {
	unsigned int enter;
	const char *x86_name;
} arm64_absent[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig)
#define KSCAP_NO_SYSCALL(row, name) { KSCAP_EV_##row##_E, #name },
#include "kscap_syscalls_arm64.h"
#undef KSCAP_NO_SYSCALL
#undef KSCAP_SYSCALL
};

/* KSCAP_SYSCALL_ARGS lines: the calls whose arguments sit elsewhere. */
struct args_line {
	const char *name;
	unsigned int first, count;
};

static const struct args_line x86_64_args[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig)
#define KSCAP_SYSCALL_ARGS(name, first, count) { #name, first, count },
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL_ARGS
#undef KSCAP_SYSCALL
};

static const struct args_line arm64_args[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig)
#define KSCAP_SYSCALL_ARGS(name, first, count) { #name, first, count },
#include "kscap_syscalls_arm64.h"
#undef KSCAP_SYSCALL_ARGS
#undef KSCAP_SYSCALL
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* x86_64 spells pread64 and pwrite64 pread and pwrite. */
static const struct sc *x86_twin(const char *name)
{
	size_t i;

	if (!strcmp(name, "pread64"))
		name = "pread";
	else if (!strcmp(name, "pwrite64"))
		name = "pwrite";
	for (i = 0; i < N(x86_64); i++)
		if (!strcmp(x86_64[i].name, name))
			return &x86_64[i];
	return NULL;
}

static bool arm64_has_row(unsigned int enter)
{
	size_t i;

	for (i = 0; i < N(arm64); i++)
		if (arm64[i].enter == enter)
			return true;
	return false;
}

static void numbers_are_the_references(void **state)
{
	char path[512], line[512], name[64];
	unsigned int seen = 0;
	size_t i;
	FILE *f;
	int nr;

	snprintf(path, sizeof(path), "%s/002_2f2ca8a2432eed7d.txt", seeds_dir());
	f = fopen(path, "r");
	if (!f)
		skip_because("no reference syscall table %s (set KSCAP_SEEDS)", path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d | %63[a-z0-9_] |", &nr, name) != 2)
			continue;
		for (i = 0; i < N(arm64) && strcmp(arm64[i].name, name); i++)
			;
		if (i == N(arm64))
			fail_msg("arm64 %s (%d) is not in the table", name, nr);
		assert_int_equal(arm64[i].nr, nr);
		seen++;
	}
	fclose(f);
	assert_int_equal(seen, 293);
}

static void numbers_are_unique_and_ordered(void **state)
{
	size_t i;

	for (i = 1; i < N(arm64); i++)
		assert_true(arm64[i - 1].nr < arm64[i].nr);
	for (i = 1; i < N(x86_64); i++)
		assert_true(x86_64[i - 1].nr < x86_64[i].nr);
	assert_true(arm64[N(arm64) - 1].nr < 512);
}

static void shared_calls_agree(void **state)
{
	size_t i;

	for (i = 0; i < N(arm64); i++) {
		const struct sc *x = x86_twin(arm64[i].name);

		if (!x) {	/* arm64 only: nothing to agree with */
			assert_int_equal(arm64[i].enter, KSCAP_EV_GENERIC_E);
			continue;
		}
		if (x->code != arm64[i].code || x->enter != arm64[i].enter)
			fail_msg("%s: x86_64 code %u row %u, arm64 code %u row %u",
				 arm64[i].name, x->code, x->enter, arm64[i].code,
				 arm64[i].enter);
	}
}

static void rows_are_enter_events(void **state)
{
	size_t i;

	for (i = 0; i < N(arm64); i++) {
		assert_int_equal(arm64[i].enter % 2, 0);
		assert_non_null(kscap_event_info(arm64[i].enter));
	}
	for (i = 0; i < N(x86_64); i++) {
		assert_int_equal(x86_64[i].enter % 2, 0);
		assert_non_null(kscap_event_info(x86_64[i].enter));
	}
}

/* Each x86_64 row arm64 lacks is listed absent; none listed is present. */
static void absent_rows_are_listed(void **state)
{
	size_t i, j;

	for (i = 0; i < N(arm64_absent); i++) {
		const struct sc *x = x86_twin(arm64_absent[i].x86_name);

		assert_non_null(x);
		assert_int_equal(x->enter, arm64_absent[i].enter);
		assert_false(arm64_has_row(arm64_absent[i].enter));
	}
	for (i = 0; i < N(x86_64); i++) {
		if (x86_64[i].enter == KSCAP_EV_GENERIC_E || arm64_has_row(x86_64[i].enter))
			continue;
		for (j = 0; j < N(arm64_absent) && arm64_absent[j].enter != x86_64[i].enter; j++)
			;
		if (j == N(arm64_absent))
			fail_msg("row of x86_64 %s: no arm64 call, not listed absent",
				 x86_64[i].name);
	}
}

/*
 * An argument line names a call of its table that has a row, and stays
 * within a call's six arguments; a call both tables have is read alike.
 */
static void check_args_lines(const struct args_line *lines, size_t n, const struct sc *tbl,
			     size_t ntbl, const struct args_line *other, size_t nother)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < ntbl && strcmp(tbl[j].name, lines[i].name); j++)
			;
		if (j == ntbl || tbl[j].enter == KSCAP_EV_GENERIC_E)
			fail_msg("KSCAP_SYSCALL_ARGS(%s): no such call with a row", lines[i].name);
		assert_true(lines[i].first + lines[i].count <= 6);
		for (j = 0; j < nother; j++)
			if (!strcmp(other[j].name, lines[i].name) &&
			    (other[j].first != lines[i].first || other[j].count != lines[i].count))
				fail_msg("KSCAP_SYSCALL_ARGS(%s) differs between the tables",
					 lines[i].name);
	}
}

static void args_lines_name_rows(void **state)
{
	assert_true(N(x86_64_args) > 0);
	check_args_lines(x86_64_args, N(x86_64_args), x86_64, N(x86_64), arm64_args,
			 N(arm64_args));
	check_args_lines(arm64_args, N(arm64_args), arm64, N(arm64), x86_64_args,
			 N(x86_64_args));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_the_references),
		cmocka_unit_test(numbers_are_unique_and_ordered),
		cmocka_unit_test(shared_calls_agree),
		cmocka_unit_test(rows_are_enter_events),
		cmocka_unit_test(absent_rows_are_listed),
		cmocka_unit_test(args_lines_name_rows),
	};

	return RUN(tests);
}
