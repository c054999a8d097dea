// SPDX-License-Identifier: GPL-2.0
/*
 * falco_consumer: the benchmark's lean consumer of Falco's scap.ko. It
 * opens a live capture through Debian's libscap (libfalcosecurity0) with
 * every syscall of interest, reads every event with scap_next() (which,
 * like libkscap, merges the per-CPU buffers in timestamp order) and only
 * counts them; consumer.h describes the command line and the output.
 *
 * Counts: written is the driver's n_evts less its drops (n_evts counts
 * every event the driver tried to write), dropped is libscap's n_drops.
 */
#include "consumer.h"
#include <scap.h>

static const char *name = "falco_consumer";

static void counts(scap_t *h, uint64_t *written, uint64_t *dropped,
		   scap_stats *s)
{
	if (scap_get_stats(h, s) != SCAP_SUCCESS)
		cons_die(name, "scap_get_stats", scap_getlasterr(h));
	*dropped = s->n_drops;
	*written = s->n_evts - s->n_drops;
}

int main(int argc, char **argv)
{
	uint64_t nread = 0, written, dropped;
	char err[SCAP_LASTERR_SIZE];
	scap_open_args args;
	struct cons_opts o;
	scap_stats s;
	uint16_t cpu;
	scap_evt *ev;
	int32_t rc;
	scap_t *h;
	int i;

	cons_init(name, argc, argv, &o);
	if (o.wakeup >= 0 || o.mask_all_off || o.no_read)
		cons_die(name, "-w, -m, -n", "kscap_consumer's options only");
	memset(&args, 0, sizeof(args));
	args.mode = SCAP_MODE_LIVE;
	args.import_users = false;
	/* Every syscall: the same work kscap does with its default mask. */
	for (i = 0; i < PPM_SC_MAX; i++)
		args.ppm_sc_of_interest.ppm_sc[i] = true;
	err[0] = '\0';
	h = scap_open(args, err, &rc);
	if (!h)
		cons_die(name, "scap_open", err);
	if (scap_start_capture(h) != SCAP_SUCCESS)
		cons_die(name, "scap_start_capture", scap_getlasterr(h));
	cons_ready(name, &o);

	while (!cons_stop) {
		rc = scap_next(h, &ev, &cpu);
		if (rc == SCAP_SUCCESS)
			nread++;
		else if (rc != SCAP_TIMEOUT)
			cons_die(name, "scap_next", scap_getlasterr(h));
		if (cons_snap) {
			cons_snap = 0;
			counts(h, &written, &dropped, &s);
			printf("cons-snap read=%llu written=%llu dropped=%llu ns=%llu\n",
			       (unsigned long long)nread, (unsigned long long)written,
			       (unsigned long long)dropped,
			       (unsigned long long)cons_now());
		}
	}

	/* Stop the producers, then take what the buffers still hold until
	 * the driver's count stops moving: a probe already running on the
	 * other vCPU when the stop came may commit its event after a first
	 * drain found the buffers empty. */
	if (scap_stop_capture(h) != SCAP_SUCCESS)
		cons_die(name, "scap_stop_capture", scap_getlasterr(h));
	written = UINT64_MAX;
	for (i = 0; i < 10; i++) {
		uint64_t before = written;

		while ((rc = scap_next(h, &ev, &cpu)) == SCAP_SUCCESS)
			nread++;
		if (rc != SCAP_TIMEOUT)
			cons_die(name, "scap_next", scap_getlasterr(h));
		counts(h, &written, &dropped, &s);
		if (written == before)
			break;
	}
	printf("cons-final read=%llu written=%llu dropped=%llu hits=%llu drops_buffer=%llu drops_pf=%llu drops_bug=%llu preemptions=%llu\n",
	       (unsigned long long)nread, (unsigned long long)written,
	       (unsigned long long)dropped, (unsigned long long)s.n_evts,
	       (unsigned long long)s.n_drops_buffer,
	       (unsigned long long)s.n_drops_pf,
	       (unsigned long long)s.n_drops_bug,
	       (unsigned long long)s.n_preemptions);
	scap_close(h);
	return 0;
}
