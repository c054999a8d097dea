// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle: the module's state changes while events flow.
 *
 *   lifecycle load             syscall workers (one per online CPU, not
 *                              pinned) until killed: the load of the
 *                              insmod/rmmod loop in t/lifecycle.sh
 *   lifecycle once             open, enable, read for a moment, close
 *   lifecycle toggle ROUNDS    ENABLE/DISABLE in a tight loop
 *   lifecycle mask ROUNDS      MASK_SET/UNSET/ZERO/ALL at random
 *   lifecycle hotplug ROUNDS   CPUs 1.. taken offline and online again
 *
 * All but load and once run the workers themselves, read every ring all
 * along, and end with the checks of a clean capture: every event well
 * formed, per CPU hits == written + every drop and read == written. Each
 * prints what it did.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kt.h"

#define MAXCPU 256
#define MAXW 16

static pid_t workers[MAXW];
static unsigned int nworkers;
static u64 nread[MAXCPU], tail[MAXCPU];
static u64 rng = 88172645463325252ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void work(void)
{
	char buf[64];
	unsigned long i;

	/* The load mode's parent is killed by the script: go with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0;; i++) {
		int fd = open("/dev/zero", O_RDONLY);

		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf)) < 0)
				_exit(1);
			close(fd);
		}
		syscall(SYS_getppid);
		if (!(i % 256)) {
			pid_t p = fork();

			if (!p)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	}
}

static void start_workers(void)
{
	unsigned int i, n = kt_ncpus_online();

	for (i = 0; i < n && i < MAXW; i++) {
		workers[i] = KT_SYS(fork());
		if (!workers[i])
			work();
	}
	nworkers = i;
}

static void stop_workers(void)
{
	unsigned int i;

	for (i = 0; i < nworkers; i++) {
		kill(workers[i], SIGKILL);
		waitpid(workers[i], NULL, 0);
	}
}

/* One pass over every ring: parse what is there, hand it back. */
static void consume(const struct kt_dev *d)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		u64 h = kt_head(d, cpu);

		nread[cpu] += kt_walk(d, cpu, tail[cpu], h, NULL, NULL);
		tail[cpu] = h;
		kt_set_tail(d, cpu, h);
	}
}

static void begin(struct kt_dev *d)
{
	unsigned int cpu;

	kt_open(d);
	KT_CHECK(d->g.ncpus <= MAXCPU, "%u CPUs, at most %d", d->g.ncpus, MAXCPU);
	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		tail[cpu] = kt_tail(d, cpu);
}

/* Stop, read what is left, check the accounting; print the totals. */
static void finish(struct kt_dev *d, const char *what, u64 rounds)
{
	struct kscap_counters c;
	u64 hits = 0, written = 0, dropped = 0, rd = 0;
	unsigned int cpu;

	stop_workers();
	kt_ioctl(d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	consume(d);
	kt_check_counters(d);
	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		kt_stats(d, cpu, &c);
		KT_CHECK(nread[cpu] == c.written, "CPU %u: read %llu events, %llu written", cpu,
			 (unsigned long long)nread[cpu], (unsigned long long)c.written);
		hits += c.hits;
		written += c.written;
		dropped += kt_drops_full(&c) + c.drops_mask + c.drops_nested + c.drops_toolong;
		rd += nread[cpu];
	}
	KT_CHECK(written > 0, "%s: nothing captured", what);
	kt_log("%s: %llu rounds; hits %llu = written %llu + dropped %llu; read %llu", what,
	       (unsigned long long)rounds, (unsigned long long)hits,
	       (unsigned long long)written, (unsigned long long)dropped,
	       (unsigned long long)rd);
	kt_close(d);
}

static void once(void)
{
	struct kt_dev d;
	int i;

	begin(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (i = 0; i < 20; i++) {
		consume(&d);
		usleep(1000);
	}
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	consume(&d);
	kt_close(&d);
}

static void toggle(u64 rounds)
{
	struct kt_dev d;
	u64 i;

	begin(&d);
	start_workers();
	for (i = 0; i < rounds; i++) {
		kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
		consume(&d);
		kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
		consume(&d);
	}
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	finish(&d, "toggle", rounds);
}

static void mask(u64 rounds)
{
	struct kt_dev d;
	u64 i;

	begin(&d);
	start_workers();
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (i = 0; i < rounds; i++) {
		uint32_t type = (uint32_t)(rnd() % KSCAP_EV_MAX);

		switch (rnd() % 8) {
		case 0:
			kt_ioctl(&d, KSCAP_IOC_MASK_ZERO, 0, "MASK_ZERO");
			break;
		case 1:
			kt_ioctl(&d, KSCAP_IOC_MASK_ALL, 0, "MASK_ALL");
			break;
		default:
			if (kt_events[type].name)
				kt_ioctl(&d, rnd() & 1 ? KSCAP_IOC_MASK_SET : KSCAP_IOC_MASK_UNSET,
					 (unsigned long)&type, "MASK_SET/UNSET");
		}
		if (!(i % 8))
			consume(&d);
	}
	kt_ioctl(&d, KSCAP_IOC_MASK_ALL, 0, "MASK_ALL");
	finish(&d, "mask", rounds);
}

static int set_online(unsigned int cpu, int on)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

static void hotplug(u64 rounds)
{
	unsigned int ncpu = kt_ncpus_online(), cpu;
	struct kt_dev d;
	u64 i;

	if (ncpu < 2)
		kt_skip("one CPU: nothing to take offline");
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK))
		kt_skip("CPU hotplug not available");
	begin(&d);
	start_workers();
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (i = 0; i < rounds; i++) {
		cpu = 1 + (unsigned int)(rnd() % (ncpu - 1));
		KT_CHECK(!set_online(cpu, 0), "CPU %u offline: %m", cpu);
		consume(&d);
		KT_CHECK(!set_online(cpu, 1), "CPU %u online: %m", cpu);
		consume(&d);
	}
	KT_CHECK(kt_ncpus_online() == ncpu, "%u CPUs online at the end, %u before",
		 kt_ncpus_online(), ncpu);
	finish(&d, "hotplug (a CPU offline and online)", rounds);
}

int main(int argc, char **argv)
{
	u64 rounds = argc > 2 ? strtoull(argv[2], NULL, 0) : 10;

	if (argc < 2)
		kt_fail("usage: lifecycle load|once|toggle|mask|hotplug [ROUNDS]");
	if (!strcmp(argv[1], "load")) {
		start_workers();
		pause();
	} else if (!strcmp(argv[1], "once")) {
		once();
	} else if (!strcmp(argv[1], "toggle")) {
		toggle(rounds);
	} else if (!strcmp(argv[1], "mask")) {
		mask(rounds);
	} else if (!strcmp(argv[1], "hotplug")) {
		hotplug(rounds);
	} else {
		kt_fail("unknown mode %s", argv[1]);
	}
	return 0;
}
