// SPDX-License-Identifier: GPL-2.0
/*
 * kscap_consumer: the benchmark's lean kscap consumer. It reads every
 * event through libkscap's kscap_next_raw() (which merges the CPUs' rings
 * in timestamp order and checks each event's header, as libscap's
 * scap_next() does for the Falco consumer) and only counts them; with -d
 * it decodes every event with kscap_next() instead. consumer.h describes
 * the command line and the output.
 *
 * It waits with kscap_wait() as libkscap's header shows, with the
 * module's default wakeup threshold (ring_size / 16, at most 64 KiB),
 * or -w bytes. The threshold matters: the consumer's own poll() is
 * captured too, and its enter event is in the ring before poll() looks
 * at the ring, so with a threshold of 1 byte every poll() returns at
 * once and the consumer never sleeps, reading mostly its own poll
 * events (-w 1, the benchmark's kscap1 scenario: the module's default
 * before it was raised).
 *
 * Counts: written is the module's "written" counter, dropped the sum of
 * its drop counters except drops_mask (types masked off are not lost
 * events, they were never asked for).
 */
#include "consumer.h"
#include <kscap/libkscap.h>

static const char *name = "kscap_consumer";

static void fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", name, what, kscap_strerror(err),
		kscap_last_error());
	exit(1);
}

static void counts(struct kscap *h, uint64_t *written, uint64_t *dropped,
		   struct kscap_counters *c)
{
	unsigned int i;
	int err;

	err = kscap_get_stats(h, KSCAP_ALL_CPUS, c);
	if (err)
		fail("kscap_get_stats", err);
	*written = c->written;
	*dropped = c->drops_nested + c->drops_toolong;
	for (i = 0; i < KSCAP_DROP_NR; i++)
		*dropped += c->drops_full[i];
}

/* The next event, decoded (-d) or only its header checked. */
static int next_event(struct kscap *h, const struct cons_opts *o,
		      struct kscap_evt *evt)
{
	const struct kscap_evt_hdr *hdr;

	return o->decode ? kscap_next(h, evt, NULL) : kscap_next_raw(h, &hdr, NULL);
}

int main(int argc, char **argv)
{
	uint64_t nread = 0, written, dropped;
	struct kscap_counters c;
	struct cons_opts o;
	struct kscap_evt evt;
	struct kscap *h;
	char wakeup[24];
	int rc;

	cons_init(name, argc, argv, &o);
	snprintf(wakeup, sizeof(wakeup), "%ld", o.wakeup);
	if (o.wakeup < 0)
		strcpy(wakeup, "default");
	rc = kscap_open(NULL, &h);
	if (rc)
		fail("kscap_open", rc);
	if (o.wakeup >= 0) {
		rc = kscap_set_wakeup(h, (unsigned int)o.wakeup);
		if (rc)
			fail("kscap_set_wakeup", rc);
	}
	if (o.mask_all_off) {
		rc = kscap_mask_zero(h);
		if (rc)
			fail("kscap_mask_zero", rc);
	}
	rc = kscap_start(h);
	if (rc)
		fail("kscap_start", rc);
	cons_ready(name, &o);

	/* -n: sleep until stopped (the signal cuts pause() short). */
	while (!cons_stop && o.no_read)
		pause();
	while (!cons_stop) {
		rc = next_event(h, &o, &evt);
		if (rc > 0) {
			nread++;
		} else if (rc == 0) {
			rc = kscap_wait(h, 100);
			if (rc < 0 && rc != -EINTR)
				fail("kscap_wait", rc);
		} else if (rc != -EBADMSG) {
			/* (-EBADMSG: a corrupt ring was skipped; it is
			 * counted in kscap_corrupt_count() and we go on.) */
			fail("kscap_next", rc);
		}
		if (cons_snap) {
			cons_snap = 0;
			counts(h, &written, &dropped, &c);
			printf("cons-snap read=%llu written=%llu dropped=%llu ns=%llu\n",
			       (unsigned long long)nread, (unsigned long long)written,
			       (unsigned long long)dropped,
			       (unsigned long long)cons_now());
		}
	}

	/* Stop the producers, then take what the rings still hold. */
	rc = kscap_stop(h);
	if (rc)
		fail("kscap_stop", rc);
	while ((rc = next_event(h, &o, &evt)) != 0) {
		if (rc > 0)
			nread++;
		else if (rc != -EBADMSG)
			fail("kscap_next", rc);
	}
	counts(h, &written, &dropped, &c);
	printf("cons-final read=%llu written=%llu dropped=%llu hits=%llu masked=%llu corrupt=%llu faults=%llu wakeup=%s\n",
	       (unsigned long long)nread, (unsigned long long)written,
	       (unsigned long long)dropped, (unsigned long long)c.hits,
	       (unsigned long long)c.drops_mask,
	       (unsigned long long)kscap_corrupt_count(h),
	       (unsigned long long)c.faults, wakeup);
	kscap_close(h);
	return 0;
}
