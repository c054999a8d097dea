// SPDX-License-Identifier: MIT
/* The kernel's restart codes (512-516) carry their names in text, JSON
 * and the summary, as errno values do. */
#include "test.h"
#include "evbuild.h"
#include "output.h"
#include "summary.h"

static struct evb b;

/* poll's exit with @res and no fds. */
static void poll_x(struct kscap_evt *evt, int64_t res)
{
	const uint8_t *raw;
	uint32_t len;

	evb_start(&b, KSCAP_EV_POLL_X, 1700000000000000000ULL, 42);
	evb_u64(&b, (uint64_t)res);
	evb_u16(&b, 0);		/* no fds */
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, evt), 0);
}

static void names(void **state)
{
	assert_string_equal(kscap_errno_name(-512), "ERESTARTSYS");
	assert_string_equal(kscap_errno_name(513), "ERESTARTNOINTR");
	assert_string_equal(kscap_errno_name(-514), "ERESTARTNOHAND");
	assert_string_equal(kscap_errno_name(-516), "ERESTART_RESTARTBLOCK");
	/* errno values keep the C library's names */
	assert_string_equal(kscap_errno_name(-4), "EINTR");
}

static void text_and_json(void **state)
{
	struct kscap_evt evt;
	struct out_event e = { .num = 1, .evt = &evt };
	char buf[512], *mem = NULL;
	size_t n = 0;
	FILE *f;

	poll_x(&evt, -516);
	assert_true(kscap_param_format(&evt, 0, buf, sizeof(buf), 0) > 0);
	assert_string_equal(buf, "-516(ERESTART_RESTARTBLOCK)");
	f = open_memstream(&mem, &n);
	assert_int_equal(print_text(f, &e), 0);
	poll_x(&evt, -512);
	assert_int_equal(print_json(f, &e), 0);
	fclose(f);
	assert_non_null(strstr(mem, "< poll res=-516(ERESTART_RESTARTBLOCK)"));
	assert_non_null(strstr(mem, "\"ret\":-512,\"error\":\"ERESTARTSYS\""));
	free(mem);
}

static void summary(void **state)
{
	struct summary *s = summary_new();
	struct kscap_evt evt;
	char *mem = NULL;
	size_t n = 0;
	FILE *f;

	poll_x(&evt, -514);
	assert_int_equal(summary_add(s, &evt, 0, 0), 0);
	assert_int_equal(summary_add(s, &evt, 0, 0), 0);
	poll_x(&evt, -513);
	assert_int_equal(summary_add(s, &evt, 0, 0), 0);
	f = open_memstream(&mem, &n);
	summary_print(s, f);
	fclose(f);
	assert_non_null(strstr(mem, "ERESTARTNOHAND:2 ERESTARTNOINTR:1"));
	free(mem);
	summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(text_and_json),
		cmocka_unit_test(summary),
	};

	return RUN(tests);
}
