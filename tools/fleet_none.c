// SPDX-License-Identifier: MIT
/*
 * Fleet mode in a scapdump built without libnats (the static build for
 * the VM initramfs: Debian ships no static libnats): the options are
 * known, and say plainly that this build cannot use them.
 */
#include <stdio.h>
#include "fleet.h"

const bool fleet_available = false;

static int unavailable(void)
{
	fputs("scapdump: this scapdump was built without NATS support (libnats)\n", stderr);
	return 2;
}

int publisher_open(const struct fleet_opts *fo, struct publisher **out)
{
	*out = NULL;
	return unavailable();
}

int publisher_writer(struct publisher *p, struct kscap_writer **w)
{
	return unavailable();
}

int publisher_state(struct publisher *p, const struct kscap_threads *t, const char *procdir)
{
	return unavailable();
}

void publisher_tick(struct publisher *p, struct kscap_writer *w, const struct kscap_threads *t)
{
}

uint64_t publisher_dropped(struct publisher *p)
{
	return 0;
}

int publisher_close(struct publisher *p, struct kscap_writer *w, uint64_t *dropped)
{
	if (dropped)
		*dropped = 0;
	return 0;
}

int subscribe_run(const struct fleet_opts *fo, const struct fleet_sink *sink,
		  volatile sig_atomic_t *stop, const bool *done)
{
	return unavailable();
}
