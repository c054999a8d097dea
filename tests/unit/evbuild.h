/* SPDX-License-Identifier: MIT */
/*
 * Building events in memory for the tests, in the ring's layout:
 * header, u16 lengths, values. Types are checked against the event table
 * by the code under test, not here, so tests can also build bad events.
 */
#ifndef EVBUILD_H
#define EVBUILD_H

#include <stddef.h>
#include <stdint.h>
#include "kscap/libkscap.h"

struct evb {
	uint8_t buf[140000];
	uint16_t lens[KSCAP_MAX_PARAMS];
	uint32_t n;		/* parameters added */
	size_t off;		/* bytes of values */
	uint8_t vals[131072];
	uint16_t type;
	uint64_t ts, tid;
};

void evb_start(struct evb *b, uint16_t type, uint64_t ts, uint64_t tid);
void evb_raw(struct evb *b, const void *p, size_t n);
void evb_u8(struct evb *b, uint8_t v);
void evb_u16(struct evb *b, uint16_t v);
void evb_u32(struct evb *b, uint32_t v);
void evb_u64(struct evb *b, uint64_t v);
void evb_str(struct evb *b, const char *s);	/* NUL included */
/* Finish: the event's bytes and length. */
const uint8_t *evb_end(struct evb *b, uint32_t *len);

/* Shortcuts for the events the tests use most. */
/* syscall(ID, nativeID): the generic enter of native call @nr, scap code @id. */
const uint8_t *ev_generic_e(struct evb *b, uint64_t ts, uint64_t tid, uint16_t id,
			    uint16_t nr, uint32_t *len);
const uint8_t *ev_open_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t fd,
			 const char *path, uint32_t *len);
/* read's exit: res, then @n bytes of @data. */
const uint8_t *ev_read_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			 const void *data, size_t n, uint32_t *len);
const uint8_t *ev_clone_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			  int64_t pid, int64_t ptid, const char *comm,
			  uint32_t flags, uint32_t *len);
const uint8_t *ev_execve_x(struct evb *b, uint64_t ts, uint64_t tid, int64_t res,
			   int64_t pid, int64_t ptid, const char *exe,
			   const char *args, size_t args_len, const char *comm,
			   uint32_t *len);

#endif /* EVBUILD_H */
