/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark's two lean consumers share: command line, CPU
 * pinning, the signals the guest script drives them with, and the lines
 * they print. Each consumer only counts events; the point is to measure
 * what delivering an event costs, not what a real consumer does with it.
 *
 *   CONSUMER [-c CPU] [-r READY_FILE] [-w WAKEUP_BYTES] [-m] [-n] [-d]
 *
 * -w is for consumers that wait in poll() (kscap's): how many bytes a ring
 * must hold before poll() reports data. -m and -n are for taking the cost
 * apart (tests/bench/profile.sh; kscap's consumer only): -m masks every
 * event type off, so the probes run but write nothing; -d decodes every
 * event's parameters too (kscap_next() rather than kscap_next_raw()); -n
 * reads nothing until it is stopped, so the workload's time holds no
 * consumer work.
 *
 * After capture has started, the consumer creates READY_FILE (the guest
 * script waits for it before it starts the workload). Then:
 *
 *   SIGUSR1          print "cons-snap read=N written=N dropped=N ns=T"
 *                    (events read so far, the kernel's counts, and the
 *                    CLOCK_MONOTONIC time), for rates over a window
 *   SIGTERM/SIGINT   stop capture, read what the buffers still hold, print
 *                    "cons-final read=N written=N dropped=N ..." and exit
 *
 * Exit status 0, or 1 with a message on stderr if the capture failed.
 */
#ifndef BENCH_CONSUMER_H
#define BENCH_CONSUMER_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t cons_stop, cons_snap;

static void cons_on_signal(int sig)
{
	if (sig == SIGUSR1)
		cons_snap = 1;
	else
		cons_stop = 1;
}

struct cons_opts {
	int cpu;
	const char *ready;
	long wakeup;		/* -1 if not given */
	int mask_all_off;	/* -m */
	int no_read;		/* -n */
	int decode;		/* -d */
};

static inline uint64_t cons_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline void cons_die(const char *name, const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", name, what, why);
	exit(1);
}

/* Parse the command line, pin to the CPU, install the handlers. */
static inline void cons_init(const char *name, int argc, char **argv,
			     struct cons_opts *o)
{
	struct sigaction sa;
	cpu_set_t set;
	int c;

	o->cpu = -1;
	o->ready = NULL;
	o->wakeup = -1;
	o->mask_all_off = 0;
	o->no_read = 0;
	o->decode = 0;
	while ((c = getopt(argc, argv, "c:r:w:mnd")) != -1) {
		switch (c) {
		case 'c': o->cpu = atoi(optarg); break;
		case 'r': o->ready = optarg; break;
		case 'w': o->wakeup = atol(optarg); break;
		case 'm': o->mask_all_off = 1; break;
		case 'n': o->no_read = 1; break;
		case 'd': o->decode = 1; break;
		default:
			fprintf(stderr, "usage: %s [-c CPU] [-r READY_FILE] [-w WAKEUP_BYTES] [-m] [-n] [-d]\n", name);
			exit(2);
		}
	}
	if (o->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			cons_die(name, "sched_setaffinity", strerror(errno));
	}
	/* No SA_RESTART: a signal must cut a wait short. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cons_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static inline void cons_ready(const char *name, const struct cons_opts *o)
{
	int fd;

	if (!o->ready)
		return;
	fd = open(o->ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		cons_die(name, o->ready, strerror(errno));
	close(fd);
}

#endif /* BENCH_CONSUMER_H */
