/* SPDX-License-Identifier: MIT */
/*
 * What libnl leaves to us: turning the kscap family's attributes into
 * structs. Internal to libkscap; the unit tests call these directly.
 */
#ifndef KSCAP_NL_PARSE_H
#define KSCAP_NL_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "kscap/libkscap.h"

/* @consumer_drops (if not NULL): KSCAP_NL_UNKNOWN when the nest has none. */
int kscap_nl_parse_counters(struct nlattr *nest, struct kscap_counters *c,
			    uint32_t *cpu, uint64_t *consumer_drops);
int kscap_nl_parse_info(struct nlattr **tb, struct kscap_nl_info *info);
int kscap_nl_parse_stats(struct nlmsghdr *nlh, struct kscap_nl_stats *st);
const char *kscap_nl_parse_extack(const struct nlmsghdr *nlh, char *buf, size_t size);

#endif /* KSCAP_NL_PARSE_H */
