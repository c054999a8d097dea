// SPDX-License-Identifier: GPL-2.0
/*
 * drops: fill every ring with nobody consuming (load the module with a
 * small ring_size), then check the accounting and the reserve:
 *  - each CPU: hits == written + drops_full[] + mask + nested + toolong,
 *    exactly, with drops_full > 0, and the ring holds exactly `written`
 *    intact events;
 *  - no ordinary event ever ends inside the reserve (the last
 *    ring_size / reserve_div bytes);
 *  - with the rings full, a fork + execve + exit still lands its clone
 *    exits (parent and child), execve exit and procexit in the reserve.
 *
 *   drops RING_SIZE
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

#define STORM 30000
#define MAXCPU 256

struct scan {
	const struct kt_dev *d;
	u64 tail;		/* the consumer tail, never moved */
	u64 full_head;		/* the fork's CPU's head once the ring was full */
	unsigned int fork_cpu;
	pid_t parent, child;
	int parent_clone, child_clone, child_execve, child_exit;
};

static void scan_cb(const struct kt_ev *ev, void *arg)
{
	struct scan *s = arg;
	u64 limit = s->d->g.ring_size - s->d->g.reserve;
	int critical = kt_is_critical(ev->type);

	if (!critical)
		KT_CHECK(ev->pos + ev->len - s->tail <= limit,
			 "CPU %u: ordinary event (type %u, %u bytes) at %llu ends %llu bytes past the tail, inside the reserve (ring %llu, reserve %llu)",
			 ev->cpu, ev->type, ev->len, (unsigned long long)ev->pos,
			 (unsigned long long)(ev->pos + ev->len - s->tail),
			 (unsigned long long)s->d->g.ring_size,
			 (unsigned long long)s->d->g.reserve);
	if (!critical || ev->cpu != s->fork_cpu || ev->pos < s->full_head)
		return;
	switch (ev->type) {
	case KSCAP_EV_CLONE_X:
	case KSCAP_EV_FORK_X:
	case KSCAP_EV_VFORK_X:
		if (ev->tid == (u64)s->parent && kt_sparam(ev, 0) == s->child)
			s->parent_clone++;
		else if (ev->tid == (u64)s->child && kt_sparam(ev, 0) == 0)
			s->child_clone++;
		break;
	case KSCAP_EV_EXECVE_X:
		if (ev->tid == (u64)s->child) {
			KT_CHECK(kt_sparam(ev, 0) == 0, "child's execve exit has res %lld, want 0",
				 (long long)kt_sparam(ev, 0));
			s->child_execve++;
		}
		break;
	case KSCAP_EV_PROCEXIT_E:
		if (ev->tid == (u64)s->child)
			s->child_exit++;
		break;
	}
}

static void wait_ok(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		kt_fail("waitpid(%s): %m", what);
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s ended with status 0x%x", what, st);
}

int main(int argc, char **argv)
{
	struct kscap_counters c0[MAXCPU], c;
	u64 tail[MAXCPU], n, written;
	unsigned int cpu, online[MAXCPU], nonline = 0, i;
	struct scan s;
	struct kt_dev d;
	cpu_set_t set;
	pid_t pid;

	KT_CHECK(argc == 2, "usage: drops RING_SIZE");
	kt_open(&d);
	KT_CHECK(d.g.ncpus <= MAXCPU, "%u CPUs: raise the test's limit", d.g.ncpus);
	KT_CHECK(d.g.ring_size == strtoull(argv[1], NULL, 0), "ring_size %llu, the module was loaded with %s",
		 (unsigned long long)d.g.ring_size, argv[1]);
	KT_CHECK(d.g.reserve == d.g.ring_size / 16, "reserve %llu, want ring_size/16 = %llu",
		 (unsigned long long)d.g.reserve, (unsigned long long)(d.g.ring_size / 16));

	KT_SYS(sched_getaffinity(0, sizeof(set), &set));
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		tail[cpu] = kt_tail(&d, cpu);
		kt_stats(&d, cpu, &c0[cpu]);
		if (CPU_ISSET(cpu, &set))
			online[nonline++] = cpu;
	}

	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	/* A getppid storm on every CPU, each ring filled by its own child. */
	for (i = 0; i < nonline; i++) {
		pid = KT_SYS(fork());
		if (!pid) {
			kt_pin(online[i]);
			kt_getppid_storm(STORM);
			_exit(0);
		}
		wait_ok(pid, "storm child");
	}
	for (i = 0; i < nonline; i++) {
		cpu = online[i];
		kt_stats(&d, cpu, &c);
		KT_CHECK(kt_drops_full(&c) > kt_drops_full(&c0[cpu]),
			 "CPU %u: %d getppid calls into a %llu-byte ring and no drops_full", cpu,
			 STORM, (unsigned long long)d.g.ring_size);
		KT_CHECK(kt_head(&d, cpu) - tail[cpu] >= d.g.ring_size - d.g.reserve - 64,
			 "CPU %u: drops_full grew yet the ring holds only %llu of %llu bytes (reserve %llu)",
			 cpu, (unsigned long long)(kt_head(&d, cpu) - tail[cpu]),
			 (unsigned long long)d.g.ring_size, (unsigned long long)d.g.reserve);
	}

	/* Rings full: the process-state events must still get in. */
	memset(&s, 0, sizeof(s));
	s.d = &d;
	s.fork_cpu = online[nonline - 1];
	kt_pin(s.fork_cpu);
	s.full_head = kt_head(&d, s.fork_cpu);
	s.parent = kt_gettid();
	pid = KT_SYS(fork());
	if (!pid) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	s.child = pid;
	wait_ok(pid, "fork+exec child (/bin/true)");
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");

	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		s.tail = tail[cpu];
		KT_CHECK(kt_tail(&d, cpu) == tail[cpu], "CPU %u: tail moved though nobody consumed", cpu);
		n = kt_walk(&d, cpu, tail[cpu], kt_head(&d, cpu), scan_cb, &s);
		kt_stats(&d, cpu, &c);
		written = c.written - c0[cpu].written;
		KT_CHECK(n == written, "CPU %u: written grew by %llu but the ring holds %llu events",
			 cpu, (unsigned long long)written, (unsigned long long)n);
		kt_log("CPU %u: %llu events, %llu bytes; hits %llu written %llu full %llu/%llu/%llu/%llu/%llu/%llu/%llu mask %llu nested %llu toolong %llu",
		       cpu, (unsigned long long)n,
		       (unsigned long long)(kt_head(&d, cpu) - tail[cpu]),
		       (unsigned long long)c.hits, (unsigned long long)c.written,
		       (unsigned long long)c.drops_full[0], (unsigned long long)c.drops_full[1],
		       (unsigned long long)c.drops_full[2], (unsigned long long)c.drops_full[3],
		       (unsigned long long)c.drops_full[4], (unsigned long long)c.drops_full[5],
		       (unsigned long long)c.drops_full[6], (unsigned long long)c.drops_mask,
		       (unsigned long long)c.drops_nested, (unsigned long long)c.drops_toolong);
	}
	kt_check_counters(&d);
	kt_log("full ring on CPU %u: parent clone exit %d, child clone exit %d, execve exit %d, procexit %d",
	       s.fork_cpu, s.parent_clone, s.child_clone, s.child_execve, s.child_exit);
	KT_CHECK(s.parent_clone == 1, "full ring: %d clone/fork exits of the parent (res = child %d), want 1",
		 s.parent_clone, s.child);
	KT_CHECK(s.child_clone == 1, "full ring: %d clone/fork exits of the child (res 0), want 1",
		 s.child_clone);
	KT_CHECK(s.child_execve == 1, "full ring: %d execve exits of the child, want 1", s.child_execve);
	KT_CHECK(s.child_exit == 1, "full ring: %d procexit events of the child, want 1", s.child_exit);
	kt_close(&d);
	return 0;
}
