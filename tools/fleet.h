/* SPDX-License-Identifier: MIT */
/*
 * Fleet mode: scapdump publishes its events to a NATS JetStream stream
 * (--publish) or reads such a stream back (--subscribe).
 *
 * On the wire, every message is a run of capture-format blocks on the
 * subject PREFIX.HOST, with a header Kscap-Kind: "state" (section,
 * machine, process list...: what a reader opens) or "events" (event
 * blocks only). An events message names the stream sequence of the state
 * message it follows (Kscap-State-Seq), so that a reader that resumes
 * mid-stream finds the state it needs.
 */
#ifndef KSCAP_FLEET_H
#define KSCAP_FLEET_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "kscap/libkscap.h"

struct fleet_opts {
	const char *publish, *subscribe;	/* nats://HOST:PORT/SUBJECT */
	const char *creds, *tls_ca, *tls_cert, *tls_key;
	const char *durable;		/* consumer name; NULL: derived */
	const char *host;		/* --nats-host: this host's name */
	const char *hosts[32];		/* --host filters */
	unsigned int nhosts;
	uint64_t buffer;		/* bytes held while the server lags */
	uint64_t wait_s;		/* --nats-wait: stop after idle seconds */
};

/* Whether this scapdump was built with NATS support. */
extern const bool fleet_available;

struct publisher;

/* Connect (in the background if the server is not there yet), make sure
 * the stream exists, start the sending thread. 0 or an exit status. */
int publisher_open(const struct fleet_opts *fo, struct publisher **out);
/* The writer of the events: what it writes is published in batches. */
int publisher_writer(struct publisher *p, struct kscap_writer **w);
/* A state message (section, machine, process list of @t, and with
 * @procdir interfaces, users, fds) queued ahead of what follows. */
int publisher_state(struct publisher *p, const struct kscap_threads *t, const char *procdir);
/* Between events: send a batch that has waited long enough, and a fresh
 * state now and then or after drops. */
void publisher_tick(struct publisher *p, struct kscap_writer *w, const struct kscap_threads *t);
/* The events dropped so far: over the local buffer, refused, and (once
 * closing) unsent. For kscap_report_drops(). */
uint64_t publisher_dropped(struct publisher *p);
/* Send what is left (waiting a few seconds at most), report, free; the
 * final count of dropped events in *dropped if not NULL. */
int publisher_close(struct publisher *p, struct kscap_writer *w, uint64_t *dropped);

/* Where the subscriber's events go: one event of host @host with that
 * host's thread table and a slot of the sink's own for that host (NULL
 * at first; slot_free() at the end); flush() before messages are
 * acknowledged. */
struct fleet_sink {
	void (*event)(void *ctx, const struct kscap_evt *evt, unsigned int cpu,
		      struct kscap_threads *t, const char *host, void **slot);
	int (*flush)(void *ctx);
	void (*slot_free)(void *slot);
	void *ctx;
};
/* Read the stream until *stop, *done or --nats-wait idle seconds; 0 or
 * an exit status. */
int subscribe_run(const struct fleet_opts *fo, const struct fleet_sink *sink,
		  volatile sig_atomic_t *stop, const bool *done);

#endif
