// SPDX-License-Identifier: MIT
/*
 * The uapi tables, instantiated once for the library: the event table,
 * the parameter types, the x86_64 syscall names, and the names of
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

const struct kscap_param_type_info kscap_param_types[KSCAP_PT_MAX] = {
	KSCAP_PARAM_TYPES(KSCAP_PT_INFO)
};

const char *kscap_param_type_name(unsigned int type)
{
	return type < KSCAP_PT_MAX ? kscap_param_types[type].name : NULL;
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
#define KSCAP_SYSCALL(nr, name, code, sig) [nr] = #name,
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

static const struct {
	unsigned short nr;
	unsigned short code;
} syscall_codes[] = {
#define KSCAP_SYSCALL(nr, name, code, sig) { nr, code },
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
