// SPDX-License-Identifier: MIT
/*
 * The uapi tables, instantiated once for the library: the event table,
 * the x86_64 syscall names, and the names of parameter types and
 * categories as the event table documentation spells them.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include "internal.h"

const struct kscap_event_info kscap_event_table[KSCAP_EV_MAX] = {
#include KSCAP_EVENT_TABLE_ROWS
};

const struct kscap_event_info *kscap_event_info(unsigned int type)
{
	if (type >= KSCAP_EV_MAX || !kscap_event_table[type].name)
		return NULL;
	return &kscap_event_table[type];
}

unsigned int kscap_event_max(void)
{
	return KSCAP_EV_MAX;
}

unsigned int kscap_version(void)
{
	return LIBKSCAP_VERSION;
}

static const char *const param_type_names[KSCAP_PT_MAX] = {
	[KSCAP_PT_NONE] = "NONE",
	[KSCAP_PT_INT8] = "INT8",
	[KSCAP_PT_INT16] = "INT16",
	[KSCAP_PT_INT32] = "INT32",
	[KSCAP_PT_INT64] = "INT64",
	[KSCAP_PT_UINT8] = "UINT8",
	[KSCAP_PT_UINT16] = "UINT16",
	[KSCAP_PT_UINT32] = "UINT32",
	[KSCAP_PT_UINT64] = "UINT64",
	[KSCAP_PT_CHARBUF] = "CHARBUF",
	[KSCAP_PT_BYTEBUF] = "BYTEBUF",
	[KSCAP_PT_ERRNO] = "ERRNO",
	[KSCAP_PT_SOCKADDR] = "SOCKADDR",
	[KSCAP_PT_SOCKTUPLE] = "SOCKTUPLE",
	[KSCAP_PT_FD] = "FD",
	[KSCAP_PT_PID] = "PID",
	[KSCAP_PT_FDLIST] = "FDLIST",
	[KSCAP_PT_FSPATH] = "FSPATH",
	[KSCAP_PT_SYSCALLID] = "SYSCALLID",
	[KSCAP_PT_SIGTYPE] = "SIGTYPE",
	[KSCAP_PT_RELTIME] = "RELTIME",
	[KSCAP_PT_ABSTIME] = "ABSTIME",
	[KSCAP_PT_PORT] = "PORT",
	[KSCAP_PT_L4PROTO] = "L4PROTO",
	[KSCAP_PT_SOCKFAMILY] = "SOCKFAMILY",
	[KSCAP_PT_BOOL] = "BOOL",
	[KSCAP_PT_IPV4ADDR] = "IPV4ADDR",
	[KSCAP_PT_DYN] = "DYNAMIC",	/* how the documentation names it */
	[KSCAP_PT_FLAGS8] = "FLAGS8",
	[KSCAP_PT_FLAGS16] = "FLAGS16",
	[KSCAP_PT_FLAGS32] = "FLAGS32",
	[KSCAP_PT_UID] = "UID",
	[KSCAP_PT_GID] = "GID",
	[KSCAP_PT_DOUBLE] = "DOUBLE",
	[KSCAP_PT_SIGSET] = "SIGSET",
	[KSCAP_PT_CHARBUFARRAY] = "CHARBUFARRAY",
	[KSCAP_PT_CHARBUF_PAIR_ARRAY] = "CHARBUF_PAIR_ARRAY",
	[KSCAP_PT_IPV4NET] = "IPV4NET",
	[KSCAP_PT_IPV6ADDR] = "IPV6ADDR",
	[KSCAP_PT_IPV6NET] = "IPV6NET",
	[KSCAP_PT_IPADDR] = "IPADDR",
	[KSCAP_PT_IPNET] = "IPNET",
	[KSCAP_PT_MODE] = "MODE",
	[KSCAP_PT_FSRELPATH] = "FSRELPATH",
};

const char *kscap_param_type_name(unsigned int type)
{
	return type < KSCAP_PT_MAX ? param_type_names[type] : NULL;
}

static const struct {
	unsigned int cat;
	const char *name;
} categories[] = {
	{ KSCAP_CAT_UNKNOWN, "unknown" },
	{ KSCAP_CAT_OTHER, "other" },
	{ KSCAP_CAT_FILE, "file" },
	{ KSCAP_CAT_NET, "net" },
	{ KSCAP_CAT_IPC, "ipc" },
	{ KSCAP_CAT_MEMORY, "memory" },
	{ KSCAP_CAT_PROCESS, "process" },
	{ KSCAP_CAT_SLEEP, "sleep" },
	{ KSCAP_CAT_SYSTEM, "system" },
	{ KSCAP_CAT_SIGNAL, "signal" },
	{ KSCAP_CAT_USER, "user" },
	{ KSCAP_CAT_TIME, "time" },
	{ KSCAP_CAT_IO_READ, "io_read" },
	{ KSCAP_CAT_IO_WRITE, "io_write" },
	{ KSCAP_CAT_IO_OTHER, "io_other" },
	{ KSCAP_CAT_WAIT, "wait" },
	{ KSCAP_CAT_SCHEDULER, "scheduler" },
	{ KSCAP_CAT_INTERNAL, "internal" },
};

const char *kscap_category_name(unsigned int category)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(categories); i++)
		if (categories[i].cat == category)
			return categories[i].name;
	return NULL;
}

int kscap_category_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(categories); i++)
		if (!strcmp(categories[i].name, name))
			return (int)categories[i].cat;
	return -EINVAL;
}

/* ---- syscalls ---- */

#define NR_SYSCALLS	512
#define NR_CODES	1024

static const char *const syscall_names[NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) [nr] = #name,
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

static const struct {
	unsigned short nr;
	unsigned short code;
} syscall_codes[] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) { nr, code },
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

/* code -> name, built once: several numbers may share no code (0). */
static const char *code_names[NR_CODES];
static pthread_once_t code_names_once = PTHREAD_ONCE_INIT;

static void build_code_names(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(syscall_codes); i++) {
		unsigned int code = syscall_codes[i].code;

		if (code && code < NR_CODES && !code_names[code])
			code_names[code] = syscall_names[syscall_codes[i].nr];
	}
}

const char *kscap_syscall_name(unsigned int nr)
{
	return nr < NR_SYSCALLS ? syscall_names[nr] : NULL;
}

const char *kscap_syscall_code_name(unsigned int code)
{
	if (!code || code >= NR_CODES)
		return NULL;
	pthread_once(&code_names_once, build_code_names);
	return code_names[code];
}

int kscap_syscall_by_name(const char *name)
{
	unsigned int nr;

	for (nr = 0; nr < NR_SYSCALLS; nr++)
		if (syscall_names[nr] && !strcmp(syscall_names[nr], name))
			return (int)nr;
	return -ENOENT;
}
