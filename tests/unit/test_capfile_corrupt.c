// SPDX-License-Identifier: MIT
/* Truncated and corrupt capture files: a clear error, no crash, no leak. */
#include <sys/stat.h>
#include "test.h"
#include "capfile_util.h"

static uint8_t *file;
static size_t file_len;
static char good[128];

static int setup(void **state)
{
	FILE *f;
	struct stat st;

	tmp_name(good, sizeof(good), "good");
	write_session(good);
	if (stat(good, &st))
		return -1;
	file_len = (size_t)st.st_size;
	file = malloc(file_len);
	f = fopen(good, "rb");
	if (!f || fread(file, 1, file_len, f) != file_len)
		return -1;
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	unlink(good);
	free(file);
	return 0;
}

static void put_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

/*
 * Open and read everything. Returns the first error (< 0), or the number
 * of events read.
 */
static int read_all(const char *path)
{
	struct kscap_reader *r;
	struct kscap_evt evt;
	int rc, n = 0;

	rc = kscap_reader_open(path, &r);
	if (rc)
		return rc;
	while ((rc = kscap_reader_next(r, &evt, NULL)) == 1)
		n++;
	kscap_reader_close(r);
	return rc < 0 ? rc : n;
}

/* Offsets of the blocks in the good file. */
static size_t block_offsets(size_t *offs, size_t max)
{
	size_t off = 0, n = 0;

	while (off + 8 <= file_len && n < max) {
		uint32_t len;

		offs[n++] = off;
		memcpy(&len, file + off + 4, 4);
		off += len;
	}
	assert_int_equal(off, file_len);
	return n;
}

static void truncated_anywhere(void **state)
{
	char path[128];
	size_t offs[64], nblocks = block_offsets(offs, 64), cut, b;

	tmp_name(path, sizeof(path), "cut");
	assert_int_equal(read_all(good), 10);
	for (cut = 0; cut < file_len; cut++) {
		int rc;
		bool boundary = false;

		put_file(path, file, cut);
		rc = read_all(path);
		for (b = 0; b < nblocks; b++)
			if (offs[b] == cut)
				boundary = true;
		if (boundary && cut > offs[3]) {
			/* a file cut between event blocks is a shorter capture */
			assert_true(rc >= 0 && rc < 10);
		} else if (!boundary) {
			assert_int_equal(rc, -EBADMSG);
			if (cut > offs[1])
				assert_non_null(strstr(kscap_last_error(), "truncated"));
		}
	}
	unlink(path);
}

static void empty_and_foreign_files(void **state)
{
	char path[128];

	tmp_name(path, sizeof(path), "empty");
	put_file(path, (const uint8_t *)"", 0);
	assert_int_equal(read_all(path), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "empty"));
	put_file(path, (const uint8_t *)"#!/bin/sh\necho this is a script\n", 32);
	assert_int_equal(read_all(path), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "not a scap capture"));
	unlink(path);
}

/* Change 4 bytes of the good file at @off and read it. */
static int read_patched(uint32_t off, uint32_t value)
{
	char path[128];
	uint8_t *copy = malloc(file_len);
	int rc;

	memcpy(copy, file, file_len);
	memcpy(copy + off, &value, 4);
	tmp_name(path, sizeof(path), "patched");
	put_file(path, copy, file_len);
	rc = read_all(path);
	unlink(path);
	free(copy);
	return rc;
}

static void bad_section_header(void **state)
{
	assert_int_equal(read_patched(8, 0xdeadbeef), -EBADMSG);	/* magic */
	assert_non_null(strstr(kscap_last_error(), "magic"));
	assert_int_equal(read_patched(8, 0x4D3C2B1A), -EBADMSG);	/* other endianness */
	assert_non_null(strstr(kscap_last_error(), "big-endian"));
	assert_int_equal(read_patched(12, 9), -EBADMSG);	/* major version 9 */
	assert_non_null(strstr(kscap_last_error(), "version"));
}

static void bad_block_lengths(void **state)
{
	size_t offs[64];
	uint32_t last;

	block_offsets(offs, 64);
	last = (uint32_t)offs[5];	/* an event block */
	assert_int_equal(read_patched(last + 4, 13), -EBADMSG);		/* not a multiple of 4 */
	assert_non_null(strstr(kscap_last_error(), "invalid length"));
	assert_int_equal(read_patched(last + 4, 4), -EBADMSG);		/* smaller than a block */
	assert_int_equal(read_patched(last + 4, 0xfffffff0U), -EBADMSG);	/* huge */
	assert_int_equal(read_patched(last + 4, 1U << 28), -EBADMSG);	/* past the end */
	/* header and trailer disagree */
	assert_int_equal(read_patched((uint32_t)offs[6] - 4, 12), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "trailing"));
}

static void bad_event_inside_block(void **state)
{
	size_t offs[64];
	uint32_t ev;

	block_offsets(offs, 64);
	ev = (uint32_t)offs[4] + 8 + 2;		/* open exit, after the cpu */
	assert_int_equal(read_patched(ev + 16, 9999), -EBADMSG);	/* event length */
	assert_non_null(strstr(kscap_last_error(), "corrupt capture"));
	assert_int_equal(read_patched(ev + 16, 26), -EBADMSG);		/* shorter than its block */
	assert_int_equal(read_patched(ev + 20, KSCAP_EV_CLOSE_E), -EBADMSG);	/* type: too few params */
	assert_int_equal(read_patched(ev + 22, 99), -EBADMSG);		/* nparams */
}

static void bad_process_list(void **state)
{
	size_t offs[64];
	uint32_t pl;

	block_offsets(offs, 64);
	pl = (uint32_t)offs[2];		/* section, machine, process list */
	assert_int_equal(file[pl], 0x15);
	assert_int_equal(read_patched(pl + 8, 1U << 20), -EBADMSG);	/* entry length */
	assert_non_null(strstr(kscap_last_error(), "process list"));
	assert_int_equal(read_patched(pl + 8, 2), -EBADMSG);
	assert_int_equal(read_patched(pl + 8, 40), -EBADMSG);	/* entry cut short */
}

static void foreign_event_block(void **state)
{
	size_t offs[64];

	block_offsets(offs, 64);
	/* an event block relabelled as large-payload: its u16 lengths read
	 * as u32 ones point past the event */
	assert_int_equal(read_patched((uint32_t)offs[6], 0x221), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "large event"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_anywhere),
		cmocka_unit_test(empty_and_foreign_files),
		cmocka_unit_test(bad_section_header),
		cmocka_unit_test(bad_block_lengths),
		cmocka_unit_test(bad_event_inside_block),
		cmocka_unit_test(bad_process_list),
		cmocka_unit_test(foreign_event_block),
	};

	return cmocka_run_group_tests_name(__FILE__, tests, setup, teardown);
}
