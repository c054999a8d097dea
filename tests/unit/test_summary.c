// SPDX-License-Identifier: MIT
/* --summary: counts, error rates, latency percentiles, errno values,
 * grouping by category and ordering by time. */
#include <stdlib.h>
#include "test.h"
#include "summary_util.h"
#include "summary.h"

static struct evb b;

static void histogram_is_accurate(void **state)
{
	uint64_t v;
	unsigned int last = 0;

	for (v = 0; v < 16; v++)
		assert_int_equal(hist_value(hist_bucket(v)), v);
	for (v = 16; v < (1ULL << 40); v = v * 9 / 8 + 1) {
		unsigned int bk = hist_bucket(v);
		uint64_t mid = hist_value(bk);
		uint64_t err = mid > v ? mid - v : v - mid;

		assert_true(bk < HIST_BUCKETS);
		assert_true(bk >= last);		/* monotonic */
		assert_true(err * 16 <= v);		/* within 1/16 */
		last = bk;
	}
	assert_true(hist_bucket(UINT64_MAX) < HIST_BUCKETS);
}

static void add_open(struct summary *s, int64_t fd, uint64_t lat)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, 1, fd, "/f", &len);

	summary_feed(s, raw, len, lat, &evt);
}

static void add_read(struct summary *s, uint64_t lat)
{
	summary_add_read(s, &b, lat);
}

/* The row of @name in the printed summary, split into its numbers. */
static void row(const char *text, const char *name, double v[8], char *errs, size_t size)
{
	const char *p = text;
	char found[64];

	while ((p = strchr(p, '\n'))) {
		p++;
		if (sscanf(p, "%lf %lf %lf %lf %lf %lf %lf %lf %63s", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7], found) == 9 &&
		    !strcmp(found, name)) {
			const char *e = strstr(p, name) + strlen(name);

			while (*e == ' ')
				e++;
			snprintf(errs, size, "%.*s", (int)strcspn(e, "\n"), e);
			return;
		}
	}
	fail_msg("no row for %s in:\n%s", name, text);
}

static void statistics(void **state)
{
	struct summary *s = summary_new();
	char *text = NULL, errs[128];
	size_t n = 0;
	double v[8];
	FILE *f;
	int i;

	/* 100 opens taking 1..100 us; 10 fail with ENOENT, 5 with EACCES */
	for (i = 1; i <= 100; i++)
		add_open(s, i <= 10 ? -2 : i <= 15 ? -13 : 3, (uint64_t)i * 1000);
	/* 4 reads of 1 ms: less time than the opens (5.05 ms) */
	for (i = 0; i < 4; i++)
		add_read(s, 1000000);
	f = open_memstream(&text, &n);
	summary_print(s, f);
	fclose(f);

	row(text, "open", v, errs, sizeof(errs));
	assert_int_equal((int)v[2], 100);		/* calls */
	assert_int_equal((int)v[3], 15);		/* errors */
	assert_float_equal(v[4], 15.0, 0.001);		/* err% */
	assert_float_equal(v[5], 50.5, 0.01);		/* avg us */
	assert_float_equal(v[6], 95.0, 95.0 / 16);	/* p95 us */
	assert_float_equal(v[7], 99.0, 99.0 / 16);	/* p99 us */
	assert_float_equal(v[1], 0.00505, 0.000001);	/* seconds */
	assert_string_equal(errs, "ENOENT:10 EACCES:5");
	row(text, "read", v, errs, sizeof(errs));
	assert_int_equal((int)v[2], 4);
	assert_float_equal(v[6], 1000.0, 1000.0 / 16);
	assert_string_equal(errs, "");
	/* grouped by category, the category with more time first */
	assert_non_null(strstr(text, "--- file: 100 calls"));
	assert_non_null(strstr(text, "--- io_read: 4 calls"));
	assert_true(strstr(text, "--- file") < strstr(text, "--- io_read"));
	assert_true(strstr(text, "--- io_read") < strstr(text, " read "));
	assert_non_null(strstr(text, "total"));
	free(text);
	summary_free(s);
}

static void enter_events_not_counted(void **state)
{
	struct summary *s = summary_new();
	struct kscap_evt evt;
	char *text = NULL;
	size_t n = 0;
	uint32_t len;
	const uint8_t *raw;
	FILE *f;

	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_u64(&b, 3);
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(summary_add(s, &evt, 0, 0), 0);
	f = open_memstream(&text, &n);
	summary_print(s, f);
	fclose(f);
	assert_null(strstr(text, "close"));
	free(text);
	summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(histogram_is_accurate),
		cmocka_unit_test(statistics),
		cmocka_unit_test(enter_events_not_counted),
	};

	return RUN(tests);
}
