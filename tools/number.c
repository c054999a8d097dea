// SPDX-License-Identifier: MIT
/* Strict decimal numbers for the command lines (number.h). */
#include <errno.h>
#include <stdbool.h>
#include "number.h"

/* The digits of @s as a magnitude; -ERANGE past UINT64_MAX. */
static int digits(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int err = digits(s, &v);

	if (err)
		return err;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t mag;
	int64_t v;
	int err;

	if (neg && min >= 0)
		return -EINVAL;
	err = digits(s + neg, &mag);
	if (err)
		return err;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -ERANGE;
		v = (int64_t)mag;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
