// SPDX-License-Identifier: MIT
/*
 * Errors: negative errno values everywhere, plus one message per thread
 * that says what exactly failed. The library never prints.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

static __thread char last_error[512];

int kscap__fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}

const char *kscap_last_error(void)
{
	return last_error;
}

const char *kscap_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}
