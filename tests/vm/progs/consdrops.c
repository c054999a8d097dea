// SPDX-License-Identifier: GPL-2.0
/*
 * consdrops: the drops a consumer reports in its consumer slots (ABI 1.3,
 * uapi/kscap.h section 6) are repeated by GET_STATS, per CPU and summed,
 * and trusted for nothing: garbage there, rewritten all through a capture,
 * leaves the tails, the counters and the events as they would be.
 *
 *   consdrops hold FILE   check, then leave known counts in the slots,
 *                         write their sum to FILE (for scapctl stats to
 *                         show) and hold the device until SIGTERM
 *   consdrops fresh       a new consumer's slots and stats start from 0
 *   consdrops storm N     no device: N getppid() calls, a workload for
 *                         another consumer (fleet_drops.sh)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kt.h"

#define STORM 20000

static struct kt_dev d;

static void set_drops(unsigned int cpu, u64 v)
{
	__atomic_store_n(&kt_slot(&d, cpu)->drops, v, __ATOMIC_RELAXED);
}

static u64 consumer_drops(unsigned int cpu)
{
	struct kscap_stats s;

	memset(&s, 0, sizeof(s));
	s.cpu = cpu;
	KT_SYS(ioctl(d.fd, KSCAP_IOC_GET_STATS, &s));
	return s.consumer_drops;
}

/* Each slot's count comes back for its CPU, the sum (mod 2^64) for all. */
static void check_repeated(const u64 *v, const char *what)
{
	u64 sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		set_drops(cpu, v[cpu]);
		sum += v[cpu];
	}
	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		KT_CHECK(consumer_drops(cpu) == v[cpu], "%s: CPU %u: GET_STATS says %llu, slot %llu",
			 what, cpu, (unsigned long long)consumer_drops(cpu),
			 (unsigned long long)v[cpu]);
	KT_CHECK(consumer_drops(KSCAP_ALL_CPUS) == sum,
		 "%s: GET_STATS of all CPUs says %llu, the slots sum to %llu", what,
		 (unsigned long long)consumer_drops(KSCAP_ALL_CPUS), (unsigned long long)sum);
}

/* A caller of ABI 1.1/1.2 gets its counters and not a byte more. */
static void stats_abi_1_1(void)
{
	unsigned char buf[sizeof(struct kscap_stats) + 16];
	struct kscap_stats old;
	struct kscap_counters now;
	size_t i;

	memset(buf, 0xa5, sizeof(buf));
	memset(&old, 0, sizeof(old));
	old.cpu = KSCAP_ALL_CPUS;
	memcpy(buf, &old, 8);
	KT_SYS(ioctl(d.fd, KSCAP_IOC_GET_STATS_1_1, buf));
	for (i = KSCAP_STATS_SIZE_1_1; i < sizeof(buf); i++)
		KT_CHECK(buf[i] == 0xa5, "GET_STATS of ABI 1.1 wrote byte %zu, past its %d", i,
			 KSCAP_STATS_SIZE_1_1);
	memcpy(&old, buf, KSCAP_STATS_SIZE_1_1);
	kt_stats(&d, KSCAP_ALL_CPUS, &now);
	KT_CHECK(!memcmp(&old.c, &now, sizeof(now)),
		 "GET_STATS of ABI 1.1 and of 1.3 disagree (capture is off)");
}

static volatile int stop_garbage;

/* Another CPU keeps rewriting every slot's drops and padding. */
static void *garbage(void *arg)
{
	u64 x = 0x9e3779b97f4a7c15ULL;
	unsigned int cpu, i;

	(void)arg;
	while (!stop_garbage) {
		for (cpu = 0; cpu < d.g.ncpus; cpu++) {
			struct kscap_consumer_slot *s = kt_slot(&d, cpu);

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			set_drops(cpu, x);
			for (i = 0; i < sizeof(s->__pad) / sizeof(s->__pad[0]); i++)
				__atomic_store_n(&s->__pad[i], ~x, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/*
 * A capture with the slots full of changing garbage: the module takes
 * its tail and nothing else from them.
 */
static void capture_under_garbage(unsigned int cpu)
{
	struct kscap_counters c;
	pthread_t t;
	u64 n;

	kt_drain(&d);
	KT_CHECK(!pthread_create(&t, NULL, garbage, NULL), "pthread_create failed");
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	kt_pin(cpu);
	kt_getppid_storm(STORM);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	stop_garbage = 1;
	pthread_join(t, NULL);
	/* every event well formed, every counter adds up */
	n = kt_walk(&d, cpu, kt_tail(&d, cpu), kt_head(&d, cpu), NULL, NULL);
	kt_check_counters(&d);
	kt_stats(&d, KSCAP_ALL_CPUS, &c);
	KT_CHECK(c.bad_tail == 0, "garbage drops cost %llu bad tails",
		 (unsigned long long)c.bad_tail);
	KT_CHECK(c.written > 0 && n > 0, "nothing captured under garbage drops (written %llu)",
		 (unsigned long long)c.written);
	kt_log("under garbage drops: %llu events on CPU %u, %llu written in all",
	       (unsigned long long)n, cpu, (unsigned long long)c.written);
	kt_drain(&d);
}

static volatile sig_atomic_t term;

static void on_term(int sig)
{
	(void)sig;
	term = 1;
}

static void hold(const char *file)
{
	u64 *v = calloc(d.g.ncpus, sizeof(*v));
	struct sigaction sa;
	unsigned int cpu;
	sigset_t none, block;
	u64 sum = 0;
	FILE *f;

	KT_CHECK(v, "out of memory");
	KT_CHECK(consumer_drops(KSCAP_ALL_CPUS) == 0, "a new consumer starts with %llu drops",
		 (unsigned long long)consumer_drops(KSCAP_ALL_CPUS));
	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		v[cpu] = 1000 * (cpu + 1) + cpu;
	check_repeated(v, "small counts");
	/* the sum wraps: nothing to trust, nothing to overflow */
	v[0] = ~0ULL - 2;
	for (cpu = 1; cpu < d.g.ncpus; cpu++)
		v[cpu] = 1ULL << 63;
	check_repeated(v, "counts that wrap");
	stats_abi_1_1();
	capture_under_garbage(kt_pick_cpu());

	/* what scapctl stats is to show */
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		v[cpu] = cpu == 0 ? 4242 : 7 * cpu;
		sum += v[cpu];
	}
	check_repeated(v, "final counts");
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	f = fopen(file, "w");
	KT_CHECK(f && fprintf(f, "%llu\n", (unsigned long long)sum) > 0 && !fclose(f),
		 "%s: %m", file);
	sigemptyset(&none);
	while (!term)
		sigsuspend(&none);
	free(v);
}

int main(int argc, char **argv)
{
	unsigned int cpu;

	KT_CHECK(argc >= 2, "usage: consdrops hold FILE | fresh | storm N");
	if (!strcmp(argv[1], "storm") && argc == 3) {
		kt_getppid_storm(strtoul(argv[2], NULL, 0));
		return 0;
	}
	kt_open(&d);
	if (!strcmp(argv[1], "hold") && argc == 3) {
		hold(argv[2]);
	} else if (!strcmp(argv[1], "fresh")) {
		for (cpu = 0; cpu < d.g.ncpus; cpu++)
			KT_CHECK(kt_slot(&d, cpu)->drops == 0,
				 "CPU %u: a new consumer's slot holds %llu drops", cpu,
				 (unsigned long long)kt_slot(&d, cpu)->drops);
		KT_CHECK(consumer_drops(KSCAP_ALL_CPUS) == 0,
			 "a new consumer's GET_STATS says %llu drops",
			 (unsigned long long)consumer_drops(KSCAP_ALL_CPUS));
	} else {
		kt_fail("usage: consdrops hold FILE | fresh | storm N");
	}
	kt_close(&d);
	return 0;
}
