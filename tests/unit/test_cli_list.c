// SPDX-License-Identifier: MIT
/* scapdump -L prints every row of the event table exactly as the
 * reference document (seed 000) writes it: "> open()", "< open(FD fd, ...)". */
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
	size_t row = 0;
	FILE *f;

	f = reference_open(path, sizeof(path));
	cli_run(&c, "$SCAPDUMP -L");
	assert_int_equal(c.status, 0);
	while (fgets(line, sizeof(line), f)) {
		if (!seed_row(line, want, sizeof(want)))
			continue;
		line_of(c.out, row, got, sizeof(got));
		if (strcmp(want, got))
			fail_msg("row %zu: -L prints '%s', the seed has '%s'", row, got, want);
		row++;
	}
	fclose(f);
	assert_int_equal(row, table_rows());
	assert_int_equal(c.out_lines, row);	/* no extra rows either */
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_equals_seed),
	};

	return RUN(tests);
}
