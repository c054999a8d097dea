// SPDX-License-Identifier: MIT
/* Event accessors: names, directions, return values, integers. */
#include "test.h"
#include "evbuild.h"

static struct evb b;

/* @len by address: it is read after the builder has set it. */
static void parse(const uint8_t *raw, const uint32_t *len, struct kscap_evt *evt)
{
	assert_int_equal(kscap_evt_parse(raw, *len, evt), 0);
}

static void dir_and_name(void **state)
{
	struct kscap_evt evt;
	uint32_t len;

	parse(ev_open_x(&b, 1, 1, 3, "/x", &len), &len, &evt);
	assert_int_equal(kscap_evt_dir(&evt), '<');
	assert_string_equal(kscap_evt_name(&evt), "open");
	evb_start(&b, KSCAP_EV_OPEN_E, 1, 1);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_dir(&evt), '>');
}

static void generic_events_named_by_syscall(void **state)
{
	struct kscap_evt evt;
	uint32_t len;

	/* enter: the native number names it */
	evb_start(&b, KSCAP_EV_GENERIC_E, 1, 1);
	evb_u16(&b, 0);
	evb_u16(&b, 39);
	parse(evb_end(&b, &len), &len, &evt);
	assert_string_equal(kscap_evt_name(&evt), "getpid");
	/* exit: only the scap code (3 is read's) */
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 3);
	parse(evb_end(&b, &len), &len, &evt);
	assert_string_equal(kscap_evt_name(&evt), "read");
	/* an unknown code: the event's own name */
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 9999);
	parse(evb_end(&b, &len), &len, &evt);
	assert_string_equal(kscap_evt_name(&evt), "syscall");
}

static void param_by_name(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	const struct kscap_param *p;

	parse(ev_open_x(&b, 1, 1, 3, "/etc/hosts", &len), &len, &evt);
	p = kscap_evt_param(&evt, "name");
	assert_non_null(p);
	assert_string_equal((const char *)p->val, "/etc/hosts");
	assert_null(kscap_evt_param(&evt, "nothing"));
}

static void return_values(void **state)
{
	struct kscap_evt evt;
	uint32_t len;
	int64_t ret = 0;
	int raw_len_fails;

	parse(ev_open_x(&b, 1, 1, -13, "/root/x", &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 1);
	assert_int_equal(ret, -13);
	/* enter events have none */
	evb_start(&b, KSCAP_EV_CLOSE_E, 1, 1);
	evb_u64(&b, 3);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 0);
	/* mmap returns an address, or -errno */
	evb_start(&b, KSCAP_EV_MMAP_X, 1, 1);
	evb_u64(&b, (uint64_t)-12);
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 1);
	assert_int_equal(ret, -12);
	/* a generic exit: res only as kscap appends it (uapi/kscap.h, 5) */
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 51);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 0);
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 51);
	evb_u64(&b, (uint64_t)-22);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(evt.nparams, KSCAP_GENERIC_X_NPARAMS);
	assert_string_equal(evt.params[KSCAP_GENERIC_X_RES].name, "res");
	assert_int_equal(kscap_evt_ret(&evt, &ret), 1);
	assert_int_equal(ret, -22);
	{
		char line[128];

		assert_true(kscap_evt_format(&evt, line, sizeof(line), 0) > 0);
		assert_string_equal(line, "ID=readlink res=-22(EINVAL)");
	}
	/* one more than that is still malformed */
	evb_start(&b, KSCAP_EV_GENERIC_X, 1, 1);
	evb_u16(&b, 51);
	evb_u64(&b, 0);
	evb_u64(&b, 0);
	raw_len_fails = kscap_evt_parse(evb_end(&b, &len), len, &evt);
	assert_int_equal(raw_len_fails, -EBADMSG);
	/* getuid's exit carries a uid, not a result */
	evb_start(&b, KSCAP_EV_GETUID_X, 1, 1);
	evb_u32(&b, 1000);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 0);
}

static void integers(void **state)
{
	static const uint8_t v8[] = { 0xff };
	static const uint8_t v32[] = { 0xfe, 0xff, 0xff, 0xff };
	struct kscap_param p = { .val = v8, .len = 1, .type = KSCAP_PT_INT8 };
	int64_t out;

	assert_int_equal(kscap_param_int(&p, &out), 0);
	assert_int_equal(out, -1);
	p.type = KSCAP_PT_UINT8;
	assert_int_equal(kscap_param_int(&p, &out), 0);
	assert_int_equal(out, 255);
	p.val = v32;
	p.len = 4;
	p.type = KSCAP_PT_INT32;
	assert_int_equal(kscap_param_int(&p, &out), 0);
	assert_int_equal(out, -2);
	p.type = KSCAP_PT_UINT32;
	assert_int_equal(kscap_param_int(&p, &out), 0);
	assert_int_equal(out, 0xfffffffeLL);
	/* wrong size, or not a number */
	p.len = 3;
	assert_int_equal(kscap_param_int(&p, &out), -EBADMSG);
	p.len = 4;
	p.type = KSCAP_PT_CHARBUF;
	assert_int_equal(kscap_param_int(&p, &out), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dir_and_name),
		cmocka_unit_test(generic_events_named_by_syscall),
		cmocka_unit_test(param_by_name),
		cmocka_unit_test(return_values),
		cmocka_unit_test(integers),
	};

	return RUN(tests);
}
