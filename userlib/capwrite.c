// SPDX-License-Identifier: MIT
/*
 * Writing capture files: section header, machine information, process
 * list, then one block per event. Every block is complete when written,
 * so a file cut after any block is still a valid capture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "capfmt.h"
#include "internal.h"

/* What fits an event block: 64 KiB less the cpu, the padding and the
 * trailer. */
#define RAW_MAX	(SCAP_MAX_BLOCK_READ - 2 - 3 - 4 - 1)

/* Bytes gathered before they go to the file in one write. */
#define WRITER_BUF	(1U << 20)

struct kscap_writer {
	FILE *f;		/* unbuffered: buf is the buffer */
	int err;		/* first error, sticky */
	uint8_t *scratch;	/* a shortened copy of an oversized event */
	uint8_t *buf;		/* WRITER_BUF bytes */
	size_t used;
	off_t start;		/* the file's offset before the first block;
				 * -1: not a file of ours to cut (cut_partial) */
	uint64_t sent;		/* bytes that reached the file */
	uint64_t whole;		/* of them, those of whole blocks */
	bool in_block;		/* a block larger than buf, going piece by piece */
};

static uint32_t pad4(uint32_t n)
{
	return (4 - (n & 3)) & 3;
}

/*
 * After a failed write (a full disk): the file cut back to its last
 * whole block. A write that fails part way leaves half a block, and a
 * reader would stop there with an error; cut, the file reads back to its
 * end like any file the writer finished.
 */
static void cut_partial(struct kscap_writer *w)
{
	if (w->start >= 0 && w->sent > w->whole &&
	    !ftruncate(fileno(w->f), w->start + (off_t)w->whole))
		w->sent = w->whole;
}

/* Straight to the file (unbuffered): the first error sticks. */
static void write_out(struct kscap_writer *w, const void *p, size_t n)
{
	size_t done;
	int e;

	if (w->err || !n)
		return;
	done = fwrite(p, 1, n, w->f);
	w->sent += done;
	if (done != n) {
		e = errno ? errno : EIO;
		w->err = kscap__fail(-e, "write: %s", strerror(e));
		cut_partial(w);
	}
}

/* The buffer holds whole blocks, but for a large block's pieces. */
static void drain_buf(struct kscap_writer *w)
{
	write_out(w, w->buf, w->used);
	w->used = 0;
	if (!w->err && !w->in_block)
		w->whole = w->sent;
}

/*
 * Writes are gathered in the writer's own buffer: an event block is a
 * few small pieces, and a stdio call per piece cost more than the rest of
 * writing the event together.
 */
static void put(struct kscap_writer *w, const void *p, size_t n)
{
	if (w->err || !n)
		return;
	if (w->used + n > WRITER_BUF)
		drain_buf(w);
	if (n >= WRITER_BUF) {
		write_out(w, p, n);
		return;
	}
	memcpy(w->buf + w->used, p, n);
	w->used += n;
}

static void put32(struct kscap_writer *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

/* One block made of @n pieces. */
static void put_block(struct kscap_writer *w, uint32_t type,
		      const void *const *parts, const size_t *lens, unsigned int n)
{
	static const uint8_t zeros[4];
	uint32_t body = 0, total;
	unsigned int i;
	uint8_t *p;

	for (i = 0; i < n; i++)
		body += (uint32_t)lens[i];
	total = SCAP_BLOCK_OVERHEAD + body + pad4(body);
	if (w->err)
		return;
	if (total > WRITER_BUF) {
		/* Larger than the buffer (process lists): piece by piece. */
		w->in_block = true;
		put32(w, type);
		put32(w, total);
		for (i = 0; i < n; i++)
			put(w, parts[i], lens[i]);
		put(w, zeros, pad4(body));
		put32(w, total);
		w->in_block = false;
		return;
	}
	/* The common case, every event: assembled in the buffer at once. */
	if (w->used + total > WRITER_BUF)
		drain_buf(w);
	p = w->buf + w->used;
	memcpy(p, &type, 4);
	memcpy(p + 4, &total, 4);
	p += 8;
	for (i = 0; i < n; i++) {
		memcpy(p, parts[i], lens[i]);
		p += lens[i];
	}
	memset(p, 0, pad4(body));
	memcpy(p + pad4(body), &total, 4);
	w->used += total;
}

static void write_section(struct kscap_writer *w)
{
	uint8_t body[SCAP_SHB_BODY];
	uint32_t magic = SCAP_SHB_MAGIC;
	uint16_t major = SCAP_VERSION_MAJOR, minor = SCAP_VERSION_MINOR;
	uint64_t section_len = UINT64_MAX;	/* unknown: read to the end */
	const void *parts[] = { body };
	size_t lens[] = { sizeof(body) };

	memcpy(body, &magic, 4);
	memcpy(body + 4, &major, 2);
	memcpy(body + 6, &minor, 2);
	memcpy(body + 8, &section_len, 8);
	put_block(w, SCAP_BT_SECTION, parts, lens, 1);
}

static void write_machine(struct kscap_writer *w)
{
	uint8_t body[SCAP_MACHINE_BODY];
	uint32_t ncpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t mem = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
	/* the numbering the events carry: this machine's, or the file's
	 * being rewritten (the reader set it) */
	uint64_t max_pid = 4194304, arch = kscap_syscall_arch();
	char host[SCAP_HOSTNAME_LEN];
	const void *parts[] = { body };
	size_t lens[] = { sizeof(body) };
	FILE *f;

	memset(body, 0, sizeof(body));
	memset(host, 0, sizeof(host));
	gethostname(host, sizeof(host) - 1);
	f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		unsigned long long v;

		if (fscanf(f, "%llu", &v) == 1)
			max_pid = v;
		fclose(f);
	}
	memcpy(body, &ncpus, 4);
	memcpy(body + 4, &mem, 8);
	memcpy(body + 12, &max_pid, 8);
	memcpy(body + 20, host, sizeof(host));
	memcpy(body + SCAP_MACHINE_ARCH_AT, &arch, 8);
	put_block(w, SCAP_BT_MACHINE, parts, lens, 1);
}

/* A thread of the caller's (kscap_writer_thread) may leave strings NULL. */
static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* One process list entry, V9 layout: it starts with its own length, so
 * readers skip fields they do not know and default those we omit. */
static void proc_entry(struct bbuf *b, const struct kscap_thread *th)
{
	size_t start = b->len;
	uint32_t len;

	BB_PUT(b, uint32_t, 0);			/* entry length, set below */
	BB_PUT(b, uint64_t, th->tid);
	BB_PUT(b, uint64_t, th->pid);
	BB_PUT(b, uint64_t, th->ptid);
	BB_PUT(b, uint64_t, 0);			/* session id */
	BB_PUT(b, uint64_t, 0);			/* process group */
	bb_str(b, th->comm, strlen(th->comm), SCAP_MAX_PATH);
	bb_str(b, or_empty(th->exe), strlen(or_empty(th->exe)), SCAP_MAX_PATH);
	bb_str(b, or_empty(th->exepath), strlen(or_empty(th->exepath)), SCAP_MAX_PATH);
	bb_str(b, or_empty(th->args), th->args ? th->args_len : 0, SCAP_MAX_ARGS);
	bb_str(b, or_empty(th->cwd), strlen(or_empty(th->cwd)), SCAP_MAX_PATH);
	BB_PUT(b, uint64_t, 0);			/* fd limit */
	BB_PUT(b, uint32_t, 0);			/* flags */
	BB_PUT(b, uint32_t, th->uid);
	BB_PUT(b, uint32_t, th->gid);
	BB_PUT(b, uint32_t, 0);			/* vm size, rss, swap (KiB) */
	BB_PUT(b, uint32_t, 0);
	BB_PUT(b, uint32_t, 0);
	BB_PUT(b, uint64_t, 0);			/* major, minor page faults */
	BB_PUT(b, uint64_t, 0);
	bb_str(b, "", 0, 0);			/* environment */
	BB_PUT(b, int64_t, th->tid);		/* vtid, vpid */
	BB_PUT(b, int64_t, th->pid);
	bb_str(b, "", 0, 0);			/* cgroups */
	bb_str(b, "", 0, 0);			/* root */
	BB_PUT(b, int32_t, -1);			/* login uid */
	if (b->oom)
		return;
	len = (uint32_t)(b->len - start);
	memcpy(b->p + start, &len, sizeof(len));
}

static void write_proclist(struct kscap_writer *w, const struct kscap_threads *t)
{
	const struct kscap_thread *th;
	struct bbuf b = { 0 };
	size_t cursor = 0;

	while ((th = kscap_threads_next(t, &cursor)))
		proc_entry(&b, th);
	if (b.oom) {
		w->err = kscap__fail(-ENOMEM, "out of memory");
	} else if (b.len) {
		const void *parts[] = { b.p };
		size_t lens[] = { b.len };

		put_block(w, SCAP_BT_PROCLIST_V9, parts, lens, 1);
	}
	free(b.p);
}

/* A metadata block whose body @b holds; empty bodies are left out. */
static void put_bbuf(struct kscap_writer *w, uint32_t type, struct bbuf *b)
{
	if (b->oom) {
		if (!w->err)
			w->err = kscap__fail(-ENOMEM, "out of memory");
	} else if (b->len) {
		const void *parts[] = { b->p };
		size_t lens[] = { b->len };

		put_block(w, type, parts, lens, 1);
	}
	free(b->p);
	*b = (struct bbuf){ 0 };
}

/* Interfaces and users: what precedes the process list. */
static void write_machine_state(struct kscap_writer *w)
{
	struct bbuf b = { 0 };

	kscap__state_ifaces(&b);
	put_bbuf(w, SCAP_BT_IFLIST_V2, &b);
	kscap__state_users(&b);
	put_bbuf(w, SCAP_BT_USERLIST_V2, &b);
}

/* The open fds of each process of @t (threads share their process's). */
static void write_fdlists(struct kscap_writer *w, const struct kscap_threads *t,
			  const char *procdir)
{
	struct kscap__socks *socks = kscap__socks_new();	/* NULL: no sockets */
	const struct kscap_thread *th;
	struct bbuf b = { 0 };
	size_t cursor = 0;

	while (!w->err && (th = kscap_threads_next(t, &cursor))) {
		if (th->tid != th->pid)
			continue;
		kscap__state_fds(&b, procdir, th->pid, socks);
		put_bbuf(w, SCAP_BT_FDLIST_V2, &b);
	}
	kscap__socks_free(socks);
}

/* The blocks that start a file, on @f (the writer's from now on). */
static int writer_start(FILE *f, const struct kscap_threads *t, const char *procdir,
			struct kscap_writer **out)
{
	struct kscap_writer *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (!w)
		return kscap__fail(-ENOMEM, "out of memory");
	w->f = f;
	w->start = -1;
	w->buf = malloc(WRITER_BUF);
	if (!w->buf) {
		free(w);
		return kscap__fail(-ENOMEM, "out of memory");
	}
	write_section(w);
	write_machine(w);
	if (procdir)
		write_machine_state(w);
	if (t)
		write_proclist(w, t);
	if (t && procdir)
		write_fdlists(w, t, procdir);
	if (w->err) {
		err = w->err;
		free(w->buf);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

static int writer_open(const char *path, const struct kscap_threads *t,
		       const char *procdir, struct kscap_writer **out)
{
	off_t start = -1;
	struct stat st;
	FILE *f;
	int err;

	*out = NULL;
	if (!strcmp(path, "-")) {
		int fd = dup(STDOUT_FILENO);

		f = fd >= 0 ? fdopen(fd, "w") : NULL;
	} else {
		f = fopen(path, "we");
	}
	if (!f)
		return kscap__fail(-errno, "%s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IONBF, 0);	/* the writer's buffer is the buffer */
	/* A regular file opened here, unbuffered (what it holds is what
	 * was written): one that cut_partial() may cut. */
	if (strcmp(path, "-") && !fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		start = ftello(f);
	err = writer_start(f, t, procdir, out);
	if (err) {
		fclose(f);
		return err;
	}
	(*out)->start = start;
	return 0;
}

int kscap_writer_fopen(FILE *f, const struct kscap_threads *t, const char *procdir,
		       struct kscap_writer **out)
{
	return writer_start(f, t, procdir, out);
}

int kscap_writer_open(const char *path, const struct kscap_threads *t,
		      struct kscap_writer **out)
{
	return writer_open(path, t, NULL, out);
}

int kscap_writer_open_state(const char *path, const struct kscap_threads *t,
			    const char *procdir, struct kscap_writer **out)
{
	return writer_open(path, t, procdir ? procdir : "/proc", out);
}

/*
 * The format's readers take at most 64 KiB per event block: cut the data
 * buffers of a larger event (largest first) until it fits.
 */
static const uint8_t *shorten(struct kscap_writer *w, const struct kscap_evt *evt,
			      uint32_t max, uint32_t *len)
{
	uint16_t lens[KSCAP_MAX_PARAMS];
	uint32_t excess = evt->len - max, i, off;
	uint8_t *p;

	for (i = 0; i < evt->nparams; i++)
		lens[i] = evt->params[i].len;
	while (excess) {
		uint32_t big = evt->nparams, cut;

		for (i = 0; i < evt->nparams; i++)
			if (evt->params[i].type == KSCAP_PT_BYTEBUF &&
			    (big == evt->nparams || lens[i] > lens[big]))
				big = i;
		if (big == evt->nparams || !lens[big])
			return NULL;
		cut = excess < lens[big] ? excess : lens[big];
		lens[big] = (uint16_t)(lens[big] - cut);
		excess -= cut;
	}
	if (!w->scratch) {
		w->scratch = malloc(max);
		if (!w->scratch)
			return NULL;
	}
	p = w->scratch;
	memcpy(p, evt->raw, KSCAP_HDR_LEN);
	*len = max;
	memcpy(p + offsetof(struct kscap_evt_hdr, len), len, sizeof(*len));
	off = KSCAP_HDR_LEN + evt->nparams * KSCAP_PARAM_LEN_SIZE;
	for (i = 0; i < evt->nparams; i++) {
		memcpy(p + KSCAP_HDR_LEN + i * KSCAP_PARAM_LEN_SIZE, &lens[i], 2);
		memcpy(p + off, evt->params[i].val, lens[i]);
		off += lens[i];
	}
	return p;
}

int kscap_writer_write(struct kscap_writer *w, const struct kscap_evt *evt,
		       unsigned int cpu)
{
	const uint32_t max = RAW_MAX;
	const uint8_t *raw = evt->raw;
	uint16_t cpu16 = (uint16_t)cpu;
	uint32_t len = evt->len;
	const void *parts[2];
	size_t lens[2];

	if (w->err)
		return w->err;
	if (len > max) {
		raw = shorten(w, evt, max, &len);
		if (!raw)
			return kscap__fail(-E2BIG, "%s event of %u bytes does not fit a capture block",
					   evt->info->name, evt->len);
	}
	parts[0] = &cpu16;
	lens[0] = sizeof(cpu16);
	parts[1] = raw;
	lens[1] = len;
	put_block(w, SCAP_BT_EVENT_V2, parts, lens, 2);
	return w->err;
}

/*
 * @len bytes from @src to @dst: the sizes events have most (16 to 64
 * bytes) by two to four 16-byte moves, the last one overlapping, inline;
 * a call to memcpy() costs as much again for so few bytes.
 */
static inline __attribute__((always_inline)) void
copy_event(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	uint8_t a[16], b[16], c[16], d[16];

	if (len < 16 || len > 64) {
		memcpy(dst, src, len);
		return;
	}
	memcpy(a, src, 16);
	memcpy(d, src + len - 16, 16);
	if (len > 32) {
		memcpy(b, src + 16, 16);
		memcpy(dst + 16, b, 16);
	}
	if (len > 48) {
		memcpy(c, src + 32, 16);
		memcpy(dst + 32, c, 16);
	}
	memcpy(dst, a, 16);
	memcpy(dst + len - 16, d, 16);
}

/* One event block at @p, assembled in place; its length. */
static inline __attribute__((always_inline)) uint32_t
frame_raw(uint8_t *p, const uint8_t *ev, uint32_t len, unsigned int cpu)
{
	const uint32_t type = SCAP_BT_EVENT_V2;
	uint16_t cpu16 = (uint16_t)cpu;
	uint32_t body = (uint32_t)sizeof(cpu16) + len;
	uint32_t total = SCAP_BLOCK_OVERHEAD + body + pad4(body);

	memcpy(p, &type, 4);
	memcpy(p + 4, &total, 4);
	memcpy(p + 8, &cpu16, 2);
	copy_event(p + 10, ev, len);
	memset(p + 8 + body, 0, 4);	/* the padding, at most 3 bytes */
	memcpy(p + total - 4, &total, 4);
	return total;
}

/*
 * The copy path (scapdump -w): one block assembled in place, the event's
 * bytes copied once from the ring into the buffer.
 */
int kscap_writer_write_raw(struct kscap_writer *w, const void *ev, unsigned int cpu)
{
	uint32_t len;

	if (w->err)
		return w->err;
	len = ld32((const uint8_t *)ev + offsetof(struct kscap_evt_hdr, len));
	if (len > RAW_MAX) {
		/* rare: decoded, to shorten its data buffers */
		struct kscap_evt evt;
		int err = kscap_evt_parse(ev, len, &evt);

		return err ? err : kscap_writer_write(w, &evt, cpu);
	}
	if (w->used + SCAP_BLOCK_OVERHEAD + 2 + len + 3 > WRITER_BUF) {
		drain_buf(w);
		if (w->err)
			return w->err;
	}
	w->used += frame_raw(w->buf + w->used, ev, len, cpu);
	return 0;
}

/*
 * A batch in one tight loop: no call, no error check per event. Returns
 * how many events were too large for a block (skipped, as
 * kscap_writer_write_raw() returns -E2BIG for one), or -errno.
 */
int kscap_writer_write_raw_batch(struct kscap_writer *w, const struct kscap_evt_hdr *const *evs,
				 const unsigned int *cpus, unsigned int n)
{
	size_t used = w->used;
	unsigned int i;
	int big = 0, rc;

	if (w->err)
		return w->err;
	for (i = 0; i < n; i++) {
		const uint8_t *ev = (const uint8_t *)evs[i];
		uint32_t len = ld32(ev + offsetof(struct kscap_evt_hdr, len));

		if (__builtin_expect(used + SCAP_BLOCK_OVERHEAD + 2 + len + 3 > WRITER_BUF ||
				     len > RAW_MAX, 0)) {
			w->used = used;
			rc = kscap_writer_write_raw(w, ev, cpus[i]);
			if (rc == -E2BIG)
				big++;
			else if (rc)
				return rc;
			used = w->used;
			continue;
		}
		used += frame_raw(w->buf + used, ev, len, cpus[i]);
	}
	w->used = used;
	return big;
}

int kscap_writer_thread(struct kscap_writer *w, const struct kscap_thread *th)
{
	struct bbuf b = { 0 };

	if (w->err)
		return w->err;
	proc_entry(&b, th);
	put_bbuf(w, SCAP_BT_PROCLIST_V9, &b);
	return w->err;
}

int kscap_writer_flush(struct kscap_writer *w)
{
	drain_buf(w);
	if (!w->err && fflush(w->f))
		w->err = kscap__fail(-errno, "write: %s", strerror(errno));
	return w->err;
}

int kscap_writer_close(struct kscap_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = kscap_writer_flush(w);	/* also kept in w->err */
	if (fclose(w->f) && !w->err)
		w->err = kscap__fail(-errno, "close: %s", strerror(errno));
	err = w->err;
	free(w->scratch);
	free(w->buf);
	free(w);
	return err;
}
