// SPDX-License-Identifier: MIT
/*
 * Names of numbers that are not flags: errno values, signals, address
 * families. errno and signal names come from the C library, which knows
 * this system's values.
 */

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/*
 * Codes the kernel uses inside to restart a call after a signal. They are
 * not errno values and the C library has no names for them, but a
 * syscall exit can show them (poll and friends interrupted by a signal
 * that is handled): name them as the kernel does.
 */
static const struct {
	int code;
	const char *name;
} restart_codes[] = {
	{ 512, "ERESTARTSYS" },
	{ 513, "ERESTARTNOINTR" },
	{ 514, "ERESTARTNOHAND" },
	{ 516, "ERESTART_RESTARTBLOCK" },
};

const char *kscap_errno_name(int err)
{
	size_t i;

	/* INT_MIN has no positive counterpart, nor an errno name. */
	if (err == INT_MIN || err == 0)
		return NULL;
	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(restart_codes); i++)
		if (restart_codes[i].code == err)
			return restart_codes[i].name;
	return strerrorname_np(err);
}

#define NSIGNALS 65

static char sig_names[NSIGNALS][32];
static pthread_once_t sig_names_once = PTHREAD_ONCE_INIT;

static void build_sig_names(void)
{
	int sig;

	for (sig = 1; sig < NSIGNALS; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev)
			snprintf(sig_names[sig], sizeof(sig_names[sig]), "SIG%s", abbrev);
		else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
			snprintf(sig_names[sig], sizeof(sig_names[sig]), "SIGRTMIN+%d",
				 sig - SIGRTMIN);
	}
}

const char *kscap_signal_name(int sig)
{
	if (sig <= 0 || sig >= NSIGNALS)
		return NULL;
	pthread_once(&sig_names_once, build_sig_names);
	return sig_names[sig][0] ? sig_names[sig] : NULL;
}
