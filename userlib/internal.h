/* SPDX-License-Identifier: MIT */
/*
 * What the library's files share and do not export. The unit tests link
 * the static library and use the hooks declared here (the system call
 * layer and the flag tables) to run without the device.
 */
#ifndef KSCAP_INTERNAL_H
#define KSCAP_INTERNAL_H

#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include "kscap/libkscap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The event table, indexed by type (not exported: kscap_event_info()). */
extern const struct kscap_event_info kscap_event_table[KSCAP_EV_MAX];
/* The parameter types, indexed by type (uapi/kscap.h). */
extern const struct kscap_param_type_info kscap_param_types[KSCAP_PT_MAX];

/* Record a failure for kscap_last_error() and return @err (negative). */
int kscap__fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the system call layer, replaceable for tests ---- */

struct kscap_sys {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off);
	int (*munmap)(void *addr, size_t len);
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout);
};

/* The real system calls. */
extern const struct kscap_sys kscap__real_sys;

/* kscap_open() with another system call layer. */
int kscap__open_sys(const char *path, const struct kscap_sys *sys,
		    struct kscap **out);

/* ---- the thread table's memory of threads /proc no longer had ---- */

struct kscap_threads;
bool kscap__threads_missed(const struct kscap_threads *t, int64_t tid);
void kscap__threads_miss(struct kscap_threads *t, int64_t tid);

/* ---- a bounded string builder that counts what did not fit ---- */

struct sbuf {
	char *buf;
	size_t size;		/* capacity, NUL included */
	size_t len;		/* length of the full text, even past size */
};

void sb_init(struct sbuf *sb, char *buf, size_t size);
void sb_putc(struct sbuf *sb, char c);
void sb_putn(struct sbuf *sb, const char *s, size_t n);
void sb_puts(struct sbuf *sb, const char *s);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_u64(struct sbuf *sb, uint64_t v);
void sb_i64(struct sbuf *sb, int64_t v);
/* A JSON string literal of @n bytes, quotes included (sbuf.c says how
 * bytes that are not UTF-8 are escaped). */
void sb_json_str(struct sbuf *sb, const char *s, size_t n);
/* @n bytes as escaped text; a NUL ends it unless @nul_is_data. */
void sb_text_str(struct sbuf *sb, const char *s, size_t n, bool nul_is_data);
size_t sb_utf8_len(const uint8_t *s, size_t n, uint32_t *cp);

/* ---- a little-endian byte buffer for capture file metadata ---- */

struct bbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;		/* sticky: an allocation failed */
};

void bb_put(struct bbuf *b, const void *src, size_t n);
#define BB_PUT(b, type, v) do { type x_ = (type)(v); bb_put(b, &x_, sizeof(x_)); } while (0)
/* A u16 length, then that many bytes (no NUL), cut to @max. */
void bb_str(struct bbuf *b, const char *s, size_t n, size_t max);
/* An entry that starts with its u32 length: reserve it, then patch it
 * with the entry's length, the u32 itself included if @self. */
size_t bb_entry_start(struct bbuf *b);
void bb_entry_end(struct bbuf *b, size_t start, bool self);

/* ---- the state a capture file starts with (capstate.c) ---- */

/* Bodies of the interface list and the user list blocks, from this
 * machine. */
void kscap__state_ifaces(struct bbuf *b);
void kscap__state_users(struct bbuf *b);
/* A socket as /proc/PID/net lists it (capsock.c). */
struct kscap__sock {
	uint64_t ino;
	uint8_t type;		/* SCAP_FD_IPV4_SOCK, ..._SERVSOCK, UNIX_SOCK */
	uint8_t l4;		/* SCAP_L4_TCP, SCAP_L4_UDP */
	bool server;
	uint8_t sip[16], dip[16];	/* network order; IPv4 in the first 4 */
	uint16_t sport, dport;
	uint64_t src;		/* unix: the socket's id as /proc shows it */
	char path[108];		/* unix: the bound name (sun_path's size) */
};

/* The sockets of the network namespaces met, looked up by inode. */
struct kscap__socks;
struct kscap__socks *kscap__socks_new(void);
void kscap__socks_free(struct kscap__socks *s);
/* The socket @ino as @pid's namespace lists it, or NULL. */
const struct kscap__sock *kscap__socks_find(struct kscap__socks *s, const char *procdir,
					    int64_t pid, uint64_t ino);

/* Body of the fd list block of process @pid, from @procdir/@pid/fd
 * (sockets described from @socks, which may be NULL). 0 if it has no fd
 * that can be read. */
size_t kscap__state_fds(struct bbuf *b, const char *procdir, int64_t pid,
			struct kscap__socks *socks);

/* ---- flag tables (one per enum kscap_param_aux kind) ---- */

struct kscap_flag_name {
	uint32_t value;
	const char *name;
};

/* How a table's values are built: uapi/kscap_flags.h explains the kinds. */
struct kscap_flag_table {
	const struct kscap_flag_name *names;	/* in the uapi's order */
	unsigned int count;
	unsigned int kind;	/* KSCAP_FLAG_KIND_BITS, _VALUES, _MIXED */
	uint32_t code_mask;	/* MIXED: the bits that hold the code */
};

/* Names for @v from table @t ("O_RDONLY|O_CLOEXEC"); bits without a
 * name are appended in hex. */
void kscap__flags_str(struct sbuf *sb, const struct kscap_flag_table *t, uint32_t v);

/* The parameter type (and print format) index @idx of a DYN parameter
 * selects, for aux kind @aux. 0 or -EBADMSG. */
int kscap__dyn_type(unsigned int aux, unsigned int idx, unsigned int *type,
		    unsigned int *fmt);

/* How many parameters of a parsed @evt lie past its row and are unknown
 * here (kept raw as param<N>). */
unsigned int kscap__evt_raw_params(const struct kscap_evt *evt);

/*
 * Hold a parsed @evt to what kscap's module writes, beyond the framing
 * kscap_evt_parse() checks: not an old version of a row, at most
 * KSCAP_MAX_EVENT_LEN bytes, every value of a fixed-size type of that
 * size and every string NUL-terminated (an empty value is always
 * allowed). With KSCAP__CHECK_EXACT also exactly the parameters the
 * module writes: the row's and those it appends (a newer module may
 * append more, so rings are not held to that; the VM tests are).
 * 0 or -EBADMSG, with the reason in kscap_last_error().
 */
#define KSCAP__CHECK_EXACT	(1U << 0)
int kscap__evt_check(const struct kscap_evt *evt, unsigned int how);

/* The table of @aux, or NULL if it has no names (printed as hex). */
const struct kscap_flag_table *kscap__flag_table(unsigned int aux);
/* Replace the table of @aux (NULL: back to the built-in one). */
void kscap__set_flag_table(unsigned int aux, const struct kscap_flag_table *t);

/* ---- little-endian loads from unaligned event bytes ---- */

static inline uint16_t ld16(const void *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t ld32(const void *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t ld64(const void *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Results from -MAX_ERRNO to -1 are errors, as in the kernel. */
#define KSCAP_MAX_ERRNO	4095

/* The ABI's flag values, as KSCAP_ABI_<TABLE>_<NAME>. */
enum {
#define KSCAP_FLAG(table, name, value) KSCAP_ABI_##table##_##name = (value),
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

#endif /* KSCAP_INTERNAL_H */
