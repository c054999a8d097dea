// SPDX-License-Identifier: MIT
/* scapdump -L prints every row of the event table, one line each, and
 * every row of the reference document (seed 000), in its order, exactly
 * as the document writes it: "> open()", "< open(FD fd, ...)". Rows the
 * table has beyond the reference's may stand between them. */
#include "test.h"
#include "cli_util.h"

/* "Yes | < | **open**(FD fd, ...)" -> "< open(FD fd, ...)" */
static bool seed_row(const char *line, char *out, size_t size)
{
	const char *p = strstr(line, " | ");
	const char *name, *end;
	char dir;

	if (!p || (strncmp(line, "Yes |", 5) && strncmp(line, "No |", 4)))
		return false;
	dir = p[3];
	name = strstr(p, "**");
	if (!name)
		return false;
	name += 2;
	end = strstr(name, "**");
	if (!end)
		return false;
	snprintf(out, size, "%c %.*s%s", dir, (int)(end - name), name, end + 2);
	out[strcspn(out, "\r\n")] = '\0';
	return true;
}

static void list_equals_seed(void **state)
{
	char path[512], line[2048], want[2048], got[2048];
	struct cli c;
	size_t row = 0, seed_rows = 0;
	FILE *f;

	f = reference_open(path, sizeof(path));
	cli_run(&c, "$SCAPDUMP -L");
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, table_rows());	/* one line a row */
	while (fgets(line, sizeof(line), f)) {
		if (!seed_row(line, want, sizeof(want)))
			continue;
		/* The next line that is this reference row; a row of kscap's own may come first. */
		do {
			if (row >= c.out_lines)
				fail_msg("-L lacks reference row %zu, '%s', in order", seed_rows, want);
			line_of(c.out, row++, got, sizeof(got));
		} while (strcmp(want, got));
		seed_rows++;
	}
	fclose(f);
	assert_true(seed_rows > 0);
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_equals_seed),
	};

	return RUN(tests);
}
