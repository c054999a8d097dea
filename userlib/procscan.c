// SPDX-License-Identifier: MIT
/*
 * Seeding the thread table from /proc, so that events of threads that
 * started before the capture still show their process and command.
 * A process that exits while we read it is skipped, not an error.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* Read at most @size - 1 bytes of a small file; -1 if it cannot be read. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

static void read_link(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The parent pid, field 4 of stat: after the ")" that ends the comm. */
static int64_t stat_ppid(const char *stat)
{
	const char *p = strrchr(stat, ')');
	long long ppid;
	char state;

	if (!p || sscanf(p + 1, " %c %lld", &state, &ppid) != 2)
		return 0;
	return ppid;
}

static void status_ids(const char *status, uint32_t *uid, uint32_t *gid)
{
	const char *p = strstr(status, "\nUid:");
	unsigned int v;

	if (p && sscanf(p + 5, "%u", &v) == 1)
		*uid = v;
	p = strstr(status, "\nGid:");
	if (p && sscanf(p + 5, "%u", &v) == 1)
		*gid = v;
}

/* Add process @pidname's threads, or only thread @only (if >= 0).
 * 1 if a thread was added, 0 if none (gone), <0 on error. */
static int scan_process(struct kscap_threads *t, const char *procdir,
			const char *pidname, int64_t only)
{
	char path[512], buf[4096], exepath[KSCAP_PATH_MAX], cwd[KSCAP_PATH_MAX];
	char args[4096];
	struct kscap_thread th;
	struct dirent *de;
	ssize_t n;
	DIR *tasks;
	int err = 0, added = 0;

	memset(&th, 0, sizeof(th));
	th.pid = strtoll(pidname, NULL, 10);
	snprintf(path, sizeof(path), "%s/%s/stat", procdir, pidname);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return 0;
	th.ptid = stat_ppid(buf);
	snprintf(path, sizeof(path), "%s/%s/status", procdir, pidname);
	if (read_small(path, buf, sizeof(buf)) >= 0)
		status_ids(buf, &th.uid, &th.gid);
	snprintf(path, sizeof(path), "%s/%s/exe", procdir, pidname);
	read_link(path, exepath, sizeof(exepath));
	snprintf(path, sizeof(path), "%s/%s/cwd", procdir, pidname);
	read_link(path, cwd, sizeof(cwd));
	snprintf(path, sizeof(path), "%s/%s/cmdline", procdir, pidname);
	n = read_small(path, args, sizeof(args));
	/* cmdline is argv, NUL-separated: argv[0] is exe, the rest args */
	th.exe = args;
	th.exepath = exepath;
	th.cwd = cwd;
	if (n > 0) {
		size_t k = strnlen(args, (size_t)n) + 1;

		th.args = args + (k < (size_t)n ? k : (size_t)n);
		th.args_len = k < (size_t)n ? (size_t)n - k : 0;
	} else {
		th.args = "";
		th.args_len = 0;
	}

	snprintf(path, sizeof(path), "%s/%s/task", procdir, pidname);
	tasks = opendir(path);
	if (!tasks) {
		/* no task directory (an odd procfs): the process alone */
		th.tid = th.pid;
		if (only >= 0 && only != th.tid)
			return 0;
		snprintf(path, sizeof(path), "%s/%s/comm", procdir, pidname);
		if (read_small(path, th.comm, sizeof(th.comm)) <= 0)
			return 0;	/* gone meanwhile */
		th.comm[strcspn(th.comm, "\n")] = '\0';
		err = kscap_threads_add(t, &th);
		return err ? err : 1;
	}
	while (!err && (de = readdir(tasks))) {
		if (!all_digits(de->d_name))
			continue;
		th.tid = strtoll(de->d_name, NULL, 10);
		if (only >= 0 && only != th.tid)
			continue;
		snprintf(path, sizeof(path), "%s/%s/task/%s/comm", procdir, pidname,
			 de->d_name);
		if (read_small(path, th.comm, sizeof(th.comm)) <= 0)
			continue;	/* the thread is gone */
		th.comm[strcspn(th.comm, "\n")] = '\0';
		err = kscap_threads_add(t, &th);
		added += !err;
	}
	closedir(tasks);
	return err ? err : added > 0;
}

int kscap_threads_scan_proc(struct kscap_threads *t, const char *procdir)
{
	struct dirent *de;
	DIR *d;
	int err = 0;

	if (!procdir)
		procdir = "/proc";
	d = opendir(procdir);
	if (!d)
		return kscap__fail(-errno, "%s: %s", procdir, strerror(errno));
	while (err >= 0 && (de = readdir(d)))
		if (all_digits(de->d_name))
			err = scan_process(t, procdir, de->d_name, -1);
	closedir(d);
	return err < 0 ? err : 0;
}

int kscap_threads_scan_tid(struct kscap_threads *t, const char *procdir, int64_t tid)
{
	char path[512], buf[4096], pidname[24];
	const char *p;
	long long tgid;
	int rc;

	if (!procdir)
		procdir = "/proc";
	if (tid <= 0 || kscap__threads_missed(t, tid))
		return 0;
	/* /proc/TID exists for every thread, listed or not: its status
	 * names the process the thread belongs to. */
	snprintf(path, sizeof(path), "%s/%lld/status", procdir, (long long)tid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		goto gone;
	p = strstr(buf, "\nTgid:");
	if (!p || sscanf(p + 6, "%lld", &tgid) != 1 || tgid <= 0)
		goto gone;
	snprintf(pidname, sizeof(pidname), "%lld", tgid);
	rc = scan_process(t, procdir, pidname, tid);
	/* Not found though its status was there: it may be between two
	 * states (an exec); its next event looks again. */
	return rc;
gone:
	kscap__threads_miss(t, tid);
	return 0;
}
