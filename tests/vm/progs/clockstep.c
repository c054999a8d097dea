// SPDX-License-Identifier: GPL-2.0
/*
 * clockstep: event timestamps follow the wall clock when it is stepped
 * during a capture. Around each getppid() call this thread reads
 * CLOCK_REALTIME; the call's events must be stamped within 1 ms of that
 * window, before the clock is stepped forward by 1000 s and right after
 * (then stepped back, with capture off).
 */
#define _GNU_SOURCE
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "kt.h"

#define STEP_NS		(1000ULL * 1000000000ULL)
#define SLACK_NS	1000000ULL
#define CALLS		20

struct window {
	u64 lo[2 * CALLS], hi[2 * CALLS];
	unsigned int n, seen, bad;
	pid_t tid;
	u64 worst;
};

/* The thread's getppid enters, and the exit right after each. */
static void on_event(const struct kt_ev *ev, void *arg)
{
	struct window *w = arg;
	unsigned int i = w->seen / 2;
	u64 off;

	if (ev->tid != (u64)w->tid || i >= w->n)
		return;
	if (!(w->seen & 1) && (ev->type != KSCAP_EV_GENERIC_E || kt_uparam(ev, 1) != KT_NR_GETPPID))
		return;
	if ((w->seen & 1) && ev->type != KSCAP_EV_GENERIC_X)
		return;
	w->seen++;
	if (ev->ts + SLACK_NS >= w->lo[i] && ev->ts <= w->hi[i] + SLACK_NS)
		return;
	off = ev->ts < w->lo[i] ? w->lo[i] - ev->ts : ev->ts - w->hi[i];
	if (off > w->worst)
		w->worst = off;
	if (!w->bad++)
		kt_log("call %u (%s the step): ts %llu outside [%llu, %llu] by %llu ns", i,
		       i < CALLS ? "before" : "after", (unsigned long long)ev->ts,
		       (unsigned long long)w->lo[i], (unsigned long long)w->hi[i],
		       (unsigned long long)off);
}

static void timed_call(struct window *w)
{
	w->lo[w->n] = kt_now_ns();
	syscall(SYS_getppid);
	w->hi[w->n] = kt_now_ns();
	w->n++;
}

static void set_clock(u64 ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL, .tv_nsec = ns % 1000000000ULL };

	KT_SYS(clock_settime(CLOCK_REALTIME, &ts));
}

int main(void)
{
	struct window w = { .tid = kt_gettid() };
	struct kt_dev d;
	unsigned int cpu, i;

	kt_pin(kt_pick_cpu());
	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (i = 0; i < CALLS; i++)
		timed_call(&w);
	set_clock(kt_now_ns() + STEP_NS);
	for (i = 0; i < CALLS; i++)
		timed_call(&w);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	set_clock(kt_now_ns() - STEP_NS);

	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		kt_walk(&d, cpu, kt_tail(&d, cpu), kt_head(&d, cpu), on_event, &w);
	KT_CHECK(w.seen == 2 * w.n, "%u getppid events, want %u", w.seen, 2 * w.n);
	KT_CHECK(!w.bad, "%u of %u events stamped more than 1 ms outside their call (worst by %llu ns)",
		 w.bad, w.seen, (unsigned long long)w.worst);
	kt_close(&d);
	return 0;
}
