/* SPDX-License-Identifier: MIT */
/*
 * libkscap: read the events the kscap module captures, decode them through
 * the uapi event table, keep a table of the threads they come from, filter
 * them, and write and read scap capture files.
 *
 * Conventions
 *
 *   - Functions that can fail return a negative errno value (-ENOMEM,
 *     -EBADMSG, ...). kscap_strerror() names it; kscap_last_error() gives
 *     the detailed message of the last failure in the calling thread. The
 *     library never prints anything.
 *   - Events are read in place: a struct kscap_evt points into the ring
 *     (or into the capture reader's buffer) and stays valid until the next
 *     call that reads from the same source.
 *   - Nothing read from the ring or a file is trusted: every length is
 *     checked before use, and a malformed event is an error (-EBADMSG).
 *   - The ABI only grows (libkscap.so.2): no data is exported, and the
 *     calls that fill or read a struct the caller allocated are macros
 *     that pass its size to a *_sz function (README.md, libkscap(3)).
 *
 * Typical live loop:
 *
 *	struct kscap *h;
 *	struct kscap_evt evt;
 *	unsigned int cpu;
 *
 *	if (kscap_open(NULL, &h) < 0 || kscap_start(h) < 0)
 *		die(kscap_last_error());
 *	for (;;) {
 *		int rc = kscap_next(h, &evt, &cpu);
 *		if (rc == 0)
 *			rc = kscap_wait(h, 100);	// poll(), never spins
 *		else if (rc > 0)
 *			handle(&evt, cpu);
 *		if (rc < 0 && rc != -EINTR)
 *			break;
 *	}
 *	kscap_close(h);
 */
#ifndef LIBKSCAP_H
#define LIBKSCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kscap.h"
#include "kscap_event_info.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIBKSCAP_VERSION_MAJOR	2
/* The minor is the newest node of libkscap.map: one more per node added. */
#define LIBKSCAP_VERSION_MINOR	3
#define KSCAP_VERSION(major, minor)	((unsigned int)(major) << 16 | (unsigned int)(minor))
/* The version this header belongs to. */
#define LIBKSCAP_VERSION	KSCAP_VERSION(LIBKSCAP_VERSION_MAJOR, LIBKSCAP_VERSION_MINOR)

/* A result that must be looked at: ignoring it loses an error or reads
 * what was never written. */
#if defined(__GNUC__)
#define KSCAP_MUST_CHECK	__attribute__((warn_unused_result))
#else
#define KSCAP_MUST_CHECK
#endif

/*
 * The version of the library the program runs with, as KSCAP_VERSION()
 * encodes it. The program works with it if the major numbers are equal
 * and the minor is at least the one it was built with:
 *	kscap_version() >> 16 == LIBKSCAP_VERSION_MAJOR &&
 *	kscap_version() >= LIBKSCAP_VERSION
 */
unsigned int kscap_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* The name of a (negative or positive) errno value: "No such file...". */
const char *kscap_strerror(int err);
/* Detailed message of the last failure in this thread ("" if none). */
const char *kscap_last_error(void);

/* ------------------------------------------------------------------ */
/* The event table                                                     */
/* ------------------------------------------------------------------ */

/* The row of @type, or NULL if there is no such event type. The table
 * is the library's: it may know more types than the header's KSCAP_EV_MAX. */
const struct kscap_event_info *kscap_event_info(unsigned int type);
/* One past the largest event type the library knows. */
unsigned int kscap_event_max(void);
/* Type names as the event table documentation spells them: "FSPATH",
 * "DYNAMIC"; NULL if unknown. */
const char *kscap_param_type_name(unsigned int type);
/* Category names: "file", "net", "io_read", ...; NULL if unknown. */
const char *kscap_category_name(unsigned int category);
/* The category with that name, or -EINVAL. */
int kscap_category_by_name(const char *name);

/*
 * Syscall numbers differ by architecture; the event's nativeID is the
 * number on the machine it was captured on. Architectures are named by
 * their ELF machine numbers, as capture files record them.
 */
#define KSCAP_ARCH_X86_64	62	/* EM_X86_64 */
#define KSCAP_ARCH_AARCH64	183	/* EM_AARCH64 */
/* The architecture this library was built for. */
unsigned int kscap_host_arch(void);
/* "x86_64", "arm64"; NULL if unknown. */
const char *kscap_arch_name(unsigned int arch);
/* KSCAP_ARCH_* of "x86_64" (or "amd64"), "arm64" (or "aarch64"), or -EINVAL. */
int kscap_arch_by_name(const char *name);
/* The architecture whose numbers the three calls below (and the event
 * names of generic events) use: the host's until set; a reader of a
 * capture file sets it to the file's (kscap_reader_arch()). 0 or -EINVAL. */
int kscap_set_syscall_arch(unsigned int arch);
unsigned int kscap_syscall_arch(void);
/* Name of a syscall number ("getpid"), or NULL. */
const char *kscap_syscall_name(unsigned int nr);
/* Name of a scap syscall code (the generic event's ID), or NULL. */
const char *kscap_syscall_code_name(unsigned int code);
/* The number of a syscall name, or -ENOENT. */
int kscap_syscall_by_name(const char *name);
/* Name of syscall @nr of @arch, or NULL. */
const char *kscap_syscall_name_arch(unsigned int arch, unsigned int nr);
/* The event type syscall @nr of @arch becomes (KSCAP_EV_GENERIC_E: the
 * generic event), or -ENOENT if @arch has no such syscall. */
int kscap_syscall_event_arch(unsigned int arch, unsigned int nr);

/* "ENOENT" for 2 (sign ignored), NULL if unknown. */
const char *kscap_errno_name(int err);
/* "SIGKILL" for 9, NULL if unknown. */
const char *kscap_signal_name(int sig);

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* One parameter of a parsed event: a view into the event's bytes. */
struct kscap_param {
	const char *name;
	const uint8_t *val;
	uint16_t len;
	uint8_t type;		/* enum kscap_param_type */
	uint8_t fmt;		/* enum kscap_print_fmt */
	uint8_t aux;		/* enum kscap_param_aux */
};

/*
 * A validated event. Fields are copied out of the (unaligned) header.
 * The calls that fill one (kscap_evt_parse, kscap_next,
 * kscap_reader_next) are macros that pass sizeof(*evt), so that a library
 * with a larger KSCAP_MAX_PARAMS never writes past a program's struct.
 * The struct gets no new fields: what an event may tell later comes
 * through functions.
 */
struct kscap_evt {
	const uint8_t *raw;	/* the event's bytes, raw[0 .. len) */
	uint64_t ts;		/* ns since the epoch */
	uint64_t tid;
	uint32_t len;
	uint16_t type;
	uint32_t nparams;
	const struct kscap_event_info *info;
	struct kscap_param params[KSCAP_MAX_PARAMS];
};

/*
 * Validate the event at @buf (at most @avail bytes readable) and fill @evt.
 * Checks: the header fits, hdr.len >= header and <= @avail, the type
 * exists, nparams is at least the table's (and at most KSCAP_MAX_PARAMS),
 * and the parameter lengths add up to hdr.len exactly. Returns 0 or
 * -EBADMSG; -E2BIG if the event has more parameters than @evt_size leaves
 * room for (a program built with an older header meets a newer event).
 *
 * The ABI grows by appending parameters: those past the table's row are
 * decoded when libkscap knows them (the generic exit's "res") and are
 * otherwise kept as raw bytes named "param<index>" (type BYTEBUF).
 */
KSCAP_MUST_CHECK
int kscap_evt_parse_sz(const void *buf, size_t avail, struct kscap_evt *evt,
		       size_t evt_size);
#define kscap_evt_parse(buf, avail, evt) \
	kscap_evt_parse_sz((buf), (avail), (evt), sizeof(*(evt)))

/* '>' for enter events, '<' for exit events. */
char kscap_evt_dir(const struct kscap_evt *evt);
/* The event's name; for generic events, the syscall's own name. */
const char *kscap_evt_name(const struct kscap_evt *evt);
/* The parameter called @name, or NULL. */
const struct kscap_param *kscap_evt_param(const struct kscap_evt *evt,
					  const char *name);
/*
 * The return value of an exit event whose first parameter carries it
 * (res, fd, bpf's res_or_fd, ...; the table's types say which): stores
 * it in @ret and returns 1; returns 0 if the event has no return value
 * (generic exits, getuid's uid, the tracer event, exits
 * without parameters).
 */
KSCAP_MUST_CHECK int kscap_evt_ret(const struct kscap_evt *evt, int64_t *ret);

/* An integer parameter (any fixed-size numeric type), sign-extended for
 * signed types. 0 or -EBADMSG (wrong length, not numeric). */
KSCAP_MUST_CHECK int kscap_param_int(const struct kscap_param *p, int64_t *out);

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

#define KSCAP_FMT_JSON	(1U << 0)	/* JSON values (strings quoted) */

/*
 * Format parameter @idx of @evt into @buf (always NUL-terminated if @size
 * is not 0). Returns the length the full text has, like snprintf, or
 * -EBADMSG if the value is malformed (the text then says "<invalid>").
 *
 * Text: fd numbers, paths, 127.0.0.1:5000->127.0.0.1:6000, flag names
 * (O_RDONLY|O_CLOEXEC, hex when the flag table has no names), -2(ENOENT),
 * 9(SIGKILL), [arg0 arg1] for argument arrays.
 * JSON: numbers as numbers, strings as strings, flags as their names,
 * arrays as arrays, a null for an empty value.
 */
int kscap_param_format(const struct kscap_evt *evt, unsigned int idx,
		       char *buf, size_t size, unsigned int flags);

/*
 * All parameters: "name=value name=value" or, with KSCAP_FMT_JSON, a JSON
 * object {"name":value,...}. Returns the full length like snprintf;
 * malformed values are shown as "<invalid>" (never an error).
 */
int kscap_evt_format(const struct kscap_evt *evt, char *buf, size_t size,
		     unsigned int flags);

/*
 * @n bytes of @s as the parameters show text: with KSCAP_FMT_JSON a JSON
 * string literal, quotes included, else escaped text. Returns the full
 * length like snprintf. For a comm, a path, anything a process chose.
 *
 * Text: well-formed UTF-8 of printable characters and printable ASCII
 * as they are; \\ for a backslash, \n, \t, \0, and \xNN for every other
 * byte (controls, C1 controls, bytes that are not well-formed UTF-8).
 * JSON: well-formed UTF-8 as it is, JSON's escapes for quote, backslash
 * and controls (\u00XX), and \udcXX for a byte XX that is not part of
 * well-formed UTF-8: a lone low surrogate, which no character encodes,
 * so it cannot be mistaken for text (Python reads it back with
 * errors="surrogateescape"). kscap_param_format() escapes the same way.
 */
int kscap_str_format(const char *s, size_t n, char *buf, size_t size,
		     unsigned int flags);

/* ------------------------------------------------------------------ */
/* The live device                                                     */
/* ------------------------------------------------------------------ */

struct kscap;

/*
 * Open the device (@path NULL: /dev/kscap), check the ABI major version,
 * read the geometry and map the status, consumer and data areas.
 * -ENOENT: no device (module not loaded), -EBUSY: another consumer,
 * -EPROTO: ABI mismatch.
 */
KSCAP_MUST_CHECK int kscap_open(const char *path, struct kscap **out);
void kscap_close(struct kscap *h);

/* The device fd, for your own poll loop. */
int kscap_fd(const struct kscap *h);
const struct kscap_geometry *kscap_geometry(const struct kscap *h);

int kscap_start(struct kscap *h);
int kscap_stop(struct kscap *h);
int kscap_mask_zero(struct kscap *h);
int kscap_mask_all(struct kscap *h);
int kscap_mask_set(struct kscap *h, unsigned int type);
int kscap_mask_unset(struct kscap *h, unsigned int type);
int kscap_set_snaplen(struct kscap *h, unsigned int snaplen);
/* Bytes a ring must hold before poll() reports POLLIN (default: the
 * module's, ring_size / 16 and at most 64 KiB; less data is reported
 * once it has waited the module's timer tick, wakeup_ms). */
int kscap_set_wakeup(struct kscap *h, unsigned int bytes);
/* Counters of one CPU, or of all with KSCAP_ALL_CPUS. */
KSCAP_MUST_CHECK int kscap_get_stats(struct kscap *h, unsigned int cpu,
				     struct kscap_counters *out);

/*
 * 2.1: what this consumer lost of the events it read (its buffer full,
 * its server or file gone), for `scapctl stats` and every other reader
 * of the module's stats to show beside the module's drops
 * (uapi/kscap.h, section 6; the module needs ABI 1.3). New fields go at
 * the end only.
 */
struct kscap_consumer_drops {
	uint64_t events;	/* the running total since kscap_open() */
};

/*
 * Tell the module the running total (call it as often as it grows; it
 * is one store to shared memory, no system call). The module only
 * repeats it. -EOPNOTSUPP from a module older than ABI 1.3, which would
 * not show it.
 */
int kscap_report_drops_sz(struct kscap *h, const struct kscap_consumer_drops *d,
			  size_t d_size);
#define kscap_report_drops(h, d)	kscap_report_drops_sz((h), (d), sizeof(*(d)))

/*
 * The next event of all CPUs in timestamp order. The event is read in
 * place and stays valid until the next call. Its ring gets the space
 * back (the tail advanced) when the events read from it in a row pass
 * 32 KiB (1/16 of a smaller ring), when no event is ready, or when
 * kscap_wait() is about to sleep; all of it when the handle is closed.
 * A CPU stamps an event before it publishes it, so an older event may
 * still be on its way from another CPU: an event is returned only when
 * every ring has been read past its timestamp or it is older than the
 * reorder window (10 ms by default; kscap_wait() sleeps until then).
 * After kscap_stop() every event is in and nothing waits.
 * Returns 1 and fills @evt (and @cpu if not NULL), 0 if no event is
 * ready, or a negative errno: -EBADMSG for a corrupt event, after which
 * that ring is skipped up to its current head and reading may go on
 * (for an event framed right but as the module never writes one: an old
 * version of a row, a number not of its type's size, a string without
 * its NUL, only that event is skipped);
 * -E2BIG for an event with more parameters than @evt holds (see
 * kscap_evt_parse), which is skipped.
 */
KSCAP_MUST_CHECK
int kscap_next_sz(struct kscap *h, struct kscap_evt *evt, size_t evt_size,
		  unsigned int *cpu);
#define kscap_next(h, evt, cpu)	kscap_next_sz((h), (evt), sizeof(*(evt)), (cpu))

/*
 * The reorder window in ns (0: off, events are merged as they are
 * published and may go back in time across CPUs; at most 10 s). It costs
 * up to that much latency while a CPU is idle, and ring space for what
 * the CPUs write within it; no memory of its own.
 */
int kscap_set_reorder_window(struct kscap *h, uint64_t ns);

/*
 * The same without decoding: @ev points at the event's bytes in the ring
 * (hdr.len of them, unaligned, valid until the next call). Checked: the
 * length stays within what the kernel published, the type exists and
 * nparams is at least the table's; kscap_evt_parse() checks the rest when the
 * event is decoded. For consumers that count, forward or filter by
 * header fields: it costs a small part of kscap_next() (the header
 * checks and, while events come from the same ring, a few loads).
 */
KSCAP_MUST_CHECK int kscap_next_raw(struct kscap *h, const struct kscap_evt_hdr **ev,
				    unsigned int *cpu);
/*
 * Up to @max events at once, in the order kscap_next_raw() returns them,
 * checked as it checks them: @evs[i] seen on CPU @cpus[i] (@cpus may be
 * NULL). They stay in the rings until the next call (of either kind),
 * which releases them all; one call per batch is what makes it cheaper
 * for consumers that copy events as they are. The number of events, 0 if
 * none is ready, -errno as kscap_next_raw(): an error met after the first
 * event of a batch is returned by the next call.
 */
KSCAP_MUST_CHECK int kscap_next_raw_batch(struct kscap *h, const struct kscap_evt_hdr **evs,
					  unsigned int *cpus, unsigned int max);

/*
 * Block in poll() until an event may be ready or @timeout_ms passes
 * (-1: no limit). 1: ready, 0: timeout, -EINTR: a signal came. While the
 * reorder window holds an event back, sleep until it may go out instead.
 */
int kscap_wait(struct kscap *h, int timeout_ms);

/* Events that failed validation since kscap_open(). */
uint64_t kscap_corrupt_count(const struct kscap *h);

/* ------------------------------------------------------------------ */
/* The thread table                                                    */
/* ------------------------------------------------------------------ */

#define KSCAP_COMM_LEN	16

/* New fields go at the end only; kscap_threads_add() is a macro that
 * passes sizeof(*th), and the library reads no more than that. */
struct kscap_thread {
	int64_t tid;
	int64_t pid;		/* thread group */
	int64_t ptid;		/* the thread that created it */
	uint32_t uid;
	uint32_t gid;
	char comm[KSCAP_COMM_LEN + 1];
	const char *exe;	/* argv[0]; never NULL ("" if unknown) */
	const char *exepath;	/* the executable's full path; never NULL */
	const char *cwd;	/* never NULL */
	const char *args;	/* argv[1..], NUL-separated, args_len bytes */
	size_t args_len;
};

struct kscap_threads;

KSCAP_MUST_CHECK struct kscap_threads *kscap_threads_new(void);
void kscap_threads_free(struct kscap_threads *t);
/* Add every thread found under @procdir (NULL: /proc). */
int kscap_threads_scan_proc(struct kscap_threads *t, const char *procdir);
/*
 * Add thread @tid from @procdir (NULL: /proc), for a thread met in a live
 * capture that the table does not know (it started after the scan). 1:
 * added, 0: not there (already gone; remembered, so that its next events
 * do not look again), <0: error.
 */
KSCAP_MUST_CHECK int kscap_threads_scan_tid(struct kscap_threads *t, const char *procdir,
					    int64_t tid);
/* Add or replace a thread (the strings are copied); fields past
 * @th_size are taken as zero. */
KSCAP_MUST_CHECK int kscap_threads_add_sz(struct kscap_threads *t,
					  const struct kscap_thread *th, size_t th_size);
#define kscap_threads_add(t, th)	kscap_threads_add_sz((t), (th), sizeof(*(th)))
/*
 * Keep the table current from an event: the exit events of clone, fork,
 * vfork and execve add or update threads; procexit removes the thread
 * (at the next update, so the procexit event itself can still be shown).
 */
int kscap_threads_update(struct kscap_threads *t, const struct kscap_evt *evt);
const struct kscap_thread *kscap_threads_find(const struct kscap_threads *t,
					      int64_t tid);
/*
 * kscap_evt_name() with what the table knows of the thread: a generic
 * exit, whose row has only the scap code (0 for every syscall without
 * one), is named from the native number of its enter. Call after
 * kscap_threads_update() has seen the enter.
 */
const char *kscap_threads_evt_name(const struct kscap_threads *t,
				   const struct kscap_evt *evt);
size_t kscap_threads_count(const struct kscap_threads *t);
/* Iterate: set *@cursor to 0 first; NULL at the end. */
const struct kscap_thread *kscap_threads_next(const struct kscap_threads *t,
					      size_t *cursor);
/* 1 if thread @tid belongs to process @pid or to one of its descendants. */
int kscap_threads_descends(const struct kscap_threads *t, int64_t tid,
			   int64_t pid);

/* ------------------------------------------------------------------ */
/* Filters                                                             */
/* ------------------------------------------------------------------ */

struct kscap_filter;

KSCAP_MUST_CHECK struct kscap_filter *kscap_filter_new(void);
void kscap_filter_free(struct kscap_filter *f);

/* Each call adds an accepted value; the kinds are ANDed together, the
 * values of one kind ORed. */
/* @descendants: also the processes and threads they created, recursively */
int kscap_filter_pid(struct kscap_filter *f, int64_t pid, int descendants);
int kscap_filter_tid(struct kscap_filter *f, int64_t tid, int descendants);
int kscap_filter_comm(struct kscap_filter *f, const char *comm);	/* glob */
/* Event or syscall names, comma separated ("open,getpid"); -ENOENT names
 * the unknown one in kscap_last_error(), -EINVAL an empty list or name. */
int kscap_filter_events(struct kscap_filter *f, const char *names);
int kscap_filter_type(struct kscap_filter *f, unsigned int type);
int kscap_filter_dir(struct kscap_filter *f, char dir);	/* '>' or '<' */
int kscap_filter_failed(struct kscap_filter *f);
/* A category name, or io/fs/mem/proc/sig as groups of them. */
int kscap_filter_category(struct kscap_filter *f, const char *name);
/* Only the events the table marks KSCAP_EF_DEFAULT_SET. */
int kscap_filter_default_set(struct kscap_filter *f);

/* 1 if @evt passes (@t may be NULL: then pid and comm never match). */
int kscap_filter_match(const struct kscap_filter *f,
		       const struct kscap_evt *evt,
		       const struct kscap_threads *t);

/*
 * For consumers that pass events on as they are (kscap_next_raw(),
 * kscap_writer_write_raw()): what the event's type alone decides.
 * 1: it passes; 0: it does not; -1: decode it, give it to
 * kscap_threads_update() and ask kscap_filter_match() (the type keeps
 * the thread table current, or the filter looks past the type).
 */
int kscap_filter_match_type(const struct kscap_filter *f, unsigned int type);

#define KSCAP_PUSH_KEEP_ENTER	(1U << 0)	/* keep enter events of kept exits */

/*
 * The event types the kernel may drop for this filter, as a mask of
 * KSCAP_EV_MAX bits (1: capture). Events the thread table needs are always
 * kept. Returns 1 if the filter restricts the types at all, else 0.
 */
int kscap_filter_kernel_mask(const struct kscap_filter *f, unsigned int flags,
			     uint8_t mask[KSCAP_MASK_BYTES]);
/* Push that mask down to the module (MASK_ZERO and MASK_SET). */
int kscap_filter_push(const struct kscap_filter *f, struct kscap *h,
		      unsigned int flags);

/* ------------------------------------------------------------------ */
/* Capture files (the scap format: pcapng-style blocks)                */
/* ------------------------------------------------------------------ */

struct kscap_writer;
struct kscap_reader;

/*
 * Create @path ("-": stdout) and write the section header, the machine
 * information and the process list taken from @t (may be NULL). A writer
 * is used by one thread at a time.
 */
KSCAP_MUST_CHECK int kscap_writer_open(const char *path, const struct kscap_threads *t,
				       struct kscap_writer **out);
/*
 * The same, and the state a live capture starts from, as sysdig's files
 * carry it: this machine's network interfaces, users and groups, and the
 * open fds of each process of @t, read from @procdir (NULL: /proc), so
 * that readers can name what events refer to from the first one.
 */
KSCAP_MUST_CHECK int kscap_writer_open_state(const char *path, const struct kscap_threads *t,
					     const char *procdir, struct kscap_writer **out);
/* Append one event seen on @cpu. Events too large for the format's
 * 64 KiB blocks have their data buffers shortened. */
/*
 * A writer on @f (any FILE: a memory stream, a socket, a custom stream),
 * which it owns from then on (kscap_writer_close() closes it; on failure
 * it is still the caller's), buffered as the caller set it. @procdir NULL:
 * no interfaces, users or fds. The writer hands @f whole blocks (but for
 * blocks over 1 MiB) when its buffer fills and at kscap_writer_flush().
 */
KSCAP_MUST_CHECK int kscap_writer_fopen(FILE *f, const struct kscap_threads *t,
					const char *procdir, struct kscap_writer **out);
/* A process list block of one thread, among the events: for a thread met
 * during a live capture that no event of the file announces (its clone
 * was not captured). Readers add it to their threads from there on. */
KSCAP_MUST_CHECK int kscap_writer_thread(struct kscap_writer *w, const struct kscap_thread *th);
KSCAP_MUST_CHECK int kscap_writer_write(struct kscap_writer *w, const struct kscap_evt *evt,
					unsigned int cpu);
/* The same for an event as kscap_next_raw() returns it (hdr.len bytes at
 * @ev), copied without decoding; the same bytes in the file. */
KSCAP_MUST_CHECK int kscap_writer_write_raw(struct kscap_writer *w, const void *ev,
					    unsigned int cpu);
/* The same for @n events (kscap_next_raw_batch()'s), in one call. */
KSCAP_MUST_CHECK int kscap_writer_write_raw_batch(struct kscap_writer *w,
						  const struct kscap_evt_hdr *const *evs,
						  const unsigned int *cpus, unsigned int n);
KSCAP_MUST_CHECK int kscap_writer_flush(struct kscap_writer *w);
/* Flush and close; returns the first error seen, if any. */
KSCAP_MUST_CHECK int kscap_writer_close(struct kscap_writer *w);

/*
 * Open a capture file ("-": standard input) and load its headers
 * (process list included).
 * -EBADMSG with a message naming the problem if the file is not a valid
 * capture.
 */
KSCAP_MUST_CHECK int kscap_reader_open(const char *path, struct kscap_reader **out);
/*
 * The same from a stream the caller opened: a pipe, a socket, memory
 * (fmemopen). @name names it in messages. On success the reader owns
 * @f (or @fd) and kscap_reader_close() closes it; on failure the caller
 * still does.
 */
KSCAP_MUST_CHECK int kscap_reader_fopen(FILE *f, const char *name,
					struct kscap_reader **out);
KSCAP_MUST_CHECK int kscap_reader_fdopen(int fd, const char *name,
					 struct kscap_reader **out);
/* 1: an event (valid until the next call), 0: end of file, <0: error
 * (-EBADMSG for a truncated or corrupt file, -E2BIG as kscap_next).
 * Events of unknown types and blocks of unknown types are skipped and
 * counted (kscap_reader_counts). */
KSCAP_MUST_CHECK
int kscap_reader_next_sz(struct kscap_reader *r, struct kscap_evt *evt,
			 size_t evt_size, unsigned int *cpu);
#define kscap_reader_next(r, evt, cpu) \
	kscap_reader_next_sz((r), (evt), sizeof(*(evt)), (cpu))
/* The threads of the file's process list; the caller may update them. */
struct kscap_threads *kscap_reader_threads(struct kscap_reader *r);
/* Hostname and CPU count from the machine block ("" and 0 if absent). */
const char *kscap_reader_hostname(const struct kscap_reader *r);
unsigned int kscap_reader_ncpus(const struct kscap_reader *r);
/* The architecture the capture was taken on (KSCAP_ARCH_*); a file that
 * does not say (older kscap, other writers) is taken for x86_64. */
unsigned int kscap_reader_arch(const struct kscap_reader *r);

/* What a reader met so far. Files written by newer tools may hold what
 * this library does not know: it is stepped over and counted here. */
struct kscap_reader_counts {
	uint64_t events;		/* returned by kscap_reader_next() */
	uint64_t appended;		/* of which with parameters past their row
					 * that are not known here (kept raw) */
	uint64_t unknown_events;	/* of types the table lacks: skipped */
	uint64_t big_events;		/* large-payload events with a parameter
					 * of 64 KiB or more: skipped */
	uint64_t unknown_blocks;	/* blocks of unknown types: skipped */
};

/* Fields past @c_size are not written (a program built with an older
 * header); kscap_reader_counts() passes sizeof(*c). */
void kscap_reader_counts_sz(const struct kscap_reader *r,
			    struct kscap_reader_counts *c, size_t c_size);
#define kscap_reader_counts(r, c)	kscap_reader_counts_sz((r), (c), sizeof(*(c)))
void kscap_reader_close(struct kscap_reader *r);

/* ------------------------------------------------------------------ */
/* Control over generic netlink (the module's "kscap" family)          */
/* ------------------------------------------------------------------ */

/*
 * A side channel to look at and steer capture while another process owns
 * /dev/kscap. Reads need CAP_SYS_ADMIN or CAP_PERFMON, changes
 * CAP_SYS_ADMIN. On an error the kernel's explanation, if it gave one, is
 * in kscap_nl_extack() (and in kscap_last_error()).
 */
struct kscap_nl;

/* New fields go at the end only: the calls that fill these structs are
 * macros that pass their size, and the library writes no more than that. */
struct kscap_nl_info {
	uint32_t abi_version;
	uint32_t ncpus;
	uint64_t ring_size;
	uint64_t reserve;
	uint32_t snaplen;
	int enabled;
	int consumer;		/* a consumer has the device open */
	/* Ring memory the module holds now (KSCAP_NL_UNKNOWN: module < ABI 1.2). */
	uint64_t ring_bytes;
};
#define KSCAP_NL_UNKNOWN	UINT64_MAX

struct kscap_nl_stats {
	struct kscap_counters total;
	struct kscap_counters *percpu;	/* caller's array, or NULL */
	uint32_t *cpus;			/* CPU number of each entry, or NULL */
	unsigned int ncpus;		/* in: room in percpu; out: entries */
	/* 2.1: what the consumer reports it lost, summed over the CPUs
	 * (kscap_report_drops(); KSCAP_NL_UNKNOWN: module < ABI 1.3). */
	uint64_t consumer_drops;
};

struct kscap_nl_drops {
	uint64_t total;
	uint64_t new_drops;
};

/* -ENOENT when the family is not registered (module not loaded). */
KSCAP_MUST_CHECK int kscap_nl_open(struct kscap_nl **out);
void kscap_nl_close(struct kscap_nl *nl);
int kscap_nl_fd(const struct kscap_nl *nl);
const char *kscap_nl_extack(const struct kscap_nl *nl);

KSCAP_MUST_CHECK int kscap_nl_info_sz(struct kscap_nl *nl, struct kscap_nl_info *info,
				      size_t info_size);
#define kscap_nl_info(nl, info)	kscap_nl_info_sz((nl), (info), sizeof(*(info)))
KSCAP_MUST_CHECK int kscap_nl_stats_sz(struct kscap_nl *nl, struct kscap_nl_stats *st,
				       size_t st_size);
#define kscap_nl_stats(nl, st)	kscap_nl_stats_sz((nl), (st), sizeof(*(st)))
KSCAP_MUST_CHECK int kscap_nl_get_mask(struct kscap_nl *nl,
				       uint8_t mask[KSCAP_MASK_BYTES]);
int kscap_nl_set_mask(struct kscap_nl *nl, const uint8_t mask[KSCAP_MASK_BYTES]);
int kscap_nl_mask_event(struct kscap_nl *nl, unsigned int type, int on);
int kscap_nl_set_snaplen(struct kscap_nl *nl, unsigned int snaplen);
int kscap_nl_enable(struct kscap_nl *nl, int on);

/* Join the drops group; then kscap_nl_next_drops() blocks for the next
 * notification (1), or returns 0 if a non-drop message came. */
int kscap_nl_watch_drops(struct kscap_nl *nl);
KSCAP_MUST_CHECK int kscap_nl_next_drops_sz(struct kscap_nl *nl, struct kscap_nl_drops *d,
					    size_t d_size);
#define kscap_nl_next_drops(nl, d)	kscap_nl_next_drops_sz((nl), (d), sizeof(*(d)))

#ifdef __cplusplus
}
#endif

#endif /* LIBKSCAP_H */
