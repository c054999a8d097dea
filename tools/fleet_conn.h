/* SPDX-License-Identifier: MIT */
/* What the publisher and the subscriber share: URLs, connections, names. */
#ifndef KSCAP_FLEET_CONN_H
#define KSCAP_FLEET_CONN_H

#include <nats/nats.h>
#include "fleet.h"

/* A nats:// (or tls://) URL cut into the server and the subject. */
struct fleet_url {
	char server[512];
	char subject[256];
};

/* Capture-format block types that hold an event. */
#define FLEET_IS_EVENT_BLOCK(t) ((t) == 0x216U || (t) == 0x217U || (t) == 0x221U || (t) == 0x222U)

int fleet_parse_url(const char *url, bool wildcard_ok, struct fleet_url *u);
/* @subject's stream name: KSCAP_ and the subject, '.' and what stream
 * names may not hold turned into '_'. */
void fleet_stream_name(const char *subject, char *out, size_t size);
/* A subject token from a host name: '.', '*', '>' and blanks become '_'. */
void fleet_token(const char *in, char *out, size_t size);
/* @denied (may be NULL) is set when the server refuses a publish or a
 * subscription as not permitted. */
natsStatus fleet_connect(const struct fleet_opts *fo, const char *server, bool retry,
			 volatile int *denied, natsConnection **nc);
/* @url without its user and password, for messages. */
const char *fleet_shown_url(const char *url, char *buf, size_t size);
void fleet_nats_error(const char *what, natsStatus s, jsErrCode jerr);
uint64_t fleet_now_ms(void);

#endif
