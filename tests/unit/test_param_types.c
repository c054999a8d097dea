// SPDX-License-Identifier: MIT
/*
 * The parameter type rows of uapi/kscap.h, as libkscap reads them: an
 * integer type is read at its row's size and sign, nothing else is, and
 * every type the event table uses has a row.
 */
#include "test.h"
#include "internal.h"

static void integers_read_at_their_rows_size(void **state)
{
	uint8_t ones[16];
	unsigned int t;

	memset(ones, 0xff, sizeof(ones));
	for (t = 0; t < KSCAP_PT_MAX; t++) {
		const struct kscap_param_type_info *ti = &kscap_param_types[t];
		struct kscap_param p = { .val = ones, .type = (uint8_t)t };
		int64_t v = 0;

		assert_non_null(ti->name);
		assert_string_equal(kscap_param_type_name(t), ti->name);
		if (!(ti->flags & KSCAP_PTF_INT)) {
			for (p.len = 0; p.len <= 8; p.len++)
				assert_int_equal(kscap_param_int(&p, &v), -EBADMSG);
			continue;
		}
		assert_true(ti->size == 1 || ti->size == 2 || ti->size == 4 || ti->size == 8);
		assert_false(ti->flags & KSCAP_PTF_STRING);
		p.len = ti->size;
		assert_int_equal(kscap_param_int(&p, &v), 0);
		if (ti->flags & KSCAP_PTF_SIGNED)
			assert_int_equal(v, -1);
		else if (ti->size < 8)
			assert_int_equal(v, (int64_t)((1ULL << (8 * ti->size)) - 1));
		else
			assert_int_equal((uint64_t)v, UINT64_MAX);
		p.len = (uint16_t)(ti->size + 1);
		assert_int_equal(kscap_param_int(&p, &v), -EBADMSG);
		p.len = (uint16_t)(ti->size - 1);
		assert_int_equal(kscap_param_int(&p, &v), -EBADMSG);
	}
}

/* The rows the reference ABI gives sizes that readers depend on. */
static void known_rows(void **state)
{
	assert_int_equal(kscap_param_types[KSCAP_PT_ERRNO].size, 8);
	assert_true(kscap_param_types[KSCAP_PT_ERRNO].flags & KSCAP_PTF_SIGNED);
	assert_int_equal(kscap_param_types[KSCAP_PT_SYSCALLID].size, 2);
	assert_int_equal(kscap_param_types[KSCAP_PT_SOCKFAMILY].size, 1);
	assert_int_equal(kscap_param_types[KSCAP_PT_L4PROTO].size, 1);
	assert_int_equal(kscap_param_types[KSCAP_PT_PORT].size, 2);
	assert_int_equal(kscap_param_types[KSCAP_PT_BOOL].size, 4);
	assert_int_equal(kscap_param_types[KSCAP_PT_IPV6ADDR].size, 16);
	assert_false(kscap_param_types[KSCAP_PT_IPV4ADDR].flags & KSCAP_PTF_INT);
	assert_true(kscap_param_types[KSCAP_PT_FSRELPATH].flags & KSCAP_PTF_STRING);
	assert_false(kscap_param_types[KSCAP_PT_BYTEBUF].flags & KSCAP_PTF_STRING);
	assert_string_equal(kscap_param_type_name(KSCAP_PT_DYN), "DYNAMIC");
	assert_null(kscap_param_type_name(KSCAP_PT_MAX));
}

static void event_table_uses_known_types(void **state)
{
	unsigned int t, i;

	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *e = kscap_event_info(t);

		for (i = 0; e && i < e->nparams; i++) {
			assert_true(e->params[i].type < KSCAP_PT_MAX);
			assert_true(e->params[i].type != KSCAP_PT_NONE);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_read_at_their_rows_size),
		cmocka_unit_test(known_rows),
		cmocka_unit_test(event_table_uses_known_types),
	};

	return RUN(tests);
}
