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

/* The bytes of an integer type (0: not one); DYN rows get their own. */
static size_t size_of(unsigned int type)
{
	static const struct { unsigned int type; size_t size; } sz[] = {
		{ KSCAP_PT_INT8, 1 }, { KSCAP_PT_UINT8, 1 }, { KSCAP_PT_FLAGS8, 1 },
		{ KSCAP_PT_SIGTYPE, 1 }, { KSCAP_PT_L4PROTO, 1 }, { KSCAP_PT_SOCKFAMILY, 1 },
		{ KSCAP_PT_INT16, 2 }, { KSCAP_PT_UINT16, 2 }, { KSCAP_PT_FLAGS16, 2 },
		{ KSCAP_PT_SYSCALLID, 2 }, { KSCAP_PT_PORT, 2 },
		{ KSCAP_PT_INT32, 4 }, { KSCAP_PT_UINT32, 4 }, { KSCAP_PT_FLAGS32, 4 },
		{ KSCAP_PT_UID, 4 }, { KSCAP_PT_GID, 4 }, { KSCAP_PT_SIGSET, 4 },
		{ KSCAP_PT_MODE, 4 }, { KSCAP_PT_BOOL, 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
		if (sz[i].type == type)
			return sz[i].size;
	return 8;
}

/*
 * Every exit row of the table: its first parameter is the result when the
 * ABI names it so (res, fd, bpf's res_or_fd); a row whose first parameter
 * has a name this test does not know fails it, so a new row is looked at.
 */
static void return_value_of_every_exit_row(void **state)
{
	static const char *const results[] = { "res", "fd", "res_or_fd" };
	static const char *const others[] = { "ID", "id", "uid", "euid", "gid", "egid" };
	unsigned int type, i, checked = 0;

	for (type = 1; type < KSCAP_EV_MAX; type += 2) {
		const struct kscap_event_info *info = kscap_event_info(type);
		struct kscap_evt evt;
		bool want = false, known = false;
		int64_t ret = 0;

		if (!info || !info->nparams)
			continue;
		for (i = 0; i < 3; i++)
			want |= !strcmp(info->params[0].name, results[i]);
		for (i = 0; i < 6; i++)
			known |= !strcmp(info->params[0].name, others[i]);
		if (!want && !known)
			fail_msg("%s: first exit parameter '%s' unknown to this test",
				 info->name, info->params[0].name);
		evb_start(&b, (uint16_t)type, 1, 1);
		for (i = 0; i < info->nparams; i++) {
			unsigned int t = info->params[i].type;
			uint64_t v = i ? 0 : (uint64_t)-2;	/* ENOENT as the result */

			if (t == KSCAP_PT_DYN) {
				/* index 1 of bpf's res_or_fd (and sockopt's val) is an errno */
				uint8_t dyn[9] = { 1 };

				memcpy(dyn + 1, &v, 8);
				evb_raw(&b, dyn, 9);
			} else if (size_of(t) == 1) {
				evb_u8(&b, (uint8_t)v);
			} else if (size_of(t) == 2) {
				evb_u16(&b, (uint16_t)v);
			} else if (size_of(t) == 4) {
				evb_u32(&b, (uint32_t)v);
			} else {
				evb_u64(&b, v);
			}
		}
		{
			uint32_t len;
			const uint8_t *raw = evb_end(&b, &len);

			assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
		}
		if (kscap_evt_ret(&evt, &ret) != want)
			fail_msg("%s: kscap_evt_ret() says %s", info->name, want ? "none" : "one");
		if (want && ret != -2)
			fail_msg("%s: result %lld", info->name, (long long)ret);
		checked++;
	}
	assert_true(checked > 100);
}

/* The fd variant of bpf's result. */
static void bpf_fd_result(void **state)
{
	struct kscap_evt evt;
	uint8_t dyn[9] = { 0, 7 };
	uint32_t len;
	int64_t ret = 0;

	evb_start(&b, KSCAP_EV_BPF_X, 1, 1);
	evb_raw(&b, dyn, 9);
	parse(evb_end(&b, &len), &len, &evt);
	assert_int_equal(kscap_evt_ret(&evt, &ret), 1);
	assert_int_equal(ret, 7);
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
		cmocka_unit_test(return_value_of_every_exit_row),
		cmocka_unit_test(bpf_fd_result),
		cmocka_unit_test(integers),
	};

	return RUN(tests);
}
