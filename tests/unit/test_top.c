// SPDX-License-Identifier: MIT
/* --top's model: colour thresholds, category groups, sort orders and
 * keys, the category filter, and the detail of one syscall (errno
 * breakdown, last failed calls with their arguments). */
#include "test.h"
#include "summary_util.h"
#include "top.h"

static struct evb b;

static void add_open(struct summary *s, struct top *t, int64_t fd, uint64_t lat, uint64_t ts)
{
	struct kscap_evt evt;
	struct out_event e = { .num = ts, .evt = &evt };
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, ts, 7, fd, "/etc/x", &len);

	summary_feed(s, raw, len, lat, &evt);
	if (t)
		assert_false(top_event(t, &e));
}

static void add_read(struct summary *s, uint64_t lat)
{
	summary_add_read(s, &b, lat);
}

static void colour_thresholds(void **state)
{
	struct summary_row r = { .name = "x", .calls = 100 };

	r.errors = 49;
	assert_int_equal(top_colour_of(&r), TOP_PLAIN);
	r.errors = 50;		/* ERR% >= 50: red */
	assert_int_equal(top_colour_of(&r), TOP_RED);
	r.errors = 0;
	r.avg_ns = 4999999;
	assert_int_equal(top_colour_of(&r), TOP_PLAIN);
	r.avg_ns = 5000000;	/* AVG >= 5 ms: yellow */
	assert_int_equal(top_colour_of(&r), TOP_YELLOW);
	r.errors = 100;		/* both: red wins */
	assert_int_equal(top_colour_of(&r), TOP_RED);
	r.calls = r.errors = 0;
	r.avg_ns = 0;
	assert_int_equal(top_colour_of(&r), TOP_PLAIN);
}

static void groups(void **state)
{
	assert_int_equal(top_group_of(KSCAP_CAT_IO_READ), TOP_IO);
	assert_int_equal(top_group_of(KSCAP_CAT_IO_WRITE), TOP_IO);
	assert_int_equal(top_group_of(KSCAP_CAT_IO_OTHER), TOP_IO);
	assert_int_equal(top_group_of(KSCAP_CAT_FILE), TOP_FS);
	assert_int_equal(top_group_of(KSCAP_CAT_NET), TOP_NET);
	assert_int_equal(top_group_of(KSCAP_CAT_MEMORY), TOP_MEM);
	assert_int_equal(top_group_of(KSCAP_CAT_PROCESS), TOP_PROC);
	assert_int_equal(top_group_of(KSCAP_CAT_SIGNAL), TOP_SIG);
	assert_int_equal(top_group_of(KSCAP_CAT_TIME), TOP_OTHER);
	assert_string_equal(top_group_name(TOP_IO), "I/O");
	assert_string_equal(top_group_name(TOP_OTHER), "OTHER");
}

/* 10 opens of 1 us, 6 failing; 2 reads of 1 ms. */
static struct summary *sample(struct top **t)
{
	struct summary *s = summary_new();
	int i;

	assert_non_null(s);
	*t = top_new(s);
	assert_non_null(*t);
	for (i = 0; i < 10; i++)
		add_open(s, *t, i < 4 ? -2 : i < 6 ? -13 : 3, 1000, (uint64_t)i + 1);
	add_read(s, 1000000);
	add_read(s, 1000000);
	return s;
}

static void sorting(void **state)
{
	struct summary_row rows[8];
	struct top *t;
	struct summary *s = sample(&t);

	/* default: total time, most first */
	assert_int_equal(top_sort_col(t), TOP_COL_TIME);
	assert_int_equal(top_rows(t, rows, 8), 2);
	assert_string_equal(rows[0].name, "read");
	assert_string_equal(rows[1].name, "open");
	/* calls, most first; the same key again: fewest first */
	assert_false(top_key(t, 'c'));
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "open");
	assert_int_equal(rows[0].calls, 10);
	top_key(t, 'c');
	assert_false(top_sort_desc(t));
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "read");
	/* ERR%, P99, and names A to Z */
	top_key(t, '%');
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "open");
	top_key(t, '9');
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "read");
	assert_true(rows[0].p99_ns > rows[1].p99_ns);
	top_key(t, 'n');
	assert_true(!top_sort_desc(t));
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "open");
	top_key(t, 'r');
	top_rows(t, rows, 8);
	assert_string_equal(rows[0].name, "read");
	/* < and > walk the columns, round the ends */
	top_key(t, '<');
	assert_int_equal(top_sort_col(t), TOP_COL_TIME);
	top_key(t, '>');
	assert_int_equal(top_sort_col(t), TOP_COL_NAME);
	top_free(t);
	summary_free(s);
}

static void category_filter_and_pause(void **state)
{
	struct summary_row rows[8];
	uint64_t calls[TOP_GROUP_NR];
	struct top *t;
	struct summary *s = sample(&t);

	assert_int_equal(top_group_filter(t), -1);
	top_key(t, 'f');	/* I/O */
	assert_int_equal(top_group_filter(t), TOP_IO);
	assert_int_equal(top_rows(t, rows, 8), 1);
	assert_string_equal(rows[0].name, "read");
	top_key(t, 'f');	/* FS */
	assert_int_equal(top_rows(t, rows, 8), 1);
	assert_string_equal(rows[0].name, "open");
	top_key(t, 'f');	/* NET: nothing */
	assert_int_equal(top_rows(t, rows, 8), 0);
	top_key(t, 'F');
	assert_int_equal(top_rows(t, rows, 8), 2);
	top_groups(t, calls);
	assert_int_equal(calls[TOP_FS], 10);
	assert_int_equal(calls[TOP_IO], 2);
	assert_int_equal(calls[TOP_NET], 0);
	assert_false(top_paused(t));
	top_key(t, 'p');
	assert_true(top_paused(t));
	top_key(t, ' ');
	assert_false(top_paused(t));
	assert_true(top_key(t, 'q'));
	top_free(t);
	summary_free(s);
}

static void detail(void **state)
{
	struct top_detail d;
	struct top *t;
	struct summary *s = sample(&t);
	int i;

	/* the selected row (time order: read, open), then back */
	top_key(t, 'j');
	top_key(t, '\n');
	assert_non_null(top_detail_name(t));
	assert_string_equal(top_detail_name(t), "open");
	top_key(t, 27);
	assert_null(top_detail_name(t));

	assert_int_equal(top_detail(t, "open", &d), 0);
	assert_int_equal(d.row.calls, 10);
	assert_int_equal(d.row.errors, 6);
	/* errno breakdown, most frequent first */
	assert_int_equal(d.nerrs, 2);
	assert_int_equal(d.errs[0].err, 2);
	assert_int_equal(d.errs[0].count, 4);
	assert_int_equal(d.errs[1].err, 13);
	assert_int_equal(d.errs[1].count, 2);
	/* the failed calls, newest first, with their arguments */
	assert_int_equal(d.nfails, 5);
	assert_non_null(strstr(d.fails[0], "EACCES"));
	assert_non_null(strstr(d.fails[0], "/etc/x"));
	assert_non_null(strstr(d.fails[2], "ENOENT"));
	/* no successful call among them */
	for (i = 0; i < (int)d.nfails; i++)
		assert_null(strstr(d.fails[i], "fd=3 "));
	assert_int_equal(top_detail(t, "read", &d), 0);
	assert_int_equal(d.nerrs, 0);
	assert_int_equal(d.nfails, 0);
	assert_int_equal(top_detail(t, "nosuch", &d), -1);
	top_free(t);
	summary_free(s);
}

/* Only the last TOP_FAILS are kept, in order. */
static void failure_ring(void **state)
{
	struct summary *s = summary_new();
	struct top *t = top_new(s);
	struct top_detail d;
	char line[32];
	int i;

	add_open(s, NULL, -2, 1, 1);
	for (i = 0; i < 12; i++) {
		snprintf(line, sizeof(line), "call %d", i);
		assert_int_equal(top_record_failure(t, "open", line), 0);
	}
	assert_int_equal(top_detail(t, "open", &d), 0);
	assert_int_equal(d.nfails, TOP_FAILS);
	for (i = 0; i < TOP_FAILS; i++) {
		snprintf(line, sizeof(line), "call %d", 11 - i);
		assert_string_equal(d.fails[i], line);
	}
	top_free(t);
	summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(colour_thresholds),
		cmocka_unit_test(groups),
		cmocka_unit_test(sorting),
		cmocka_unit_test(category_filter_and_pause),
		cmocka_unit_test(detail),
		cmocka_unit_test(failure_ring),
	};

	return RUN(tests);
}
