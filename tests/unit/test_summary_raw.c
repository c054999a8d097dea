// SPDX-License-Identifier: MIT
/*
 * --summary and --top live read most events raw (scapdump's
 * live_step_stats()): the header, an exit's result read in place, the
 * enter pairing and generic names from latency_feed_ev(), the common case
 * inline (summary_feed_raw()). The same events fed the three ways give
 * the same names, results, latencies and, printed, the same summary byte
 * for byte: over a capture file of sysdig's and
 * over generic calls, failures and threads built here. A failed call's
 * line made late (--top's detail view) is the line made at once.
 */
#include <stdlib.h>
#include "test.h"
#include "evbuild.h"
#include "latency.h"
#include "output.h"
#include "summary.h"
#include "summary_raw.h"
#include "top.h"

#define NR_GETPPID	110
#define NR_ACCESS	21

struct model {
	struct summary *s;
	struct latency *l;
	unsigned long exits, named_generic, failed;
	unsigned long fast;	/* the fast model: exits summary_feed_raw() counted */
};

static void model_init(struct model *m)
{
	m->s = summary_new();
	m->l = latency_new();
	m->exits = m->named_generic = m->failed = m->fast = 0;
	assert_non_null(m->s);
	assert_non_null(m->l);
}

static void model_free(struct model *m)
{
	summary_free(m->s);
	latency_free(m->l);
}

/* What handle() does with a decoded event (after kscap_threads_update()). */
static void feed_decoded(struct model *m, const struct kscap_threads *t,
			 const struct kscap_evt *evt)
{
	uint64_t ns = 0;
	int has_lat = latency_feed(m->l, evt, &ns);

	assert_int_equal(summary_add_named(m->s, evt, kscap_threads_evt_name(t, evt),
					   has_lat, ns), 0);
}

/* What the raw path does without its inline common case (latency_feed_ev(),
 * summary_add_raw() for every exit), the thread table's events decoded as
 * live_step() sends them to handle(); the raw reads checked against the
 * decoded event's on the way. */
static void feed_raw(struct model *m, const struct kscap_threads *t,
		     const struct kscap_evt *evt)
{
	const struct kscap_evt_hdr *hdr = (const void *)evt->raw;
	struct latency_ev ev = { .tid = hdr->tid, .ts = hdr->ts, .type = hdr->type, .nr = -1 };
	struct latency_ev enter;
	struct summary_exit x;
	struct kscap_evt scratch;
	int64_t ret = 0, dret = 0;
	uint64_t ns = 0;
	const char *name;
	int has_lat, has_ret;

	if (kscap_event_info(evt->type)->flags & KSCAP_EF_PROC_STATE) {
		feed_decoded(m, t, evt);
		return;
	}
	if (ev.type == KSCAP_EV_GENERIC_E && raw_generic_enter(hdr, &ev.nr, &ev.id))
		ev.nr = -1;
	has_lat = latency_feed_ev(m->l, &ev, &ns, &enter);
	if (!KSCAP_EV_IS_EXIT(ev.type))
		return;
	m->exits++;
	has_ret = raw_ret(hdr, &ret);
	if (has_ret < 0)
		has_ret = kscap_evt_ret(evt, &ret);
	assert_int_equal(has_ret, kscap_evt_ret(evt, &dret));
	if (has_ret)
		assert_int_equal(ret, dret);
	m->failed += has_ret && ret < 0;
	name = raw_exit_name(hdr, enter.type, enter.nr, enter.id);
	assert_string_equal(name, kscap_threads_evt_name(t, evt));
	if (ev.type == KSCAP_EV_GENERIC_X && strcmp(name, "syscall"))
		m->named_generic++;
	/* what scapdump calls: the same name and failure */
	assert_int_equal(summary_add_raw(m->s, hdr, &enter, has_lat, ns, &scratch, &x), 0);
	assert_ptr_equal(x.name, name);
	assert_int_equal(x.err, has_ret && ret < 0 && ret >= -4095 ? -ret : 0);
}

/*
 * What scapdump's live_step_stats() does: the thread's slot from the last
 * event's or looked up, summary_feed_raw()'s inline common case, and
 * summary_add_raw() for what it leaves; the thread table's events decoded.
 */
static void feed_fast(struct model *m, const struct kscap_threads *t,
		      const struct kscap_evt *evt)
{
	const struct kscap_evt_hdr *hdr = (const void *)evt->raw;
	struct latency_slot *sl;
	struct summary_slow slow;
	struct summary_exit x;
	struct kscap_evt scratch;

	if (kscap_event_info(evt->type)->flags & KSCAP_EF_PROC_STATE) {
		feed_decoded(m, t, evt);
		return;
	}
	summary_raw_sync(m->s);
	sl = latency_last(m->l, hdr->tid);
	if (!sl)
		sl = latency__slot_of(m->l, hdr->tid);
	if (summary_feed_raw(m->s, m->l, sl, hdr, hdr->type, 1, &slow)) {
		m->fast += KSCAP_EV_IS_EXIT(hdr->type);
		return;
	}
	assert_true(KSCAP_EV_IS_EXIT(hdr->type));
	assert_int_equal(summary_add_raw(m->s, hdr, &slow.enter, slow.has_lat, slow.lat_ns,
					 &scratch, &x), 0);
	/* the name the slow way gives: the one handle() gives */
	assert_string_equal(x.name, kscap_threads_evt_name(t, evt));
}

static char *printed(const struct summary *s)
{
	char *mem = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&mem, &n);

	assert_non_null(f);
	summary_print(s, f);
	fclose(f);
	return mem;
}

/* The fast way's model, fed beside the raw one. */
static struct model fast;

/* The models fed @evt; the thread table first, as handle() does. */
static void feed_both(struct model *dec, struct model *raw, struct kscap_threads *t,
		      const struct kscap_evt *evt)
{
	assert_true(kscap_threads_update(t, evt) >= 0);
	feed_decoded(dec, t, evt);
	feed_raw(raw, t, evt);
	feed_fast(&fast, t, evt);
}

/* Printed the same, byte for byte, and a good share of the exits counted
 * the fast way. */
static void same_summary(struct model *dec, struct model *raw)
{
	char *a = printed(dec->s), *b = printed(raw->s), *c = printed(fast.s);

	assert_string_equal(a, b);
	assert_string_equal(a, c);
	/* (the rest: failures, exits without their enter, each row's first) */
	assert_true(fast.fast > raw->exits / 3);
	free(a);
	free(b);
	free(c);
}

static void capture_file(void **state)
{
	struct kscap_reader *rd;
	struct kscap_evt evt;
	struct model dec, raw;
	unsigned int cpu;
	int rc;

	assert_int_equal(kscap_reader_open(TESTDATA_DIR "/sysdig-falco.scap", &rd), 0);
	model_init(&dec);
	model_init(&raw);
	model_init(&fast);
	while ((rc = kscap_reader_next(rd, &evt, &cpu)) == 1)
		feed_both(&dec, &raw, kscap_reader_threads(rd), &evt);
	assert_int_equal(rc, 0);
	/* the file's exits, some of them failed */
	assert_true(raw.exits > 200);
	assert_true(raw.failed > 0);
	same_summary(&dec, &raw);
	model_free(&dec);
	model_free(&raw);
	model_free(&fast);
	kscap_reader_close(rd);
}

static struct evb b;

static void generic_e(struct evb *e, uint64_t ts, uint64_t tid, uint16_t id, uint16_t nr)
{
	evb_start(e, KSCAP_EV_GENERIC_E, ts, tid);
	evb_u16(e, id);
	evb_u16(e, nr);
}

static void generic_x(struct evb *e, uint64_t ts, uint64_t tid, uint16_t id, bool with_res,
		      int64_t res)
{
	evb_start(e, KSCAP_EV_GENERIC_X, ts, tid);
	evb_u16(e, id);
	if (with_res)
		evb_u64(e, (uint64_t)res);
}

static void feed_built(struct model *dec, struct model *raw, struct kscap_threads *t)
{
	struct kscap_evt evt;
	const uint8_t *p;
	uint32_t len;

	p = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(p, len, &evt), 0);
	feed_both(dec, raw, t, &evt);
}

/* Generic calls (named from their enters, or not), failures, several
 * threads, an exit without its enter, a thread that exits. */
static void built_events(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = 7, .pid = 7, .comm = "prog", .exe = "prog" };
	struct model dec, raw;
	uint64_t ts = 1000;
	int i;

	assert_int_equal(kscap_threads_add(t, &th), 0);
	model_init(&dec);
	model_init(&raw);
	model_init(&fast);
	for (i = 0; i < 50; i++) {
		uint64_t tid = 7 + (uint64_t)(i % 3);	/* 8 and 9: not in the table */

		generic_e(&b, ts++, tid, 0, NR_GETPPID);
		feed_built(&dec, &raw, t);
		/* another thread's call in between */
		generic_e(&b, ts++, tid + 100, 0, NR_ACCESS);
		feed_built(&dec, &raw, t);
		generic_x(&b, ts += 10 + (uint64_t)i, tid, 0, true, 7);
		feed_built(&dec, &raw, t);
		generic_x(&b, ts++, tid + 100, 0, i % 2 == 0, i % 4 ? -2 : -13);
		feed_built(&dec, &raw, t);
		/* open, failing one time in three */
		evb_start(&b, KSCAP_EV_OPEN_E, ts++, tid);
		feed_built(&dec, &raw, t);
		ev_open_x(&b, ts += 100, tid, i % 3 ? 3 : -2, "/etc/x", &(uint32_t){ 0 });
		feed_built(&dec, &raw, t);
		/* a read whose enter was not seen */
		ev_read_x(&b, ts++, tid, i % 5 ? 10 : -11, "0123456789", 10, &(uint32_t){ 0 });
		feed_built(&dec, &raw, t);
	}
	/* a generic exit of the reference row's length, its enter another */
	evb_start(&b, KSCAP_EV_OPEN_E, ts++, 7);
	feed_built(&dec, &raw, t);
	generic_x(&b, ts++, 7, 0, false, 0);
	feed_built(&dec, &raw, t);
	/* thread 8 leaves in the middle of a call */
	generic_e(&b, ts++, 8, 0, NR_GETPPID);
	feed_built(&dec, &raw, t);
	evb_start(&b, KSCAP_EV_PROCEXIT_E, ts++, 8);
	evb_u64(&b, 0);
	feed_built(&dec, &raw, t);
	generic_x(&b, ts++, 8, 0, true, 0);
	feed_built(&dec, &raw, t);

	assert_true(raw.named_generic >= 100);
	assert_true(raw.failed > 50);
	same_summary(&dec, &raw);
	{
		char *out = printed(raw.s);

		assert_non_null(strstr(out, " getppid "));
		assert_non_null(strstr(out, " access "));
		assert_non_null(strstr(out, "ENOENT:"));
		assert_non_null(strstr(out, "EAGAIN:"));
		free(out);
	}
	model_free(&dec);
	model_free(&raw);
	model_free(&fast);
	kscap_threads_free(t);
}

/* A result read in place never reads past the event: cut short, the
 * event has no result (and nothing is read beyond hdr.len). */
static void bounds(void **state)
{
	uint8_t *copy;
	const uint8_t *p;
	uint32_t len, cut, evlen;
	int64_t ret;

	p = ev_open_x(&b, 1, 7, -2, "/etc/x", &len);
	assert_int_equal(raw_ret(p, &ret), 1);
	assert_int_equal(ret, -2);
	for (cut = 0; cut < 8; cut++) {
		/* hdr.len says less than the result needs: an exact-size
		 * copy, so that ASan sees any read past it */
		evlen = KSCAP_HDR_LEN + 5 * KSCAP_PARAM_LEN_SIZE + cut;
		copy = malloc(evlen);
		memcpy(copy, p, evlen);
		memcpy(copy + offsetof(struct kscap_evt_hdr, len), &evlen, sizeof(evlen));
		assert_int_equal(raw_ret(copy, &ret), 0);
		free(copy);
	}
	/* a generic exit without the appended result */
	generic_x(&b, 1, 7, 0, false, 0);
	p = evb_end(&b, &len);
	assert_int_equal(raw_ret(p, &ret), 0);
}

/* --top's failed calls: the line made when the detail view shows it is
 * the line scapdump prints for the event. */
static void late_lines(void **state)
{
	struct summary *s = summary_new();
	struct top *t = top_new(s);
	struct kscap_thread th = { .tid = 7, .comm = "prog" };
	struct kscap_evt evt;
	struct out_event e = { .num = 42, .cpu = 1, .evt = &evt, .th = &th };
	struct top_detail d;
	char *mem = NULL;
	size_t n = 0;
	const uint8_t *p;
	uint32_t len;
	FILE *f;

	p = ev_open_x(&b, 1700000000123456789ULL, 7, -13, "/etc/shadow", &len);
	assert_int_equal(kscap_evt_parse(p, len, &evt), 0);
	assert_int_equal(summary_add(s, &evt, 0, 0), 0);
	f = open_memstream(&mem, &n);
	assert_int_equal(print_text(f, &e), 0);
	fclose(f);
	mem[strcspn(mem, "\n")] = '\0';
	assert_int_equal(top_record_failure_raw(t, "open", p, len, &e), 0);
	/* the bytes are its own copy; the thread's name as it was */
	memset((uint8_t *)p, 0, len);
	strcpy(th.comm, "renamed");
	assert_int_equal(top_detail(t, "open", &d), 0);
	assert_int_equal(d.nfails, 1);
	assert_string_equal(d.fails[0], mem);
	assert_non_null(strstr(d.fails[0], "42 "));
	assert_non_null(strstr(d.fails[0], " prog (7) < open "));
	assert_non_null(strstr(d.fails[0], "EACCES"));
	free(mem);
	top_free(t);
	summary_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_file),
		cmocka_unit_test(built_events),
		cmocka_unit_test(bounds),
		cmocka_unit_test(late_lines),
	};

	return RUN(tests);
}
