// SPDX-License-Identifier: GPL-2.0
/*
 * storm: every online CPU runs a syscall storm (one worker pinned to each)
 * for SECONDS while a slow consumer reads, sleeping SLEEP_US between
 * passes and stalling now and then until a ring drops. Then, per CPU:
 *   hits == written + every drop         (nothing vanishes uncounted)
 *   events the consumer read == written  (nothing written is lost or torn)
 * and every event read is well formed with timestamps in order. Prints the
 * totals.
 *
 *   storm SECONDS SLEEP_US
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kt.h"

/* A mix of file, memory, process and generic syscalls. */
static void worker(unsigned int cpu)
{
	kt_pin(cpu);
	kt_syscall_mix(512, 1);
}

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? (unsigned int)atoi(argv[1]) : 20;
	unsigned int sleep_us = argc > 2 ? (unsigned int)atoi(argv[2]) : 20000;
	static struct kt_reader r;
	struct kscap_counters again;
	pid_t pids[KT_MAXCPU];
	unsigned int cpu, online = kt_ncpus_online();
	struct kt_totals t;
	struct kt_dev d;
	u64 passes = 0, end;

	kt_open(&d);
	kt_reader_init(&r, &d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (cpu = 0; cpu < online; cpu++) {
		pids[cpu] = KT_SYS(fork());
		if (!pids[cpu])
			worker(cpu);
	}
	end = kt_now_ns() + (u64)seconds * 1000000000ULL;
	while (kt_now_ns() < end) {
		kt_reader_pass(&r, &d);
		passes++;
		usleep(sleep_us);
		/*
		 * Every tenth pass the consumer stalls until a ring drops (at
		 * most 3 s): slow enough to make drops on any kernel, even a
		 * debug one that makes 40 times fewer syscalls.
		 */
		if (!(passes % 10)) {
			u64 d0 = kt_drops_full_all(&d), until = kt_now_ns() + 3000000000ULL;

			while (kt_drops_full_all(&d) == d0 && kt_now_ns() < until && kt_now_ns() < end)
				usleep(10000);
		}
	}
	for (cpu = 0; cpu < online; cpu++) {
		kill(pids[cpu], SIGKILL);
		waitpid(pids[cpu], NULL, 0);
	}
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_reader_finish(&r, &d, &t, 1);
	/* Stopped means stopped: the counters stay still. */
	kt_getppid_storm(1000);
	kt_stats(&d, KSCAP_ALL_CPUS, &again);
	KT_CHECK(again.hits == t.hits, "%llu hits after DISABLE returned",
		 (unsigned long long)(again.hits - t.hits));
	KT_CHECK(t.dropped > 0, "no drops: the consumer was not slow enough to test them");
	kt_log("totals over %u s, %u CPUs, %llu consumer passes (%u us apart): hits %llu = written %llu + dropped %llu; read %llu (%.0f events/s seen)",
	       seconds, online, (unsigned long long)passes, sleep_us,
	       (unsigned long long)t.hits, (unsigned long long)t.written,
	       (unsigned long long)t.dropped, (unsigned long long)t.read,
	       (double)t.hits / seconds);
	kt_close(&d);
	return 0;
}
