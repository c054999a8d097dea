// SPDX-License-Identifier: GPL-2.0
/*
 * maskload: MASK_ALL while events flow. One CPU makes fchmod() calls (its
 * events, 316/317, sit far into the mask, so a mask rebuilt bit by bit in
 * place shows them off for longest) while another CPU asks for MASK_ALL
 * over and over. The mask stays the default throughout, so no event may
 * be dropped as masked off: drops_mask must stay 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

#define SECONDS 3

int main(void)
{
	struct kscap_counters c;
	unsigned long rounds = 0;
	unsigned int storm_cpu;
	struct kt_dev d;
	pid_t child;
	u64 t0;
	int st;

	KT_CHECK(kt_ncpus_online() >= 2 || (kt_skip("needs two CPUs"), 0), "unreachable");
	storm_cpu = kt_pick_cpu();
	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	child = KT_SYS(fork());
	if (!child) {
		kt_pin(storm_cpu);
		for (;;)
			fchmod(-1, 0644);
	}
	kt_pin(0);
	t0 = kt_now_ns();
	while (kt_now_ns() - t0 < SECONDS * 1000000000ULL) {
		kt_ioctl(&d, KSCAP_IOC_MASK_ALL, 0, "MASK_ALL");
		rounds++;
		/* The storm's events are not read: keep the rings from filling. */
		if (!(rounds % 64))
			kt_drain(&d);
	}
	kill(child, SIGKILL);
	KT_SYS(waitpid(child, &st, 0));
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_stats(&d, KSCAP_ALL_CPUS, &c);
	kt_log("%lu MASK_ALL under load: %llu hits, %llu written, %llu dropped as masked off",
	       rounds, (unsigned long long)c.hits, (unsigned long long)c.written,
	       (unsigned long long)c.drops_mask);
	KT_CHECK(c.hits > 10000, "only %llu hits: the load did not run", (unsigned long long)c.hits);
	KT_CHECK(!c.drops_mask, "%llu events dropped as masked off while the mask stayed the default",
		 (unsigned long long)c.drops_mask);
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
