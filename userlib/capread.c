// SPDX-License-Identifier: MIT
/*
 * Reading capture files. Every length in the file is checked against what
 * is really there before it is used: a truncated or corrupt file ends in
 * -EBADMSG and a message that says where and what, never in a crash.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "capfmt.h"
#include "internal.h"

/* Larger blocks are taken for corruption rather than allocated. */
#define MAX_BLOCK	(64U << 20)

struct kscap_reader {
	FILE *f;
	char *path;
	uint8_t *buf;		/* the current block's body */
	size_t cap;
	uint32_t type;		/* of the block in buf */
	uint32_t body;		/* its body length */
	bool pending;		/* buf holds an event block not yet returned */
	uint64_t offset;	/* file offset of the next block */
	struct kscap_threads *threads;
	char hostname[SCAP_HOSTNAME_LEN + 1];
	unsigned int ncpus;
	unsigned int arch;	/* KSCAP_ARCH_*, from the machine block */
	struct kscap_reader_counts counts;
};

static int bad(struct kscap_reader *r, uint64_t at, const char *what)
{
	return kscap__fail(-EBADMSG, "%s: corrupt capture at offset %llu: %s",
			   r->path, (unsigned long long)at, what);
}

/*
 * Read the next block into r->buf. 1: a block, 0: clean end of file (no
 * byte left), <0: error.
 */
static int read_block(struct kscap_reader *r)
{
	uint32_t hdr[2], trailer;
	uint64_t at = r->offset;
	size_t n;

	n = fread(hdr, 1, sizeof(hdr), r->f);
	if (n == 0 && feof(r->f))
		return 0;
	if (n != sizeof(hdr)) {
		if (ferror(r->f))
			return kscap__fail(-EIO, "%s: read error", r->path);
		return bad(r, at, "file truncated in a block header");
	}
	if (hdr[1] < SCAP_BLOCK_OVERHEAD || hdr[1] % 4 || hdr[1] > MAX_BLOCK) {
		char msg[80];

		snprintf(msg, sizeof(msg), "block of type 0x%x has an invalid length %u",
			 hdr[0], hdr[1]);
		return bad(r, at, msg);
	}
	r->type = hdr[0];
	r->body = hdr[1] - SCAP_BLOCK_OVERHEAD;
	if (r->body > r->cap) {
		uint8_t *nb = realloc(r->buf, r->body);

		if (!nb)
			return kscap__fail(-ENOMEM, "out of memory");
		r->buf = nb;
		r->cap = r->body;
	}
	if (fread(r->buf, 1, r->body, r->f) != r->body ||
	    fread(&trailer, 1, sizeof(trailer), r->f) != sizeof(trailer)) {
		if (ferror(r->f))
			return kscap__fail(-EIO, "%s: read error", r->path);
		return bad(r, at, "file truncated inside a block");
	}
	if (trailer != hdr[1])
		return bad(r, at, "block length and trailing length differ");
	r->offset += hdr[1];
	return 1;
}

static int read_section(struct kscap_reader *r)
{
	uint32_t magic;
	uint16_t major;
	int rc = read_block(r);

	if (rc == 0)
		return kscap__fail(-EBADMSG, "%s: empty file, not a capture", r->path);
	if (rc < 0 && r->offset == 0)
		return kscap__fail(-EBADMSG, "%s: not a scap capture file", r->path);
	if (rc < 0)
		return rc;
	if (r->type != SCAP_BT_SECTION || r->body < SCAP_SHB_BODY)
		return kscap__fail(-EBADMSG, "%s: not a scap capture file", r->path);
	memcpy(&magic, r->buf, 4);
	memcpy(&major, r->buf + 4, 2);
	if (magic == SCAP_SHB_MAGIC_SWAPPED)
		return kscap__fail(-EBADMSG, "%s: big-endian captures are not supported", r->path);
	if (magic != SCAP_SHB_MAGIC)
		return kscap__fail(-EBADMSG, "%s: bad section magic 0x%08x", r->path, magic);
	if (major != SCAP_VERSION_MAJOR)
		return kscap__fail(-EBADMSG, "%s: capture format version %u is not supported",
				   r->path, major);
	return 0;
}

static void read_machine(struct kscap_reader *r)
{
	uint64_t arch;

	if (r->body < SCAP_MACHINE_BODY)
		return;
	memcpy(&r->ncpus, r->buf, 4);
	memcpy(r->hostname, r->buf + 20, SCAP_HOSTNAME_LEN);
	r->hostname[SCAP_HOSTNAME_LEN] = '\0';
	memcpy(&arch, r->buf + SCAP_MACHINE_ARCH_AT, 8);
	if (arch)
		r->arch = (unsigned int)arch;
}

/* A bounded cursor over a block's bytes. */
struct cur {
	const uint8_t *p, *end;
	bool bad;
};

static const uint8_t *take(struct cur *c, size_t n)
{
	const uint8_t *p = c->p;

	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t take64(struct cur *c)
{
	const uint8_t *p = take(c, 8);

	return p ? ld64(p) : 0;
}

static uint32_t take32(struct cur *c)
{
	const uint8_t *p = take(c, 4);

	return p ? ld32(p) : 0;
}

/* A u16-prefixed string, copied NUL-terminated into @dst (@size bytes). */
static size_t take_str(struct cur *c, char *dst, size_t size)
{
	const uint8_t *p = take(c, 2);
	uint16_t n = p ? ld16(p) : 0;
	const uint8_t *s = take(c, n);
	size_t k = n < size - 1 ? n : size - 1;

	if (!s)
		k = 0;
	else
		memcpy(dst, s, k);
	dst[k] = '\0';
	return k;
}

static int read_proclist(struct kscap_reader *r, uint64_t at)
{
	char comm[SCAP_MAX_PATH + 1], exe[SCAP_MAX_PATH + 1], exepath[SCAP_MAX_PATH + 1];
	char args[SCAP_MAX_ARGS + 1], cwd[SCAP_MAX_PATH + 1];
	const uint8_t *p = r->buf, *end = r->buf + r->body;

	/* Entries, then fewer than 4 bytes of padding. */
	while (end - p >= 4) {
		uint32_t len = ld32(p);
		struct cur c = { p + 4, p + len, false };
		struct kscap_thread th;
		int err;

		if (len < 4 || len > (size_t)(end - p))
			return bad(r, at, "process list entry length out of bounds");
		memset(&th, 0, sizeof(th));
		th.tid = (int64_t)take64(&c);
		th.pid = (int64_t)take64(&c);
		th.ptid = (int64_t)take64(&c);
		take64(&c);			/* session id */
		take64(&c);			/* process group */
		take_str(&c, comm, sizeof(comm));
		take_str(&c, exe, sizeof(exe));
		take_str(&c, exepath, sizeof(exepath));
		th.args_len = take_str(&c, args, sizeof(args));
		take_str(&c, cwd, sizeof(cwd));
		take64(&c);			/* fd limit */
		take32(&c);			/* flags */
		th.uid = take32(&c);
		th.gid = take32(&c);
		if (c.bad)
			return bad(r, at, "process list entry cut short");
		/* The rest (memory, environment, namespaces...) we do not use. */
		memcpy(th.comm, comm, KSCAP_COMM_LEN);
		th.comm[KSCAP_COMM_LEN] = '\0';
		th.exe = exe;
		th.exepath = exepath;
		th.cwd = cwd;
		th.args = args;
		err = kscap_threads_add(r->threads, &th);
		if (err)
			return err;
		p += len;
	}
	return 0;
}

static bool is_event_block(uint32_t type)
{
	return type == SCAP_BT_EVENT_V2 || type == SCAP_BT_EVENT_FLAGS_V2 ||
	       type == SCAP_BT_EVENT_V2_LARGE || type == SCAP_BT_EVENT_FLAGS_V2_LARGE;
}

static bool has_flags(uint32_t type)
{
	return type == SCAP_BT_EVENT_FLAGS_V2 || type == SCAP_BT_EVENT_FLAGS_V2_LARGE;
}

/* u32 parameter lengths */
static bool is_large(uint32_t type)
{
	return type == SCAP_BT_EVENT_V2_LARGE || type == SCAP_BT_EVENT_FLAGS_V2_LARGE;
}

/* Blocks we know and leave unread: their state is not needed to show
 * events (fds, interfaces, users and groups). Any other type is counted. */
static bool is_known_block(uint32_t type)
{
	switch (type) {
	case SCAP_BT_MACHINE:
	case SCAP_BT_PROCLIST_V9:
	case SCAP_BT_FDLIST: case SCAP_BT_FDLIST_V2:
	case SCAP_BT_IFLIST: case SCAP_BT_IFLIST_V2:
	case SCAP_BT_USERLIST: case SCAP_BT_USERLIST_V2:
		return true;
	default:
		return false;
	}
}

/*
 * An event of a large-payload block has u32 parameter lengths: rewrite
 * it in place to the u16 layout when every parameter fits in one. 1: done,
 * 0: a parameter is too large for struct kscap_param, <0: corrupt.
 */
static int narrow_large(uint8_t *ev, size_t avail)
{
	uint32_t len, np, i, l;
	uint64_t sum = 0;
	bool big = false;

	if (avail < KSCAP_HDR_LEN)
		return -1;
	len = ld32(ev + offsetof(struct kscap_evt_hdr, len));
	np = ld32(ev + offsetof(struct kscap_evt_hdr, nparams));
	if (len < KSCAP_HDR_LEN || len > avail || np > KSCAP_MAX_PARAMS ||
	    KSCAP_HDR_LEN + 4 * np > len)
		return -1;
	for (i = 0; i < np; i++) {
		l = ld32(ev + KSCAP_HDR_LEN + 4 * i);
		sum += l;
		big |= l > 0xffff;
	}
	if (KSCAP_HDR_LEN + 4 * np + sum != len)
		return -1;
	if (big)
		return 0;
	for (i = 0; i < np; i++) {
		uint16_t v;

		l = ld32(ev + KSCAP_HDR_LEN + 4 * i);
		v = (uint16_t)l;
		memcpy(ev + KSCAP_HDR_LEN + 2 * i, &v, 2);
	}
	memmove(ev + KSCAP_HDR_LEN + 2 * np, ev + KSCAP_HDR_LEN + 4 * np,
		len - KSCAP_HDR_LEN - 4 * np);
	len -= 2 * np;
	memcpy(ev + offsetof(struct kscap_evt_hdr, len), &len, 4);
	return 1;
}

int kscap_reader_fopen(FILE *f, const char *name, struct kscap_reader **out)
{
	struct kscap_reader *r;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return kscap__fail(-ENOMEM, "out of memory");
	r->path = strdup(name ? name : "(stream)");
	r->threads = kscap_threads_new();
	if (!r->path || !r->threads) {
		rc = kscap__fail(-ENOMEM, "out of memory");
		goto fail;
	}
	r->f = f;
	r->arch = KSCAP_ARCH_X86_64;	/* unless the machine block says */
	rc = read_section(r);
	if (rc)
		goto fail;
	/* Metadata until the first event block, which stays pending. */
	for (;;) {
		uint64_t at = r->offset;

		rc = read_block(r);
		if (rc <= 0)
			break;
		if (is_event_block(r->type)) {
			r->pending = true;
			break;
		}
		if (r->type == SCAP_BT_MACHINE)
			read_machine(r);
		else if (r->type == SCAP_BT_PROCLIST_V9)
			rc = read_proclist(r, at);
		else if (!is_known_block(r->type))
			r->counts.unknown_blocks++;
		if (rc < 0)
			break;
	}
	if (rc < 0)
		goto fail;
	/* Generic events name the syscalls of the machine they came from. */
	if (kscap_arch_name(r->arch))
		kscap_set_syscall_arch(r->arch);
	*out = r;
	return 0;
fail:
	r->f = NULL;	/* still the caller's */
	kscap_reader_close(r);
	return rc;
}

int kscap_reader_fdopen(int fd, const char *name, struct kscap_reader **out)
{
	FILE *f = fdopen(fd, "r");
	int rc;

	*out = NULL;
	if (!f)
		return kscap__fail(-errno, "%s: %s", name ? name : "(fd)", strerror(errno));
	rc = kscap_reader_fopen(f, name, out);
	if (rc) {
		/* leave the fd open, as it was given */
		int keep = dup(fd);

		fclose(f);
		if (keep >= 0 && keep != fd) {
			dup2(keep, fd);
			close(keep);
		}
	}
	return rc;
}

int kscap_reader_open(const char *path, struct kscap_reader **out)
{
	FILE *f;
	int rc;

	*out = NULL;
	if (!strcmp(path, "-")) {
		int fd = dup(STDIN_FILENO);	/* "-": standard input, as the writer's */

		f = fd >= 0 ? fdopen(fd, "r") : NULL;
		if (fd >= 0 && !f)
			close(fd);
	} else {
		f = fopen(path, "re");
	}
	if (!f)
		return kscap__fail(-errno, "%s: %s", path, strerror(errno));
	rc = kscap_reader_fopen(f, path, out);
	if (rc)
		fclose(f);
	return rc;
}

/*
 * The event of the block in r->buf (at offset @at in the file). 1: an
 * event, 0: skipped (counted), <0: corrupt, or -E2BIG/-EINVAL: valid but
 * not for the caller's struct of @evt_size bytes.
 */
static int take_event(struct kscap_reader *r, uint64_t at, struct kscap_evt *evt,
		      size_t evt_size, unsigned int *cpu)
{
	size_t skip = has_flags(r->type) ? 2 + 4 : 2;
	uint16_t type;
	int rc;

	if (r->body < skip + KSCAP_HDR_LEN)
		return bad(r, at, "event block too short");
	/* A type the table does not have: a newer writer's; the block
	 * framing lets us step over it. */
	type = ld16(r->buf + skip + offsetof(struct kscap_evt_hdr, type));
	if (!kscap_event_info(type)) {
		r->counts.unknown_events++;
		return 0;
	}
	if (is_large(r->type)) {
		int rc = narrow_large(r->buf + skip, r->body - skip);

		if (rc < 0)
			return bad(r, at, "large event: lengths out of bounds");
		if (!rc) {
			r->counts.big_events++;
			return 0;
		}
	}
	rc = kscap_evt_parse_sz(r->buf + skip, r->body - skip, evt, evt_size);
	if (rc == -E2BIG || rc == -EINVAL)
		return rc;	/* valid, but not for the caller's struct */
	if (rc) {
		char msg[300];

		snprintf(msg, sizeof(msg), "%s", kscap_last_error());
		return bad(r, at, msg);
	}
	/* What follows the event can only be the block's padding (and, for
	 * a narrowed event, the 2 bytes per parameter it gave up). */
	if (r->body - skip - evt->len - (is_large(r->type) ? 2 * evt->nparams : 0) >= 4)
		return bad(r, at, "event shorter than its block");
	if (kscap__evt_raw_params(evt))
		r->counts.appended++;
	r->counts.events++;
	if (cpu)
		*cpu = ld16(r->buf);
	return 1;
}

int kscap_reader_next_sz(struct kscap_reader *r, struct kscap_evt *evt,
			 size_t evt_size, unsigned int *cpu)
{
	uint64_t at;
	int rc;

	for (;;) {
		if (r->pending) {
			at = r->offset - r->body - SCAP_BLOCK_OVERHEAD;
			r->pending = false;
		} else {
			at = r->offset;
			rc = read_block(r);
			if (rc <= 0)
				return rc;
			if (r->type == SCAP_BT_PROCLIST_V9) {
				/* threads met during the capture */
				rc = read_proclist(r, at);
				if (rc < 0)
					return rc;
				continue;
			}
			if (!is_event_block(r->type)) {
				/* other metadata after the events: nothing we need */
				if (!is_known_block(r->type))
					r->counts.unknown_blocks++;
				continue;
			}
		}
		rc = take_event(r, at, evt, evt_size, cpu);
		if (rc)
			return rc;
	}
}

void kscap_reader_counts_sz(const struct kscap_reader *r, struct kscap_reader_counts *c,
			    size_t c_size)
{
	memcpy(c, &r->counts, c_size < sizeof(r->counts) ? c_size : sizeof(r->counts));
}

struct kscap_threads *kscap_reader_threads(struct kscap_reader *r)
{
	return r->threads;
}

const char *kscap_reader_hostname(const struct kscap_reader *r)
{
	return r->hostname;
}

unsigned int kscap_reader_ncpus(const struct kscap_reader *r)
{
	return r->ncpus;
}

unsigned int kscap_reader_arch(const struct kscap_reader *r)
{
	return r->arch;
}

void kscap_reader_close(struct kscap_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	kscap_threads_free(r->threads);
	free(r->buf);
	free(r->path);
	free(r);
}
