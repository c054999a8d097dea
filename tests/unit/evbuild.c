// SPDX-License-Identifier: MIT
#include <string.h>
#include "evbuild.h"

void evb_start(struct evb *b, uint16_t type, uint64_t ts, uint64_t tid)
{
	b->n = 0;
	b->off = 0;
	b->type = type;
	b->ts = ts;
	b->tid = tid;
}

void evb_raw(struct evb *b, const void *p, size_t n)
{
	memcpy(b->vals + b->off, p, n);
	b->off += n;
	b->lens[b->n++] = (uint16_t)n;
}

void evb_u8(struct evb *b, uint8_t v) { evb_raw(b, &v, 1); }
void evb_u16(struct evb *b, uint16_t v) { evb_raw(b, &v, 2); }
void evb_u32(struct evb *b, uint32_t v) { evb_raw(b, &v, 4); }
void evb_u64(struct evb *b, uint64_t v) { evb_raw(b, &v, 8); }
void evb_str(struct evb *b, const char *s) { evb_raw(b, s, strlen(s) + 1); }

const uint8_t *evb_end(struct evb *b, uint32_t *len)
{
	uint32_t total = KSCAP_HDR_LEN + b->n * 2 + (uint32_t)b->off;
	struct kscap_evt_hdr h = {
		.ts = b->ts, .tid = b->tid, .len = total, .type = b->type,
		.nparams = b->n,
	};

	memcpy(b->buf, &h, KSCAP_HDR_LEN);
	memcpy(b->buf + KSCAP_HDR_LEN, b->lens, b->n * 2);
	memcpy(b->buf + KSCAP_HDR_LEN + b->n * 2, b->vals, b->off);
	*len = total;
	return b->buf;
}

const uint8_t *ev_generic_e(struct evb *b, uint64_t ts, uint64_t tid, uint16_t id,
			    uint16_t nr, uint32_t *len)
{
	evb_start(b, KSCAP_EV_GENERIC_E, ts, tid);
	evb_u16(b, id);
	evb_u16(b, nr);
	return evb_end(b, len);
}

const uint8_t *ev_open_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t fd,
			 const char *path, uint32_t *len)
{
	evb_start(b, KSCAP_EV_OPEN_X, ts, tid);
	evb_u64(b, (uint64_t)fd);
	evb_str(b, path);
	evb_u32(b, (1U << 0) | (1U << 12));	/* O_RDONLY|O_CLOEXEC */
	evb_u32(b, 0);
	evb_u32(b, 0x803);
	return evb_end(b, len);
}

const uint8_t *ev_read_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			 const void *data, size_t n, uint32_t *len)
{
	evb_start(b, KSCAP_EV_READ_X, ts, tid);
	evb_u64(b, (uint64_t)res);
	evb_raw(b, data, n);
	return evb_end(b, len);
}

/* The 13 fields clone and execve exits start with. */
static void task_common(struct evb *b, int64_t res, int64_t tid, int64_t pid,
			int64_t ptid, const char *exe, const char *args,
			size_t args_len, const char *comm)
{
	evb_u64(b, (uint64_t)res);
	evb_str(b, exe);
	evb_raw(b, args, args_len);
	evb_u64(b, (uint64_t)tid);
	evb_u64(b, (uint64_t)pid);
	evb_u64(b, (uint64_t)ptid);
	evb_str(b, "/");
	evb_u64(b, 1024);
	evb_u64(b, 0);
	evb_u64(b, 0);
	evb_u32(b, 1000);
	evb_u32(b, 500);
	evb_u32(b, 0);
	evb_str(b, comm);
}

const uint8_t *ev_clone_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			  int64_t pid, int64_t ptid, const char *comm,
			  uint32_t flags, uint32_t *len)
{
	evb_start(b, KSCAP_EV_CLONE_X, ts, tid);
	task_common(b, res, (int64_t)tid, pid, ptid, comm, "", 0, comm);
	evb_raw(b, "", 0);		/* cgroups */
	evb_u32(b, flags);
	evb_u32(b, 0);			/* uid */
	evb_u32(b, 0);			/* gid */
	evb_u64(b, tid);		/* vtid */
	evb_u64(b, (uint64_t)pid);	/* vpid */
	return evb_end(b, len);
}

const uint8_t *ev_execve_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			   int64_t pid, int64_t ptid, const char *exe,
			   const char *args, size_t args_len, const char *comm,
			   uint32_t *len)
{
	evb_start(b, KSCAP_EV_EXECVE_X, ts, tid);
	task_common(b, res, (int64_t)tid, pid, ptid, exe, args, args_len, comm);
	evb_raw(b, "", 0);		/* cgroups */
	evb_raw(b, "HOME=/root", 11);	/* env */
	evb_u32(b, 0);			/* tty */
	evb_u64(b, (uint64_t)pid);	/* pgid */
	evb_u32(b, (uint32_t)-1);	/* loginuid */
	return evb_end(b, len);
}
