/* SPDX-License-Identifier: MIT */
/*
 * The one number parser of scapdump and scapctl: plain decimal only. No
 * leading or trailing space, no '+', no "0x", a '-' only where negative
 * values are allowed, and the value must lie in the range asked for.
 */
#ifndef KSCAP_TOOLS_NUMBER_H
#define KSCAP_TOOLS_NUMBER_H

#include <stdint.h>

/* 0, or -EINVAL (not a number as above) or -ERANGE (outside min..max). */
int parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif
