// SPDX-License-Identifier: MIT
/* The tools' one number parser: plain decimal in range, nothing else. */
#include "test.h"
#include "number.h"

static void unsigned_numbers(void **state)
{
	uint64_t v = 7;

	assert_int_equal(parse_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_uint("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_uint("11", 10, &v), -ERANGE);
	v = 7;
	/* what strtoull would take */
	assert_int_equal(parse_uint(" 5", 10, &v), -EINVAL);
	assert_int_equal(parse_uint("5 ", 10, &v), -EINVAL);
	assert_int_equal(parse_uint("+5", 10, &v), -EINVAL);
	assert_int_equal(parse_uint("-1", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(parse_uint(" -1", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(parse_uint("0x10", 100, &v), -EINVAL);
	assert_int_equal(parse_uint("", 10, &v), -EINVAL);
	assert_int_equal(parse_uint("\t5", 10, &v), -EINVAL);
	assert_int_equal(v, 7);	/* untouched on failure */
}

static void signed_numbers(void **state)
{
	int64_t v = 7;

	assert_int_equal(parse_int("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(parse_int("-9223372036854775808", INT64_MIN, 0, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int("9223372036854775807", 0, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int("9223372036854775808", 0, INT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_int("-9223372036854775809", INT64_MIN, 0, &v), -ERANGE);
	assert_int_equal(parse_int("-11", -10, 10, &v), -ERANGE);
	/* no sign where negatives are not allowed */
	assert_int_equal(parse_int("-5", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("+5", -10, 10, &v), -EINVAL);
	assert_int_equal(parse_int("-", -10, 10, &v), -EINVAL);
	assert_int_equal(parse_int("--5", -10, 10, &v), -EINVAL);
	assert_int_equal(parse_int("- 5", -10, 10, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsigned_numbers),
		cmocka_unit_test(signed_numbers),
	};

	return RUN(tests);
}
