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

/* An event as its header tells it (events read raw, kscap_next_raw()). */
struct latency_ev {
	uint64_t tid, ts;
	uint16_t type;
	uint16_t id;	/* a generic enter's scap code (ID) */
	int32_t nr;	/* and its native number (nativeID); -1 for other events */
};

/*
 * The same as latency_feed(). For an exit, @enter (if not NULL) gets the
 * type, nr and id of the thread's last enter still pending (nr -1, type
 * 0 if none): what names a generic exit, as kscap_threads_evt_name() does.
 */
int latency_feed_ev(struct latency *l, const struct latency_ev *ev, uint64_t *ns,
		    struct latency_ev *enter);

#endif
