// SPDX-License-Identifier: GPL-2.0
/*
 * wholeval: a value is recorded whole or its event is dropped and
 * counted; it is never cut for want of ring room. With a small ring
 * (ring_size=16384), fill this CPU's ring with getppid() events by a
 * growing amount, then make a call whose event carries a long value,
 * so the room left sweeps across that event's size:
 *  - unlink() of a 2494-byte path (a user string, the last parameter);
 *  - poll() of 300 pollfds (the fd list of the enter event);
 *  - fork() from a 3027-byte cwd (the cwd of both clone exits, which
 *    may use the reserve).
 * Every event found must carry the whole value, every one missing must
 * be counted in drops_full of its class; the sweep must see both.
 * Then the caps and faults: a 5000-byte path is cut at KSCAP_PATH_MAX
 * and counted as truncated, so is read, readv or writev data cut at
 * snaplen; a path of 300 readable bytes followed by a
 * PROT_NONE page keeps those 300 bytes and counts a fault.
 *
 *   wholeval RING_SIZE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

#define UNLINK_LEN	2494
#define CWD_LEN		3027
#define NPOLL		300

static struct kt_dev d;
static unsigned int cpu;

/* What one trial looks for: events of @type by the tids listed. */
struct look {
	uint16_t type;
	pid_t tid[2];
	unsigned int pidx;	/* the parameter that must be whole */
	const void *want;
	uint32_t want_len;
	int same_idx;		/* a parameter every event must have the same, or -1 */
	/* out */
	unsigned int found;
};

/* The first value seen of look.same_idx, which every later one must equal. */
static unsigned char same_val[65536];
static int same_len = -1;

static unsigned int param_index(uint16_t type, const char *name)
{
	unsigned int i;

	for (i = 0; i < kt_events[type].nparams; i++)
		if (!strcmp(kt_events[type].params[i].name, name))
			return i;
	kt_fail("event %u has no parameter %s", type, name);
}

static void look_cb(const struct kt_ev *ev, void *arg)
{
	struct look *l = arg;

	if (ev->type != l->type ||
	    (ev->tid != (u64)l->tid[0] && ev->tid != (u64)l->tid[1]))
		return;
	l->found++;
	KT_CHECK(ev->plen[l->pidx] == l->want_len &&
		 !memcmp(ev->pval[l->pidx], l->want, l->want_len),
		 "%s event of tid %llu: %s is %u bytes, want the whole %u",
		 kt_events[ev->type].name, (unsigned long long)ev->tid,
		 kt_events[ev->type].params[l->pidx].name, ev->plen[l->pidx],
		 l->want_len);
	if (l->same_idx < 0)
		return;
	if (same_len < 0) {
		same_len = ev->plen[l->same_idx];
		memcpy(same_val, ev->pval[l->same_idx], same_len);
	}
	KT_CHECK(ev->plen[l->same_idx] == same_len &&
		 !memcmp(ev->pval[l->same_idx], same_val, same_len),
		 "%s event of tid %llu: %s is %u bytes, the first one was %d",
		 kt_events[ev->type].name, (unsigned long long)ev->tid,
		 kt_events[ev->type].params[l->same_idx].name, ev->plen[l->same_idx],
		 same_len);
}

/* Per sweep: trials where the events were all found, or some dropped. */
struct tally {
	const char *what;
	unsigned int whole, dropped;
};

/*
 * One trial: empty the ring, fill it with @fill getppid() calls, run
 * @call, and check what it left in [from, head): @expect events of
 * l->type, each whole, or the missing ones counted in drops_full[@cls].
 */
static void trial(unsigned int fill, void (*call)(struct look *), struct look *l,
		  unsigned int expect, unsigned int cls, struct tally *t)
{
	struct kscap_counters c0, c1;
	unsigned int i;
	u64 from, to;

	kt_stats(&d, cpu, &c0);
	kt_drain(&d);
	from = kt_head(&d, cpu);
	for (i = 0; i < fill; i++)
		syscall(SYS_getppid);
	call(l);
	to = kt_head(&d, cpu);
	kt_stats(&d, cpu, &c1);
	l->found = 0;
	kt_walk(&d, cpu, from, to, look_cb, l);
	if (l->found >= expect) {
		t->whole++;
		return;
	}
	KT_CHECK(c1.drops_full[cls] - c0.drops_full[cls] >= expect - l->found,
		 "%s, after %u getppid: %u of %u events missing, %llu drops counted",
		 t->what, fill, expect - l->found, expect,
		 (unsigned long long)(c1.drops_full[cls] - c0.drops_full[cls]));
	t->dropped++;
}

/* Fill counts that take the room left from over @len bytes to none. */
static void sweep(const char *what, uint32_t len, void (*call)(struct look *),
		  struct look *l, unsigned int expect, unsigned int cls)
{
	u64 pair, usable = d.g.ring_size - d.g.reserve, lo, hi, k;
	struct tally t = { .what = what };
	u64 from;

	/* Bytes one getppid() adds: its enter and exit. */
	kt_drain(&d);
	from = kt_head(&d, cpu);
	for (k = 0; k < 16; k++)
		syscall(SYS_getppid);
	pair = (kt_head(&d, cpu) - from) / 16;
	KT_CHECK(pair > 0, "getppid() left no events");

	lo = usable > len + 1024 ? (usable - len - 1024) / pair : 0;
	hi = usable / pair + 2;
	for (k = lo; k <= hi; k++)
		trial(k, call, l, expect, cls, &t);
	kt_log("%s: %u trials whole, %u with the event dropped and counted",
	       what, t.whole, t.dropped);
	KT_CHECK(t.whole && t.dropped,
		 "%s: the sweep saw %u whole and %u dropped: it must see both",
		 what, t.whole, t.dropped);
}

static char upath[UNLINK_LEN + 1];

static void unlink_only(struct look *l)
{
	(void)l;
	KT_CHECK(!syscall(SYS_unlink, upath), "unlink: %m");
}

/* A path of @len bytes under @base; its last component a directory too if @dir. */
static void make_dirs(char *path, size_t len, const char *base, int dir)
{
	size_t n = strlen(base);

	/* base/ccc.../ccc...: components of at most 200 bytes. */
	memcpy(path, base, n);
	mkdir(base, 0700);
	while (n < len) {
		size_t c = len - n - 1 < 200 ? len - n - 1 : 200;

		path[n++] = '/';
		memset(path + n, 'c', c);
		n += c;
		path[n] = '\0';
		if (n < len || dir)
			KT_CHECK(!mkdir(path, 0700) || errno == EEXIST, "mkdir (%zu bytes): %m", n);
	}
	path[len] = '\0';
}

static void unlink_sweep(void)
{
	struct look l = { .type = KSCAP_EV_UNLINK_X, .tid = { kt_gettid(), kt_gettid() },
			  .same_idx = -1 };
	struct tally t = { .what = "unlink of a 2494-byte path" };
	u64 pair = 0, usable = d.g.ring_size - d.g.reserve, k, lo, hi, from;
	int fd;

	make_dirs(upath, UNLINK_LEN, "/tmp/wu", 0);
	l.pidx = param_index(KSCAP_EV_UNLINK_X, "path");
	l.want = upath;
	l.want_len = UNLINK_LEN + 1;

	kt_drain(&d);
	from = kt_head(&d, cpu);
	for (k = 0; k < 16; k++)
		syscall(SYS_getppid);
	pair = (kt_head(&d, cpu) - from) / 16;
	lo = (usable - UNLINK_LEN - 1024) / pair;
	hi = usable / pair + 2;
	for (k = lo; k <= hi; k++) {
		fd = open(upath, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		KT_CHECK(fd >= 0, "creating the %d-byte path: %m", UNLINK_LEN);
		close(fd);
		trial(k, unlink_only, &l, 1, KSCAP_DROP_FILE, &t);
	}
	kt_log("%s: %u trials whole, %u with the event dropped and counted",
	       t.what, t.whole, t.dropped);
	KT_CHECK(t.whole && t.dropped, "%s: the sweep saw %u whole and %u dropped: it must see both",
		 t.what, t.whole, t.dropped);
}

static struct pollfd pfds[NPOLL];
static unsigned char want_fds[2 + NPOLL * 10];

static void do_poll(struct look *l)
{
	(void)l;
	KT_CHECK(poll(pfds, NPOLL, 0) >= 0, "poll: %m");
}

static void poll_sweep(void)
{
	struct look l = { .type = KSCAP_EV_POLL_E, .tid = { kt_gettid(), kt_gettid() },
			  .same_idx = -1 };
	uint16_t n = NPOLL, ev = 0;
	unsigned int i;

	/* fd -1 is ignored by poll(), but listed with its events. */
	for (i = 0; i < NPOLL; i++) {
		int64_t fd = -1;

		pfds[i].fd = -1;
		pfds[i].events = 0;
		memcpy(want_fds + 2 + i * 10, &fd, 8);
		memcpy(want_fds + 2 + i * 10 + 8, &ev, 2);
	}
	memcpy(want_fds, &n, 2);
	l.pidx = param_index(KSCAP_EV_POLL_E, "fds");
	l.want = want_fds;
	l.want_len = sizeof(want_fds);
	sweep("poll of 300 pollfds", sizeof(want_fds), do_poll, &l, 1, KSCAP_DROP_IO);
}

static char cwd[CWD_LEN + 1];

static void do_fork(struct look *l)
{
	pid_t pid = fork();
	int st;

	KT_CHECK(pid >= 0, "fork: %m");
	if (!pid)
		_exit(0);
	l->tid[1] = pid;
	KT_CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "waitpid: %m");
}

static void cwd_sweep(void)
{
	struct look l = { .type = KSCAP_EV_CLONE_X, .tid = { kt_gettid(), 0 } };
	char got[4096];

	make_dirs(cwd, CWD_LEN, "/tmp/wc", 1);
	KT_CHECK(!chdir(cwd), "chdir to the %d-byte cwd: %m", CWD_LEN);
	KT_CHECK(getcwd(got, sizeof(got)) && !strcmp(got, cwd), "getcwd is not the path made");
	l.pidx = param_index(KSCAP_EV_CLONE_X, "cwd");
	/* cgroups too: the parent's and the child's are the same, whole. */
	l.same_idx = param_index(KSCAP_EV_CLONE_X, "cgroups");
	l.want = cwd;
	l.want_len = CWD_LEN + 1;
	/*
	 * Two clone exits, with exe, args and cgroups besides the cwd, and
	 * they may use the reserve: start the sweep with room for all that.
	 */
	sweep("fork from a 3027-byte cwd", 2 * (CWD_LEN + 1024) + d.g.reserve, do_fork, &l, 2,
	      KSCAP_DROP_PROCESS);
	kt_log("clone exits' cgroups: %d bytes", same_len);
	KT_CHECK(!chdir("/"), "chdir /: %m");
}

/* One unlink of @p with an empty ring: its path must be @want; counters moved by it in @delta. */
static void one_unlink(const char *p, const char *want, uint32_t want_len,
		       struct kscap_counters *delta)
{
	struct look l = { .type = KSCAP_EV_UNLINK_X, .tid = { kt_gettid(), kt_gettid() },
			  .same_idx = -1 };
	struct kscap_counters c0, c1;
	unsigned int i;
	u64 from;

	l.pidx = param_index(KSCAP_EV_UNLINK_X, "path");
	l.want = want;
	l.want_len = want_len;
	kt_stats(&d, cpu, &c0);
	kt_drain(&d);
	from = kt_head(&d, cpu);
	syscall(SYS_unlink, p);
	kt_walk(&d, cpu, from, kt_head(&d, cpu), look_cb, &l);
	kt_stats(&d, cpu, &c1);
	KT_CHECK(l.found == 1, "unlink: %u exit events found with an empty ring, want 1", l.found);
	for (i = 0; i < sizeof(c0) / sizeof(u64); i++)
		((u64 *)delta)[i] = ((u64 *)&c1)[i] - ((u64 *)&c0)[i];
}

enum io_kind { IO_READ, IO_READV, IO_WRITEV };

/*
 * Counters moved by reading @n bytes of a file with read() or readv(),
 * or writing them to /dev/null with writev() in two iovecs.
 */
static void read_delta(enum io_kind k, size_t n, struct kscap_counters *delta)
{
	static char buf[4096];
	struct iovec iov[2] = { { buf, n / 2 }, { buf + n / 2, n - n / 2 } };
	struct iovec one = { buf, n };
	struct kscap_counters c0, c1;
	unsigned int i;
	int fd = open(k == IO_WRITEV ? "/dev/null" : "/proc/self/exe",
		      (k == IO_WRITEV ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	ssize_t r;

	KT_CHECK(fd >= 0, "open: %m");
	kt_stats(&d, cpu, &c0);
	if (k == IO_WRITEV)
		r = writev(fd, iov, 2);
	else
		r = k == IO_READV ? readv(fd, &one, 1) : read(fd, buf, n);
	kt_stats(&d, cpu, &c1);
	KT_CHECK(r == (ssize_t)n, "read %zu bytes: %zd", n, r);
	close(fd);
	for (i = 0; i < sizeof(c0) / sizeof(u64); i++)
		((u64 *)delta)[i] = ((u64 *)&c1)[i] - ((u64 *)&c0)[i];
}

static void caps_and_faults(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct kscap_counters delta;
	static char longp[5001], want[4096];
	char *m, *s;

	/* Cut at KSCAP_PATH_MAX: 4095 bytes and the NUL, counted. */
	memset(longp, 'b', 5000);
	memset(want, 'b', 4095);
	one_unlink(longp, want, 4096, &delta);
	KT_CHECK(delta.truncated == 1, "a 5000-byte path: truncated +%llu, want +1",
		 (unsigned long long)delta.truncated);

	/* Data cut at snaplen (80 by default): counted; data within it: not. */
	read_delta(IO_READ, 200, &delta);
	KT_CHECK(delta.truncated == 1, "read of 200 bytes: truncated +%llu, want +1",
		 (unsigned long long)delta.truncated);
	read_delta(IO_READV, 200, &delta);
	KT_CHECK(delta.truncated == 1, "readv of 200 bytes: truncated +%llu, want +1",
		 (unsigned long long)delta.truncated);
	read_delta(IO_WRITEV, 200, &delta);
	KT_CHECK(delta.truncated == 1, "writev of 200 bytes: truncated +%llu, want +1",
		 (unsigned long long)delta.truncated);
	read_delta(IO_READ, 80, &delta);
	KT_CHECK(delta.truncated == 0, "read of 80 bytes: truncated +%llu, want 0",
		 (unsigned long long)delta.truncated);
	read_delta(IO_WRITEV, 80, &delta);
	KT_CHECK(delta.truncated == 0, "writev of 80 bytes: truncated +%llu, want 0",
		 (unsigned long long)delta.truncated);

	/* 300 readable bytes, then a PROT_NONE page: those bytes, a fault. */
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(m != MAP_FAILED, "mmap: %m");
	KT_CHECK(!mprotect(m + pg, pg, PROT_NONE), "mprotect: %m");
	s = m + pg - 300;
	memset(s, 'a', 300);
	memset(want, 'a', 300);
	want[300] = '\0';
	one_unlink(s, want, 301, &delta);
	KT_CHECK(delta.faults == 1, "a path running into PROT_NONE: faults +%llu, want +1",
		 (unsigned long long)delta.faults);
	KT_CHECK(delta.truncated == 0, "a path running into PROT_NONE: truncated +%llu, want 0",
		 (unsigned long long)delta.truncated);
	munmap(m, 2 * pg);
}

/*
 * truncated grew struct kscap_counters (ABI 1.1): a consumer built
 * against 1.0 still gets its counters, and not a byte more.
 */
static void stats_abi_1_0(void)
{
	unsigned char buf[sizeof(struct kscap_stats) + 16];
	struct kscap_stats old, now;
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	memset(&old, 0, sizeof(old));
	old.cpu = KSCAP_ALL_CPUS;
	memcpy(buf, &old, 8);
	KT_CHECK(!ioctl(d.fd, KSCAP_IOC_GET_STATS_1_0, buf), "GET_STATS of ABI 1.0: %m");
	for (i = KSCAP_STATS_SIZE_1_0; i < sizeof(buf); i++)
		KT_CHECK(buf[i] == 0xa5, "GET_STATS of ABI 1.0 wrote byte %zu, past its %d", i,
			 KSCAP_STATS_SIZE_1_0);
	memcpy(&old, buf, KSCAP_STATS_SIZE_1_0);
	kt_stats(&d, KSCAP_ALL_CPUS, &now.c);
	KT_CHECK(!memcmp(&old.c, &now.c, KSCAP_STATS_SIZE_1_0 - 8),
		 "GET_STATS of ABI 1.0 and of 1.1 disagree (capture is off)");
}

int main(int argc, char **argv)
{
	KT_CHECK(argc == 2, "usage: wholeval RING_SIZE");
	kt_open(&d);
	KT_CHECK(d.g.ring_size == strtoull(argv[1], NULL, 0),
		 "ring_size %llu, want %s", (unsigned long long)d.g.ring_size, argv[1]);
	cpu = kt_pick_cpu();
	kt_pin(cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");

	caps_and_faults();
	unlink_sweep();
	poll_sweep();
	cwd_sweep();

	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_check_counters(&d);
	stats_abi_1_0();
	kt_close(&d);
	return 0;
}
