// SPDX-License-Identifier: MIT
/*
 * Files another writer made: Debian's sysdig on Falco's scap.ko (kept in
 * tests/data), and hand-built ones. Events with parameters past their row
 * are read, events and blocks of unknown types are stepped over and
 * counted, and reading goes on to the end.
 */
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

#define SYSDIG_FILE TESTDATA_DIR "/sysdig-falco.scap"

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long sz;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	buf = malloc((size_t)sz);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*n = (size_t)sz;
	return buf;
}

/* Our own walk over the blocks: event blocks of types the table has and
 * of types it lacks. */
static void count_blocks(const uint8_t *d, size_t n, unsigned int *known,
			 unsigned int *unknown)
{
	size_t off = 0;

	*known = *unknown = 0;
	while (off + 12 <= n) {
		uint32_t type = get32(d + off), len = get32(d + off + 4);
		uint16_t evtype;

		assert_true(len >= 12 && off + len <= n);
		if (type == 0x216) {
			memcpy(&evtype, d + off + 8 + 2 + offsetof(struct kscap_evt_hdr, type), 2);
			if (kscap_event_info(evtype))
				(*known)++;
			else
				(*unknown)++;
		}
		off += len;
	}
	assert_int_equal(off, n);
}

static void sysdig_file_every_event(void **state)
{
	struct kscap_reader_counts c;
	struct kscap_reader *r;
	struct kscap_evt evt;
	unsigned int known, unknown, n = 0, procexits = 0;
	size_t len;
	uint8_t *d = load(SYSDIG_FILE, &len);
	int rc;

	count_blocks(d, len, &known, &unknown);
	free(d);
	/* the file holds both kinds, or the test proves nothing */
	assert_true(known > 100);
	assert_true(unknown > 0);
	assert_int_equal(kscap_reader_open(SYSDIG_FILE, &r), 0);
	while ((rc = kscap_reader_next(r, &evt, NULL)) == 1) {
		n++;
		if (evt.type == KSCAP_EV_PROCEXIT_E) {
			int64_t v;

			/* Falco's driver writes status, ret, sig, core: the
			 * row's one decoded, the rest kept raw */
			procexits++;
			assert_int_equal(evt.nparams, 4);
			assert_int_equal(kscap_param_int(kscap_evt_param(&evt, "status"), &v), 0);
			assert_string_equal(evt.params[1].name, "param1");
			assert_int_equal(evt.params[1].type, KSCAP_PT_BYTEBUF);
			assert_int_equal(evt.params[1].len, 8);
		}
	}
	assert_int_equal(rc, 0);
	kscap_reader_counts(r, &c);
	assert_int_equal(n, known);
	assert_int_equal(c.events, known);
	assert_int_equal(c.unknown_events, unknown);
	assert_int_equal(c.unknown_blocks, 0);
	assert_int_equal(c.big_events, 0);
	assert_true(procexits > 0);
	assert_true(c.appended >= procexits);
	/* the process list of sysdig's file fills the thread table */
	assert_true(kscap_threads_count(kscap_reader_threads(r)) > 0);
	kscap_reader_close(r);
}

/* scapdump -r, -j and --summary go through the whole file. */
static void sysdig_file_scapdump(void **state)
{
	struct kscap_reader_counts c;
	struct kscap_reader *r;
	struct kscap_evt evt;
	char cmd[512], want[160];
	struct cli cl;

	assert_int_equal(kscap_reader_open(SYSDIG_FILE, &r), 0);
	while (kscap_reader_next(r, &evt, NULL) == 1)
		;
	kscap_reader_counts(r, &c);
	kscap_reader_close(r);
	snprintf(want, sizeof(want), "%llu events read", (unsigned long long)c.events);

	snprintf(cmd, sizeof(cmd), "$SCAPDUMP -r %s", SYSDIG_FILE);
	cli_run(&cl, cmd);
	assert_int_equal(cl.status, 0);
	assert_int_equal(cl.out_lines, c.events);
	assert_non_null(strstr(cl.err, want));
	assert_non_null(strstr(cl.err, "events of unknown types"));
	cli_free(&cl);

	snprintf(cmd, sizeof(cmd), "$SCAPDUMP -j -r %s", SYSDIG_FILE);
	cli_run(&cl, cmd);
	assert_int_equal(cl.status, 0);
	assert_int_equal(cl.out_lines, c.events);
	assert_non_null(strstr(cl.out, "\"type\":\"procexit\",\"params\":{\"status\":0,\"param1\":"));
	cli_free(&cl);

	snprintf(cmd, sizeof(cmd), "$SCAPDUMP --summary -r %s", SYSDIG_FILE);
	cli_run(&cl, cmd);
	assert_int_equal(cl.status, 0);
	assert_non_null(strstr(cl.out, "total"));
	assert_non_null(strstr(cl.out, " execve "));
	assert_non_null(strstr(cl.err, want));
	cli_free(&cl);
}

/* ---- hand-built files ---- */

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void put_block(FILE *f, uint32_t type, const void *body, size_t n)
{
	static const uint8_t zero[4];
	uint32_t total = (uint32_t)(12 + ((n + 3) & ~3U));

	put32(f, type);
	put32(f, total);
	fwrite(body, 1, n, f);
	fwrite(zero, 1, ((n + 3) & ~3U) - n, f);
	put32(f, total);
}

static void put_event(FILE *f, uint32_t type, const uint8_t *ev, uint32_t len)
{
	uint8_t body[4096];

	memset(body, 0, 2);	/* cpu 0 */
	memcpy(body + 2, ev, len);
	put_block(f, type, body, 2 + len);
}

static void put_section(FILE *f)
{
	uint8_t shb[16] = { 0 };
	uint32_t magic = 0x1A2B3C4D;
	uint16_t major = 1, minor = 2;

	memcpy(shb, &magic, 4);
	memcpy(shb + 4, &major, 2);
	memcpy(shb + 6, &minor, 2);
	memset(shb + 8, 0xff, 8);
	put_block(f, 0x0A0D0D0A, shb, sizeof(shb));
}

/* The same event in the large-payload layout: u32 lengths. */
static uint32_t widen(const uint8_t *ev, uint32_t len, uint8_t *out)
{
	uint32_t np, i, wide;
	uint16_t l;

	memcpy(&np, ev + offsetof(struct kscap_evt_hdr, nparams), 4);
	memcpy(out, ev, KSCAP_HDR_LEN);
	for (i = 0; i < np; i++) {
		memcpy(&l, ev + KSCAP_HDR_LEN + 2 * i, 2);
		wide = l;
		memcpy(out + KSCAP_HDR_LEN + 4 * i, &wide, 4);
	}
	memcpy(out + KSCAP_HDR_LEN + 4 * np, ev + KSCAP_HDR_LEN + 2 * np,
	       len - KSCAP_HDR_LEN - 2 * np);
	wide = len + 2 * np;
	memcpy(out + offsetof(struct kscap_evt_hdr, len), &wide, 4);
	return wide;
}

static struct evb b;

static void handbuilt_file(void **state)
{
	struct kscap_reader_counts c;
	struct kscap_reader *r;
	struct kscap_evt evt;
	uint8_t wide[4096], junk[24] = { 1, 2, 3 };
	const uint8_t *raw;
	char path[128];
	uint32_t len;
	int64_t v;
	FILE *f;

	tmp_name(path, sizeof(path), "foreign");
	f = fopen(path, "wb");
	assert_non_null(f);
	put_section(f);
	put_block(f, 0x7777, junk, sizeof(junk));	/* unknown metadata */
	/* procexit with three parameters past its row */
	evb_start(&b, KSCAP_EV_PROCEXIT_E, 10, 7);
	evb_u64(&b, 256);
	evb_u64(&b, 1);
	evb_u8(&b, 9);
	evb_u8(&b, 0);
	raw = evb_end(&b, &len);
	put_event(f, 0x216, raw, len);
	/* a type the table lacks, then a block type nobody knows */
	evb_start(&b, KSCAP_EV_MAX + 3, 11, 7);
	evb_u32(&b, 5);
	raw = evb_end(&b, &len);
	put_event(f, 0x216, raw, len);
	put_block(f, 0x8888, junk, 5);
	/* an open exit in the large-payload layout */
	raw = ev_open_x(&b, 12, 7, 3, "/etc/hosts", &len);
	len = widen(raw, len, wide);
	put_event(f, 0x221, wide, len);
	fclose(f);

	assert_int_equal(kscap_reader_open(path, &r), 0);
	assert_int_equal(kscap_reader_next(r, &evt, NULL), 1);
	assert_int_equal(evt.type, KSCAP_EV_PROCEXIT_E);
	assert_int_equal(evt.nparams, 4);
	assert_int_equal(kscap_param_int(&evt.params[0], &v), 0);
	assert_int_equal(v, 256);
	assert_string_equal(evt.params[3].name, "param3");
	assert_int_equal(evt.params[3].len, 1);
	assert_int_equal(evt.params[2].val[0], 9);
	assert_int_equal(kscap_reader_next(r, &evt, NULL), 1);
	assert_int_equal(evt.type, KSCAP_EV_OPEN_X);
	assert_int_equal(evt.ts, 12);
	assert_string_equal((const char *)kscap_evt_param(&evt, "name")->val, "/etc/hosts");
	assert_int_equal(kscap_reader_next(r, &evt, NULL), 0);
	kscap_reader_counts(r, &c);
	assert_int_equal(c.events, 2);
	assert_int_equal(c.appended, 1);
	assert_int_equal(c.unknown_events, 1);
	assert_int_equal(c.unknown_blocks, 2);
	assert_int_equal(c.big_events, 0);
	kscap_reader_close(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysdig_file_every_event),
		cmocka_unit_test(sysdig_file_scapdump),
		cmocka_unit_test(handbuilt_file),
	};

	return RUN(tests);
}
