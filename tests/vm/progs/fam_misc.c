// SPDX-License-Identifier: GPL-2.0
/*
 * fam_misc: the misc families end to end, through the raw ABI.
 *
 *   fam_misc            poll, ppoll, kill, tkill, tgkill, signaldeliver,
 *                       nanosleep, getrlimit, setrlimit, prlimit, semget,
 *                       semop, semctl, ptrace, bpf, quotactl; then switch
 *                       and page_fault: absent by default, present once
 *                       MASK_SET (while capture runs), gone after
 *                       MASK_UNSET, and their probes detached while off
 *                       (no drops_mask at all).
 *   fam_misc hotplug    cpu_hotplug: offline and online CPU 1.
 *
 * Every call is made with known arguments by this thread (pinned to one
 * CPU) or a child of it, through syscall(2) so that libc adds nothing;
 * each is then found in the ring as an enter and an exit event of the
 * right tid whose parameters must have the expected values.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/quota.h>
#include "kt.h"

/* The ABI's numbers, written out (uapi/kscap_flags.h, the FDLIST bits). */
#define A_POLLIN	1
#define A_POLLPRI	2
#define A_POLLOUT	4
#define A_POLLRDNORM	128
#define A_POLLWRNORM	512
#define A_RLIMIT_NOFILE	7
#define A_IPC_CREAT	(1U << 13)
#define A_GETVAL	(1U << 9)
#define A_SETVAL	(1U << 12)
#define A_IPC_RMID	(1U << 2)
#define A_IPC_NOWAIT	1
#define A_SEM_UNDO	2
#define A_PTRACE_TRACEME	1
#define A_PTRACE_PEEKDATA	3
#define A_PTRACE_CONT		8
#define A_Q_QUOTAON	(1U << 0)
#define A_Q_GETQUOTA	(1U << 5)
#define A_Q_SETQUOTA	(1U << 6)
#define A_USRQUOTA	(1U << 0)
#define A_GRPQUOTA	(1U << 1)
#define A_QFMT_NOT_USED	(1U << 0)
#define A_QFMT_VFS_V0	(1U << 2)
#define A_PF_NOT_PRESENT	2
#define A_PF_WRITE		4
#define A_PF_USER		16
#define A_CPU_ONLINE	1
#define A_CPU_OFFLINE	2

/* ---- collecting events ------------------------------------------------ */

struct evs {
	struct kt_ev *e;
	size_t n, cap;
};

/* The tids whose events are kept; non-syscall events are kept whoever. */
static pid_t keep_tids[8];
static unsigned int nkeep;

static void keep_tid(pid_t t)
{
	KT_CHECK(nkeep < 8, "too many tids");
	keep_tids[nkeep++] = t;
}

static int is_nonsyscall(unsigned int type)
{
	return type == KSCAP_EV_SIGNALDELIVER_E || type == KSCAP_EV_SWITCH_E ||
	       type == KSCAP_EV_PAGE_FAULT_E || type == KSCAP_EV_CPU_HOTPLUG_E;
}

static void collect_cb(const struct kt_ev *ev, void *arg)
{
	struct evs *s = arg;
	unsigned int i;
	int keep = is_nonsyscall(ev->type);

	for (i = 0; i < nkeep && !keep; i++)
		keep = ev->tid == (u64)keep_tids[i];
	if (!keep)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->e = realloc(s->e, s->cap * sizeof(*s->e));
		KT_CHECK(s->e, "out of memory");
	}
	s->e[s->n++] = *ev;
}

/* Events of every CPU's ring over [from[cpu], to[cpu]). */
static void collect(const struct kt_dev *d, const u64 *from, const u64 *to, struct evs *s)
{
	unsigned int cpu;

	memset(s, 0, sizeof(*s));
	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		kt_walk(d, cpu, from[cpu], to[cpu], collect_cb, s);
}

static void heads(const struct kt_dev *d, u64 *h)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		h[cpu] = kt_head(d, cpu);
}

static const char *ename(unsigned int type)
{
	return type < KSCAP_EV_MAX && kt_events[type].name ? kt_events[type].name : "?";
}

/*
 * The next event of @tid and @type at or after *cur (in ring order: one
 * thread on one CPU), moving *cur past it. Fails the test if there is none.
 */
static const struct kt_ev *next_ev(const struct evs *s, size_t *cur, pid_t tid,
				   unsigned int type, const char *what)
{
	size_t i;

	for (i = *cur; i < s->n; i++)
		if (s->e[i].tid == (u64)tid && s->e[i].type == type) {
			*cur = i + 1;
			return &s->e[i];
		}
	kt_fail("%s: no %s %s event of tid %d", what, ename(type),
		KSCAP_EV_IS_EXIT(type) ? "exit" : "enter", tid);
}

/* An enter and the exit after it: *e, *x. */
static void call_evs(const struct evs *s, size_t *cur, pid_t tid, unsigned int enter,
		     const char *what, const struct kt_ev **e, const struct kt_ev **x)
{
	*e = next_ev(s, cur, tid, enter, what);
	*x = next_ev(s, cur, tid, enter + 1, what);
}

static void want_u(const struct kt_ev *ev, unsigned int i, u64 want, const char *what)
{
	const char *pname = kt_events[ev->type].params[i].name;

	KT_CHECK(ev->plen[i], "%s: %s %s is empty", what, ename(ev->type), pname);
	KT_CHECK(kt_uparam(ev, i) == want, "%s: %s %s = %llu (0x%llx), want %llu (0x%llx)",
		 what, ename(ev->type), pname, (unsigned long long)kt_uparam(ev, i),
		 (unsigned long long)kt_uparam(ev, i), (unsigned long long)want,
		 (unsigned long long)want);
}

static void want_s(const struct kt_ev *ev, unsigned int i, int64_t want, const char *what)
{
	const char *pname = kt_events[ev->type].params[i].name;

	KT_CHECK(ev->plen[i], "%s: %s %s is empty", what, ename(ev->type), pname);
	KT_CHECK(kt_sparam(ev, i) == want, "%s: %s %s = %lld, want %lld", what,
		 ename(ev->type), pname, (long long)kt_sparam(ev, i), (long long)want);
}

static void want_str(const struct kt_ev *ev, unsigned int i, const char *want, const char *what)
{
	const char *pname = kt_events[ev->type].params[i].name;

	KT_CHECK(ev->plen[i] == strlen(want) + 1 && !memcmp(ev->pval[i], want, ev->plen[i]),
		 "%s: %s %s = '%.*s' (%u bytes), want '%s'", what, ename(ev->type), pname,
		 ev->plen[i], (const char *)ev->pval[i], ev->plen[i], want);
}

/* A DYN parameter: index byte, then an 8-byte (or 1-byte) value. */
static void want_dyn(const struct kt_ev *ev, unsigned int i, unsigned int idx, unsigned int vlen,
		     u64 want, const char *what)
{
	const char *pname = kt_events[ev->type].params[i].name;
	u64 v = 0;

	KT_CHECK(ev->plen[i] == 1 + vlen, "%s: %s %s is %u bytes, want 1 + %u", what,
		 ename(ev->type), pname, ev->plen[i], vlen);
	KT_CHECK(ev->pval[i][0] == idx, "%s: %s %s has index %u, want %u", what,
		 ename(ev->type), pname, ev->pval[i][0], idx);
	memcpy(&v, ev->pval[i] + 1, vlen);
	KT_CHECK(v == want, "%s: %s %s = %lld, want %lld", what, ename(ev->type), pname,
		 (long long)v, (long long)want);
}

/* An FDLIST parameter must be exactly these (fd, flags) pairs. */
static void want_fdlist(const struct kt_ev *ev, unsigned int i, unsigned int n,
			const int64_t *fds, const uint16_t *flags, const char *what)
{
	const unsigned char *p = ev->pval[i];
	uint16_t count;
	unsigned int k;

	KT_CHECK(ev->plen[i] >= 2, "%s: %s fds is %u bytes", what, ename(ev->type), ev->plen[i]);
	memcpy(&count, p, 2);
	KT_CHECK(count == n && ev->plen[i] == 2 + 10 * n,
		 "%s: %s fds: count %u in %u bytes, want %u entries (%u bytes)", what,
		 ename(ev->type), count, ev->plen[i], n, 2 + 10 * n);
	for (k = 0; k < n; k++) {
		int64_t fd;
		uint16_t fl;

		memcpy(&fd, p + 2 + 10 * k, 8);
		memcpy(&fl, p + 2 + 10 * k + 8, 2);
		KT_CHECK(fd == fds[k] && fl == flags[k],
			 "%s: %s fds[%u] = (%lld, 0x%x), want (%lld, 0x%x)", what,
			 ename(ev->type), k, (long long)fd, fl, (long long)fds[k], flags[k]);
	}
}

/* The next signaldeliver of @sig to @tid at or after *cur. */
static const struct kt_ev *next_sig(const struct evs *s, size_t *cur, pid_t tid, int sig,
				    const char *what)
{
	const struct kt_ev *d;

	do
		d = next_ev(s, cur, tid, KSCAP_EV_SIGNALDELIVER_E, what);
	while (kt_uparam(d, 2) != (u64)sig);
	return d;
}

static unsigned int count_type(const struct evs *s, unsigned int type)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		n += s->e[i].type == type;
	return n;
}

static u64 drops_mask_all(const struct kt_dev *d)
{
	struct kscap_counters c;

	kt_stats(d, KSCAP_ALL_CPUS, &c);
	return c.drops_mask;
}

static void mask_ioctl(const struct kt_dev *d, unsigned long req, __u32 type, const char *what)
{
	kt_ioctl(d, req, (unsigned long)&type, what);
}

/* ---- the workload ------------------------------------------------------ */

static pid_t me, mypid;
static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

/* A pinned child that echoes: each byte on @in comes back on @out. */
struct pingpong {
	pid_t pid;
	int to, from;
};

static void pingpong_start(struct pingpong *pp)
{
	int a[2], b[2];
	char c;

	KT_SYS(pipe(a));
	KT_SYS(pipe(b));
	pp->pid = KT_SYS(fork());
	if (!pp->pid) {
		while (read(a[0], &c, 1) == 1 && c != 'q')
			if (write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	pp->to = a[1];
	pp->from = b[0];
}

static void pingpong(const struct pingpong *pp, int n)
{
	char c = 'p';

	while (n--) {
		KT_CHECK(write(pp->to, &c, 1) == 1, "pingpong write: %m");
		KT_CHECK(read(pp->from, &c, 1) == 1, "pingpong read: %m");
	}
}

static void pingpong_stop(struct pingpong *pp)
{
	KT_CHECK(write(pp->to, "q", 1) == 1, "pingpong stop: %m");
	KT_SYS(waitpid(pp->pid, NULL, 0));
}

/* A fresh page, written once: exactly one user fault at @off into it. */
static char *touch_fresh_page(unsigned int off)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_CHECK(p != MAP_FAILED, "mmap: %m");
	p[off] = 1;
	return (char *)p;
}

/* What the workload did, for the checks. */
static struct {
	int p0, p1;
	long poll1, poll2, ppoll1, pollbad, pollbad_errno;
	pid_t dead;
	pid_t sender;
	struct rlimit rl_get, rl_set;
	struct rlimit pr_new, pr_old;
	long setrl_bad;
	int semid;
	long semval;
	pid_t tracee;
	long peek_word;
	long ptrace_bad_errno;
	long bpf_map, bpf_map_errno, bpf_bad_errno;
	long q_get_errno, q_on_errno, q_set_errno;
} w;

static volatile long peek_var = 0x5a5a1234abcdL;

static void do_poll(void)
{
	struct pollfd fds[2];
	struct timespec ts = { 1, 500 };
	uint64_t mask = 1ULL << (SIGUSR2 - 1);
	int p[2];

	KT_SYS(pipe(p));
	w.p0 = p[0];
	w.p1 = p[1];
	/* revents only ever holds what was asked for (and ERR, HUP, NVAL). */
	fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN | POLLRDNORM };
	fds[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT | POLLWRNORM };
	/* Only the write end is ready. */
#ifdef SYS_poll	/* arm64 has ppoll only */
	w.poll1 = syscall(SYS_poll, fds, 2, 0);
	KT_CHECK(w.poll1 == 1, "poll #1 returned %ld, want 1", w.poll1);
#endif
	KT_CHECK(write(p[1], "x", 1) == 1, "write: %m");
#ifdef SYS_poll
	w.poll2 = syscall(SYS_poll, fds, 2, 50);
	KT_CHECK(w.poll2 == 2, "poll #2 returned %ld, want 2", w.poll2);
#endif
	fds[0].events = POLLIN | POLLPRI;
	w.ppoll1 = syscall(SYS_ppoll, fds, 1, &ts, &mask, 8);
	KT_CHECK(w.ppoll1 == 1, "ppoll returned %ld, want 1", w.ppoll1);
#ifdef SYS_poll
	/* An unreadable array. */
	w.pollbad = syscall(SYS_poll, (void *)8, 1, 0);
	w.pollbad_errno = errno;
	KT_CHECK(w.pollbad == -1 && w.pollbad_errno == EFAULT, "poll(8) gave %ld (%m), want EFAULT",
		 w.pollbad);
#endif
}

static void do_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t block, empty;
	pid_t child;

	KT_SYS(sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);

	/* A child sends SIGUSR1 and exits: its pid is the sender, then dead. */
	KT_SYS(sigprocmask(SIG_BLOCK, &block, NULL));
	child = KT_SYS(fork());
	if (!child) {
		syscall(SYS_kill, getppid(), SIGUSR1);
		_exit(0);
	}
	KT_SYS(waitpid(child, NULL, 0));
	w.sender = child;
	w.dead = child;
	got_usr1 = 0;
	sigsuspend(&empty);
	KT_CHECK(got_usr1 == 1, "SIGUSR1 from the child not handled");
	KT_SYS(sigprocmask(SIG_UNBLOCK, &block, NULL));

	KT_CHECK(syscall(SYS_kill, mypid, 0) == 0, "kill(self, 0): %m");
	KT_CHECK(syscall(SYS_kill, w.dead, SIGTERM) == -1 && errno == ESRCH,
		 "kill(%d, SIGTERM) of a reaped child: want ESRCH, got %m", w.dead);
	KT_CHECK(syscall(SYS_tkill, me, 0) == 0, "tkill(self, 0): %m");
	got_usr1 = 0;
	KT_CHECK(syscall(SYS_tgkill, mypid, me, SIGUSR1) == 0, "tgkill(self, SIGUSR1): %m");
	KT_CHECK(got_usr1 == 1, "SIGUSR1 from tgkill not handled");
}

static void do_sleep_and_limits(void)
{
	struct timespec ts = { 0, 1000000 };
	struct rlimit bad;

	KT_SYS(syscall(SYS_nanosleep, &ts, NULL));
	KT_SYS(syscall(SYS_getrlimit, RLIMIT_NOFILE, &w.rl_get));
	w.rl_set.rlim_cur = 512;
	w.rl_set.rlim_max = w.rl_get.rlim_max;
	KT_SYS(syscall(SYS_setrlimit, RLIMIT_NOFILE, &w.rl_set));
	w.pr_new.rlim_cur = 256;
	w.pr_new.rlim_max = w.rl_get.rlim_max;
	KT_SYS(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &w.pr_new, &w.pr_old));
	KT_CHECK(w.pr_old.rlim_cur == 512, "prlimit: old cur %llu, want 512",
		 (unsigned long long)w.pr_old.rlim_cur);
	/* cur above max: EINVAL */
	bad.rlim_cur = 100;
	bad.rlim_max = 50;
	w.setrl_bad = syscall(SYS_setrlimit, RLIMIT_NOFILE, &bad);
	KT_CHECK(w.setrl_bad == -1 && errno == EINVAL, "setrlimit(cur > max): want EINVAL, got %m");
}

static void do_sem(void)
{
	struct sembuf ops[2] = {
		{ .sem_num = 0, .sem_op = 1, .sem_flg = IPC_NOWAIT },
		{ .sem_num = 1, .sem_op = 2, .sem_flg = SEM_UNDO },
	};

	w.semid = KT_SYS(syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600));
	KT_SYS(syscall(SYS_semop, w.semid, ops, 2));
	w.semval = KT_SYS(syscall(SYS_semctl, w.semid, 1, GETVAL, 0));
	KT_CHECK(w.semval == 2, "semctl GETVAL: %ld, want 2", w.semval);
	KT_SYS(syscall(SYS_semctl, w.semid, 0, SETVAL, 5));
	KT_SYS(syscall(SYS_semctl, w.semid, 0, IPC_RMID, 0));
}

static void do_ptrace(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	long word = 0, r;
	int st;

	w.tracee = KT_SYS(fork());
	if (!w.tracee) {
		sigaction(SIGUSR2, &ign, NULL);
		if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0))
			_exit(2);
		syscall(SYS_kill, getpid(), SIGSTOP);
		_exit(0);
	}
	keep_tid(w.tracee);
	KT_SYS(waitpid(w.tracee, &st, 0));
	KT_CHECK(WIFSTOPPED(st), "tracee did not stop (status 0x%x)", st);
	/* The raw call stores the word at data. */
	r = syscall(SYS_ptrace, PTRACE_PEEKDATA, w.tracee, &peek_var, &word);
	KT_CHECK(r == 0 && word == peek_var, "PEEKDATA: %ld, word 0x%lx (%m)", r, word);
	w.peek_word = word;
	KT_SYS(syscall(SYS_ptrace, PTRACE_CONT, w.tracee, 0, SIGUSR2));
	KT_SYS(waitpid(w.tracee, &st, 0));
	KT_CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "tracee ended with status 0x%x", st);
	r = syscall(SYS_ptrace, PTRACE_PEEKDATA, w.dead, 0x1000, &word);
	w.ptrace_bad_errno = errno;
	KT_CHECK(r == -1 && errno == ESRCH, "PEEKDATA of a dead pid: %ld (%m), want ESRCH", r);
}

static void do_bpf(void)
{
	union bpf_attr attr;
	long r;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	r = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	w.bpf_map = r;
	w.bpf_map_errno = r < 0 ? errno : 0;
	if (r >= 0)
		close((int)r);
	r = syscall(SYS_bpf, 9999, NULL, 0);
	w.bpf_bad_errno = errno;
	KT_CHECK(r == -1, "bpf(9999) succeeded");
}

static const char special[] = "/dev/kscap-no-such-device";
static const char qfile[] = "/tmp/aquota.group";

static void do_quotactl(void)
{
	struct if_dqblk dq;

	memset(&dq, 0x55, sizeof(dq));	/* a failed GETQUOTA must not show this */
	if (syscall(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), special, 1234, &dq) != -1)
		kt_fail("quotactl(Q_GETQUOTA) on %s succeeded", special);
	w.q_get_errno = errno;
	if (syscall(SYS_quotactl, QCMD(Q_QUOTAON, GRPQUOTA), special, QFMT_VFS_V0, qfile) != -1)
		kt_fail("quotactl(Q_QUOTAON) on %s succeeded", special);
	w.q_on_errno = errno;
	memset(&dq, 0, sizeof(dq));
	dq.dqb_bhardlimit = 100;
	dq.dqb_bsoftlimit = 50;
	dq.dqb_curspace = 9;	/* not marked valid: must read as 0 */
	dq.dqb_valid = QIF_BLIMITS;
	if (syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), special, 1000, &dq) != -1)
		kt_fail("quotactl(Q_SETQUOTA) on %s succeeded", special);
	w.q_set_errno = errno;
}

/* ---- the checks -------------------------------------------------------- */

static void check_poll(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;
	int64_t fds2[2] = { w.p0, w.p1 }, fd0[1] = { w.p0 }, fd1[1] = { w.p1 };
	uint16_t ev2[2] = { A_POLLIN | A_POLLRDNORM, A_POLLOUT | A_POLLWRNORM };
	uint16_t rev1[1] = { A_POLLOUT | A_POLLWRNORM };
	uint16_t rev2[2] = { A_POLLIN | A_POLLRDNORM, A_POLLOUT | A_POLLWRNORM };
	uint16_t pev[1] = { A_POLLIN | A_POLLPRI }, prev[1] = { A_POLLIN };

#ifdef SYS_poll
	call_evs(s, &cur, me, KSCAP_EV_POLL_E, "poll #1", &e, &x);
	want_fdlist(e, 0, 2, fds2, ev2, "poll #1");
	want_s(e, 1, 0, "poll #1");
	want_s(x, 0, 1, "poll #1");
	want_fdlist(x, 1, 1, fd1, rev1, "poll #1 (only the ready fd)");

	call_evs(s, &cur, me, KSCAP_EV_POLL_E, "poll #2", &e, &x);
	want_fdlist(e, 0, 2, fds2, ev2, "poll #2");
	want_s(e, 1, 50, "poll #2");
	want_s(x, 0, 2, "poll #2");
	want_fdlist(x, 1, 2, fds2, rev2, "poll #2");
#endif

	call_evs(s, &cur, me, KSCAP_EV_PPOLL_E, "ppoll", &e, &x);
	want_fdlist(e, 0, 1, fd0, pev, "ppoll");
	want_u(e, 1, 1000000500ULL, "ppoll");
	want_u(e, 2, 1U << (SIGUSR2 - 1), "ppoll");
	want_s(x, 0, 1, "ppoll");
	want_fdlist(x, 1, 1, fd0, prev, "ppoll");

#ifdef SYS_poll
	call_evs(s, &cur, me, KSCAP_EV_POLL_E, "poll(bad pointer)", &e, &x);
	KT_CHECK(e->plen[0] == 0, "poll(bad pointer): enter fds is %u bytes, want empty", e->plen[0]);
	want_s(x, 0, -EFAULT, "poll(bad pointer)");
	KT_CHECK(x->plen[1] == 0, "poll(bad pointer): exit fds is %u bytes, want empty", x->plen[1]);
#else
	(void)fds2, (void)fd1, (void)ev2, (void)rev1, (void)rev2;
#endif
}

static void check_signals(const struct evs *s)
{
	const struct kt_ev *e, *x, *d;
	size_t cur = 0;

	/* The child's kill(), from the child's tid. */
	call_evs(s, &cur, w.sender, KSCAP_EV_KILL_E, "child's kill", &e, &x);
	want_s(e, 0, mypid, "child's kill");
	want_u(e, 1, SIGUSR1, "child's kill");
	want_s(x, 0, 0, "child's kill");

	cur = 0;
	d = next_sig(s, &cur, me, SIGUSR1, "SIGUSR1 from the child");
	want_s(d, 0, w.sender, "signaldeliver (child's SIGUSR1)");
	want_s(d, 1, me, "signaldeliver (child's SIGUSR1)");
	want_u(d, 2, SIGUSR1, "signaldeliver (child's SIGUSR1)");

	call_evs(s, &cur, me, KSCAP_EV_KILL_E, "kill(self, 0)", &e, &x);
	want_s(e, 0, mypid, "kill(self, 0)");
	want_u(e, 1, 0, "kill(self, 0)");
	want_s(x, 0, 0, "kill(self, 0)");
	call_evs(s, &cur, me, KSCAP_EV_KILL_E, "kill(dead, SIGTERM)", &e, &x);
	want_s(e, 0, w.dead, "kill(dead, SIGTERM)");
	want_u(e, 1, SIGTERM, "kill(dead, SIGTERM)");
	want_s(x, 0, -ESRCH, "kill(dead, SIGTERM)");
	call_evs(s, &cur, me, KSCAP_EV_TKILL_E, "tkill(self, 0)", &e, &x);
	want_s(e, 0, me, "tkill");
	want_u(e, 1, 0, "tkill");
	want_s(x, 0, 0, "tkill");
	call_evs(s, &cur, me, KSCAP_EV_TGKILL_E, "tgkill(self, SIGUSR1)", &e, &x);
	want_s(e, 0, mypid, "tgkill");
	want_s(e, 1, me, "tgkill");
	want_u(e, 2, SIGUSR1, "tgkill");
	want_s(x, 0, 0, "tgkill");
	d = next_sig(s, &cur, me, SIGUSR1, "SIGUSR1 from tgkill");
	want_s(d, 0, mypid, "signaldeliver (tgkill)");
	want_s(d, 1, me, "signaldeliver (tgkill)");
	want_u(d, 2, SIGUSR1, "signaldeliver (tgkill)");
}

static void check_sleep_and_limits(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;

	call_evs(s, &cur, me, KSCAP_EV_NANOSLEEP_E, "nanosleep", &e, &x);
	want_u(e, 0, 1000000, "nanosleep interval (ns)");
	want_s(x, 0, 0, "nanosleep");

	call_evs(s, &cur, me, KSCAP_EV_GETRLIMIT_E, "getrlimit", &e, &x);
	want_u(e, 0, A_RLIMIT_NOFILE, "getrlimit");
	want_s(x, 0, 0, "getrlimit");
	want_u(x, 1, w.rl_get.rlim_cur, "getrlimit");
	want_u(x, 2, w.rl_get.rlim_max, "getrlimit");

	call_evs(s, &cur, me, KSCAP_EV_SETRLIMIT_E, "setrlimit", &e, &x);
	want_u(e, 0, A_RLIMIT_NOFILE, "setrlimit");
	want_s(x, 0, 0, "setrlimit");
	want_u(x, 1, 512, "setrlimit");
	want_u(x, 2, w.rl_set.rlim_max, "setrlimit");

	call_evs(s, &cur, me, KSCAP_EV_PRLIMIT_E, "prlimit", &e, &x);
	want_s(e, 0, 0, "prlimit");
	want_u(e, 1, A_RLIMIT_NOFILE, "prlimit");
	want_s(x, 0, 0, "prlimit");
	want_u(x, 1, 256, "prlimit newcur");
	want_u(x, 2, w.pr_new.rlim_max, "prlimit newmax");
	want_u(x, 3, 512, "prlimit oldcur");
	want_u(x, 4, w.pr_old.rlim_max, "prlimit oldmax");

	call_evs(s, &cur, me, KSCAP_EV_SETRLIMIT_E, "setrlimit(cur > max)", &e, &x);
	want_s(x, 0, -EINVAL, "setrlimit(cur > max)");
	want_u(x, 1, 100, "setrlimit(cur > max)");
	want_u(x, 2, 50, "setrlimit(cur > max)");
}

static void check_sem(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;

	call_evs(s, &cur, me, KSCAP_EV_SEMGET_E, "semget", &e, &x);
	want_s(e, 0, IPC_PRIVATE, "semget key");
	want_s(e, 1, 2, "semget nsems");
	want_u(e, 2, A_IPC_CREAT, "semget semflg (permission bits are not kept)");
	want_s(x, 0, w.semid, "semget");

	call_evs(s, &cur, me, KSCAP_EV_SEMOP_E, "semop", &e, &x);
	want_s(e, 0, w.semid, "semop");
	want_s(x, 0, 0, "semop");
	want_u(x, 1, 2, "semop nsops");
	want_u(x, 2, 0, "semop sem_num_0");
	want_s(x, 3, 1, "semop sem_op_0");
	want_u(x, 4, A_IPC_NOWAIT, "semop sem_flg_0");
	want_u(x, 5, 1, "semop sem_num_1");
	want_s(x, 6, 2, "semop sem_op_1");
	want_u(x, 7, A_SEM_UNDO, "semop sem_flg_1");

	call_evs(s, &cur, me, KSCAP_EV_SEMCTL_E, "semctl GETVAL", &e, &x);
	want_s(e, 0, w.semid, "semctl GETVAL");
	want_s(e, 1, 1, "semctl GETVAL semnum");
	want_u(e, 2, A_GETVAL, "semctl GETVAL cmd");
	want_s(x, 0, 2, "semctl GETVAL");
	call_evs(s, &cur, me, KSCAP_EV_SEMCTL_E, "semctl SETVAL", &e, &x);
	want_u(e, 2, A_SETVAL, "semctl SETVAL cmd");
	want_s(e, 3, 5, "semctl SETVAL val");
	want_s(x, 0, 0, "semctl SETVAL");
	call_evs(s, &cur, me, KSCAP_EV_SEMCTL_E, "semctl IPC_RMID", &e, &x);
	want_u(e, 2, A_IPC_RMID, "semctl IPC_RMID cmd");
	want_s(x, 0, 0, "semctl IPC_RMID");
}

static void check_ptrace(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;

	call_evs(s, &cur, w.tracee, KSCAP_EV_PTRACE_E, "PTRACE_TRACEME", &e, &x);
	want_u(e, 0, A_PTRACE_TRACEME, "PTRACE_TRACEME");
	want_s(e, 1, 0, "PTRACE_TRACEME");
	want_s(x, 0, 0, "PTRACE_TRACEME");
	want_dyn(x, 1, 0, 8, 0, "PTRACE_TRACEME");
	want_dyn(x, 2, 0, 8, 0, "PTRACE_TRACEME");

	cur = 0;
	call_evs(s, &cur, me, KSCAP_EV_PTRACE_E, "PTRACE_PEEKDATA", &e, &x);
	want_u(e, 0, A_PTRACE_PEEKDATA, "PTRACE_PEEKDATA");
	want_s(e, 1, w.tracee, "PTRACE_PEEKDATA");
	want_s(x, 0, 0, "PTRACE_PEEKDATA");
	want_dyn(x, 1, 0, 8, (uintptr_t)&peek_var, "PTRACE_PEEKDATA addr");
	want_dyn(x, 2, 0, 8, (u64)w.peek_word, "PTRACE_PEEKDATA data (the word read)");

	call_evs(s, &cur, me, KSCAP_EV_PTRACE_E, "PTRACE_CONT", &e, &x);
	want_u(e, 0, A_PTRACE_CONT, "PTRACE_CONT");
	want_s(x, 0, 0, "PTRACE_CONT");
	want_dyn(x, 1, 0, 8, 0, "PTRACE_CONT addr");
	want_dyn(x, 2, 1, 1, SIGUSR2, "PTRACE_CONT data (SIGTYPE)");

	call_evs(s, &cur, me, KSCAP_EV_PTRACE_E, "PTRACE_PEEKDATA (dead pid)", &e, &x);
	want_u(e, 0, A_PTRACE_PEEKDATA, "PTRACE_PEEKDATA (dead pid)");
	want_s(e, 1, w.dead, "PTRACE_PEEKDATA (dead pid)");
	want_s(x, 0, -ESRCH, "PTRACE_PEEKDATA (dead pid)");
	want_dyn(x, 1, 0, 8, 0, "PTRACE_PEEKDATA (dead pid) addr");
	want_dyn(x, 2, 0, 8, 0, "PTRACE_PEEKDATA (dead pid) data");
}

static void check_bpf(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;

	call_evs(s, &cur, me, KSCAP_EV_BPF_E, "bpf(MAP_CREATE)", &e, &x);
	want_s(e, 0, BPF_MAP_CREATE, "bpf(MAP_CREATE)");
	if (w.bpf_map >= 0)
		want_dyn(x, 0, 0, 8, (u64)w.bpf_map, "bpf(MAP_CREATE): the new fd");
	else
		want_dyn(x, 0, 1, 8, (u64)-w.bpf_map_errno, "bpf(MAP_CREATE) failed");
	call_evs(s, &cur, me, KSCAP_EV_BPF_E, "bpf(9999)", &e, &x);
	want_s(e, 0, 9999, "bpf(9999)");
	want_dyn(x, 0, 1, 8, (u64)-w.bpf_bad_errno, "bpf(9999): the error");
	kt_log("bpf: MAP_CREATE gave %ld (errno %ld), bad command errno %ld", w.bpf_map,
	       w.bpf_map_errno, w.bpf_bad_errno);
}

static void check_quotactl(const struct evs *s)
{
	const struct kt_ev *e, *x;
	size_t cur = 0;
	unsigned int i;

	call_evs(s, &cur, me, KSCAP_EV_QUOTACTL_E, "quotactl(Q_GETQUOTA)", &e, &x);
	want_u(e, 0, A_Q_GETQUOTA, "quotactl(Q_GETQUOTA) cmd");
	want_u(e, 1, A_USRQUOTA, "quotactl(Q_GETQUOTA) type");
	want_u(e, 2, 1234, "quotactl(Q_GETQUOTA) id");
	want_u(e, 3, A_QFMT_NOT_USED, "quotactl(Q_GETQUOTA) quota_fmt");
	want_s(x, 0, -w.q_get_errno, "quotactl(Q_GETQUOTA)");
	want_str(x, 1, special, "quotactl(Q_GETQUOTA) special");
	want_str(x, 2, "", "quotactl(Q_GETQUOTA) quotafilepath");
	for (i = 3; i <= 11; i++)
		want_u(x, i, 0, "quotactl(Q_GETQUOTA) failed: no dqblk/dqinfo");
	want_u(x, 12, 0, "quotactl(Q_GETQUOTA) dqi_flags");
	want_u(x, 13, A_QFMT_NOT_USED, "quotactl(Q_GETQUOTA) quota_fmt_out");

	call_evs(s, &cur, me, KSCAP_EV_QUOTACTL_E, "quotactl(Q_QUOTAON)", &e, &x);
	want_u(e, 0, A_Q_QUOTAON, "quotactl(Q_QUOTAON) cmd");
	want_u(e, 1, A_GRPQUOTA, "quotactl(Q_QUOTAON) type");
	want_u(e, 3, A_QFMT_VFS_V0, "quotactl(Q_QUOTAON) quota_fmt");
	want_s(x, 0, -w.q_on_errno, "quotactl(Q_QUOTAON)");
	want_str(x, 1, special, "quotactl(Q_QUOTAON) special");
	want_str(x, 2, qfile, "quotactl(Q_QUOTAON) quotafilepath");

	call_evs(s, &cur, me, KSCAP_EV_QUOTACTL_E, "quotactl(Q_SETQUOTA)", &e, &x);
	want_u(e, 0, A_Q_SETQUOTA, "quotactl(Q_SETQUOTA) cmd");
	want_u(e, 2, 1000, "quotactl(Q_SETQUOTA) id");
	want_s(x, 0, -w.q_set_errno, "quotactl(Q_SETQUOTA)");
	want_u(x, 3, 100, "quotactl(Q_SETQUOTA) dqb_bhardlimit");
	want_u(x, 4, 50, "quotactl(Q_SETQUOTA) dqb_bsoftlimit");
	want_u(x, 5, 0, "quotactl(Q_SETQUOTA) dqb_curspace (not valid)");
	kt_log("quotactl errnos: GETQUOTA %ld, QUOTAON %ld, SETQUOTA %ld", w.q_get_errno,
	       w.q_on_errno, w.q_set_errno);
}

static const struct kt_ev *find_switch(const struct evs *s, pid_t from, pid_t to)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].type == KSCAP_EV_SWITCH_E && s->e[i].tid == (u64)from &&
		    kt_sparam(&s->e[i], 0) == to)
			return &s->e[i];
	return NULL;
}

static const struct kt_ev *find_fault(const struct evs *s, u64 addr)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].type == KSCAP_EV_PAGE_FAULT_E && kt_uparam(&s->e[i], 0) == addr)
			return &s->e[i];
	return NULL;
}

extern char __executable_start[], etext[];

static int main_test(void)
{
	u64 h0[256], h1[256], h2[256], h3[256];
	u64 dm0, dm1, dm2, dm3;
	struct evs A, B, C;
	const struct kt_ev *sw, *pf;
	struct pingpong pp;
	struct timespec settle = { 0, 20000000 };
	char *pa, *pb, *pc;
	unsigned int cpu;
	struct kt_dev d;

	kt_open(&d);
	KT_CHECK(d.g.ncpus <= 256, "%u CPUs: raise the test's limit", d.g.ncpus);
	cpu = kt_pick_cpu();
	kt_pin(cpu);
	me = kt_gettid();
	mypid = getpid();
	keep_tid(me);
	pingpong_start(&pp);
	keep_tid(pp.pid);

	/* Phase A: the default mask. */
	heads(&d, h0);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	dm0 = drops_mask_all(&d);
	do_poll();
	do_signals();
	keep_tid(w.sender);
	do_sleep_and_limits();
	do_sem();
	do_ptrace();
	do_bpf();
	do_quotactl();
	pingpong(&pp, 20);
	pa = touch_fresh_page(0x123);
	dm1 = drops_mask_all(&d);
	heads(&d, h1);

	/* Phase B: switch and page_fault turned on while capture runs. */
	mask_ioctl(&d, KSCAP_IOC_MASK_SET, KSCAP_EV_SWITCH_E, "MASK_SET switch");
	mask_ioctl(&d, KSCAP_IOC_MASK_SET, KSCAP_EV_PAGE_FAULT_E, "MASK_SET page_fault");
	pingpong(&pp, 20);
	pb = touch_fresh_page(0x234);
	mask_ioctl(&d, KSCAP_IOC_MASK_UNSET, KSCAP_EV_SWITCH_E, "MASK_UNSET switch");
	mask_ioctl(&d, KSCAP_IOC_MASK_UNSET, KSCAP_EV_PAGE_FAULT_E, "MASK_UNSET page_fault");
	/* A probe still finishing on another CPU would count drops_mask. */
	nanosleep(&settle, NULL);
	heads(&d, h2);
	dm2 = drops_mask_all(&d);

	/* Phase C: off again. */
	pingpong(&pp, 20);
	pc = touch_fresh_page(0x345);
	dm3 = drops_mask_all(&d);
	heads(&d, h3);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	pingpong_stop(&pp);

	collect(&d, h0, h1, &A);
	collect(&d, h1, h2, &B);
	collect(&d, h2, h3, &C);
	kt_log("phase A: %zu events kept, B: %zu, C: %zu (tid %d on CPU %u)", A.n, B.n, C.n,
	       me, cpu);

	check_poll(&A);
	check_signals(&A);
	check_sleep_and_limits(&A);
	check_sem(&A);
	check_ptrace(&A);
	check_bpf(&A);
	check_quotactl(&A);

	/* Off by default: no event, and no probe (nothing masked off fires). */
	KT_CHECK(!count_type(&A, KSCAP_EV_SWITCH_E), "%u switch events with the default mask",
		 count_type(&A, KSCAP_EV_SWITCH_E));
	KT_CHECK(!count_type(&A, KSCAP_EV_PAGE_FAULT_E),
		 "%u page_fault events with the default mask", count_type(&A, KSCAP_EV_PAGE_FAULT_E));
	KT_CHECK(!find_fault(&A, (uintptr_t)pa + 0x123), "a page_fault event with the default mask");
	KT_CHECK(dm1 == dm0, "default mask: drops_mask grew by %llu: a probe of a masked-off event is attached",
		 (unsigned long long)(dm1 - dm0));

	/* On: the ping-pong's switches both ways, our page's fault. */
	sw = find_switch(&B, me, pp.pid);
	KT_CHECK(sw, "switch on: no switch event from tid %d to %d (%u switch events)", me, pp.pid,
		 count_type(&B, KSCAP_EV_SWITCH_E));
	KT_CHECK(find_switch(&B, pp.pid, me), "switch on: no switch event from tid %d to %d",
		 pp.pid, me);
	KT_CHECK(kt_uparam(sw, 2) > 0, "switch: pgft_min is 0 for a process that faulted");
	KT_CHECK(kt_uparam(sw, 3) > 0 && kt_uparam(sw, 4) > 0 && kt_uparam(sw, 4) <= kt_uparam(sw, 3),
		 "switch: vm_size %llu KiB, vm_rss %llu KiB", (unsigned long long)kt_uparam(sw, 3),
		 (unsigned long long)kt_uparam(sw, 4));
#ifdef __x86_64__
	pf = find_fault(&B, (uintptr_t)pb + 0x234);
	KT_CHECK(pf, "page_fault on: no event for the write at %p (%u page_fault events)", pb + 0x234,
		 count_type(&B, KSCAP_EV_PAGE_FAULT_E));
	KT_CHECK(pf->tid == (u64)me, "page_fault: tid %llu, want %d", (unsigned long long)pf->tid, me);
	KT_CHECK(kt_uparam(pf, 1) >= (uintptr_t)__executable_start && kt_uparam(pf, 1) < (uintptr_t)etext,
		 "page_fault: ip 0x%llx outside this program's text [%p, %p)",
		 (unsigned long long)kt_uparam(pf, 1), __executable_start, etext);
	want_u(pf, 2, A_PF_NOT_PRESENT | A_PF_WRITE | A_PF_USER, "page_fault error");
#else
	/* page_fault_user is x86's tracepoint: elsewhere the row cannot fire. */
	(void)pf, (void)pb;
	KT_CHECK(!count_type(&B, KSCAP_EV_PAGE_FAULT_E),
		 "%u page_fault events on an architecture without page_fault_user",
		 count_type(&B, KSCAP_EV_PAGE_FAULT_E));
#endif

	/* Off again: no event, and the probes are detached. */
	KT_CHECK(!count_type(&C, KSCAP_EV_SWITCH_E), "%u switch events after MASK_UNSET",
		 count_type(&C, KSCAP_EV_SWITCH_E));
	KT_CHECK(!count_type(&C, KSCAP_EV_PAGE_FAULT_E), "%u page_fault events after MASK_UNSET",
		 count_type(&C, KSCAP_EV_PAGE_FAULT_E));
	KT_CHECK(!find_fault(&C, (uintptr_t)pc + 0x345), "page_fault after MASK_UNSET");
	KT_CHECK(dm3 == dm2, "after MASK_UNSET: drops_mask grew by %llu: a masked-off probe is still attached",
		 (unsigned long long)(dm3 - dm2));
	kt_log("switch events while on: %u, page_fault events while on: %u",
	       count_type(&B, KSCAP_EV_SWITCH_E), count_type(&B, KSCAP_EV_PAGE_FAULT_E));

	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}

/* Write "0" or "1" to a CPU's online file; 0 or the errno. */
static int set_online(const char *path, int on)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, on ? "1" : "0", 1) != 1)
		err = errno;
	close(fd);
	return err;
}

static int hotplug_test(void)
{
	const char *path = "/sys/devices/system/cpu/cpu1/online";
	u64 h0[256], h1[256];
	int off_at = -1, on_at = -1, err;
	struct kt_dev d;
	struct evs s;
	size_t i;

	if (access(path, W_OK))
		kt_skip("CPU 1 cannot be taken offline here: %s: %m", path);
	kt_open(&d);
	KT_CHECK(d.g.ncpus <= 256 && d.g.ncpus > 1, "%u CPUs", d.g.ncpus);
	/* Off CPU 1 before taking it away, so nothing of ours is migrated. */
	kt_pin(0);
	heads(&d, h0);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	err = set_online(path, 0);
	if (err) {
		kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
		errno = err;
		kt_skip("CPU 1 cannot be taken offline here: echo 0 > %s: %m", path);
	}
	err = set_online(path, 1);
	KT_CHECK(!err, "CPU 1 went offline but does not come back: %s", strerror(err));
	heads(&d, h1);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");

	collect(&d, h0, h1, &s);
	for (i = 0; i < s.n; i++) {
		if (s.e[i].type != KSCAP_EV_CPU_HOTPLUG_E)
			continue;
		KT_CHECK(kt_uparam(&s.e[i], 0) == 1, "cpu_hotplug for CPU %llu, only CPU 1 changed",
			 (unsigned long long)kt_uparam(&s.e[i], 0));
		if (kt_uparam(&s.e[i], 1) == A_CPU_OFFLINE && off_at < 0)
			off_at = (int)i;
		else if (kt_uparam(&s.e[i], 1) == A_CPU_ONLINE && on_at < 0)
			on_at = (int)i;
		else
			kt_fail("cpu_hotplug: unexpected action %llu (or a repeat)",
				(unsigned long long)kt_uparam(&s.e[i], 1));
	}
	KT_CHECK(off_at >= 0, "no cpu_hotplug event (cpu 1, action %d: offline)", A_CPU_OFFLINE);
	KT_CHECK(on_at >= 0, "no cpu_hotplug event (cpu 1, action %d: online)", A_CPU_ONLINE);
	/* Both come from CPU 1 itself, on its way down and up: in order. */
	KT_CHECK(s.e[off_at].cpu == 1 && s.e[on_at].cpu == 1 && s.e[off_at].ts < s.e[on_at].ts,
		 "cpu_hotplug: offline on CPU %u at %llu, online on CPU %u at %llu",
		 s.e[off_at].cpu, (unsigned long long)s.e[off_at].ts, s.e[on_at].cpu,
		 (unsigned long long)s.e[on_at].ts);
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hotplug"))
		return hotplug_test();
	return main_test();
}
