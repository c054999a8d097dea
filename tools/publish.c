// SPDX-License-Identifier: MIT
/*
 * scapdump --publish: the events writer writes into a staging buffer
 * (a custom stdio stream); whole blocks are cut into batches, queued in
 * a bounded local buffer, and sent by a thread of their own, so that a
 * slow or absent server never holds up the rings: a batch that does not
 * fit the buffer is dropped, counted, and reported at exit.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fleet_conn.h"

#define BATCH_BYTES	(256U << 10)	/* a batch is sent once this big */
#define BATCH_MAX	(512U << 10)	/* and never bigger (JetStream: 1 MiB) */
#define BATCH_MS	200		/* or once its first event is this old */
#define STATE_MS	60000		/* a fresh state this often */
#define LINGER_MS	5000		/* at exit, wait this long for the server */
#define RETRY_MS	250

struct pmsg {
	struct pmsg *next;
	bool state;
	uint8_t *data;
	size_t len;
	uint64_t events, id;
};

struct publisher {
	const struct fleet_opts *fo;
	natsConnection *nc;
	jsCtx *js;
	char subject[600], prefix[256], stream[300], run_id[320];
	FILE *f;			/* the writer's stream into stage */
	uint8_t *stage;
	size_t stage_len, stage_cap;
	uint64_t last_flush_ms, last_state_ms;

	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pmsg *head, **tail;	/* the local buffer */
	uint64_t queued, next_id, state_seq, deadline_ms;
	bool closing, stream_ok, down, need_state;
	volatile int denied;		/* the server said: not permitted */
	unsigned int ensure_fails;

	/* counted under mu */
	uint64_t sent_msgs, sent_events, sent_bytes;
	uint64_t drop_batches, drop_events, rejected_events, unsent_events;
};

static uint64_t count_events(const uint8_t *p, size_t len)
{
	uint64_t n = 0;
	size_t off = 0;

	while (len - off >= 12) {
		uint32_t type, blen;

		memcpy(&type, p + off, 4);
		memcpy(&blen, p + off + 4, 4);
		if (blen < 12 || blen > len - off)
			break;
		n += FLEET_IS_EVENT_BLOCK(type);
		off += blen;
	}
	return n;
}

/* Into the local buffer, or dropped and counted if it is full. */
static void enqueue(struct publisher *p, bool state, const uint8_t *data, size_t len)
{
	struct pmsg *m = calloc(1, sizeof(*m));
	uint64_t events = count_events(data, len);

	if (m)
		m->data = malloc(len);
	pthread_mutex_lock(&p->mu);
	if (!m || !m->data || p->queued + len > p->fo->buffer) {
		p->drop_batches++;
		p->drop_events += events;
		p->need_state = true;	/* what was dropped may have changed threads */
		pthread_mutex_unlock(&p->mu);
		if (m)
			free(m->data);
		free(m);
		return;
	}
	memcpy(m->data, data, len);
	m->len = len;
	m->state = state;
	m->events = events;
	m->id = ++p->next_id;
	*p->tail = m;
	p->tail = &m->next;
	p->queued += len;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* The whole blocks staged so far, as batches of at most BATCH_MAX. */
static void seal(struct publisher *p)
{
	size_t off = 0, start = 0;

	while (p->stage_len - off >= 8) {
		uint32_t blen;

		memcpy(&blen, p->stage + off + 4, 4);
		if (blen < 12 || blen > p->stage_len - off)
			break;		/* a block larger than the writer's buffer: rest to come */
		if (off > start && off + blen - start > BATCH_MAX) {
			enqueue(p, false, p->stage + start, off - start);
			start = off;
		}
		off += blen;
	}
	if (off > start)
		enqueue(p, false, p->stage + start, off - start);
	memmove(p->stage, p->stage + off, p->stage_len - off);
	p->stage_len -= off;
}

static ssize_t stage_write(void *cookie, const char *buf, size_t n)
{
	struct publisher *p = cookie;

	if (p->stage_len + n > p->stage_cap) {
		size_t cap = (p->stage_len + n) * 2;
		uint8_t *nb = realloc(p->stage, cap);

		if (!nb) {
			errno = ENOMEM;
			return -1;
		}
		p->stage = nb;
		p->stage_cap = cap;
	}
	memcpy(p->stage + p->stage_len, buf, n);
	p->stage_len += n;
	if (p->stage_len >= BATCH_BYTES)
		seal(p);
	return (ssize_t)n;
}

static natsStatus add_stream(struct publisher *p)
{
	char subjects[300];
	const char *list[1] = { subjects };
	jsStreamConfig cfg;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;

	snprintf(subjects, sizeof(subjects), "%s.>", p->prefix);
	jsStreamConfig_Init(&cfg);
	cfg.Name = p->stream;
	cfg.Subjects = list;
	cfg.SubjectsLen = 1;
	cfg.Storage = js_FileStorage;
	cfg.Discard = js_DiscardOld;
	/* A week or 1 GiB, whichever comes first; 2 minutes to recognise
	 * a batch sent again after a lost acknowledgement. */
	cfg.MaxAge = 7LL * 24 * 3600 * 1000000000LL;
	cfg.Duplicates = 120LL * 1000000000LL;
	/* A server with less room than that (a small disk, its own limits)
	 * refuses the stream: ask for less, down to 64 MiB. */
	for (cfg.MaxBytes = 1LL << 30;; cfg.MaxBytes /= 2) {
		jerr = 0;
		s = js_AddStream(&si, p->js, &cfg, NULL, &jerr);
		jsStreamInfo_Destroy(si);
		si = NULL;
		if (s == NATS_OK || !jerr || cfg.MaxBytes <= 64LL << 20)
			break;
	}
	if (s == NATS_OK && cfg.MaxBytes < 1LL << 30)
		fprintf(stderr, "scapdump: stream %s created with %lld MiB at most"
			" (the server refused more)\n", p->stream, (long long)(cfg.MaxBytes >> 20));
	return s;
}

/* The stream, created if it does not exist. A user allowed to publish
 * only may not look streams up: after a few refusals, publish anyway. */
static void ensure_stream(struct publisher *p)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;

	if (natsConnection_Status(p->nc) != NATS_CONN_STATUS_CONNECTED)
		return;
	s = js_GetStreamInfo(&si, p->js, p->stream, NULL, &jerr);
	jsStreamInfo_Destroy(si);
	if (s == NATS_NOT_FOUND)
		s = add_stream(p);
	if (s == NATS_OK) {
		p->stream_ok = true;
	} else if (p->denied || ++p->ensure_fails >= 3) {
		p->denied = 0;
		fleet_nats_error("cannot look up or create the stream (publishing anyway)", s, jerr);
		p->stream_ok = true;
	}
}

/* 0 sent, 1 to retry, -1 refused for good. */
static int send_one(struct publisher *p, struct pmsg *m)
{
	jsPubOptions po;
	jsPubAck *pa = NULL;
	jsErrCode jerr = 0;
	natsMsg *msg = NULL;
	char id[360], seq[24];
	natsStatus s;

	if (!p->stream_ok)
		ensure_stream(p);
	if (!p->stream_ok)
		return 1;
	snprintf(id, sizeof(id), "%s-%" PRIu64, p->run_id, m->id);
	snprintf(seq, sizeof(seq), "%" PRIu64, p->state_seq);
	s = natsMsg_Create(&msg, p->subject, NULL, (const char *)m->data, (int)m->len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(msg, "Nats-Msg-Id", id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(msg, "Kscap-Kind", m->state ? "state" : "events");
	if (s == NATS_OK && !m->state)
		s = natsMsgHeader_Set(msg, "Kscap-State-Seq", seq);
	jsPubOptions_Init(&po);
	po.MaxWait = 2000;
	if (s == NATS_OK)
		s = js_PublishMsg(&pa, p->js, msg, &po, &jerr);
	natsMsg_Destroy(msg);
	if (s == NATS_OK) {
		if (m->state)
			p->state_seq = pa->Sequence;
		jsPubAck_Destroy(pa);
		if (p->down)
			fputs("scapdump: publishing resumed\n", stderr);
		p->down = false;
		return 0;
	}
	if (p->denied) {
		/* a user that may not publish to this subject: retrying
		 * would not change that */
		p->denied = 0;
		fprintf(stderr, "scapdump: publish to %s not permitted: batch dropped\n",
			p->subject);
		return -1;
	}
	if (s == NATS_MAX_PAYLOAD || (jerr && jerr != JSStreamNotFoundErr)) {
		fleet_nats_error("publish refused, batch dropped", s, jerr);
		return -1;
	}
	if (!p->down)
		fleet_nats_error("publish failed, holding batches", s, jerr);
	p->down = true;
	return 1;
}

static void timed_wait(struct publisher *p, uint64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	ts.tv_sec += (time_t)(ms / 1000) + ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

static void *sender(void *arg)
{
	struct publisher *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct pmsg *m;
		int rc;

		while (!p->head && !p->closing)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->head || (p->closing && fleet_now_ms() > p->deadline_ms))
			break;
		m = p->head;
		pthread_mutex_unlock(&p->mu);
		rc = send_one(p, m);
		pthread_mutex_lock(&p->mu);
		if (rc == 1) {
			timed_wait(p, RETRY_MS);
			continue;
		}
		p->head = m->next;
		if (!p->head)
			p->tail = &p->head;
		p->queued -= m->len;
		if (rc == 0) {
			p->sent_msgs++;
			p->sent_events += m->events;
			p->sent_bytes += m->len;
		} else {
			p->rejected_events += m->events;
		}
		free(m->data);
		free(m);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int publisher_open(const struct fleet_opts *fo, struct publisher **out)
{
	static const cookie_io_functions_t io = { .write = stage_write };
	struct publisher *p = calloc(1, sizeof(*p));
	struct fleet_url u;
	char host[256], tok[256];
	natsStatus s;

	*out = NULL;
	if (!p)
		return 1;
	if (fleet_parse_url(fo->publish, false, &u)) {
		char shown[1200];

		fprintf(stderr, "scapdump: invalid --publish URL '%s' (nats://HOST:PORT/SUBJECT)\n",
			fleet_shown_url(fo->publish, shown, sizeof(shown)));
		free(p);
		return 2;
	}
	p->fo = fo;
	p->tail = &p->head;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	memset(host, 0, sizeof(host));
	if (fo->host)
		snprintf(host, sizeof(host), "%s", fo->host);
	else
		gethostname(host, sizeof(host) - 1);
	fleet_token(host, tok, sizeof(tok));
	snprintf(p->prefix, sizeof(p->prefix), "%s", u.subject);
	snprintf(p->subject, sizeof(p->subject), "%s.%s", u.subject, tok);
	fleet_stream_name(u.subject, p->stream, sizeof(p->stream));
	/* Message ids unique to this run, for the server's duplicate check. */
	snprintf(p->run_id, sizeof(p->run_id), "%s-%ld-%" PRIu64, tok, (long)getpid(),
		 (uint64_t)time(NULL));
	p->f = fopencookie(p, "w", io);
	s = p->f ? fleet_connect(fo, u.server, true, &p->denied, &p->nc) : NATS_NO_MEMORY;
	if (s == NATS_OK) {
		jsOptions jo;

		jsOptions_Init(&jo);
		jo.Wait = 2000;
		s = natsConnection_JetStream(&p->js, p->nc, &jo);
	}
	if (s != NATS_OK) {
		char shown[1200];

		fleet_nats_error(fleet_shown_url(fo->publish, shown, sizeof(shown)), s, 0);
		goto fail;
	}
	if (pthread_create(&p->thread, NULL, sender, p)) {
		fputs("scapdump: cannot start the publishing thread\n", stderr);
		goto fail;
	}
	p->last_flush_ms = p->last_state_ms = fleet_now_ms();
	*out = p;
	return 0;
fail:
	jsCtx_Destroy(p->js);
	natsConnection_Destroy(p->nc);
	if (p->f)
		fclose(p->f);
	free(p);
	return 2;
}

int publisher_writer(struct publisher *p, struct kscap_writer **w)
{
	FILE *f = p->f;

	if (kscap_writer_fopen(f, NULL, NULL, w)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		return 1;
	}
	p->f = NULL;	/* the writer's now */
	/* Its section and machine blocks: the state messages carry them. */
	if (kscap_writer_flush(*w))
		return 1;
	p->stage_len = 0;
	return 0;
}

int publisher_state(struct publisher *p, const struct kscap_threads *t, const char *procdir)
{
	struct kscap_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return -1;
	rc = kscap_writer_fopen(f, t, procdir, &w);
	if (rc) {
		fclose(f);
		free(buf);
		return rc;
	}
	rc = kscap_writer_close(w);
	if (!rc) {
		pthread_mutex_lock(&p->mu);
		p->need_state = false;
		pthread_mutex_unlock(&p->mu);
		enqueue(p, true, (const uint8_t *)buf, len);
	}
	free(buf);
	p->last_state_ms = fleet_now_ms();
	return rc;
}

static void flush_batch(struct publisher *p, struct kscap_writer *w)
{
	if (kscap_writer_flush(w))
		fprintf(stderr, "scapdump: publish: %s\n", kscap_last_error());
	seal(p);
	p->last_flush_ms = fleet_now_ms();
}

void publisher_tick(struct publisher *p, struct kscap_writer *w, const struct kscap_threads *t)
{
	uint64_t now = fleet_now_ms();
	bool want_state;

	if (now - p->last_flush_ms < BATCH_MS)
		return;
	flush_batch(p, w);
	pthread_mutex_lock(&p->mu);
	/* after drops, once there is room again */
	want_state = (p->need_state && p->queued < p->fo->buffer / 2) ||
		     now - p->last_state_ms >= STATE_MS;
	pthread_mutex_unlock(&p->mu);
	if (want_state && publisher_state(p, t, NULL))
		fprintf(stderr, "scapdump: publish: state: %s\n", kscap_last_error());
}

uint64_t publisher_dropped(struct publisher *p)
{
	uint64_t n;

	pthread_mutex_lock(&p->mu);
	n = p->drop_events + p->rejected_events + p->unsent_events;
	pthread_mutex_unlock(&p->mu);
	return n;
}

int publisher_close(struct publisher *p, struct kscap_writer *w, uint64_t *dropped)
{
	struct pmsg *m;
	int rc = 0;

	if (w) {
		flush_batch(p, w);
		if (kscap_writer_close(w))
			rc = 1;
	}
	pthread_mutex_lock(&p->mu);
	p->closing = true;
	p->deadline_ms = fleet_now_ms() + LINGER_MS;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	while ((m = p->head)) {
		p->head = m->next;
		p->unsent_events += m->events;
		free(m->data);
		free(m);
	}
	fprintf(stderr, "scapdump: published %" PRIu64 " events in %" PRIu64 " messages (%"
		PRIu64 " bytes) to %s; dropped %" PRIu64 " events (%" PRIu64
		" batches over the local buffer, %" PRIu64 " refused, %" PRIu64
		" unsent at exit)\n", p->sent_events, p->sent_msgs, p->sent_bytes, p->subject,
		p->drop_events + p->rejected_events + p->unsent_events, p->drop_batches,
		p->rejected_events, p->unsent_events);
	if (dropped)
		*dropped = p->drop_events + p->rejected_events + p->unsent_events;
	if (p->nc)
		natsConnection_FlushTimeout(p->nc, 1000);
	jsCtx_Destroy(p->js);
	natsConnection_Destroy(p->nc);
	if (p->f)
		fclose(p->f);
	free(p->stage);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	nats_Close();
	return rc;
}
