// SPDX-License-Identifier: MIT
/* Capture files: what is written is what is read back. */
#include <signal.h>
#include <sys/resource.h>
#include "test.h"
#include "capfile_util.h"

static struct evb b;

static void round_trip(void **state)
{
	char path[128], host[256] = "";
	struct kscap_reader *r;
	struct kscap_evt evt;
	const struct kscap_thread *th;
	unsigned int cpu, n = 0;
	uint64_t last = 0;

	tmp_name(path, sizeof(path), "rt");
	write_session(path);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	gethostname(host, sizeof(host) - 1);
	assert_string_equal(kscap_reader_hostname(r), host);
	assert_true(kscap_reader_ncpus(r) > 0);
	/* the process list block */
	th = kscap_threads_find(kscap_reader_threads(r), 100);
	assert_non_null(th);
	assert_string_equal(th->comm, "bash");
	assert_string_equal(th->exe, "-bash");
	assert_string_equal(th->exepath, "/usr/bin/bash");
	assert_string_equal(th->cwd, "/home/u");
	assert_int_equal(th->args_len, 3);
	assert_int_equal(th->uid, 1000);
	assert_int_equal(th->ptid, 1);
	assert_non_null(kscap_threads_find(kscap_reader_threads(r), 1));
	/* the events */
	while (kscap_reader_next(r, &evt, &cpu) == 1) {
		assert_true(evt.ts > last);
		last = evt.ts;
		if (n == 1) {
			assert_int_equal(evt.type, KSCAP_EV_OPEN_X);
			assert_string_equal((const char *)evt.params[1].val, "/etc/passwd");
			assert_int_equal(cpu, 0);
		}
		if (n == 6) {
			assert_int_equal(evt.type, KSCAP_EV_EXECVE_X);
			assert_int_equal(cpu, 1);
			assert_memory_equal(kscap_evt_param(&evt, "args")->val, "-l\0/nope", 9);
		}
		n++;
	}
	assert_int_equal(n, 10);
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 0);	/* stays at the end */
	kscap_reader_close(r);
	unlink(path);
}

/* A writer on the caller's memory stream writes what the file writer
 * does, and a reader on a memory stream reads it back. */
static void writer_on_a_stream(void **state)
{
	struct kscap_thread th = { .tid = 7, .pid = 7, .comm = "sh" };
	struct kscap_threads *t = kscap_threads_new();
	char path[128], *mem = NULL, *file = NULL;
	size_t mem_len = 0, file_len = 0;
	struct kscap_writer *w;
	struct kscap_reader *r;
	struct kscap_evt evt;
	unsigned int cpu;
	const uint8_t *raw;
	uint32_t len;
	FILE *f;

	assert_int_equal(kscap_threads_add(t, &th), 0);
	raw = ev_open_x(&b, 1700000000000000000ULL, 7, 3, "/etc/hosts", &len);
	f = open_memstream(&mem, &mem_len);
	assert_non_null(f);
	assert_int_equal(kscap_writer_fopen(f, t, NULL, &w), 0);
	write_evt(w, raw, &len, 1);
	assert_int_equal(kscap_writer_close(w), 0);	/* closes f */
	tmp_name(path, sizeof(path), "fo");
	assert_int_equal(kscap_writer_open(path, t, &w), 0);
	write_evt(w, raw, &len, 1);
	assert_int_equal(kscap_writer_close(w), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	file = malloc(mem_len + 1);
	file_len = fread(file, 1, mem_len + 1, f);
	fclose(f);
	assert_int_equal(file_len, mem_len);
	assert_memory_equal(file, mem, mem_len);
	f = fmemopen(mem, mem_len, "r");
	assert_int_equal(kscap_reader_fopen(f, "mem", &r), 0);
	assert_non_null(kscap_threads_find(kscap_reader_threads(r), 7));
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 1);
	assert_int_equal(cpu, 1);
	assert_string_equal((const char *)evt.params[1].val, "/etc/hosts");
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 0);
	kscap_reader_close(r);
	kscap_threads_free(t);
	free(mem);
	free(file);
	unlink(path);
}

/* A thread block among the events: the reader knows the thread from
 * there on, not before. */
static void thread_block_among_events(void **state)
{
	struct kscap_thread th = { .tid = 42, .pid = 40, .comm = "late", .exe = "/bin/late" };
	struct kscap_writer *w;
	struct kscap_reader *r;
	struct kscap_evt evt;
	unsigned int cpu;
	const uint8_t *raw;
	char path[128];
	uint32_t len;

	tmp_name(path, sizeof(path), "tb");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	raw = ev_open_x(&b, 1700000000000000000ULL, 42, 3, "/a", &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_thread(w, &th), 0);
	raw = ev_open_x(&b, 1700000000000001000ULL, 42, 4, "/b", &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 1);
	assert_null(kscap_threads_find(kscap_reader_threads(r), 42));
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 1);
	assert_string_equal((const char *)evt.params[1].val, "/b");
	assert_non_null(kscap_threads_find(kscap_reader_threads(r), 42));
	assert_string_equal(kscap_threads_find(kscap_reader_threads(r), 42)->comm, "late");
	assert_int_equal(kscap_threads_find(kscap_reader_threads(r), 42)->pid, 40);
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 0);
	kscap_reader_close(r);
	unlink(path);
}

static void bytes_are_identical(void **state)
{
	char path[128];
	struct kscap_writer *w;
	struct kscap_reader *r;
	struct kscap_evt evt;
	uint8_t copy[512];
	uint32_t len;
	const uint8_t *raw;
	unsigned int cpu;

	tmp_name(path, sizeof(path), "bytes");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	raw = ev_open_x(&b, 77, 5, 4, "/a/b/c", &len);
	memcpy(copy, raw, len);
	write_evt(w, raw, &len, 3);
	assert_int_equal(kscap_writer_close(w), 0);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	assert_int_equal(kscap_threads_count(kscap_reader_threads(r)), 0);
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 1);
	assert_int_equal(cpu, 3);
	assert_int_equal(evt.len, len);
	assert_memory_equal(evt.raw, copy, len);
	kscap_reader_close(r);
	unlink(path);
}

static char *file_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *p;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*len = (size_t)ftell(f);
	rewind(f);
	p = malloc(*len ? *len : 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

/* Files @a and @c hold the same bytes; both are removed. Their length. */
static size_t same_file_bytes(const char *a, const char *c)
{
	size_t la, lc;
	char *fa = file_bytes(a, &la), *fc = file_bytes(c, &lc);

	assert_int_equal(la, lc);
	assert_memory_equal(fa, fc, la);
	free(fa);
	free(fc);
	unlink(a);
	unlink(c);
	return la;
}

/* Raw writes (events as the rings hold them): the same file, byte for
 * byte, as decoded writes, oversized events included. */
static void raw_writes_are_identical(void **state)
{
	char a[128], c[128];
	struct kscap_writer *w1, *w2;
	uint8_t *data = malloc(65535);
	const uint8_t *raw;
	struct kscap_evt evt;
	uint32_t len;

	memset(data, 'q', 65535);
	tmp_name(a, sizeof(a), "dec");
	tmp_name(c, sizeof(c), "raw");
	assert_int_equal(kscap_writer_open(a, NULL, &w1), 0);
	assert_int_equal(kscap_writer_open(c, NULL, &w2), 0);
	raw = ev_open_x(&b, 77, 5, 4, "/a/b/c", &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(kscap_writer_write(w1, &evt, 3), 0);
	assert_int_equal(kscap_writer_write_raw(w2, raw, 3), 0);
	evb_start(&b, KSCAP_EV_READ_X, 6, 5);
	evb_u64(&b, 65535);
	evb_raw(&b, data, 65535);
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(kscap_writer_write(w1, &evt, 1), 0);
	assert_int_equal(kscap_writer_write_raw(w2, raw, 1), 0);
	assert_int_equal(kscap_writer_close(w1), 0);
	assert_int_equal(kscap_writer_close(w2), 0);
	assert_true(same_file_bytes(a, c) > 65536);
	free(data);
}

/* A batch of raw writes: the file of decoded writes, events of
 * every copy size (26 to 64 bytes inline, larger by memcpy(), oversized
 * and shortened), one that cannot fit counted and skipped. */
static void raw_batch_is_identical(void **state)
{
	static struct evb eb[8];
	const struct kscap_evt_hdr *evs[8];
	unsigned int cpus[8], n = 0, i;
	char a[128], c[128], path[300];
	struct kscap_writer *w1, *w2;
	uint8_t *data = malloc(65535), *huge = malloc(65535);
	uint32_t len;

	memset(data, 'q', 65535);
	memset(huge, 'h', 65534);
	huge[65534] = '\0';
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	evb_start(&eb[0], KSCAP_EV_OPEN_E, 1, 5);	/* header only: 26 bytes */
	evs[0] = (const void *)evb_end(&eb[0], &len);
	evb_start(&eb[1], KSCAP_EV_CLOSE_E, 2, 5);	/* 36 */
	evb_u64(&eb[1], 3);
	evs[1] = (const void *)evb_end(&eb[1], &len);
	evs[2] = (const void *)ev_open_x(&eb[2], 3, 5, 4, "/a/b/c", &len);
	evb_start(&eb[3], KSCAP_EV_CLOSE_X, 4, 5);	/* 36 */
	evb_u64(&eb[3], 0);
	evs[3] = (const void *)evb_end(&eb[3], &len);
	evs[4] = (const void *)ev_open_x(&eb[4], 5, 5, 4, path, &len);
	evb_start(&eb[5], KSCAP_EV_READ_X, 6, 5);	/* shortened */
	evb_u64(&eb[5], 65535);
	evb_raw(&eb[5], data, 65535);
	evs[5] = (const void *)evb_end(&eb[5], &len);
	evs[6] = (const void *)ev_open_x(&eb[6], 7, 5, 4, (char *)huge, &len);
	evs[7] = (const void *)ev_open_x(&eb[7], 8, 5, 4, "/last", &len);
	n = 8;
	for (i = 0; i < n; i++)
		cpus[i] = i * 3;
	assert_true(evs[0]->len == 26 && evs[1]->len == 36 && evs[2]->len > 32 &&
		    evs[2]->len <= 64 && evs[4]->len > 64 &&
		    evs[6]->len > 65536);
	tmp_name(a, sizeof(a), "one");
	tmp_name(c, sizeof(c), "batch");
	assert_int_equal(kscap_writer_open(a, NULL, &w1), 0);
	assert_int_equal(kscap_writer_open(c, NULL, &w2), 0);
	for (i = 0; i < n; i++) {
		struct kscap_evt evt;

		assert_int_equal(kscap_evt_parse(evs[i], evs[i]->len, &evt), 0);
		assert_int_equal(kscap_writer_write(w1, &evt, cpus[i]), i == 6 ? -E2BIG : 0);
	}
	assert_int_equal(kscap_writer_write_raw_batch(w2, evs, cpus, 3), 0);
	assert_int_equal(kscap_writer_write_raw_batch(w2, evs + 3, cpus + 3, n - 3), 1);
	assert_int_equal(kscap_writer_close(w1), 0);
	assert_int_equal(kscap_writer_close(w2), 0);
	assert_true(same_file_bytes(a, c) > 65536);
	free(data);
	free(huge);
}

/*
 * A file that cannot grow any more (a full disk; here a file size limit,
 * the same short write then error): the write fails with the error, and
 * the file is cut back to its last whole block: what it holds is the
 * start of the file the writer would have written, byte for byte, and
 * reads back to its end without error.
 */
static void full_disk_leaves_whole_blocks(void **state)
{
	const unsigned int n = 40000;	/* 3.5 MB: the buffer goes out thrice */
	char a[128], c[128], *fa, *fc;
	struct kscap_writer *w1, *w2;
	struct kscap_reader *r;
	struct kscap_evt evt;
	struct rlimit old, lim;
	const uint8_t *raw;
	unsigned int i, got = 0;
	size_t la, lc;
	uint32_t len;
	int rc = 0;

	tmp_name(a, sizeof(a), "whole");
	tmp_name(c, sizeof(c), "cut");
	assert_int_equal(kscap_writer_open(a, NULL, &w1), 0);
	for (i = 0; i < n; i++) {
		raw = ev_open_x(&b, 100 + i, 5, (int64_t)i, "/some/path/name", &len);
		assert_int_equal(kscap_writer_write_raw(w1, raw, i % 3), 0);
	}
	assert_int_equal(kscap_writer_close(w1), 0);
	assert_int_equal(kscap_writer_open(c, NULL, &w2), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 1536 * 1024;	/* mid-block, in the buffer's second going out */
	signal(SIGXFSZ, SIG_IGN);	/* a write past it fails with EFBIG instead */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (i = 0; i < n && !rc; i++) {
		raw = ev_open_x(&b, 100 + i, 5, (int64_t)i, "/some/path/name", &len);
		rc = kscap_writer_write_raw(w2, raw, i % 3);
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, -EFBIG);
	assert_int_equal(kscap_writer_close(w2), -EFBIG);
	fa = file_bytes(a, &la);
	fc = file_bytes(c, &lc);
	/* one buffer's worth went out whole, the second was cut off */
	assert_true(lc > 1000000 && lc <= 1024 * 1024 && lc < la);
	assert_memory_equal(fa, fc, lc);
	assert_int_equal(kscap_reader_open(c, &r), 0);
	while ((rc = kscap_reader_next(r, &evt, NULL)) == 1) {
		assert_int_equal(evt.ts, 100 + got);
		got++;
	}
	assert_int_equal(rc, 0);
	assert_true(got > 11000);	/* 88 bytes each, in the first MiB */
	kscap_reader_close(r);
	free(fa);
	free(fc);
	unlink(a);
	unlink(c);
}

static void oversized_event_is_shortened(void **state)
{
	char path[128];
	struct kscap_writer *w;
	struct kscap_reader *r;
	struct kscap_evt evt;
	uint8_t *data = malloc(65535);
	uint32_t len;
	const uint8_t *raw;

	memset(data, 'z', 65535);
	data[0] = 'A';
	tmp_name(path, sizeof(path), "big");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	evb_start(&b, KSCAP_EV_READ_X, 5, 5);
	evb_u64(&b, 65535);
	evb_raw(&b, data, 65535);
	raw = evb_end(&b, &len);
	assert_true(len > 65536);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	assert_int_equal(kscap_reader_next(r, &evt, NULL), 1);
	assert_true(evt.len < 65536);
	assert_true(evt.params[1].len > 65000);
	assert_int_equal(evt.params[1].val[0], 'A');
	kscap_reader_close(r);
	unlink(path);
	free(data);
}

static void no_events(void **state)
{
	char path[128];
	struct kscap_writer *w;
	struct kscap_reader *r;
	struct kscap_evt evt;

	tmp_name(path, sizeof(path), "none");
	assert_int_equal(kscap_writer_open(path, NULL, &w), 0);
	assert_int_equal(kscap_writer_close(w), 0);
	assert_int_equal(kscap_reader_open(path, &r), 0);
	assert_int_equal(kscap_reader_next(r, &evt, NULL), 0);
	kscap_reader_close(r);
	unlink(path);
}

static void open_errors(void **state)
{
	struct kscap_writer *w;
	struct kscap_reader *r;

	assert_int_equal(kscap_writer_open("/nonexistent-dir/x.scap", NULL, &w), -ENOENT);
	assert_null(w);
	assert_non_null(strstr(kscap_last_error(), "/nonexistent-dir/x.scap"));
	assert_int_equal(kscap_reader_open("/nonexistent-dir/x.scap", &r), -ENOENT);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(writer_on_a_stream),
		cmocka_unit_test(thread_block_among_events),
		cmocka_unit_test(bytes_are_identical),
		cmocka_unit_test(raw_writes_are_identical),
		cmocka_unit_test(raw_batch_is_identical),
		cmocka_unit_test(full_disk_leaves_whole_blocks),
		cmocka_unit_test(oversized_event_is_shortened),
		cmocka_unit_test(no_events),
		cmocka_unit_test(open_errors),
	};

	return RUN(tests);
}
