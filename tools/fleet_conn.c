// SPDX-License-Identifier: MIT
/*
 * Connections to the NATS server: URL, credentials, TLS, reconnects; and
 * the names of subjects and streams.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "fleet_conn.h"

const bool fleet_available = true;

uint64_t fleet_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A subject: dot-separated non-empty tokens without blanks; wildcards
 * only where a reader may use them. */
static bool valid_subject(const char *s, bool wildcard_ok)
{
	const char *tok = s;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			return false;
		if ((*s == '*' || *s == '>') && !wildcard_ok)
			return false;
		if (*s == '.') {
			if (s == tok)
				return false;
			tok = s + 1;
		}
	}
	return s != tok;
}

int fleet_parse_url(const char *url, bool wildcard_ok, struct fleet_url *u)
{
	const char *auth, *slash;
	size_t n;

	if (strncmp(url, "nats://", 7) && strncmp(url, "tls://", 6))
		return -1;
	auth = strstr(url, "://") + 3;
	slash = strchr(auth, '/');
	if (!slash || slash == auth)
		return -1;
	n = (size_t)(slash - url);
	if (n >= sizeof(u->server) || strlen(slash + 1) >= sizeof(u->subject))
		return -1;
	memcpy(u->server, url, n);
	u->server[n] = '\0';
	strcpy(u->subject, slash + 1);
	return valid_subject(u->subject, wildcard_ok) ? 0 : -1;
}

void fleet_stream_name(const char *subject, char *out, size_t size)
{
	size_t i = 0;

	snprintf(out, size, "KSCAP_%s", subject);
	for (i = 6; out[i]; i++)
		if (out[i] == '.' || out[i] == '*' || out[i] == '>' || out[i] == '/' ||
		    out[i] == '\\' || out[i] == ' ')
			out[i] = '_';
}

void fleet_token(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = (in[i] == '.' || in[i] == '*' || in[i] == '>' ||
			  (unsigned char)in[i] <= ' ') ? '_' : in[i];
	out[i] = '\0';
}

const char *fleet_shown_url(const char *url, char *buf, size_t size)
{
	const char *auth = strstr(url, "://"), *at, *slash;

	if (!auth)
		return url;
	auth += 3;
	at = strchr(auth, '@');
	slash = strchr(auth, '/');
	if (!at || (slash && slash < at))
		return url;
	/* user:password@ stays out of messages */
	snprintf(buf, size, "%.*s***@%s", (int)(auth - url), url, at + 1);
	return buf;
}

void fleet_nats_error(const char *what, natsStatus s, jsErrCode jerr)
{
	const char *last = nats_GetLastError(NULL);

	if (jerr)
		fprintf(stderr, "scapdump: %s: %s (JetStream error %d)\n", what,
			last && *last ? last : natsStatus_GetText(s), (int)jerr);
	else
		fprintf(stderr, "scapdump: %s: %s\n", what,
			last && *last ? last : natsStatus_GetText(s));
}

static void on_disconnected(natsConnection *nc, void *closure)
{
	(void)closure;
	if (natsConnection_IsClosed(nc) || natsConnection_IsDraining(nc))
		return;		/* our own close */
	fputs("scapdump: nats: disconnected from the server, reconnecting\n", stderr);
}

/* A server that was not there at the start has come. */
static void on_connected(natsConnection *nc, void *closure)
{
	(void)nc;
	(void)closure;
	fputs("scapdump: nats: connected\n", stderr);
}

static void on_reconnected(natsConnection *nc, void *closure)
{
	(void)nc;
	(void)closure;
	fputs("scapdump: nats: reconnected\n", stderr);
}

/* nats.c reports a permissions violation here, not to the publisher,
 * which would otherwise wait for an acknowledgement that never comes. */
static void on_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *closure)
{
	volatile int *denied = closure;

	(void)nc;
	(void)sub;
	if (err == NATS_NOT_PERMITTED && denied)
		*denied = 1;
}

static natsStatus set_security(natsOptions *o, const struct fleet_opts *fo, const char *server)
{
	natsStatus s = NATS_OK;

	if (fo->creds)
		s = natsOptions_SetUserCredentialsFromFiles(o, fo->creds, NULL);
	if (s == NATS_OK && (fo->tls_ca || fo->tls_cert || !strncmp(server, "tls://", 6)))
		s = natsOptions_SetSecure(o, true);
	if (s == NATS_OK && fo->tls_ca)
		s = natsOptions_LoadCATrustedCertificates(o, fo->tls_ca);
	if (s == NATS_OK && fo->tls_cert)
		s = natsOptions_LoadCertificatesChain(o, fo->tls_cert, fo->tls_key);
	return s;
}

natsStatus fleet_connect(const struct fleet_opts *fo, const char *server, bool retry,
			 volatile int *denied, natsConnection **nc)
{
	natsOptions *o = NULL;
	natsStatus s = natsOptions_Create(&o);

	if (s == NATS_OK)
		s = natsOptions_SetURL(o, server);
	if (s == NATS_OK)
		s = set_security(o, fo, server);
	/* Forever, every 250 ms: a fleet outlives server restarts. What is
	 * sent while disconnected waits in a small buffer of nats.c's; ours
	 * (--nats-buffer) holds the rest. */
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(o, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(o, 250);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectBufSize(o, 1 << 20);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(o, 2000);
	/* With a callback: without one, nats.c's connect would block until
	 * a server came, and the rings would not be read meanwhile. */
	if (s == NATS_OK && retry)
		s = natsOptions_SetRetryOnFailedConnect(o, true, on_connected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(o, on_disconnected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(o, on_reconnected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetErrorHandler(o, on_error, (void *)denied);
	if (s == NATS_OK)
		s = natsConnection_Connect(nc, o);
	/* not there yet: nats.c goes on trying in the background */
	if (s == NATS_NOT_YET_CONNECTED)
		s = NATS_OK;
	natsOptions_Destroy(o);
	return s;
}
