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
/* A JSON string literal of @n bytes, quotes included. */
void sb_json_str(struct sbuf *sb, const char *s, size_t n);

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

/* Whether @type may have @nparams parameters as kscap extends its row
 * (uapi/kscap.h, section 5), and the appended parameter @idx. */
bool kscap__ext_nparams(unsigned int type, uint32_t nparams);
const struct kscap_param_info *kscap__ext_param(unsigned int type, unsigned int idx);

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

/* The AT_FDCWD value the scap ABI encodes dirfds with. */
#define KSCAP_AT_FDCWD	(-100)
/* The ABI's flag values, as KSCAP_ABI_<TABLE>_<NAME>. */
enum {
#define KSCAP_FLAG(table, name, value) KSCAP_ABI_##table##_##name = (value),
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

#endif /* KSCAP_INTERNAL_H */
