// SPDX-License-Identifier: MIT
/* libkscap.so.2 exports exactly the functions its header documents (no
 * data: a data symbol's size is frozen by copy relocations), under the
 * soname libkscap.so.2, and every one of them has a man page. */
#include <ctype.h>
#include "test.h"
#include "cli_util.h"

#define SO LIBKSCAP_DIR "/libkscap.so.2"

struct names {
	char *v[256];
	size_t n;
};

static void add(struct names *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && !strncmp(s->v[i], name, len))
			return;
	assert_true(s->n < 256);
	s->v[s->n++] = strndup(name, len);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Declared names: "kscap_x(" and "kscap_x[" outside comments, but not
 * the macros (#define kscap_next(...) kscap_next_sz(...)). */
static void header_names(struct names *s)
{
	char *text = slurp(LIBKSCAP_DIR "/kscap/libkscap.h"), *p = text;
	bool comment = false;

	assert_true(strlen(text) > 1000);
	for (; *p; p++) {
		if (!comment && p[0] == '/' && p[1] == '*')
			comment = true;
		else if (comment && p[0] == '*' && p[1] == '/')
			comment = false;
		else if (!comment && !strncmp(p, "#define ", 8))
			p += 8 + strcspn(p + 8, " (\t") - 1;	/* skip the macro's name */
		else if (!comment && !strncmp(p, "kscap_", 6) &&
			 (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");

			if (p[len] == '(' || p[len] == '[')
				add(s, p, len);
			p += len - 1;
		}
	}
	free(text);
}

static void exports_match_header(void **state)
{
	struct names hdr = { .n = 0 }, so = { .n = 0 };
	struct cli c;
	const char *line;
	size_t i;

	if (access(SO, R_OK))
		skip_because("%s not built", SO);
	header_names(&hdr);
	/* functions only: T; a D, B or R would be exported data */
	cli_run(&c, "nm -D --defined-only " SO " | awk '$2 != \"T\" && $2 != \"A\" "
		"{print \"DATA:\" $3} $2 == \"T\" {print $3}' | sed 's/@.*//'");
	assert_int_equal(c.status, 0);
	for (line = c.out; *line; line = strchr(line, '\n') + 1) {
		size_t len = strcspn(line, "\n");

		if (!strncmp(line, "DATA:", 5))
			fail_msg("exported data: %.*s", (int)len, line + 5);
		if (len && strncmp(line, "LIBKSCAP_", 9))
			add(&so, line, len);
	}
	cli_free(&c);
	qsort(hdr.v, hdr.n, sizeof(char *), cmp);
	qsort(so.v, so.n, sizeof(char *), cmp);
	for (i = 0; i < hdr.n || i < so.n; i++) {
		if (i >= hdr.n || i >= so.n || strcmp(hdr.v[i], so.v[i]))
			fail_msg("header and library differ at '%s' / '%s'",
				 i < hdr.n ? hdr.v[i] : "-", i < so.n ? so.v[i] : "-");
	}
	assert_true(hdr.n > 50);
	for (i = 0; i < hdr.n; i++)
		free(hdr.v[i]);
	for (i = 0; i < so.n; i++)
		free(so.v[i]);
}

static void has_soname(void **state)
{
	struct cli c;

	if (access(SO, R_OK))
		skip_because("%s not built", SO);
	cli_run(&c, "objdump -p " SO);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "SONAME               libkscap.so.2"));
	cli_free(&c);
}

/* Every function the header declares is on one of the man pages. */
static void every_function_has_a_man_page(void **state)
{
	struct names hdr = { .n = 0 };
	struct cli c;
	size_t i;

	header_names(&hdr);
	cli_run(&c, "cat " LIBKSCAP_DIR "/man/*.3");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, ".TH LIBKSCAP 3"));
	for (i = 0; i < hdr.n; i++) {
		char call[128];

		snprintf(call, sizeof(call), "%s(", hdr.v[i]);
		if (!strstr(c.out, call))
			fail_msg("%s: on no man page in userlib/man", hdr.v[i]);
		free(hdr.v[i]);
	}
	cli_free(&c);
}

/*
 * make install puts the library, its header, pkg-config file and man pages
 * in place, and README.md's example builds from them and runs with the
 * installed libkscap.so.2 (it stops at the missing device).
 */
static void install_and_readme_example(void **state)
{
	struct cli c;

	if (access(SO, R_OK) || system("pkg-config --exists libnl-genl-3.0"))
		skip_because("%s not built, or no libnl-genl-3.0 for pkg-config", SO);
	cli_run(&c, "set -e; d=$(mktemp -d); make -s -C " LIBKSCAP_DIR
		" install PREFIX=/usr DESTDIR=$d >/dev/null; "
		"for p in libkscap kscap_open kscap_evt_parse kscap_event_info kscap_threads_new "
		"kscap_filter_new kscap_reader_open kscap_nl_open; do "
		"test -f $d/usr/share/man/man3/$p.3; done; "
		"test -f $d/usr/lib/libkscap.so.2; "
		"sed -n '/^## Using libkscap/,/^## /p' " LIBKSCAP_DIR "/../README.md | "
		"sed -n '/^```c$/,/^```$/p' | sed '1d;$d' > $d/example.c; "
		"cc -Wall -Werror $d/example.c $(PKG_CONFIG_PATH=$d/usr/lib/pkgconfig "
		"PKG_CONFIG_SYSROOT_DIR=$d pkg-config --cflags --libs libkscap) "
		"-Wl,-rpath,$d/usr/lib -o $d/example; "
		"ldd $d/example | grep -q \"libkscap.so.2 => $d/usr/lib\"; "
		"st=0; $d/example >/dev/null 2>$d/err || st=$?; cat $d/err; rm -rf $d; exit $st");
	/* without the module (or as another user than root): status 2 */
	if (c.status != 0 && !(c.status == 2 && strstr(c.out, "/dev/kscap")))
		fail_msg("status %d, stdout: %s, stderr: %s", c.status, c.out, c.err);
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exports_match_header),
		cmocka_unit_test(has_soname),
		cmocka_unit_test(every_function_has_a_man_page),
		cmocka_unit_test(install_and_readme_example),
	};

	return RUN(tests);
}
