// SPDX-License-Identifier: MIT
/* The event table as libkscap instantiates it, and the name tables. */
#include <stdio.h>
#include <stdlib.h>
#include "test.h"
#include "internal.h"

static void rows_are_complete(void **state)
{
	unsigned int type, rows = 0, i;

	for (type = 0; type < KSCAP_EV_MAX; type++) {
		const struct kscap_event_info *info = kscap_event_info(type);

		if (!info)
			continue;
		rows++;
		assert_ptr_equal(info, &kscap_event_table[type]);
		assert_true(info->nparams <= KSCAP_MAX_PARAMS);
		assert_non_null(kscap_category_name(info->category));
		for (i = 0; i < info->nparams; i++) {
			assert_non_null(info->params[i].name);
			assert_non_null(kscap_param_type_name(info->params[i].type));
		}
	}
	assert_int_equal(rows, table_rows());
	assert_null(kscap_event_info(KSCAP_EV_MAX));
	assert_null(kscap_event_info(100000));
}

static void known_rows(void **state)
{
	const struct kscap_event_info *open_x = kscap_event_info(KSCAP_EV_OPEN_X);

	assert_string_equal(open_x->name, "open");
	assert_int_equal(open_x->nparams, 5);
	assert_string_equal(open_x->params[1].name, "name");
	assert_int_equal(open_x->params[1].type, KSCAP_PT_FSPATH);
	assert_string_equal(kscap_param_type_name(KSCAP_PT_DYN), "DYNAMIC");
	assert_string_equal(kscap_param_type_name(KSCAP_PT_CHARBUF_PAIR_ARRAY),
			    "CHARBUF_PAIR_ARRAY");
	assert_null(kscap_param_type_name(KSCAP_PT_MAX));
}

static void categories_round_trip(void **state)
{
	static const char *const names[] = {
		"file", "net", "ipc", "memory", "process", "signal", "io_read",
		"io_write", "io_other", "wait", "other", "time", "user", "sleep",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int cat = kscap_category_by_name(names[i]);

		assert_true(cat >= 0);
		assert_string_equal(kscap_category_name((unsigned int)cat), names[i]);
	}
	assert_int_equal(kscap_category_by_name("nonsense"), -EINVAL);
	assert_null(kscap_category_name(12345));
}

static void syscall_names(void **state)
{
	assert_string_equal(kscap_syscall_name(39), "getpid");
	assert_string_equal(kscap_syscall_name(0), "read");
	assert_null(kscap_syscall_name(100000));
	assert_int_equal(kscap_syscall_by_name("getpid"), 39);
	assert_int_equal(kscap_syscall_by_name("no_such_call"), -ENOENT);
	/* scap codes: the uapi table gives read code 3 */
	assert_string_equal(kscap_syscall_code_name(3), "read");
	assert_null(kscap_syscall_code_name(0));
	assert_null(kscap_syscall_code_name(60000));
}

static void errno_and_signal_names(void **state)
{
	assert_string_equal(kscap_errno_name(ENOENT), "ENOENT");
	assert_string_equal(kscap_errno_name(-EACCES), "EACCES");
	assert_null(kscap_errno_name(0));
	assert_string_equal(kscap_signal_name(9), "SIGKILL");
	assert_string_equal(kscap_signal_name(2), "SIGINT");
	assert_non_null(kscap_signal_name(40));		/* real-time */
	assert_null(kscap_signal_name(0));
	assert_null(kscap_signal_name(1000));
}

/* The default-set flag on every row matches the reference's Yes column. */
static void default_set_matches_seed(void **state)
{
	char path[512], line[1024];
	unsigned int type = 0;
	FILE *f;

	f = reference_open(path, sizeof(path));
	while (fgets(line, sizeof(line), f)) {
		bool yes = !strncmp(line, "Yes |", 5);

		if (!yes && strncmp(line, "No |", 4))
			continue;
		while (type < KSCAP_EV_MAX && !kscap_event_info(type))
			type++;
		assert_true(type < KSCAP_EV_MAX);
		assert_int_equal(yes, !!(kscap_event_table[type].flags & KSCAP_EF_DEFAULT_SET));
		type++;
	}
	fclose(f);
}

/*
 * The process-state rows: what a thread table is built from, what the
 * module lets use the ring's reserve and what filters keep for the
 * thread table. Exactly the exits of clone, fork, vfork and execve (both
 * versions) and procexit.
 */
static void process_state_rows(void **state)
{
	static const unsigned int want[] = {
		KSCAP_EV_CLONE_X, KSCAP_EV_FORK_X, KSCAP_EV_VFORK_X,
		KSCAP_EV_EXECVE_X, KSCAP_EV_EXECVE_OLD_X, KSCAP_EV_PROCEXIT_E,
	};
	unsigned int type, i, n = 0;

	for (type = 0; type < KSCAP_EV_MAX; type++) {
		bool flagged = kscap_event_table[type].flags & KSCAP_EF_PROC_STATE;
		bool wanted = false;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			wanted |= want[i] == type;
		assert_int_equal(flagged, wanted);
		n += flagged;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_are_complete),
		cmocka_unit_test(known_rows),
		cmocka_unit_test(categories_round_trip),
		cmocka_unit_test(syscall_names),
		cmocka_unit_test(errno_and_signal_names),
		cmocka_unit_test(default_set_matches_seed),
		cmocka_unit_test(process_state_rows),
	};

	return RUN(tests);
}
