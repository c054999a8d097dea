// SPDX-License-Identifier: GPL-2.0
/*
 * pairs: capture switched on and off again and again while a thread on
 * another CPU makes getppid() calls. Within each capture the thread's
 * events must be whole enter/exit pairs: an exit first (its call was in
 * flight when capture began) and an enter last (in flight when it ended)
 * at most, nothing unpaired in between. Probes that start or stop firing
 * one after the other, as tracepoint patching makes them, show up as runs
 * of enters or of exits at the edges.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

#define ROUNDS	20

struct seq {
	pid_t tid;
	u64 events;		/* this capture */
	int last;		/* 0 none yet, 'E' or 'X' */
	u64 bad;		/* unpaired in the middle */
	u64 pairs;
	u64 first_x, last_e;	/* allowed once per capture */
	u64 bad_total;
};

static void on_event(const struct kt_ev *ev, void *arg)
{
	struct seq *s = arg;
	int k;

	if (ev->tid != (u64)s->tid)
		return;
	if (ev->type == KSCAP_EV_GENERIC_E)
		k = 'E';
	else if (ev->type == KSCAP_EV_GENERIC_X)
		k = 'X';
	else
		return;
	if (!s->events && k == 'X')
		s->first_x++;
	else if (k == 'X' && s->last == 'E')
		s->pairs++;
	else if (k == s->last)
		s->bad++;
	s->events++;
	s->last = k;
}

int main(void)
{
	unsigned int cpu, storm_cpu, r;
	u64 from[256], unpaired = 0;
	struct seq s = { 0 };
	struct kt_dev d;
	int st;

	if (kt_ncpus_online() < 2)
		kt_skip("needs two CPUs");
	storm_cpu = kt_pick_cpu();
	kt_open(&d);
	KT_CHECK(d.g.ncpus <= 256, "%u CPUs: raise the test's limit", d.g.ncpus);
	s.tid = KT_SYS(fork());
	if (!s.tid) {
		kt_pin(storm_cpu);
		for (;;)
			kt_getppid_storm(1000);
	}
	kt_pin(0);
	for (r = 0; r < ROUNDS; r++) {
		for (cpu = 0; cpu < d.g.ncpus; cpu++)
			from[cpu] = kt_head(&d, cpu);
		kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
		usleep(20000);
		kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
		s.events = 0;
		s.last = 0;
		s.bad = 0;
		for (cpu = 0; cpu < d.g.ncpus; cpu++)
			kt_walk(&d, cpu, from[cpu], kt_head(&d, cpu), on_event, &s);
		if (s.last == 'E')
			s.last_e++;
		if (s.bad)
			kt_log("capture %u: %llu unpaired event(s) of tid %d", r,
			       (unsigned long long)s.bad, s.tid);
		unpaired += s.bad;
		kt_drain(&d);
	}
	kill(s.tid, SIGKILL);
	KT_SYS(waitpid(s.tid, &st, 0));
	kt_log("%d captures: %llu pairs, %llu starting with an exit, %llu ending with an enter, %llu unpaired",
	       ROUNDS, (unsigned long long)s.pairs, (unsigned long long)s.first_x,
	       (unsigned long long)s.last_e, (unsigned long long)unpaired);
	KT_CHECK(s.pairs >= ROUNDS, "only %llu getppid pairs in %d captures: the load did not run",
		 (unsigned long long)s.pairs, ROUNDS);
	KT_CHECK(!unpaired, "%llu events without their enter or exit inside the captures",
		 (unsigned long long)unpaired);
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
