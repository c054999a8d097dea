// SPDX-License-Identifier: MIT
/*
 * scapdump --subscribe: a durable pull consumer on the stream. Each host
 * has a capture reader fed, through a custom stdio stream, with the
 * messages of its subject: a state message opens a new reader, events
 * messages follow it. The hosts' next events are merged by time; a
 * message is acknowledged once all it held is out (and flushed), so a
 * consumer stopped and started again resumes after the last event shown.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleet_conn.h"

#define FETCH_BATCH	8	/* messages of up to 512 KiB */
#define FETCH_MS	250
#define HOLD_MAX	512	/* messages held for the merge; then out they go */
#define HOLD_BYTES	(64U << 20)	/* or bytes */
#define MAX_HOSTS	1024
#define REPLAY_MAX	20000	/* messages between a state and a resume point */

struct smsg {
	struct smsg *next;
	natsMsg *msg;		/* NULL: not ours to acknowledge */
	const uint8_t *data;
	size_t len, off;
	bool state;
	uint64_t seq;		/* in the stream */
	uint64_t state_seq;	/* of an events message */
};

struct host {
	char name[256], subject[600];
	struct smsg *head, **tail;	/* not yet read */
	struct smsg *done, **done_tail;	/* read by the reader, not yet out */
	uint8_t *state;			/* the last state message's blocks, and on a
					 * resume the events up to the resume point */
	size_t state_len, state_off;	/* state_off: read by the reader */
	uint64_t live_read;		/* bytes of messages read since */
	FILE *f;
	struct kscap_reader *rd;
	bool has_evt;
	struct kscap_evt evt;
	unsigned int cpu;
	void *slot;			/* the sink's */
};

struct sub {
	const struct fleet_opts *fo;
	const struct fleet_sink *sink;
	jsCtx *js;
	char stream[300], prefix[256];
	struct host *hosts[MAX_HOSTS];
	unsigned int nhosts, held;
	uint64_t held_bytes;
	struct smsg *acks, **acks_tail;	/* out: to acknowledge */
	uint64_t max_seq;		/* highest stream sequence taken */
	uint64_t bad_msgs;
	int status;
};

static void take_msg(struct smsg **head, struct smsg ***tail, struct smsg *m)
{
	m->next = NULL;
	**tail = m;
	*tail = &m->next;
}

static struct smsg *pop(struct smsg **head, struct smsg ***tail)
{
	struct smsg *m = *head;

	*head = m->next;
	if (!*head)
		*tail = head;
	return m;
}

/* The reader's stream: the state blocks, then events messages up to
 * the next state message. */
static ssize_t host_read(void *cookie, char *buf, size_t size)
{
	struct host *h = cookie;
	size_t n = 0;

	while (n < size) {
		struct smsg *m = h->head;
		size_t k;

		if (h->state_off < h->state_len) {
			k = h->state_len - h->state_off;
			k = k < size - n ? k : size - n;
			memcpy(buf + n, h->state + h->state_off, k);
			h->state_off += k;
			n += k;
			continue;
		}
		if (!m || m->state)
			break;
		k = m->len - m->off < size - n ? m->len - m->off : size - n;
		memcpy(buf + n, m->data + m->off, k);
		m->off += k;
		n += k;
		h->live_read += k;
		if (m->off == m->len)
			take_msg(&h->done, &h->done_tail, pop(&h->head, &h->tail));
	}
	return (ssize_t)n;
}

static void set_state(struct host *h, const void *data, size_t len)
{
	free(h->state);
	h->state = malloc(len ? len : 1);
	h->state_len = h->state ? len : 0;
	if (h->state)
		memcpy(h->state, data, len);
}

static void add_state(struct host *h, const void *data, size_t len)
{
	uint8_t *p = realloc(h->state, h->state_len + len);

	if (!p)
		return;		/* the threads will be named less well */
	memcpy(p + h->state_len, data, len);
	h->state = p;
	h->state_len += len;
}

/* The events of the host between its state message @seq and the first
 * message this run gets (@first): read by the reader for their thread
 * changes only (already shown by an earlier run). */
static void replay_events(struct sub *s, struct host *h, uint64_t seq, uint64_t first)
{
	uint64_t q;

	if (first > seq + REPLAY_MAX) {
		fprintf(stderr, "scapdump: %s: %" PRIu64 " messages since the last state:"
			" threads named from that state\n", h->name, first - seq);
		return;
	}
	for (q = seq + 1; q < first; q++) {
		const char *kind = NULL;
		jsErrCode jerr = 0;
		natsMsg *m = NULL;

		if (js_GetMsg(&m, s->js, s->stream, q, NULL, &jerr) != NATS_OK)
			continue;	/* deleted, or another host's */
		natsMsgHeader_Get(m, "Kscap-Kind", &kind);
		if (!strcmp(natsMsg_GetSubject(m), h->subject) && kind && !strcmp(kind, "events"))
			add_state(h, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m));
		natsMsg_Destroy(m);
	}
}

/* A host met mid-stream (a consumer resumed): the state its events
 * follow, from the stream; failing that, a bare header. */
static void find_state(struct sub *s, struct host *h, uint64_t seq)
{
	natsMsg *m = NULL;
	jsErrCode jerr = 0;
	struct kscap_writer *w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (seq && js_GetMsg(&m, s->js, s->stream, seq, NULL, &jerr) == NATS_OK) {
		set_state(h, natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m));
		natsMsg_Destroy(m);
		replay_events(s, h, seq, h->head->seq);
		return;
	}
	fprintf(stderr, "scapdump: %s: state message %" PRIu64 " not in the stream;"
		" threads named as their events go\n", h->name, seq);
	f = open_memstream(&buf, &len);
	if (f && !kscap_writer_fopen(f, NULL, NULL, &w)) {
		if (!kscap_writer_close(w))
			set_state(h, buf, len);
	} else if (f) {
		fclose(f);
	}
	free(buf);
}

static void close_reader(struct host *h)
{
	kscap_reader_close(h->rd);	/* closes h->f */
	h->rd = NULL;
	h->f = NULL;
}

static int open_reader(struct sub *s, struct host *h)
{
	static const cookie_io_functions_t io = { .read = host_read };

	if (h->head && h->head->state) {
		struct smsg *m = pop(&h->head, &h->tail);

		set_state(h, m->data, m->len);
		take_msg(&s->acks, &s->acks_tail, m);
	} else if (!h->state) {
		find_state(s, h, h->head->state_seq);
	}
	if (!h->state)
		return -1;
	h->state_off = 0;
	h->live_read = 0;
	h->f = fopencookie(h, "r", io);
	if (!h->f)
		return -1;
	/* Unbuffered: the reader takes block by block, so we know whether
	 * an event came from the state or from the messages. */
	setvbuf(h->f, NULL, _IONBF, 0);
	if (kscap_reader_fopen(h->f, h->name, &h->rd)) {
		fprintf(stderr, "scapdump: %s: %s\n", h->name, kscap_last_error());
		fclose(h->f);
		h->f = NULL;
		free(h->state);
		h->state = NULL;
		s->bad_msgs++;
		return -1;
	}
	return 0;
}

/* The host's next event into h->evt, if its messages hold one. */
static void advance(struct sub *s, struct host *h)
{
	h->has_evt = false;
	for (;;) {
		int rc;

		if (!h->rd) {
			if (!h->head || open_reader(s, h))
				return;
		}
		clearerr(h->f);
		rc = kscap_reader_next(h->rd, &h->evt, &h->cpu);
		if (rc > 0 && !h->live_read) {
			/* replayed for its thread changes: shown before */
			kscap_threads_update(kscap_reader_threads(h->rd), &h->evt);
			continue;
		}
		if (rc > 0) {
			h->has_evt = true;
			return;
		}
		if (rc < 0) {
			/* a corrupt message: said, counted, stepped over */
			fprintf(stderr, "scapdump: %s: %s\n", h->name, kscap_last_error());
			s->bad_msgs++;
			if (h->head && h->head->off)
				take_msg(&h->done, &h->done_tail, pop(&h->head, &h->tail));
		}
		/* all it was given is out: done with those messages */
		while (h->done) {
			struct smsg *m = pop(&h->done, &h->done_tail);

			s->held--;
			s->held_bytes -= m->len;
			take_msg(&s->acks, &s->acks_tail, m);
		}
		if (rc < 0 || (h->head && h->head->state))
			close_reader(h);
		else
			return;
	}
}

static struct host *host_of(struct sub *s, const char *subject)
{
	size_t n = strlen(s->prefix);
	const char *name = subject;
	struct host *h;
	unsigned int i;

	if (!strncmp(subject, s->prefix, n) && subject[n] == '.')
		name = subject + n + 1;
	for (i = 0; i < s->nhosts; i++)
		if (!strcmp(s->hosts[i]->name, name))
			return s->hosts[i];
	if (s->nhosts == MAX_HOSTS)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->subject, sizeof(h->subject), "%s", subject);
	h->tail = &h->head;
	h->done_tail = &h->done;
	s->hosts[s->nhosts++] = h;
	return h;
}

static bool host_wanted(const struct fleet_opts *fo, const char *name)
{
	unsigned int i;

	for (i = 0; i < fo->nhosts; i++)
		if (!strcmp(fo->hosts[i], name))
			return true;
	return !fo->nhosts;
}

static void feed(struct sub *s, natsMsg *msg)
{
	jsMsgMetaData *meta = NULL;
	struct smsg *m = calloc(1, sizeof(*m));
	const char *kind = NULL, *seq = NULL;
	struct host *h = m ? host_of(s, natsMsg_GetSubject(msg)) : NULL;

	if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
		/* delivered again while we hold it: the first copy counts */
		if (meta->Sequence.Stream <= s->max_seq) {
			jsMsgMetaData_Destroy(meta);
			natsMsg_Destroy(msg);
			free(m);
			return;
		}
		s->max_seq = meta->Sequence.Stream;
		if (m)
			m->seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
	if (!h) {
		fputs("scapdump: out of memory or too many hosts\n", stderr);
		s->status = 1;
		natsMsg_Destroy(msg);
		free(m);
		return;
	}
	m->msg = msg;
	m->data = (const uint8_t *)natsMsg_GetData(msg);
	m->len = (size_t)natsMsg_GetDataLength(msg);
	natsMsgHeader_Get(msg, "Kscap-Kind", &kind);
	natsMsgHeader_Get(msg, "Kscap-State-Seq", &seq);
	m->state = kind && !strcmp(kind, "state");
	m->state_seq = seq ? strtoull(seq, NULL, 10) : 0;
	if (!host_wanted(s->fo, h->name) || !m->len) {
		take_msg(&s->acks, &s->acks_tail, m);	/* not for us */
		return;
	}
	take_msg(&h->head, &h->tail, m);
	s->held++;
	s->held_bytes += m->len;
	if (!h->has_evt)
		advance(s, h);
}

/* Events out in time order: while every host has its next one at hand,
 * or (@all) as far as they go. */
static void emit(struct sub *s, bool all, const bool *done)
{
	while (!*done) {
		struct host *min = NULL;
		unsigned int i;

		for (i = 0; i < s->nhosts; i++) {
			struct host *h = s->hosts[i];

			if (!h->has_evt && h->head)
				advance(s, h);
			if (!h->has_evt && !all && host_wanted(s->fo, h->name))
				return;
			if (h->has_evt && (!min || h->evt.ts < min->evt.ts))
				min = h;
		}
		if (!min)
			return;
		s->sink->event(s->sink->ctx, &min->evt, min->cpu, kscap_reader_threads(min->rd),
			       min->name, &min->slot);
		advance(s, min);
	}
}

static void ack_out(struct sub *s, natsConnection *nc)
{
	struct smsg *m;
	bool any = s->acks != NULL;

	if (any && s->sink->flush(s->sink->ctx))
		return;		/* not written: not acknowledged */
	while (s->acks) {
		m = pop(&s->acks, &s->acks_tail);
		if (m->msg)
			natsMsg_Ack(m->msg, NULL);
		natsMsg_Destroy(m->msg);
		free(m);
	}
	if (any)
		natsConnection_FlushTimeout(nc, 2000);
}

/* Which stream and filter the subject names: PREFIX (all hosts) or
 * PREFIX.HOST. */
static int find_stream(struct sub *s, const char *subject, char *filter, size_t size)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus st;
	char *dot;

	snprintf(s->prefix, sizeof(s->prefix), "%s", subject);
	fleet_stream_name(s->prefix, s->stream, sizeof(s->stream));
	st = js_GetStreamInfo(&si, s->js, s->stream, NULL, &jerr);
	jsStreamInfo_Destroy(si);
	if (st == NATS_OK) {
		snprintf(filter, size, "%s.*", subject);
		return 0;
	}
	dot = strrchr(s->prefix, '.');
	if (st == NATS_NOT_FOUND && dot) {
		*dot = '\0';
		fleet_stream_name(s->prefix, s->stream, sizeof(s->stream));
		st = js_GetStreamInfo(&si, s->js, s->stream, NULL, &jerr);
		jsStreamInfo_Destroy(si);
		snprintf(filter, size, "%s", subject);
		if (st == NATS_OK)
			return 0;
	}
	fleet_nats_error(subject, st, jerr);
	if (st == NATS_NOT_FOUND)
		fprintf(stderr, "scapdump: no stream holds '%s' (has anything been published?)\n",
			subject);
	return -1;
}

static void durable_name(const struct fleet_opts *fo, const char *subject, char *out, size_t size)
{
	char tok[256];
	size_t n;
	unsigned int i;

	if (fo->durable) {
		snprintf(out, size, "%s", fo->durable);
		return;
	}
	fleet_token(subject, tok, sizeof(tok));
	n = (size_t)snprintf(out, size, "scapdump_%s", tok);
	for (i = 0; i < fo->nhosts && n < size; i++) {
		fleet_token(fo->hosts[i], tok, sizeof(tok));
		n += (size_t)snprintf(out + n, size - n, "_%s", tok);
	}
}

static int pull_loop(struct sub *s, natsConnection *nc, natsSubscription *sub,
		     volatile sig_atomic_t *stop, const bool *done)
{
	uint64_t last_msg = fleet_now_ms();

	while (!*stop && !*done && !s->status) {
		natsMsgList list = { 0 };
		jsErrCode jerr = 0;
		natsStatus st = natsSubscription_Fetch(&list, sub, FETCH_BATCH, FETCH_MS, &jerr);
		int i, got = st == NATS_OK ? list.Count : 0;

		if (st == NATS_OK) {
			for (i = 0; i < list.Count; i++) {
				feed(s, list.Msgs[i]);
				list.Msgs[i] = NULL;
			}
			last_msg = fleet_now_ms();
		} else if (st != NATS_TIMEOUT && st != NATS_CONNECTION_DISCONNECTED &&
			   st != NATS_NO_RESPONDERS) {
			fleet_nats_error("fetch", st, jerr);
		}
		natsMsgList_Destroy(&list);
		/* caught up (a short batch): nothing older is on its way */
		emit(s, got < FETCH_BATCH || s->held >= HOLD_MAX || s->held_bytes >= HOLD_BYTES,
		     done);
		ack_out(s, nc);
		if (s->fo->wait_s && fleet_now_ms() - last_msg >= s->fo->wait_s * 1000)
			break;
	}
	emit(s, true, done);	/* what was taken goes out before we stop */
	ack_out(s, nc);
	return s->status;
}

static void free_hosts(struct sub *s)
{
	unsigned int i;

	for (i = 0; i < s->nhosts; i++) {
		struct host *h = s->hosts[i];

		close_reader(h);
		while (h->head)
			take_msg(&s->acks, &s->acks_tail, pop(&h->head, &h->tail));
		while (h->done)
			take_msg(&s->acks, &s->acks_tail, pop(&h->done, &h->done_tail));
		free(h->state);
		if (h->slot)
			s->sink->slot_free(h->slot);
		free(h);
	}
	/* Not out (-n, an error): handed back, for the next run at once
	 * rather than after the acknowledgement wait. */
	while (s->acks) {
		struct smsg *m = pop(&s->acks, &s->acks_tail);

		if (m->msg)
			natsMsg_Nak(m->msg, NULL);
		natsMsg_Destroy(m->msg);
		free(m);
	}
}

int subscribe_run(const struct fleet_opts *fo, const struct fleet_sink *sink,
		  volatile sig_atomic_t *stop, const bool *done)
{
	struct sub s = { .fo = fo, .sink = sink };
	natsConnection *nc = NULL;
	natsSubscription *sub = NULL;
	char filter[300], durable[300];
	jsSubOptions so;
	jsErrCode jerr = 0;
	struct fleet_url u;
	natsStatus st;
	int rc = 2;

	s.acks_tail = &s.acks;
	if (fleet_parse_url(fo->subscribe, false, &u)) {
		char shown[1200];

		fprintf(stderr, "scapdump: invalid --subscribe URL '%s'"
			" (nats://HOST:PORT/SUBJECT[.HOST])\n",
			fleet_shown_url(fo->subscribe, shown, sizeof(shown)));
		return 2;
	}
	st = fleet_connect(fo, u.server, false, NULL, &nc);
	if (st == NATS_OK)
		st = natsConnection_JetStream(&s.js, nc, NULL);
	if (st != NATS_OK) {
		char shown[1200];

		fleet_nats_error(fleet_shown_url(fo->subscribe, shown, sizeof(shown)), st, 0);
		goto out;
	}
	if (find_stream(&s, u.subject, filter, sizeof(filter)))
		goto out;
	durable_name(fo, u.subject, durable, sizeof(durable));
	jsSubOptions_Init(&so);
	so.Stream = s.stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.AckWait = 10LL * 1000000000LL;
	so.Config.MaxAckPending = 4 * HOLD_MAX;
	so.Config.DeliverPolicy = js_DeliverAll;
	st = js_PullSubscribe(&sub, s.js, filter, durable, NULL, &so, &jerr);
	if (st != NATS_OK) {
		fleet_nats_error("subscribe", st, jerr);
		goto out;
	}
	rc = pull_loop(&s, nc, sub, stop, done);
	free_hosts(&s);
	s.nhosts = 0;
	natsConnection_FlushTimeout(nc, 2000);	/* the naks */
	if (s.bad_msgs)
		fprintf(stderr, "scapdump: %" PRIu64 " messages not in the capture format skipped\n",
			s.bad_msgs);
out:
	free_hosts(&s);
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(s.js);
	natsConnection_Destroy(nc);
	nats_Close();
	return rc;
}
