// SPDX-License-Identifier: GPL-2.0
/*
 * childexit: every new task gets exactly one clone exit of its own, on
 * every architecture. On x86_64 it comes from the child's return through
 * sys_exit; on arm64, whose ret_from_fork passes no sys_exit, the module
 * writes it from sched_process_fork in the parent: either way one, never
 * none and never two.
 *
 * With capture on, this makes a raw fork (x86_64: fork; arm64: clone with
 * SIGCHLD), libc's fork (clone), libc's vfork (x86_64: vfork; arm64:
 * clone with CLONE_VM|CLONE_VFORK), a raw clone3 and a pthread_create
 * (clone3 with CLONE_THREAD). Then, over every ring: the parent has one
 * exit of the call with res = the child's tid, and the child one exit
 * event of the same type with res 0, tid = that same value, its pid, its
 * parent's tid as ptid, comm, vtid and vpid, and its clone flags.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>
#include "kt.h"

#define MAXCPU	256
#define NKIDS	5
#define COMM	"childexit"

/* clone exit's parameters (uapi/kscap_event_table.h) */
enum { X_RES, X_EXE, X_ARGS, X_TID, X_PID, X_PTID, X_COMM = 13, X_FLAGS = 15,
       X_VTID = 18, X_VPID };

/* The ABI's clone flag bits (uapi/kscap_flags.h). */
enum {
#define KSCAP_FLAG(table, name, value) ABI_##table##_##name = (value),
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

#ifdef SYS_fork
#define RAW_FORK()	syscall(SYS_fork)
#define FORK_X		KSCAP_EV_FORK_X
#define VFORK_X		KSCAP_EV_VFORK_X
#define VFORK_FLAGS	(ABI_CLONE_FLAGS_CLONE_VM | ABI_CLONE_FLAGS_CLONE_VFORK)
#else
#define RAW_FORK()	syscall(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL)
#define FORK_X		KSCAP_EV_CLONE_X
#define VFORK_X		KSCAP_EV_CLONE_X
#define VFORK_FLAGS	(ABI_CLONE_FLAGS_CLONE_VM | ABI_CLONE_FLAGS_CLONE_VFORK)
#endif

struct kid {
	const char *what;
	pid_t tid, pid, ptid;	/* what the child's event must say */
	unsigned int type;	/* its exit event type */
	uint32_t flags;		/* its flags parameter; ~0: not checked */
	int parent_evs, child_evs;
};

static struct kid kids[NKIDS];
static pid_t me;
static volatile pid_t thread_tid;

static void *thread_fn(void *arg)
{
	thread_tid = kt_gettid();
	return arg;
}

static void reap(pid_t c, const char *what)
{
	int st;

	KT_CHECK(waitpid(c, &st, 0) == c, "%s: waitpid: %m", what);
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: child status %#x", what, st);
}

static void kid(int i, const char *what, pid_t c, unsigned int type, uint32_t flags)
{
	KT_CHECK(c > 0, "%s: returned %d", what, c);
	kids[i] = (struct kid){ .what = what, .tid = c, .pid = c, .ptid = me,
				.type = type, .flags = flags };
}

static void workload(void)
{
	struct clone_args ca;
	pthread_t t;
	pid_t c;

	c = RAW_FORK();
	if (!c)
		syscall(SYS_exit_group, 0);
	reap(c, "raw fork");
	kid(0, "raw fork", c, FORK_X, 0);

	c = fork();
	if (!c)
		_exit(0);
	reap(c, "libc fork");
	/* libc's fork asks for the child tid to be set and cleared. */
	kid(1, "libc fork", c, KSCAP_EV_CLONE_X, ~0U);

	c = vfork();
	if (!c)
		_exit(0);
	reap(c, "vfork");
	kid(2, "vfork", c, VFORK_X, VFORK_FLAGS);

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	c = syscall(SYS_clone3, &ca, sizeof(ca));
	if (!c)
		syscall(SYS_exit_group, 0);
	reap(c, "clone3");
	kid(3, "clone3", c, KSCAP_EV_CLONE_X, 0);

	KT_CHECK(!pthread_create(&t, NULL, thread_fn, NULL), "pthread_create");
	KT_CHECK(!pthread_join(t, NULL), "pthread_join");
	kid(4, "pthread_create", thread_tid, KSCAP_EV_CLONE_X, ~0U);
	/* A thread: our process, our parent. */
	kids[4].pid = me;
	kids[4].ptid = getppid();
}

static bool is_clone_x(unsigned int type)
{
	return type == KSCAP_EV_CLONE_X || type == KSCAP_EV_FORK_X || type == KSCAP_EV_VFORK_X;
}

static void check_child(const struct kt_ev *ev, struct kid *k)
{
	const char *comm = (const char *)ev->pval[X_COMM];

	KT_CHECK(ev->type == k->type, "%s: the child's exit is event %u, want %u", k->what,
		 ev->type, k->type);
	KT_CHECK(kt_sparam(ev, X_TID) == k->tid && kt_sparam(ev, X_PID) == k->pid &&
		 kt_sparam(ev, X_PTID) == k->ptid,
		 "%s: the child's exit has tid %lld pid %lld ptid %lld, want %d %d %d", k->what,
		 (long long)kt_sparam(ev, X_TID), (long long)kt_sparam(ev, X_PID),
		 (long long)kt_sparam(ev, X_PTID), k->tid, k->pid, k->ptid);
	KT_CHECK(kt_sparam(ev, X_VTID) == k->tid && kt_sparam(ev, X_VPID) == k->pid,
		 "%s: the child's exit has vtid %lld vpid %lld, want %d %d", k->what,
		 (long long)kt_sparam(ev, X_VTID), (long long)kt_sparam(ev, X_VPID), k->tid, k->pid);
	KT_CHECK(ev->plen[X_COMM] == sizeof(COMM) && !memcmp(comm, COMM, sizeof(COMM)),
		 "%s: the child's comm is '%.*s', want '%s'", k->what, (int)ev->plen[X_COMM],
		 comm, COMM);
	KT_CHECK(ev->plen[X_EXE] > 0 && strstr((const char *)ev->pval[X_EXE], COMM),
		 "%s: the child's exe '%.*s' is not this program", k->what,
		 (int)ev->plen[X_EXE], (const char *)ev->pval[X_EXE]);
	if (k->flags != ~0U)
		KT_CHECK(kt_uparam(ev, X_FLAGS) == k->flags,
			 "%s: the child's flags %#llx, want %#x", k->what,
			 (unsigned long long)kt_uparam(ev, X_FLAGS), k->flags);
}

static void scan_cb(const struct kt_ev *ev, void *arg)
{
	int i;

	(void)arg;
	if (!is_clone_x(ev->type))
		return;
	for (i = 0; i < NKIDS; i++) {
		struct kid *k = &kids[i];

		if (ev->tid == (u64)me && kt_sparam(ev, X_RES) == k->tid) {
			KT_CHECK(ev->type == k->type, "%s: the parent's exit is event %u, want %u",
				 k->what, ev->type, k->type);
			k->parent_evs++;
		} else if (ev->tid == (u64)k->tid && kt_sparam(ev, X_RES) == 0) {
			check_child(ev, k);
			k->child_evs++;
		} else if (ev->tid == (u64)k->tid) {
			kt_fail("%s: a clone exit (type %u) of tid %llu res %lld tid %lld", k->what,
				ev->type, (unsigned long long)ev->tid,
				(long long)kt_sparam(ev, X_RES), (long long)kt_sparam(ev, X_TID));
		}
	}
}

int main(void)
{
	u64 head0[MAXCPU];
	unsigned int cpu;
	struct kt_dev d;
	int i;

	kt_open(&d);
	KT_CHECK(d.g.ncpus <= MAXCPU, "%u CPUs: raise the test's limit", d.g.ncpus);
	me = kt_gettid();
	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		head0[cpu] = kt_head(&d, cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	workload();
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");

	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		kt_walk(&d, cpu, head0[cpu], kt_head(&d, cpu), scan_cb, NULL);
	for (i = 0; i < NKIDS; i++) {
		const struct kid *k = &kids[i];

		kt_log("%s: child %d, %d parent exit(s), %d child exit(s)", k->what, k->tid,
		       k->parent_evs, k->child_evs);
		KT_CHECK(k->parent_evs == 1, "%s: %d exits of the parent with res %d, want 1",
			 k->what, k->parent_evs, k->tid);
		KT_CHECK(k->child_evs == 1, "%s: %d exits of the child %d with res 0, want 1",
			 k->what, k->child_evs, k->tid);
	}
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
