/* SPDX-License-Identifier: MIT */
/* Writing small capture files for the tests. */
#ifndef CAPFILE_UTIL_H
#define CAPFILE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "evbuild.h"

/* A temporary file name; the caller unlinks it. */
static inline void tmp_name(char *buf, size_t size, const char *tag)
{
	static int seq;

	snprintf(buf, size, "/tmp/kscap-test-%d-%s-%d.scap", (int)getpid(), tag, seq++);
}

/* The number of events in the capture file at PATH (-1: it does not open). */
static inline int capfile_events(const char *path)
{
	struct kscap_reader *r;
	struct kscap_evt evt;
	int n = 0;

	if (kscap_reader_open(path, &r))
		return -1;
	while (kscap_reader_next(r, &evt, NULL) == 1)
		n++;
	kscap_reader_close(r);
	return n;
}

static inline void write_evt(struct kscap_writer *w, const uint8_t *raw, const uint32_t *len,
			     unsigned int cpu)
{
	struct kscap_evt evt;

	if (kscap_evt_parse(raw, *len, &evt) || kscap_writer_write(w, &evt, cpu))
		abort();
}

/*
 * A capture of a small session: bash (100) opens a file, forks 101, which
 * runs ls, gets ENOENT and exits. 10 events, threads 100 and 1.
 */
static inline void write_session(const char *path)
{
	static struct evb b;
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = 100, .pid = 100, .ptid = 1, .uid = 1000, .gid = 1000,
				   .comm = "bash", .exe = "-bash", .exepath = "/usr/bin/bash",
				   .cwd = "/home/u", .args = "-i", .args_len = 3 };
	struct kscap_thread init = { .tid = 1, .pid = 1, .comm = "init", .exe = "/sbin/init" };
	struct kscap_writer *w;
	uint64_t ts = 1700000000000000000ULL;
	uint32_t len;
	const uint8_t *raw;

	if (kscap_threads_add(t, &th))
		abort();
	if (kscap_threads_add(t, &init))
		abort();
	if (kscap_writer_open(path, t, &w))
		abort();
	evb_start(&b, KSCAP_EV_OPEN_E, ts + 1000, 100);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	raw = ev_open_x(&b, ts + 3000, 100, 3, "/etc/passwd", &len);
	write_evt(w, raw, &len, 0);
	evb_start(&b, KSCAP_EV_CLONE_E, ts + 4000, 100);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 0);
	raw = ev_clone_x(&b, ts + 9000, 100, 101, 100, 1, "bash", 0, &len);
	write_evt(w, raw, &len, 0);
	raw = ev_clone_x(&b, ts + 9500, 101, 0, 101, 100, "bash", 0, &len);
	write_evt(w, raw, &len, 1);
	evb_start(&b, KSCAP_EV_EXECVE_E, ts + 10000, 101);
	evb_str(&b, "/usr/bin/ls");
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 1);
	raw = ev_execve_x(&b, ts + 15000, 101, 0, 101, 100, "ls", "-l\0/nope", 9, "ls", &len);
	write_evt(w, raw, &len, 1);
	evb_start(&b, KSCAP_EV_OPEN_E, ts + 16000, 101);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 1);
	raw = ev_open_x(&b, ts + 21000, 101, -2, "/nope", &len);
	write_evt(w, raw, &len, 1);
	evb_start(&b, KSCAP_EV_PROCEXIT_E, ts + 30000, 101);
	evb_u64(&b, 0);
	raw = evb_end(&b, &len);
	write_evt(w, raw, &len, 1);
	if (kscap_writer_close(w))
		abort();
	kscap_threads_free(t);
}

#endif
