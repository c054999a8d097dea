// SPDX-License-Identifier: GPL-2.0
/*
 * mask: MASK_UNSET of GENERIC_E and GENERIC_X makes getppid's events
 * vanish (and counts them in drops_mask), MASK_SET brings them back;
 * MASK_ZERO silences everything and MASK_ALL restores it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kt.h"

#define N 1000

/* MASK_SET/UNSET take a pointer to the __u32 type (_IOW). */
static void mask_ioctl(const struct kt_dev *d, unsigned long req, __u32 type, const char *what)
{
	kt_ioctl(d, req, (unsigned long)&type, what);
}

static unsigned int cpu;

/* Run N getppid calls from a drained ring; count this thread's events. */
static void phase(struct kt_dev *d, struct kt_ppid *a, struct kscap_counters *delta)
{
	struct kscap_counters c0, c1;
	u64 from, to;
	int fd;

	kt_drain(d);
	from = kt_head(d, cpu);
	kt_stats(d, cpu, &c0);
	kt_getppid_storm(N);
	/* Something that is not a generic event, to see MASK_ZERO's effect. */
	fd = open("/proc/self/stat", O_RDONLY);
	if (fd >= 0)
		close(fd);
	kt_stats(d, cpu, &c1);
	to = kt_head(d, cpu);
	kt_ppid_init(a, kt_gettid(), cpu);
	kt_ppid_count(d, a, from, to);
	delta->drops_mask = c1.drops_mask - c0.drops_mask;
	delta->written = c1.written - c0.written;
}

int main(void)
{
	struct kscap_counters dl;
	struct kt_ppid a;
	__u32 bad;
	struct kt_dev d;

	kt_open(&d);
	cpu = kt_pick_cpu();
	kt_pin(cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");

	phase(&d, &a, &dl);
	kt_log("default mask: %llu enters, %llu exits", (unsigned long long)a.enters,
	       (unsigned long long)a.exits);
	KT_CHECK(a.enters == N && a.exits == N, "default mask: %llu/%llu getppid enters/exits, want %d",
		 (unsigned long long)a.enters, (unsigned long long)a.exits, N);

	mask_ioctl(&d, KSCAP_IOC_MASK_UNSET, KSCAP_EV_GENERIC_E, "MASK_UNSET GENERIC_E");
	mask_ioctl(&d, KSCAP_IOC_MASK_UNSET, KSCAP_EV_GENERIC_X, "MASK_UNSET GENERIC_X");
	phase(&d, &a, &dl);
	kt_log("generic masked: %llu enters, %llu exits, drops_mask +%llu",
	       (unsigned long long)a.enters, (unsigned long long)a.exits,
	       (unsigned long long)dl.drops_mask);
	KT_CHECK(a.enters == 0 && a.exits == 0,
		 "GENERIC_E/X masked off: still %llu/%llu getppid enters/exits",
		 (unsigned long long)a.enters, (unsigned long long)a.exits);
	KT_CHECK(dl.drops_mask >= 2 * N, "GENERIC_E/X masked off: drops_mask grew by %llu for %d calls",
		 (unsigned long long)dl.drops_mask, N);

	mask_ioctl(&d, KSCAP_IOC_MASK_SET, KSCAP_EV_GENERIC_E, "MASK_SET GENERIC_E");
	mask_ioctl(&d, KSCAP_IOC_MASK_SET, KSCAP_EV_GENERIC_X, "MASK_SET GENERIC_X");
	phase(&d, &a, &dl);
	KT_CHECK(a.enters == N && a.exits == N, "after MASK_SET: %llu/%llu getppid enters/exits, want %d",
		 (unsigned long long)a.enters, (unsigned long long)a.exits, N);

	/* Only the enter masked: exits still come, enters do not. */
	mask_ioctl(&d, KSCAP_IOC_MASK_UNSET, KSCAP_EV_GENERIC_E, "MASK_UNSET GENERIC_E");
	phase(&d, &a, &dl);
	KT_CHECK(a.enters == 0, "GENERIC_E masked: %llu getppid enters", (unsigned long long)a.enters);
	KT_CHECK(dl.drops_mask >= N, "GENERIC_E masked: drops_mask grew by %llu for %d calls",
		 (unsigned long long)dl.drops_mask, N);
	/* The exits, with no enter before them, are counted as "others". */
	KT_CHECK(a.others >= N, "GENERIC_E masked: only %llu events of this thread, want the %d exits",
		 (unsigned long long)a.others, N);
	mask_ioctl(&d, KSCAP_IOC_MASK_SET, KSCAP_EV_GENERIC_E, "MASK_SET GENERIC_E");

	kt_ioctl(&d, KSCAP_IOC_MASK_ZERO, 0, "MASK_ZERO");
	phase(&d, &a, &dl);
	KT_CHECK(a.enters == 0 && a.exits == 0 && a.others == 0,
		 "MASK_ZERO: this thread still got %llu/%llu getppid enters/exits and %llu other events",
		 (unsigned long long)a.enters, (unsigned long long)a.exits,
		 (unsigned long long)a.others);
	KT_CHECK(dl.drops_mask >= 2 * N, "MASK_ZERO: drops_mask grew by %llu for %d calls",
		 (unsigned long long)dl.drops_mask, N);
	kt_ioctl(&d, KSCAP_IOC_MASK_ALL, 0, "MASK_ALL");
	phase(&d, &a, &dl);
	KT_CHECK(a.enters == N && a.exits == N, "after MASK_ALL: %llu/%llu getppid enters/exits, want %d",
		 (unsigned long long)a.enters, (unsigned long long)a.exits, N);
	KT_CHECK(a.others > 0, "after MASK_ALL: open/close left no event");

	/* Types outside the table are refused. */
	bad = KSCAP_EV_MAX;
	KT_CHECK(ioctl(d.fd, KSCAP_IOC_MASK_SET, &bad) < 0 && errno == EINVAL,
		 "MASK_SET %d (KSCAP_EV_MAX): not refused with EINVAL", KSCAP_EV_MAX);
	bad = 0xffff;
	KT_CHECK(ioctl(d.fd, KSCAP_IOC_MASK_UNSET, &bad) < 0 && errno == EINVAL,
		 "MASK_UNSET 0xffff: not refused with EINVAL");

	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
