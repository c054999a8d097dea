// SPDX-License-Identifier: GPL-2.0
/*
 * getppid: the capture core end to end. Open and map everything, run
 * N getppid() calls on one CPU with capture enabled, and find exactly N
 * generic enter events (nativeID = __NR_getppid) and N generic exits for
 * this thread, every event in every ring well formed, and the counters
 * agreeing with what the rings hold.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kt.h"

#define N 1000

int main(void)
{
	struct kscap_counters before[256], after;
	u64 head0[256], head1, n, t0, t1;
	unsigned int cpu, mycpu;
	struct kt_ppid a;
	struct kt_dev d;

	kt_open(&d);
	KT_CHECK(d.g.ncpus <= 256, "%u CPUs: raise the test's limit", d.g.ncpus);
	/* Default module parameters: 8 MiB rings, reserve 1/16. */
	KT_CHECK(d.g.reserve == d.g.ring_size / 16, "reserve %llu, want ring_size/16 = %llu",
		 (unsigned long long)d.g.reserve, (unsigned long long)(d.g.ring_size / 16));

	mycpu = kt_pick_cpu();
	kt_pin(mycpu);
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		head0[cpu] = kt_head(&d, cpu);
		KT_CHECK(head0[cpu] == kt_tail(&d, cpu),
			 "CPU %u: fresh device has head %llu != tail %llu", cpu,
			 (unsigned long long)head0[cpu], (unsigned long long)kt_tail(&d, cpu));
		kt_stats(&d, cpu, &before[cpu]);
	}

	/* Capture is off until ENABLE: nothing may be counted or written. */
	kt_getppid_storm(100);
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		kt_stats(&d, cpu, &after);
		KT_CHECK(after.hits == before[cpu].hits && kt_head(&d, cpu) == head0[cpu],
			 "CPU %u: capture disabled, yet hits went %llu -> %llu, head %llu -> %llu", cpu,
			 (unsigned long long)before[cpu].hits, (unsigned long long)after.hits,
			 (unsigned long long)head0[cpu], (unsigned long long)kt_head(&d, cpu));
	}

	t0 = kt_now_ns();
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	kt_getppid_storm(N);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	t1 = kt_now_ns();

	kt_ppid_init(&a, kt_gettid(), mycpu);
	a.tmin = t0 - 1000000000ULL;
	a.tmax = t1 + 1000000000ULL;
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		head1 = kt_head(&d, cpu);
		/* Everything the rings hold: walk it all, not only ours. */
		n = kt_walk(&d, cpu, head0[cpu], head1, kt_ppid_cb, &a);
		kt_stats(&d, cpu, &after);
		KT_CHECK(after.written - before[cpu].written == n,
			 "CPU %u: counters.written grew by %llu but the ring got %llu events", cpu,
			 (unsigned long long)(after.written - before[cpu].written),
			 (unsigned long long)n);
		/* The data mapping shows the ring's pages twice in a row. */
		KT_CHECK(!memcmp(d.data[cpu], d.data[cpu] + d.g.ring_size, d.g.ring_size),
			 "CPU %u: the second half of the data mapping differs from the first", cpu);
		if (cpu == mycpu)
			KT_CHECK(after.written - before[cpu].written >= 2 * N,
				 "CPU %u: written grew by only %llu for %d calls", cpu,
				 (unsigned long long)(after.written - before[cpu].written), N);
	}
	kt_log("CPU %u: %llu getppid enters, %llu exits (ID %llu), %llu other events of tid %d",
	       mycpu, (unsigned long long)a.enters, (unsigned long long)a.exits,
	       (unsigned long long)a.id, (unsigned long long)a.others, a.tid);
	KT_CHECK(a.enters == N, "%llu getppid enter events (GENERIC_E, nativeID %d), want %d",
		 (unsigned long long)a.enters, KT_NR_GETPPID, N);
	KT_CHECK(a.exits == N, "%llu getppid exit events (GENERIC_X), want %d",
		 (unsigned long long)a.exits, N);
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
