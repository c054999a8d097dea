// SPDX-License-Identifier: GPL-2.0
/*
 * poll: poll() reports nothing while the rings are empty, POLLIN once
 * events are there (wakeup threshold set small), and a poller blocked in
 * poll() is woken by events arriving, well before its timeout. With a
 * threshold never reached, data that has waited a timer tick still wakes
 * it, and data left when capture stops shows at once. First, with the
 * threshold a consumer gets when it sets none: it is not woken for every
 * event (its own poll() is one), yet an event reaches it within ticks.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

static int poll_once(const struct kt_dev *d, int timeout_ms, short *revents)
{
	struct pollfd p = { .fd = d->fd, .events = POLLIN };
	int r = poll(&p, 1, timeout_ms);

	if (r < 0)
		kt_fail("poll: %m");
	*revents = p.revents;
	return r;
}

/*
 * The default threshold: a poll loop that drains the rings at each
 * wakeup, for a second of capture. With a threshold of one byte each
 * poll() would return at once (its own enter event is in the ring):
 * thousands of times. With the default, only the timer wakes it.
 */
static void default_threshold(const struct kt_dev *d)
{
	unsigned int wakeups = 0;
	u64 t0, end, waited;
	short rev;
	int r;

	kt_drain(d);
	kt_ioctl(d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	t0 = kt_now_ns();
	end = t0 + 1000000000ULL;
	while (kt_now_ns() < end) {
		r = poll_once(d, 1000, &rev);
		if (r == 1)
			wakeups++;
		kt_drain(d);
	}
	kt_log("default threshold: %u wakeups in 1 s of a poll loop", wakeups);
	KT_CHECK(wakeups >= 1, "default threshold: the poll loop was never woken in 1 s");
	/* The timer ticks every 10 ms (wakeup_ms): 100 a second, plus slack. */
	KT_CHECK(wakeups <= 250, "default threshold: %u wakeups in 1 s, a consumer woken per event",
		 wakeups);

	/* One event still gets through, within a tick or two. */
	kt_drain(d);
	kt_getppid_storm(1);
	t0 = kt_now_ns();
	r = poll_once(d, 10000, &rev);
	waited = (kt_now_ns() - t0) / 1000000;
	kt_log("default threshold: one getppid woke poll after %llu ms", (unsigned long long)waited);
	KT_CHECK(r == 1 && (rev & POLLIN), "default threshold: one event, poll returned %d after %llu ms",
		 r, (unsigned long long)waited);
	/* Two 10 ms ticks; generous for TCG on a loaded host. */
	KT_CHECK(waited < 2000, "default threshold: one event waited %llu ms for POLLIN",
		 (unsigned long long)waited);
	kt_ioctl(d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_drain(d);
}

int main(void)
{
	struct kt_dev d;
	short rev;
	u64 t0, waited;
	pid_t pid;
	int r, st;

	__u32 wakeup = 1;

	kt_open(&d);
	default_threshold(&d);
	/* _IOW: the argument is a pointer to the __u32. */
	kt_ioctl(&d, KSCAP_IOC_SET_WAKEUP, (unsigned long)&wakeup, "SET_WAKEUP 1");

	/* Disabled and drained: nothing to report. */
	kt_drain(&d);
	r = poll_once(&d, 0, &rev);
	KT_CHECK(r == 0, "empty rings: poll returned %d, revents 0x%x", r, rev);
	r = poll_once(&d, 300, &rev);
	KT_CHECK(r == 0, "empty rings, 300 ms: poll returned %d, revents 0x%x", r, rev);

	/* Events: POLLIN. */
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	kt_getppid_storm(10);
	r = poll_once(&d, 2000, &rev);
	KT_CHECK(r == 1 && (rev & POLLIN), "after 10 getppid calls: poll returned %d, revents 0x%x", r, rev);
	KT_CHECK(!(rev & (POLLERR | POLLNVAL)), "poll revents 0x%x has POLLERR/POLLNVAL", rev);

	/* Drained again with capture off: quiet again. */
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_drain(&d);
	r = poll_once(&d, 0, &rev);
	KT_CHECK(r == 0, "drained, capture off: poll returned %d, revents 0x%x", r, rev);

	/*
	 * A blocked poller is woken by events. Capture stays off until the
	 * poller is asleep (its own poll() call would otherwise be the
	 * event), then a child makes noise.
	 */
	pid = KT_SYS(fork());
	if (!pid) {
		usleep(500 * 1000);
		if (ioctl(d.fd, KSCAP_IOC_ENABLE, 0))
			_exit(2);
		kt_getppid_storm(100);
		_exit(0);
	}
	t0 = kt_now_ns();
	/* Generous: TCG on a loaded host is slow; no wakeup at all shows as r == 0. */
	r = poll_once(&d, 30000, &rev);
	waited = (kt_now_ns() - t0) / 1000000;
	KT_SYS(waitpid(pid, &st, 0));
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the noise child failed (0x%x)", st);
	kt_log("blocked poll returned %d, revents 0x%x after %llu ms", r, rev, (unsigned long long)waited);
	KT_CHECK(r == 1 && (rev & POLLIN), "blocked poll returned %d, revents 0x%x", r, rev);
	KT_CHECK(waited < 15000, "blocked poll took %llu ms to wake for events made at 500 ms",
		 (unsigned long long)waited);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");

	/*
	 * A threshold that little traffic never reaches: data that has
	 * waited a timer tick still wakes the poller, and what is left when
	 * capture stops is reported at once.
	 */
	kt_drain(&d);
	wakeup = (__u32)d.g.ring_size;
	kt_ioctl(&d, KSCAP_IOC_SET_WAKEUP, (unsigned long)&wakeup, "SET_WAKEUP ring_size");
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	kt_getppid_storm(10);
	t0 = kt_now_ns();
	r = poll_once(&d, 10000, &rev);
	waited = (kt_now_ns() - t0) / 1000000;
	kt_log("below the threshold: poll returned %d, revents 0x%x after %llu ms", r, rev,
	       (unsigned long long)waited);
	KT_CHECK(r == 1 && (rev & POLLIN), "data below the threshold: poll returned %d after %llu ms",
		 r, (unsigned long long)waited);
	KT_CHECK(waited < 5000, "data below the threshold waited %llu ms for POLLIN",
		 (unsigned long long)waited);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	r = poll_once(&d, 0, &rev);
	KT_CHECK(r == 1 && (rev & POLLIN), "capture stopped with data left: poll returned %d", r);
	kt_drain(&d);
	r = poll_once(&d, 0, &rev);
	KT_CHECK(r == 0, "stopped and drained: poll returned %d, revents 0x%x", r, rev);
	kt_close(&d);
	return 0;
}
