// SPDX-License-Identifier: MIT
/*
 * Generic events (syscalls without a row of their own) are named from the
 * native number, both halves and the summary row; a return value appended
 * to the generic exit gives ret, error and the summary's error count.
 */
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"
#include "output.h"
#include "summary.h"

#define NR_RSEQ		334
#define NR_ACCESS	21

static struct evb b;

static const uint8_t *generic_e(uint64_t tid, uint16_t id, uint16_t nr, uint32_t *len)
{
	return ev_generic_e(&b, 1000, tid, id, nr, len);
}

/* The reference row (ID only), or with kscap's appended return value. */
static const uint8_t *generic_x(uint64_t tid, uint16_t id, bool with_res, int64_t res,
				uint32_t *len)
{
	evb_start(&b, KSCAP_EV_GENERIC_X, 2000, tid);
	evb_u16(&b, id);
	if (with_res)
		evb_u64(&b, (uint64_t)res);
	return evb_end(&b, len);
}

static struct kscap_threads *one_thread(int64_t tid)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = tid, .pid = tid, .comm = "prog", .exe = "prog" };

	assert_int_equal(kscap_threads_add(t, &th), 0);
	return t;
}

static void feed(struct kscap_threads *t, const uint8_t *raw, uint32_t len,
		 struct kscap_evt *evt)
{
	assert_int_equal(kscap_evt_parse(raw, len, evt), 0);
	assert_int_equal(kscap_threads_update(t, evt), 0);
}

static void both_halves_named(void **state)
{
	struct kscap_threads *t = one_thread(7);
	struct kscap_filter *f = kscap_filter_new();
	struct kscap_evt evt;
	const uint8_t *raw;
	uint32_t len;

	assert_int_equal(kscap_filter_events(f, "rseq"), 0);
	raw = generic_e(7, 0, NR_RSEQ, &len);
	feed(t, raw, len, &evt);
	assert_string_equal(kscap_threads_evt_name(t, &evt), "rseq");
	assert_true(kscap_filter_match(f, &evt, t));
	raw = generic_x(7, 0, false, 0, &len);
	feed(t, raw, len, &evt);
	assert_string_equal(kscap_threads_evt_name(t, &evt), "rseq");
	assert_true(kscap_filter_match(f, &evt, t));
	/* alone, the exit has only ID=0 */
	assert_string_equal(kscap_evt_name(&evt), "syscall");
	kscap_filter_free(f);
	kscap_threads_free(t);
}

static void exit_without_its_enter(void **state)
{
	struct kscap_threads *t = one_thread(7);
	struct kscap_evt evt;
	const uint8_t *raw;
	uint32_t len;

	/* another enter in between: the generic exit is not rseq's */
	raw = generic_e(7, 0, NR_RSEQ, &len);
	feed(t, raw, len, &evt);
	evb_start(&b, KSCAP_EV_CLOSE_E, 1500, 7);
	evb_u64(&b, 3);
	raw = evb_end(&b, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(7, 0, false, 0, &len);
	feed(t, raw, len, &evt);
	assert_string_equal(kscap_threads_evt_name(t, &evt), "syscall");
	/* an enter of another code */
	raw = generic_e(7, 23, NR_ACCESS, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(7, 0, false, 0, &len);
	feed(t, raw, len, &evt);
	assert_string_equal(kscap_threads_evt_name(t, &evt), "syscall");
	/* a thread the table does not know is named all the same */
	raw = generic_e(9, 0, NR_RSEQ, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(9, 0, false, 0, &len);
	feed(t, raw, len, &evt);
	assert_null(kscap_threads_find(t, 9));
	assert_string_equal(kscap_threads_evt_name(t, &evt), "rseq");
	/* another thread's enter */
	raw = generic_e(8, 0, NR_RSEQ, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(7, 0, false, 0, &len);
	feed(t, raw, len, &evt);
	assert_string_equal(kscap_threads_evt_name(t, &evt), "syscall");
	kscap_threads_free(t);
}

static void appended_return_value(void **state)
{
	struct kscap_threads *t = one_thread(7);
	struct summary *s = summary_new();
	struct kscap_evt evt;
	struct out_event e = { .num = 1, .evt = &evt };
	const uint8_t *raw;
	char *mem = NULL;
	size_t n = 0;
	uint32_t len;
	int64_t ret;
	FILE *f;

	/* without the extension: no return value */
	raw = generic_x(7, 0, false, 0, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 0);

	f = open_memstream(&mem, &n);
	raw = generic_e(7, 23, NR_ACCESS, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(7, 23, true, -2, &len);
	feed(t, raw, len, &evt);
	assert_int_equal(evt.nparams, 2);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 1);
	assert_int_equal(ret, -2);
	e.name = kscap_threads_evt_name(t, &evt);
	assert_int_equal(print_text(f, &e), 0);
	assert_int_equal(print_json(f, &e), 0);
	assert_int_equal(summary_add_named(s, &evt, e.name, 0, 0), 0);
	raw = generic_e(7, 23, NR_ACCESS, &len);
	feed(t, raw, len, &evt);
	raw = generic_x(7, 23, true, 0, &len);
	feed(t, raw, len, &evt);
	assert_int_equal(summary_add_named(s, &evt, kscap_threads_evt_name(t, &evt), 0, 0), 0);
	summary_print(s, f);
	fclose(f);
	assert_non_null(strstr(mem, "< access ID=access res=-2(ENOENT)\n"));
	assert_non_null(strstr(mem, "\"type\":\"access\",\"params\":{\"ID\":\"access\",\"res\":-2},"
			       "\"ret\":-2,\"error\":\"ENOENT\""));
	/* two calls, one error */
	assert_non_null(strstr(mem, "         2        1  50.00"));
	assert_non_null(strstr(mem, "access             ENOENT:1"));
	/* "syscall" only as the header of the name column */
	assert_null(strstr(strstr(mem, "syscall") + 1, "syscall"));
	free(mem);
	summary_free(s);
	kscap_threads_free(t);
}

/* scapdump names them in text, JSON and the summary. */
static void scapdump_names(void **state)
{
	struct kscap_threads *t = one_thread(7);
	struct kscap_writer *w;
	const uint8_t *raw;
	char path[128];
	struct cli c;
	uint32_t len;

	tmp_name(path, sizeof(path), "generic");
	assert_int_equal(kscap_writer_open(path, t, &w), 0);
	raw = generic_e(7, 0, NR_RSEQ, &len);
	write_evt(w, raw, &len, 0);
	raw = generic_x(7, 0, true, -22, &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);

	cli_runf(&c, "$SCAPDUMP -r %s", path);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "> rseq ID=0 nativeID=334\n"));
	assert_non_null(strstr(c.out, "< rseq ID=0 res=-22(EINVAL)\n"));
	/* kscap's own extension is known: nothing kept raw, nothing to report */
	assert_int_equal(c.err_lines, 0);
	cli_free(&c);
	cli_runf(&c, "$SCAPDUMP -e rseq -d exit -j -r %s", path);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 1);
	assert_non_null(strstr(c.out, "\"type\":\"rseq\""));
	assert_non_null(strstr(c.out, "\"error\":\"EINVAL\""));
	cli_free(&c);
	cli_runf(&c, "$SCAPDUMP --summary -r %s", path);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "rseq               EINVAL:1"));
	cli_free(&c);
	unlink(path);
	kscap_threads_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(both_halves_named),
		cmocka_unit_test(exit_without_its_enter),
		cmocka_unit_test(appended_return_value),
		cmocka_unit_test(scapdump_names),
	};

	return RUN(tests);
}
