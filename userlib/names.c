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

const char *kscap_errno_name(int err)
{
	/* INT_MIN has no positive counterpart, nor an errno name. */
	if (err == INT_MIN || err == 0)
		return NULL;
	if (err < 0)
		err = -err;
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
