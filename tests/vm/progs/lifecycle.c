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

#define MAXW 16

static pid_t workers[MAXW];
static unsigned int nworkers;
static struct kt_reader reader;
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
	/* The load mode's parent is killed by the script: go with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	kt_syscall_mix(256, 0);
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

static void consume(const struct kt_dev *d)
{
	kt_reader_pass(&reader, d);
}

static void begin(struct kt_dev *d)
{
	kt_open(d);
	kt_reader_init(&reader, d);
}

/* Stop, read what is left, check the accounting; print the totals. */
static void finish(struct kt_dev *d, const char *what, u64 rounds)
{
	struct kt_totals t;

	stop_workers();
	kt_ioctl(d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_reader_finish(&reader, d, &t, 0);
	KT_CHECK(t.written > 0, "%s: nothing captured", what);
	kt_log("%s: %llu rounds; hits %llu = written %llu + dropped %llu; read %llu", what,
	       (unsigned long long)rounds, (unsigned long long)t.hits,
	       (unsigned long long)t.written, (unsigned long long)t.dropped,
	       (unsigned long long)t.read);
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
		KT_CHECK(!kt_set_online(cpu, 0), "CPU %u offline: %m", cpu);
		consume(&d);
		KT_CHECK(!kt_set_online(cpu, 1), "CPU %u online: %m", cpu);
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
