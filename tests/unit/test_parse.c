// SPDX-License-Identifier: MIT
/* Event validation: every length an event claims is checked. */
#include "test.h"
#include "evbuild.h"
#include "internal.h"

static struct evb b;

static void good_event(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1000, 42, 3, "/etc/passwd", &len);

	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_ptr_equal(evt.raw, raw);
	assert_int_equal(evt.ts, 1000);
	assert_int_equal(evt.tid, 42);
	assert_int_equal(evt.len, len);
	assert_int_equal(evt.type, KSCAP_EV_OPEN_X);
	assert_int_equal(evt.nparams, 5);
	assert_string_equal(evt.params[1].name, "name");
	assert_int_equal(evt.params[1].len, strlen("/etc/passwd") + 1);
	/* values point into the event: read in place */
	assert_true(evt.params[1].val > raw && evt.params[1].val < raw + len);
	assert_string_equal((const char *)evt.params[1].val, "/etc/passwd");
	/* extra bytes after the event are not its business */
	assert_int_equal(kscap_evt_parse(raw, len + 100, &evt), 0);
}

static void no_params(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_OPEN_E, 1, 1);
	raw = evb_end(&b, &len);
	assert_int_equal(len, KSCAP_HDR_LEN);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(evt.nparams, 0);
}

static void header_cut_short(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, 1, 3, "/x", &len);

	assert_int_equal(kscap_evt_parse(raw, KSCAP_HDR_LEN - 1, &evt), -EBADMSG);
	assert_int_equal(kscap_evt_parse(raw, 0, &evt), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "header"));
}

static void set_len(uint8_t *raw, uint32_t len)
{
	memcpy(raw + offsetof(struct kscap_evt_hdr, len), &len, 4);
}

static void bad_total_length(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	uint8_t *raw = (uint8_t *)ev_open_x(&b, 1, 1, 3, "/x", &len);

	/* longer than what is readable */
	assert_int_equal(kscap_evt_parse(raw, len - 1, &evt), -EBADMSG);
	/* shorter than the header */
	set_len(raw, KSCAP_HDR_LEN - 1);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	set_len(raw, 0);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	/* huge */
	set_len(raw, 0xffffffffU);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "length"));
}

static void unknown_type(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	uint8_t *raw;

	evb_start(&b, 12, 1, 1);	/* a number the table leaves unused */
	raw = (uint8_t *)evb_end(&b, &len);
	assert_null(kscap_event_info(12));
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	evb_start(&b, KSCAP_EV_MAX + 5, 1, 1);
	raw = (uint8_t *)evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "unknown event type"));
}

static void nparams_mismatch(void **state)
{
	struct kscap_evt evt;
	uint32_t len, n;
	const uint8_t *raw;

	/* fewer parameters than the row: not an event of this ABI */
	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);	/* close takes one fd */
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "parameters"));
	/* more than a param array holds */
	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	for (n = 0; n < KSCAP_MAX_PARAMS; n++)
		evb_u8(&b, 1);
	raw = evb_end(&b, &len);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	n = KSCAP_MAX_PARAMS + 1;
	memcpy((uint8_t *)raw + offsetof(struct kscap_evt_hdr, nparams), &n, 4);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
}

static void nparams_beyond_length(void **state)
{
	struct kscap_evt evt;
	uint32_t len, n = 1000;
	uint8_t *raw;

	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_u64(&b, 3);
	raw = (uint8_t *)evb_end(&b, &len);
	memcpy(raw + offsetof(struct kscap_evt_hdr, nparams), &n, 4);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
}

static void param_lengths_must_add_up(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	uint8_t *raw = (uint8_t *)ev_open_x(&b, 1, 1, 3, "/x", &len);
	uint16_t l;

	/* one length one too long, then one too short */
	memcpy(&l, raw + KSCAP_HDR_LEN + 2, 2);
	l++;
	memcpy(raw + KSCAP_HDR_LEN + 2, &l, 2);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	l -= 2;
	memcpy(raw + KSCAP_HDR_LEN + 2, &l, 2);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	/* a length past everything */
	l = 0xffff;
	memcpy(raw + KSCAP_HDR_LEN + 2, &l, 2);
	assert_int_equal(kscap_evt_parse(raw, len, &evt), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "open"));
}

/* Parse @raw, which must be framed right, and hold it to the module's
 * writing as kscap_next() does (@how 0) or as the VM tests do. */
static int check(const uint8_t *raw, uint32_t len, unsigned int how)
{
	static struct kscap_evt evt;

	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	return kscap__evt_check(&evt, how);
}

static void held_to_the_modules_writing(void **state)
{
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, 1, 3, "/etc/passwd", &len);

	assert_int_equal(check(raw, len, KSCAP__CHECK_EXACT), 0);
	/* an empty value is always fine: the writer had none */
	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_raw(&b, "", 0);
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, KSCAP__CHECK_EXACT), 0);
}

static void number_not_of_its_size(void **state)
{
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_u32(&b, 3);		/* FD is 8 bytes */
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, 0), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "parameter 0 (fd, FD, 4 bytes)"));
}

static void string_without_nul(void **state)
{
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_OPEN_X, 1, 1);
	evb_u64(&b, 3);
	evb_raw(&b, "/etc", 4);		/* no NUL */
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, 0), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "NUL"));
}

static void old_version_of_a_row(void **state)
{
	const struct kscap_event_info *info = kscap_event_info(KSCAP_EV_EXECVE_OLD_X);
	uint32_t len, i;
	const uint8_t *raw;

	assert_true(info->flags & KSCAP_EF_OLD_VERSION);
	evb_start(&b, KSCAP_EV_EXECVE_OLD_X, 1, 1);
	for (i = 0; i < info->nparams; i++)
		evb_raw(&b, "", 0);
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, 0), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "old version"));
}

static void longer_than_an_event_may_be(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const uint8_t *raw = ev_open_x(&b, 1, 1, 3, "/x", &len);

	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	evt.len = KSCAP_MAX_EVENT_LEN + 1;
	assert_int_equal(kscap__evt_check(&evt, 0), -EBADMSG);
	evt.len = KSCAP_MAX_EVENT_LEN;
	assert_int_equal(kscap__evt_check(&evt, 0), 0);
}

/* Exactly the module's parameters: the row's, plus the generic exit's
 * appended res; a parameter more is a newer module's (rings take it). */
static void exactly_the_modules_parameters(void **state)
{
	uint32_t len;
	const uint8_t *raw;

	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 5);
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, 0), 0);
	assert_int_equal(check(raw, len, KSCAP__CHECK_EXACT), -EBADMSG);
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 5);
	evb_u64(&b, (uint64_t)-2);
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, KSCAP__CHECK_EXACT), 0);
	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_u64(&b, 3);
	evb_u32(&b, 7);		/* appended by a newer writer */
	raw = evb_end(&b, &len);
	assert_int_equal(check(raw, len, 0), 0);
	assert_int_equal(check(raw, len, KSCAP__CHECK_EXACT), -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "2 parameters, the module writes 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_event),
		cmocka_unit_test(no_params),
		cmocka_unit_test(header_cut_short),
		cmocka_unit_test(bad_total_length),
		cmocka_unit_test(unknown_type),
		cmocka_unit_test(nparams_mismatch),
		cmocka_unit_test(nparams_beyond_length),
		cmocka_unit_test(param_lengths_must_add_up),
		cmocka_unit_test(held_to_the_modules_writing),
		cmocka_unit_test(number_not_of_its_size),
		cmocka_unit_test(string_without_nul),
		cmocka_unit_test(old_version_of_a_row),
		cmocka_unit_test(longer_than_an_event_may_be),
		cmocka_unit_test(exactly_the_modules_parameters),
	};

	return RUN(tests);
}
