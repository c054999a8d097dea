// SPDX-License-Identifier: MIT
/*
 * The uapi tables, instantiated once for the library: the event table,
 * the parameter types, the syscall tables of each architecture (x86_64,
 * arm64), and the names of
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

struct sc_row {
	const char *name;	/* NULL: no syscall has this number */
	unsigned short code;	/* scap syscall code, 0: none */
	unsigned short enter;	/* the row it becomes (GENERIC_E: generic) */
};

static const struct sc_row sc_x86_64[NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) [nr] = { #name, code, KSCAP_EV_##row##_E },
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

static const struct sc_row sc_arm64[NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, row, sig) [nr] = { #name, code, KSCAP_EV_##row##_E },
#include "kscap_syscalls_arm64.h"
#undef KSCAP_SYSCALL
};

/* The architectures, by ELF machine number (a capture file's record). */
static const struct {
	unsigned int machine;
	const char *name, *alias;
	const struct sc_row *rows;
} arches[] = {
	{ KSCAP_ARCH_X86_64, "x86_64", "amd64", sc_x86_64 },
	{ KSCAP_ARCH_AARCH64, "arm64", "aarch64", sc_arm64 },
};
#define NR_ARCHES	(sizeof(arches) / sizeof(arches[0]))

#if defined(__aarch64__)
#define HOST_ARCH	KSCAP_ARCH_AARCH64
#else
#define HOST_ARCH	KSCAP_ARCH_X86_64
#endif

/* Which architecture's numbers kscap_syscall_name() and friends name. */
static unsigned int syscall_arch = HOST_ARCH;

static const struct sc_row *rows_of(unsigned int arch)
{
	size_t i;

	for (i = 0; i < NR_ARCHES; i++)
		if (arches[i].machine == arch)
			return arches[i].rows;
	return NULL;
}

unsigned int kscap_host_arch(void)
{
	return HOST_ARCH;
}

const char *kscap_arch_name(unsigned int arch)
{
	size_t i;

	for (i = 0; i < NR_ARCHES; i++)
		if (arches[i].machine == arch)
			return arches[i].name;
	return NULL;
}

int kscap_arch_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ARCHES; i++)
		if (!strcmp(arches[i].name, name) || !strcmp(arches[i].alias, name))
			return (int)arches[i].machine;
	return -EINVAL;
}

int kscap_set_syscall_arch(unsigned int arch)
{
	if (!rows_of(arch))
		return kscap__fail(-EINVAL, "unknown architecture %u", arch);
	__atomic_store_n(&syscall_arch, arch, __ATOMIC_RELAXED);
	return 0;
}

unsigned int kscap_syscall_arch(void)
{
	return __atomic_load_n(&syscall_arch, __ATOMIC_RELAXED);
}

/* code -> name per architecture, built once: several numbers may share
 * no code (0), and the first number of a code names it. */
static const char *code_names[NR_ARCHES][NR_CODES];
static pthread_once_t code_names_once = PTHREAD_ONCE_INIT;

static void build_code_names(void)
{
	size_t a, nr;

	for (a = 0; a < NR_ARCHES; a++)
		for (nr = 0; nr < NR_SYSCALLS; nr++) {
			const struct sc_row *r = &arches[a].rows[nr];

			if (r->name && r->code && r->code < NR_CODES &&
			    !code_names[a][r->code])
				code_names[a][r->code] = r->name;
		}
}

const char *kscap_syscall_name_arch(unsigned int arch, unsigned int nr)
{
	const struct sc_row *rows = rows_of(arch);

	return rows && nr < NR_SYSCALLS ? rows[nr].name : NULL;
}

int kscap_syscall_event_arch(unsigned int arch, unsigned int nr)
{
	const struct sc_row *rows = rows_of(arch);

	if (!rows || nr >= NR_SYSCALLS || !rows[nr].name)
		return -ENOENT;
	return rows[nr].enter;
}

const char *kscap_syscall_name(unsigned int nr)
{
	return kscap_syscall_name_arch(kscap_syscall_arch(), nr);
}

const char *kscap_syscall_code_name(unsigned int code)
{
	unsigned int arch = kscap_syscall_arch();
	size_t a;

	if (!code || code >= NR_CODES)
		return NULL;
	pthread_once(&code_names_once, build_code_names);
	for (a = 0; a < NR_ARCHES && arches[a].machine != arch; a++)
		;
	return a < NR_ARCHES ? code_names[a][code] : NULL;
}

int kscap_syscall_by_name(const char *name)
{
	const struct sc_row *rows = rows_of(kscap_syscall_arch());
	unsigned int nr;

	for (nr = 0; rows && nr < NR_SYSCALLS; nr++)
		if (rows[nr].name && !strcmp(rows[nr].name, name))
			return (int)nr;
	return -ENOENT;
}
