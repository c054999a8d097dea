// SPDX-License-Identifier: MIT
/*
 * scapdump against the fake device: linked with --wrap=kscap_open, so
 * that its live path (poll loop, signals, drain, stats) runs without the
 * module. A producer thread plays the kernel: FAKE_EVENTS open enter/exit
 * pairs (default 1000) spread over two CPUs, then silence. At exit it
 * reports on stderr how often scapdump polled, to show it never spins.
 * FAKE_BUSY=1 makes the device busy, FAKE_ABI=N makes it speak ABI N.0,
 * FAKE_LATE=1 commits one CPU's events late (see late_producer).
 * FAKE_LATE_THREAD=1: the events are those of a thread ("late-thread") that
 * starts 300 ms after the device is opened, when scapdump has read /proc.
 * FAKE_HOLD=FILE: half of the events, then the rest once FILE exists.
 * FAKE_SELF=1: of every four open pairs, the first is scapdump's main
 * thread's, the second this producer thread's (both scapdump's own), the
 * other two those of threads 100 and 101 (another process's).
 * At exit it also prints the drops scapdump last reported in its consumer
 * slot (kscap_report_drops()), as the module would repeat them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdlib.h>
#include <time.h>
#include "evbuild.h"
#include "fakedev.h"

int __real_kscap_open(const char *path, struct kscap **out);
int __wrap_kscap_open(const char *path, struct kscap **out);

static unsigned long nevents;
static bool self_mode;	/* FAKE_SELF */

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

static void produce_or_wait(unsigned int cpu, const uint8_t *raw, uint32_t len)
{
	while (!fakedev_produce(cpu, raw, len))
		pause_ms(1);	/* ring full: the consumer will drain it */
}

/*
 * FAKE_LATE=1: CPU 1 stamps each open pair before CPU 0 stamps its own,
 * but commits it a millisecond after CPU 0 has, as a CPU held up between its
 * timestamp and its commit would. Timestamps come from the monotonic
 * clock, as the module's do (plus an offset that makes them epoch-like).
 */
static uint64_t stamp(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec +
	       1700000000000000000ULL;
}

static void *late_producer(void *arg)
{
	static struct evb b;
	unsigned long i;
	uint64_t t0, t1;
	uint32_t len;
	const uint8_t *raw;

	pause_ms(50);
	for (i = 0; i < nevents; i += 4) {
		t1 = stamp();		/* CPU 1's, not yet committed */
		pause_ms(1);
		t0 = stamp();
		evb_start(&b, KSCAP_EV_OPEN_E, t0, 100);
		raw = evb_end(&b, &len);
		produce_or_wait(0, raw, len);
		raw = ev_open_x(&b, t0 + 1000, 100, 3, "/etc/hosts", &len);
		produce_or_wait(0, raw, len);
		fakedev_signal(true);
		pause_ms(1);	/* well within the 10 ms window */
		evb_start(&b, KSCAP_EV_OPEN_E, t1, 101);
		raw = evb_end(&b, &len);
		produce_or_wait(1, raw, len);
		raw = ev_open_x(&b, t1 + 1000, 101, 3, "/etc/hosts", &len);
		produce_or_wait(1, raw, len);
		__atomic_store_n(&fakedev.counters.written, i + 4, __ATOMIC_RELEASE);
		fakedev_signal(true);
	}
	return NULL;
}

static void *producer(void *arg);

static void *late_thread(void *arg)
{
	prctl(PR_SET_NAME, "late-thread");
	producer(&nevents);
	/* stay until scapdump has seen the events: it looks us up then */
	pause_ms(2000);
	return NULL;
}

static void *producer(void *arg)
{
	static struct evb b;
	uint64_t ts = 1700000000000000000ULL;
	const char *hold = getenv("FAKE_HOLD");
	unsigned long i;
	uint32_t len;
	const uint8_t *raw;

	pause_ms(50);
	for (i = 0; i < nevents; i += 2) {
		while (hold && i >= nevents / 2 && access(hold, F_OK))
			pause_ms(10);
		unsigned int cpu = (i / 2) % 2;
		uint64_t tid = arg ? (uint64_t)gettid() : 100 + cpu;

		if (self_mode && (i / 2) % 4 < 2)
			tid = (i / 2) % 4 ? (uint64_t)gettid() : (uint64_t)getpid();

		evb_start(&b, KSCAP_EV_OPEN_E, ts, tid);
		raw = evb_end(&b, &len);
		produce_or_wait(cpu, raw, len);
		raw = ev_open_x(&b, ts + 1500, tid, (i / 2) % 5 ? 3 : -2, "/etc/hosts", &len);
		produce_or_wait(cpu, raw, len);
		__atomic_store_n(&fakedev.counters.written, i + 2, __ATOMIC_RELEASE);
		fakedev_signal(true);
		ts += 10000;
	}
	return NULL;
}

/* The producer in a thread of its own, started after the /proc scan. */
static void *late(void *arg)
{
	pthread_t t;

	pause_ms(300);
	if (pthread_create(&t, NULL, late_thread, NULL) || pthread_join(t, NULL))
		abort();
	return NULL;
}

static void report(void)
{
	const struct kscap_consumer_slot *slot = (const void *)fakedev.cons;

	fprintf(stderr, "fakedev: polls=%u\n", __atomic_load_n(&fakedev.polls, __ATOMIC_RELAXED));
	fprintf(stderr, "fakedev: consumer_drops=%llu\n",
		(unsigned long long)__atomic_load_n(&slot->drops, __ATOMIC_RELAXED));
}

int __wrap_kscap_open(const char *path, struct kscap **out)
{
	const char *n = getenv("FAKE_EVENTS");
	pthread_t t;
	int rc;

	nevents = n ? strtoul(n, NULL, 10) : 1000;
	self_mode = getenv("FAKE_SELF") != NULL;
	fakedev_init(2, 1 << 16);
	if (getenv("FAKE_BUSY"))
		fakedev.open_errno = EBUSY;
	if (getenv("FAKE_ABI"))
		fakedev.version = (uint32_t)strtoul(getenv("FAKE_ABI"), NULL, 10) << 16;
	rc = kscap__open_sys(FAKEDEV_PATH, &fakedev_sys, out);
	if (rc)
		return rc;
	atexit(report);
	if (pthread_create(&t, NULL, getenv("FAKE_LATE") ? late_producer :
			   getenv("FAKE_LATE_THREAD") ? late : producer, NULL) ||
	    pthread_detach(t))
		abort();
	return 0;
}
