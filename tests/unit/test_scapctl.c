// SPDX-License-Identifier: MIT
/* scapctl's command line: commands and arguments are checked before the
 * module is asked, every mistake is one line, output errors count. */
#include "test.h"
#include "cli_util.h"

static void run(struct cli *c, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "'%s' %s", SCAPCTL_BIN, args);
	cli_run(c, cmd);
}

/* Each: status 2, one line naming what is wrong. */
static void usage_errors(void **state)
{
	static const struct { const char *args, *says; } bad[] = {
		{ "bogus", "unknown command 'bogus'" },
		{ "", "a command is needed" },
		{ "snaplen -5", "invalid snaplen '-5'" },
		{ "snaplen 0", "invalid snaplen '0'" },
		{ "snaplen 70000", "invalid snaplen '70000'" },
		{ "snaplen ' 5'", "invalid snaplen ' 5'" },
		{ "snaplen +5", "invalid snaplen '+5'" },
		{ "snaplen", "'snaplen' needs an argument" },
		{ "info extra", "unexpected argument 'extra'" },
		{ "info -x", "unknown option '-x'" },
		{ "watch -n ' 3'", "invalid count ' 3'" },
		{ "watch -n", "needs an argument" },
		{ "mask sideways open", "'on' or 'off'" },
		{ "mask on", "list of event names" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cli c;

		run(&c, bad[i].args);
		if (c.status != 2 || c.err_lines != 1 || strncmp(c.err, "scapctl: ", 9) ||
		    !strstr(c.err, bad[i].says) || c.out_lines)
			fail_msg("'%s': status %d, stderr: %s", bad[i].args, c.status, c.err);
		cli_free(&c);
	}
}

static void help(void **state)
{
	struct cli c;

	run(&c, "--help");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "Usage: scapctl"));
	cli_free(&c);
	run(&c, "-h >/dev/full");
	assert_int_equal(c.status, 1);
	assert_int_equal(c.err_lines, 1);
	assert_non_null(strstr(c.err, "No space left"));
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(help),
	};

	return RUN(tests);
}
