/* SPDX-License-Identifier: MIT */
/*
 * Syscall latency: remember each thread's last enter event, and match it
 * with the exit of the same syscall on the same thread.
 */
#ifndef SCAPDUMP_LATENCY_H
#define SCAPDUMP_LATENCY_H

#include <stdint.h>
#include "kscap/libkscap.h"

struct latency;

struct latency *latency_new(void);
void latency_free(struct latency *l);
/*
 * Feed one event. For an exit event whose enter was seen, stores the time
 * between them in @ns and returns 1; else returns 0.
 */
int latency_feed(struct latency *l, const struct kscap_evt *evt, uint64_t *ns);

#endif
