// SPDX-License-Identifier: MIT
/*
 * tests/vm/coverage.md is written by hand (what each VM test checks is
 * prose), so this test holds it to the event table: a line per row at
 * most, in the row's number, direction and signature; the tests it names
 * exist and name the row (its KSCAP_EV_ symbol, its partner's, or its
 * syscall); rows no test can make (OLD_VERSION rows) name none, and their
 * count is the text's. A row without a line is covered by the VM tests
 * whose program or script names its symbol or its partner's: found here,
 * so a new row needs no line, and one no test names fails.
 */
#include <ctype.h>
#include <glob.h>
#include <regex.h>
#include <unistd.h>
#include "test.h"
#include "internal.h"

#define NO_TEST	"\xe2\x80\x94"	/* the em dash of "never emitted" rows */

/* Each row's symbol, as a test program names it. */
#pragma push_macro("KSCAP_EV")
#undef KSCAP_EV
#define KSCAP_EV(id, num, ...) [num] = "KSCAP_EV_" #id,
static const char *const ev_symbol[KSCAP_EV_MAX] = {
#include "kscap_event_table.h"
};
#pragma pop_macro("KSCAP_EV")

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The row's signature as the document writes it: name(TYPE pname, ...). */
static void signature(const struct kscap_event_info *info, char *out, size_t size)
{
	size_t len = snprintf(out, size, "%s(", info->name);
	unsigned int i;

	for (i = 0; i < info->nparams; i++)
		len += snprintf(out + len, size - len, "%s%s %s", i ? ", " : "",
				kscap_param_type_name(info->params[i].type),
				info->params[i].name);
	snprintf(out + len, size - len, ")");
}

/* Trim the blanks around a cell, in place. */
static char *cell(char *s)
{
	char *end;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		*--end = '\0';
	return s;
}

/* Whether @text has @word, not as part of a longer name. */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(text, word); p; p = strstr(p + 1, word)) {
		int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = isalnum((unsigned char)p[n]) || p[n] == '_';

		if (!before && !after)
			return 1;
	}
	return 0;
}

/*
 * Every test a cell names (comma-separated) exists as tests/vm/t/NAME.sh
 * and names the row: its symbol or its partner's in the program (the
 * i386 programs for fam_ia32) or the script, or its syscall as a word.
 */
static void tests_name_row(const char *tests, unsigned int type)
{
	const char *name = kscap_event_info(type)->name;
	char copy[256], path[300], *save = NULL, *t, *text;
	int found;

	snprintf(copy, sizeof(copy), "%s", tests);
	for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const char *paths[3] = { "t/%s.sh", "progs/%s.c", "progs/i386/ia32_child.c" };
		unsigned int i;

		snprintf(path, sizeof(path), "%s/t/%s.sh", VM_TESTS_DIR, cell(t));
		if (access(path, R_OK))
			fail_msg("coverage.md row %u names test '%s': no %s", type, cell(t), path);
		found = 0;
		for (i = 0; i < 3 && !found; i++) {
			char rel[128];

			if (i == 2 && strcmp(cell(t), "fam_ia32"))
				break;
			snprintf(rel, sizeof(rel), paths[i], cell(t));
			snprintf(path, sizeof(path), "%s/%s", VM_TESTS_DIR, rel);
			if (access(path, R_OK))
				continue;
			text = read_all(path);
			found = has_word(text, ev_symbol[type]) ||
				(ev_symbol[type ^ 1] && has_word(text, ev_symbol[type ^ 1])) ||
				has_word(text, name);
			free(text);
		}
		if (!found)
			fail_msg("coverage.md row %u (%s): test '%s' does not name it", type, name,
				 cell(t));
	}
}

/*
 * The tests that name row @type (its symbol or its partner's) in their
 * program, their i386 program or their script: how many.
 */
static unsigned int tests_naming(unsigned int type)
{
	const char *partner = ev_symbol[type ^ 1];
	unsigned int n = 0;
	glob_t g;
	size_t i;

	assert_int_equal(glob(VM_TESTS_DIR "/t/*.sh", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		char path[512];
		const char *paths[3];
		unsigned int k;
		int found = 0;

		snprintf(path, sizeof(path), "%s/progs/%.*s.c", VM_TESTS_DIR,
			 (int)(strlen(base) - 3), base);
		paths[0] = g.gl_pathv[i];
		paths[1] = path;
		paths[2] = strcmp(base, "fam_ia32.sh") ? NULL :
			   VM_TESTS_DIR "/progs/i386/ia32_child.c";
		for (k = 0; k < 3 && !found; k++) {
			char *text;

			if (!paths[k] || access(paths[k], R_OK))
				continue;
			text = read_all(paths[k]);
			found = has_word(text, ev_symbol[type]) || (partner && has_word(text, partner));
			free(text);
		}
		n += found;
	}
	globfree(&g);
	return n;
}

/* The number a pattern's first group captures in @text, or -1. */
static long count_in(const char *text, const char *pattern)
{
	regmatch_t m[2];
	regex_t re;
	long n = -1;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
	if (!regexec(&re, text, 2, m, 0))
		n = strtol(text + m[1].rm_so, NULL, 10);
	regfree(&re);
	return n;
}

static void coverage_follows_table(void **state)
{
	unsigned int seen[KSCAP_EV_MAX] = { 0 }, untested = 0, lines = 0, type;
	char *doc = read_all(VM_TESTS_DIR "/coverage.md");
	char *save = NULL, *line;
	long n;

	/* The count the text gives, before strtok_r cuts it into lines. */
	n = count_in(doc, "but ([0-9]+) rows[[:space:]]+never emitted");
	assert_true(n >= 0);
	untested = n;

	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6], want[1024], *p = line;
		const struct kscap_event_info *info;
		unsigned int i;

		if (strncmp(line, "| ", 2) || !(line[2] >= '0' && line[2] <= '9'))
			continue;
		for (i = 0; i < 6 && p; i++) {
			f[i] = p + 1;
			p = strchr(p + 1, '|');
			if (p)
				*p = '\0';
		}
		if (i < 6)
			fail_msg("coverage.md: a row line with fewer than 5 cells");
		type = strtoul(cell(f[0]), NULL, 10);
		info = kscap_event_info(type);
		if (!info)
			fail_msg("coverage.md lists row %u, which the table does not have", type);
		seen[type]++;
		assert_string_equal(cell(f[1]), KSCAP_EV_IS_EXIT(type) ? "X" : "E");
		signature(info, want, sizeof(want));
		if (strcmp(cell(f[2]), want))
			fail_msg("coverage.md row %u: '%s', the table has '%s'", type, cell(f[2]), want);
		if (!strcmp(cell(f[3]), NO_TEST)) {
			untested--;
		} else {
			if (info->flags & KSCAP_EF_OLD_VERSION)
				fail_msg("coverage.md row %u: an OLD_VERSION row is never emitted", type);
			tests_name_row(cell(f[3]), type);
		}
		lines++;
	}
	for (type = 0; type < KSCAP_EV_MAX; type++) {
		const struct kscap_event_info *info = kscap_event_info(type);

		if (!info || seen[type] == 1)
			continue;
		if (seen[type] > 1)
			fail_msg("coverage.md has row %u %u times", type, seen[type]);
		/* No line: the row's tests are the ones that name it. */
		if (info->flags & KSCAP_EF_OLD_VERSION)
			fail_msg("coverage.md: row %u (%s), never emitted, needs its line", type,
				 info->name);
		if (!tests_naming(type))
			fail_msg("row %u (%s): no line in coverage.md and no VM test names %s",
				 type, info->name, ev_symbol[type]);
	}
	/* The summary's count used up exactly; the document is no empty shell. */
	assert_int_equal(untested, 0);
	assert_true(lines > 0);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(coverage_follows_table),
	};

	return RUN(tests);
}
