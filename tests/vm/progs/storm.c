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

#define MAXCPU 256

/* A mix of file, memory, process and generic syscalls. */
static void worker(unsigned int cpu)
{
	char buf[256];
	struct stat st;
	unsigned long i;

	kt_pin(cpu);
	for (i = 0;; i++) {
		int fd = open("/dev/zero", O_RDONLY);

		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf)) < 0)
				_exit(1);
			close(fd);
		}
		syscall(SYS_getppid);
		stat("/kscap", &st);
		if (!(i % 512)) {
			pid_t p = fork();

			if (!p)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	}
}

/* Drops for lack of room so far, all CPUs, from the status pages. */
static u64 all_drops(const struct kt_dev *d)
{
	u64 sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		sum += kt_drops_full(&kt_status(d, cpu)->counters);
	return sum;
}

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? (unsigned int)atoi(argv[1]) : 20;
	unsigned int sleep_us = argc > 2 ? (unsigned int)atoi(argv[2]) : 20000;
	u64 nread[MAXCPU] = { 0 }, tail[MAXCPU] = { 0 }, passes = 0, end;
	struct kscap_counters c, again;
	u64 hits = 0, written = 0, dropped = 0, read_all = 0;
	pid_t pids[MAXCPU];
	unsigned int cpu, ncpus, online = kt_ncpus_online();
	struct kt_dev d;

	kt_open(&d);
	ncpus = d.g.ncpus;
	KT_CHECK(ncpus <= MAXCPU, "%u CPUs, at most %d", ncpus, MAXCPU);
	for (cpu = 0; cpu < ncpus; cpu++)
		tail[cpu] = kt_tail(&d, cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (cpu = 0; cpu < online; cpu++) {
		pids[cpu] = KT_SYS(fork());
		if (!pids[cpu])
			worker(cpu);
	}
	end = kt_now_ns() + (u64)seconds * 1000000000ULL;
	while (kt_now_ns() < end) {
		for (cpu = 0; cpu < ncpus; cpu++) {
			u64 h = kt_head(&d, cpu);

			nread[cpu] += kt_walk(&d, cpu, tail[cpu], h, NULL, NULL);
			tail[cpu] = h;
			kt_set_tail(&d, cpu, h);
		}
		passes++;
		usleep(sleep_us);
		/*
		 * Every tenth pass the consumer stalls until a ring drops (at
		 * most 3 s): slow enough to make drops on any kernel, even a
		 * debug one that makes 40 times fewer syscalls.
		 */
		if (!(passes % 10)) {
			u64 d0 = all_drops(&d), until = kt_now_ns() + 3000000000ULL;

			while (all_drops(&d) == d0 && kt_now_ns() < until && kt_now_ns() < end)
				usleep(10000);
		}
	}
	for (cpu = 0; cpu < online; cpu++) {
		kill(pids[cpu], SIGKILL);
		waitpid(pids[cpu], NULL, 0);
	}
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	/* What was left after the last pass. */
	for (cpu = 0; cpu < ncpus; cpu++) {
		u64 h = kt_head(&d, cpu);

		nread[cpu] += kt_walk(&d, cpu, tail[cpu], h, NULL, NULL);
		kt_set_tail(&d, cpu, h);
	}
	kt_check_counters(&d);
	for (cpu = 0; cpu < ncpus; cpu++) {
		u64 drops;

		kt_stats(&d, cpu, &c);
		drops = kt_drops_full(&c) + c.drops_mask + c.drops_nested + c.drops_toolong;
		KT_CHECK(nread[cpu] == c.written, "CPU %u: the consumer read %llu events, %llu written",
			 cpu, (unsigned long long)nread[cpu], (unsigned long long)c.written);
		if (c.hits)
			kt_log("CPU %u: hits %llu = written %llu + dropped %llu (full %llu, nested %llu, toolong %llu); read %llu",
			       cpu, (unsigned long long)c.hits, (unsigned long long)c.written,
			       (unsigned long long)drops, (unsigned long long)kt_drops_full(&c),
			       (unsigned long long)c.drops_nested, (unsigned long long)c.drops_toolong,
			       (unsigned long long)nread[cpu]);
		hits += c.hits;
		written += c.written;
		dropped += drops;
		read_all += nread[cpu];
	}
	/* Stopped means stopped: the counters stay still. */
	kt_getppid_storm(1000);
	kt_stats(&d, KSCAP_ALL_CPUS, &again);
	KT_CHECK(again.hits == hits, "%llu hits after DISABLE returned",
		 (unsigned long long)(again.hits - hits));
	KT_CHECK(dropped > 0, "no drops: the consumer was not slow enough to test them");
	kt_log("totals over %u s, %u CPUs, %llu consumer passes (%u us apart): hits %llu = written %llu + dropped %llu; read %llu (%.0f events/s seen)",
	       seconds, online, (unsigned long long)passes, sleep_us,
	       (unsigned long long)hits, (unsigned long long)written,
	       (unsigned long long)dropped, (unsigned long long)read_all,
	       (double)hits / seconds);
	kt_close(&d);
	return 0;
}
