// SPDX-License-Identifier: GPL-2.0
/*
 * perms: who may open the device and how its memory may be mapped.
 *  - status and data mappings cannot be writable, not even by mprotect;
 *  - mmap offsets and lengths outside the geometry are refused;
 *  - a second open gets EBUSY (one consumer at a time);
 *  - root without CAP_SYS_ADMIN, and uid 65534 even on a 0666 node, get
 *    EPERM from the module itself;
 *  - rmmod fails while the device is open, and while only a mapping of it
 *    is left, and succeeds once everything is closed.
 * Unloads the module at the end (the test script checks that).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

static int delete_module(const char *name)
{
	return (int)syscall(SYS_delete_module, name, O_NONBLOCK);
}

static void no_map(const struct kt_dev *d, size_t len, int prot, unsigned long long off,
		   const char *what, int want_perm)
{
	void *m = mmap(NULL, len, prot, MAP_SHARED, d->fd, (off_t)off);

	if (m != MAP_FAILED) {
		munmap(m, len);
		kt_fail("mmap %s succeeded", what);
	}
	if (want_perm)
		KT_CHECK(errno == EPERM || errno == EACCES, "mmap %s: %m, want EPERM or EACCES", what);
}

static void no_mprotect(void *addr, size_t len, const char *what)
{
	if (!mprotect(addr, len, PROT_READ | PROT_WRITE))
		kt_fail("mprotect(PROT_WRITE) of the %s mapping succeeded", what);
	KT_CHECK(errno == EACCES || errno == EPERM, "mprotect(PROT_WRITE) of the %s mapping: %m, want EACCES",
		 what);
}

/* Run @fn in a child; it must exit 0. */
static void in_child(void (*fn)(void), const char *what)
{
	int st;
	pid_t pid = KT_SYS(fork());

	if (!pid) {
		fn();
		_exit(0);
	}
	KT_SYS(waitpid(pid, &st, 0));
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: child ended with 0x%x", what, st);
}

static void expect_open_eperm(const char *who)
{
	int fd = open(KSCAP_DEVICE_PATH, O_RDWR);

	if (fd >= 0)
		kt_fail("%s opened %s", who, KSCAP_DEVICE_PATH);
	KT_CHECK(errno == EPERM, "%s: open: %m, want EPERM", who);
}

static void open_without_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];

	KT_SYS(syscall(SYS_capget, &h, c));
	c[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	c[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	c[CAP_SYS_ADMIN / 32].inheritable &= ~(1U << (CAP_SYS_ADMIN % 32));
	KT_SYS(syscall(SYS_capset, &h, c));
	expect_open_eperm("uid 0 without CAP_SYS_ADMIN");
}

static void open_as_nobody(void)
{
	KT_SYS(setgroups(0, NULL));
	KT_SYS(setgid(65534));
	KT_SYS(setuid(65534));
	/* The node is 0666 for this part: only the module can say no. */
	expect_open_eperm("uid 65534 (node mode 0666)");
}

static void open_as_nobody_0600(void)
{
	int fd;

	KT_SYS(setgroups(0, NULL));
	KT_SYS(setgid(65534));
	KT_SYS(setuid(65534));
	fd = open(KSCAP_DEVICE_PATH, O_RDWR);
	KT_CHECK(fd < 0, "uid 65534 opened the 0600 %s", KSCAP_DEVICE_PATH);
}

int main(void)
{
	struct kt_dev d;
	size_t pg;
	void *m;
	int fd;

	kt_open(&d);

	/* One consumer at a time. */
	fd = open(KSCAP_DEVICE_PATH, O_RDWR);
	if (fd >= 0)
		kt_fail("a second open succeeded while the device is open");
	KT_CHECK(errno == EBUSY, "second open: %m, want EBUSY");

	/* Only the consumer tails are writable. */
	no_map(&d, d.g.status_len, PROT_READ | PROT_WRITE, KSCAP_MMAP_STATUS, "status PROT_WRITE", 1);
	no_map(&d, d.g.status_len, PROT_WRITE, KSCAP_MMAP_STATUS, "status PROT_WRITE only", 1);
	no_map(&d, 2 * d.g.ring_size, PROT_READ | PROT_WRITE, KSCAP_MMAP_DATA(0), "data(0) PROT_WRITE", 1);
	no_mprotect(d.status, d.g.status_len, "status");
	no_mprotect(d.data[0], 2 * d.g.ring_size, "data(0)");
	/* Outside the geometry. */
	no_map(&d, 2 * d.g.ring_size, PROT_READ, KSCAP_MMAP_DATA(d.g.ncpus), "data(ncpus)", 0);
	no_map(&d, 4 * d.g.ring_size, PROT_READ, KSCAP_MMAP_DATA(0), "data(0) of 4 * ring_size", 0);
	no_map(&d, d.g.page_size, PROT_READ, 5ULL << 60, "an unknown offset", 0);

	/* The module is pinned while the device is open... */
	KT_CHECK(delete_module("kscap") < 0, "rmmod succeeded with the device open");
	kt_log("rmmod with the device open: %m (refused, good)");
	/* ...and while a mapping outlives the file descriptor. */
	pg = d.g.page_size;
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED, d.fd, KSCAP_MMAP_STATUS);
	KT_CHECK(m != MAP_FAILED, "mmap one page of status: %m");
	kt_close(&d);
	KT_CHECK(delete_module("kscap") < 0, "rmmod succeeded while a mapping of the device is left");
	(void)*(volatile u64 *)m;	/* still readable */
	KT_SYS(munmap(m, pg));
	/* The last reference is gone: the device is free again. */
	fd = open(KSCAP_DEVICE_PATH, O_RDWR);
	if (fd < 0)
		kt_fail("open after the fd was closed and the last mapping unmapped: %m");
	close(fd);

	/* Privilege: the module's own check, past the file mode. */
	in_child(open_without_sys_admin, "open without CAP_SYS_ADMIN");
	KT_SYS(chmod(KSCAP_DEVICE_PATH, 0666));
	in_child(open_as_nobody, "open as uid 65534");
	KT_SYS(chmod(KSCAP_DEVICE_PATH, 0600));
	in_child(open_as_nobody_0600, "open as uid 65534, mode 0600");

	fd = open(KSCAP_DEVICE_PATH, O_RDWR);
	if (fd < 0)
		kt_fail("open after the unprivileged attempts: %m");
	close(fd);

	/* Still usable by root afterwards, then unloadable once closed. */
	kt_open(&d);
	kt_close(&d);
	if (delete_module("kscap"))
		kt_fail("rmmod after everything was closed: %m");
	return 0;
}
