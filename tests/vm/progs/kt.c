// SPDX-License-Identifier: GPL-2.0
/* kt: the VM test programs' shared helpers (see kt.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kt.h"
#include "internal.h"	/* libkscap's: kscap__evt_check() */

struct kscap_event_info kt_events[KSCAP_EV_MAX] = {
#include KSCAP_EVENT_TABLE_ROWS
};

/* The rows as the module writes them: the generic exit carries res too. */
__attribute__((constructor)) static void kt_events_extend(void)
{
	static const struct kscap_param_info res = KSCAP_GENERIC_X_RES_PARAM;

	kt_events[KSCAP_EV_GENERIC_X].params[KSCAP_GENERIC_X_RES] = res;
	kt_events[KSCAP_EV_GENERIC_X].nparams = KSCAP_GENERIC_X_NPARAMS;
}

static const char *prog_name(void)
{
	return program_invocation_short_name;
}

static void vreport(const char *tag, const char *fmt, va_list ap)
{
	char msg[512];
	const char *path = getenv("KT_REASON");

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s%s\n", prog_name(), tag, msg);
	/* Only the first failure: later ones are usually its consequences. */
	if (path) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

		if (fd >= 0) {
			dprintf(fd, "%s", msg);
			close(fd);
		}
	}
}

void kt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("FAIL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void kt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("SKIP: ", fmt, ap);
	va_end(ap);
	exit(77);
}

void kt_log(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", prog_name());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Whether /sys says @cpu can exist. */
static int cpu_possible(unsigned int cpu)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u", cpu);
	return !access(path, F_OK);
}

void kt_open(struct kt_dev *d)
{
	long pagesz = sysconf(_SC_PAGESIZE);
	unsigned int cpu, version = 0;
	void *m;

	memset(d, 0, sizeof(*d));
	d->fd = open(KSCAP_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		kt_fail("open %s: %m", KSCAP_DEVICE_PATH);
	if (ioctl(d->fd, KSCAP_IOC_GET_VERSION, &version))
		kt_fail("GET_VERSION: %m");
	KT_CHECK(version == KSCAP_ABI_VERSION, "ABI version 0x%x, want 0x%x",
		 version, KSCAP_ABI_VERSION);
	if (ioctl(d->fd, KSCAP_IOC_GET_GEOMETRY, &d->g))
		kt_fail("GET_GEOMETRY: %m");

	KT_CHECK(d->g.ncpus >= (unsigned int)sysconf(_SC_NPROCESSORS_CONF),
		 "geometry: %u rings for %ld possible CPUs", d->g.ncpus,
		 sysconf(_SC_NPROCESSORS_CONF));
	KT_CHECK(d->g.page_size == (unsigned long)pagesz,
		 "geometry: page_size %u, want %ld", d->g.page_size, pagesz);
	KT_CHECK(d->g.ring_size >= 2 * (u64)pagesz &&
		 !(d->g.ring_size & (d->g.ring_size - 1)),
		 "geometry: ring_size %llu is not a power of two >= 2 pages",
		 (unsigned long long)d->g.ring_size);
	KT_CHECK(d->g.reserve < d->g.ring_size, "geometry: reserve %llu >= ring_size %llu",
		 (unsigned long long)d->g.reserve, (unsigned long long)d->g.ring_size);
	KT_CHECK(d->g.status_len >= (u64)d->g.ncpus * KSCAP_STATUS_STRIDE,
		 "geometry: status_len %llu < %u CPUs * %d",
		 (unsigned long long)d->g.status_len, d->g.ncpus, KSCAP_STATUS_STRIDE);
	KT_CHECK(d->g.consumer_len >= (u64)d->g.ncpus * KSCAP_CONSUMER_STRIDE,
		 "geometry: consumer_len %llu < %u CPUs * %d",
		 (unsigned long long)d->g.consumer_len, d->g.ncpus, KSCAP_CONSUMER_STRIDE);

	m = mmap(NULL, d->g.status_len, PROT_READ, MAP_SHARED, d->fd, KSCAP_MMAP_STATUS);
	if (m == MAP_FAILED)
		kt_fail("mmap status (read-only, %llu bytes): %m",
			(unsigned long long)d->g.status_len);
	d->status = m;
	m = mmap(NULL, d->g.consumer_len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 KSCAP_MMAP_CONSUMER);
	if (m == MAP_FAILED)
		kt_fail("mmap consumer (read-write, %llu bytes): %m",
			(unsigned long long)d->g.consumer_len);
	d->consumer = m;
	d->data = calloc(d->g.ncpus, sizeof(*d->data));
	KT_CHECK(d->data, "out of memory");
	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		kt_map_ring(d, cpu);
}

int kt_map_ring(struct kt_dev *d, unsigned int cpu)
{
	void *m = mmap(NULL, 2 * d->g.ring_size, PROT_READ, MAP_SHARED, d->fd,
		       KSCAP_MMAP_DATA(cpu));

	if (m == MAP_FAILED) {
		/* A CPU offline at open (ENODEV) or that cannot exist has no ring. */
		if (errno == ENODEV || (errno == EINVAL && !cpu_possible(cpu)))
			return -errno;
		kt_fail("mmap data of CPU %u (read-only, 2 * %llu bytes): %m", cpu,
			(unsigned long long)d->g.ring_size);
	}
	d->data[cpu] = m;
	return 0;
}

void kt_close(struct kt_dev *d)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		if (d->data[cpu])
			munmap(d->data[cpu], 2 * d->g.ring_size);
	free(d->data);
	munmap(d->consumer, d->g.consumer_len);
	munmap(d->status, d->g.status_len);
	close(d->fd);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
}

void kt_drain(const struct kt_dev *d)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		kt_set_tail(d, cpu, kt_head(d, cpu));
}

void kt_ioctl(const struct kt_dev *d, unsigned long req, unsigned long arg, const char *what)
{
	if (ioctl(d->fd, req, arg))
		kt_fail("ioctl %s: %m", what);
}

void kt_stats(const struct kt_dev *d, unsigned int cpu, struct kscap_counters *c)
{
	struct kscap_stats s;

	memset(&s, 0, sizeof(s));
	s.cpu = cpu;
	if (ioctl(d->fd, KSCAP_IOC_GET_STATS, &s))
		kt_fail("GET_STATS cpu %d: %m", (int)cpu);
	*c = s.c;
}

u64 kt_drops_full(const struct kscap_counters *c)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < KSCAP_DROP_NR; i++)
		sum += c->drops_full[i];
	return sum;
}

#define KT_NCOUNTERS (sizeof(struct kscap_counters) / sizeof(u64))

void kt_check_counters(const struct kt_dev *d)
{
	struct kscap_counters c, sum, all;
	u64 *cs = (u64 *)&c, *ss = (u64 *)&sum, *as = (u64 *)&all;
	unsigned int cpu;
	size_t i;

	memset(&sum, 0, sizeof(sum));
	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		u64 drops;

		kt_stats(d, cpu, &c);
		KT_CHECK(!memcmp(&c, &kt_status(d, cpu)->counters, sizeof(c)),
			 "CPU %u: GET_STATS and the status page disagree", cpu);
		drops = kt_drops_full(&c) + c.drops_mask + c.drops_nested + c.drops_toolong;
		KT_CHECK(c.hits == c.written + drops,
			 "CPU %u: hits %llu != written %llu + drops_full %llu + mask %llu + nested %llu + toolong %llu",
			 cpu, (unsigned long long)c.hits, (unsigned long long)c.written,
			 (unsigned long long)kt_drops_full(&c),
			 (unsigned long long)c.drops_mask, (unsigned long long)c.drops_nested,
			 (unsigned long long)c.drops_toolong);
		for (i = 0; i < KT_NCOUNTERS; i++)
			ss[i] += cs[i];
	}
	kt_stats(d, KSCAP_ALL_CPUS, &all);
	for (i = 0; i < KT_NCOUNTERS; i++)
		KT_CHECK(as[i] == ss[i], "GET_STATS(all) counter #%zu is %llu, the CPUs sum to %llu",
			 i, (unsigned long long)as[i], (unsigned long long)ss[i]);
}

/*
 * libkscap's parser, held to what the module writes (the exact parameter
 * count included: the module under test is built from these very rows).
 */
const char *kt_parse(const unsigned char *p, u64 avail, struct kt_ev *ev)
{
	static char why[300];
	struct kscap_evt evt;
	unsigned int i;

	memset(ev, 0, sizeof(*ev));
	if (kscap_evt_parse(p, avail, &evt) || kscap__evt_check(&evt, KSCAP__CHECK_EXACT)) {
		snprintf(why, sizeof(why), "%s", kscap_last_error());
		return why;
	}
	ev->p = p;
	ev->ts = evt.ts;
	ev->tid = evt.tid;
	ev->len = evt.len;
	ev->type = evt.type;
	ev->nparams = evt.nparams;
	for (i = 0; i < evt.nparams; i++) {
		ev->plen[i] = evt.params[i].len;
		ev->pval[i] = evt.params[i].val;
	}
	return NULL;
}

u64 kt_uparam(const struct kt_ev *ev, unsigned int i)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	u64 v64;

	switch (ev->plen[i]) {
	case 1: memcpy(&v8, ev->pval[i], 1); return v8;
	case 2: memcpy(&v16, ev->pval[i], 2); return v16;
	case 4: memcpy(&v32, ev->pval[i], 4); return v32;
	case 8: memcpy(&v64, ev->pval[i], 8); return v64;
	}
	return 0;
}

int64_t kt_sparam(const struct kt_ev *ev, unsigned int i)
{
	switch (ev->plen[i]) {
	case 1: return (int8_t)kt_uparam(ev, i);
	case 2: return (int16_t)kt_uparam(ev, i);
	case 4: return (int32_t)kt_uparam(ev, i);
	}
	return (int64_t)kt_uparam(ev, i);
}

u64 kt_walk(const struct kt_dev *d, unsigned int cpu, u64 from, u64 to,
	    kt_walk_cb cb, void *arg)
{
	u64 pos = from, n = 0, last_ts = 0;
	u64 mask = d->g.ring_size - 1;
	struct kt_ev ev;

	if (!d->data[cpu]) {
		KT_CHECK(from == to, "CPU %u: no ring mapped, yet head %llu != %llu", cpu,
			 (unsigned long long)to, (unsigned long long)from);
		return 0;
	}
	KT_CHECK(to - from <= d->g.ring_size,
		 "CPU %u: %llu bytes between %llu and %llu, more than the ring (%llu)", cpu,
		 (unsigned long long)(to - from), (unsigned long long)from,
		 (unsigned long long)to, (unsigned long long)d->g.ring_size);
	while (pos != to) {
		/* The double mapping makes every event contiguous. */
		const char *why = kt_parse(d->data[cpu] + (pos & mask), to - pos, &ev);

		if (why)
			kt_fail("CPU %u, event #%llu at %llu (ring [%llu, %llu)): %s", cpu,
				(unsigned long long)n, (unsigned long long)pos,
				(unsigned long long)from, (unsigned long long)to, why);
		KT_CHECK(ev.ts >= last_ts,
			 "CPU %u, event #%llu at %llu: ts %llu before the previous event's %llu",
			 cpu, (unsigned long long)n, (unsigned long long)pos,
			 (unsigned long long)ev.ts, (unsigned long long)last_ts);
		last_ts = ev.ts;
		ev.pos = pos;
		ev.cpu = cpu;
		if (cb)
			cb(&ev, arg);
		pos += ev.len;
		n++;
	}
	return n;
}

pid_t kt_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

void kt_pin(unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		kt_fail("sched_setaffinity(CPU %u): %m", cpu);
}

unsigned int kt_ncpus_online(void)
{
	return (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
}

unsigned int kt_pick_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		kt_fail("sched_getaffinity: %m");
	for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
		if (CPU_ISSET(cpu, &set))
			return (unsigned int)cpu;
	kt_fail("no CPU to run on");
}

u64 kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void kt_getppid_storm(unsigned long n)
{
	while (n--)
		syscall(SYS_getppid);
}

int kt_is_critical(unsigned int type)
{
	return type < KSCAP_EV_MAX && (kt_events[type].flags & KSCAP_EF_PROC_STATE);
}

void kt_ppid_init(struct kt_ppid *a, pid_t tid, unsigned int cpu)
{
	memset(a, 0, sizeof(*a));
	a->tid = tid;
	a->cpu = cpu;
}

void kt_ppid_cb(const struct kt_ev *ev, void *arg)
{
	struct kt_ppid *a = arg;

	if (ev->tid != (u64)a->tid)
		return;
	KT_CHECK(ev->cpu == a->cpu, "an event (type %u) of tid %d in CPU %u's ring; it runs pinned to CPU %u",
		 ev->type, a->tid, ev->cpu, a->cpu);
	if (a->tmax)
		KT_CHECK(ev->ts >= a->tmin && ev->ts <= a->tmax,
			 "event type %u at ts %llu, outside the run's [%llu, %llu] (CLOCK_REALTIME, 1s slack)",
			 ev->type, (unsigned long long)ev->ts, (unsigned long long)a->tmin,
			 (unsigned long long)a->tmax);
	if (ev->type == KSCAP_EV_GENERIC_E) {
		KT_CHECK(ev->plen[0] == 2 && ev->plen[1] == 2,
			 "GENERIC_E: ID %u bytes, nativeID %u bytes, want 2 and 2",
			 ev->plen[0], ev->plen[1]);
		if (kt_uparam(ev, 1) != KT_NR_GETPPID) {
			a->others++;
			return;
		}
		KT_CHECK(!a->in_call, "two getppid enters (at %llu) with no exit between",
			 (unsigned long long)ev->pos);
		if (a->enters)
			KT_CHECK(kt_uparam(ev, 0) == a->id, "getppid enter with ID %llu, earlier ones had %llu",
				 (unsigned long long)kt_uparam(ev, 0), (unsigned long long)a->id);
		a->id = kt_uparam(ev, 0);
		a->enters++;
		a->in_call = 1;
	} else if (ev->type == KSCAP_EV_GENERIC_X && a->in_call) {
		KT_CHECK(ev->plen[0] == 2, "GENERIC_X: ID %u bytes, want 2", ev->plen[0]);
		KT_CHECK(kt_uparam(ev, 0) == a->id, "getppid exit with ID %llu, its enter had %llu",
			 (unsigned long long)kt_uparam(ev, 0), (unsigned long long)a->id);
		a->exits++;
		a->in_call = 0;
	} else {
		KT_CHECK(!a->in_call, "event type %u between a getppid enter and its exit", ev->type);
		a->others++;
	}
}

void kt_ppid_count(const struct kt_dev *d, struct kt_ppid *a, u64 from, u64 to)
{
	kt_walk(d, a->cpu, from, to, kt_ppid_cb, a);
}

/* ---- load, CPUs, and a consumer that keeps count ---- */

void kt_syscall_mix(unsigned int fork_every, int with_stat)
{
	char buf[256];
	struct stat st;
	unsigned long i;

	for (i = 0;; i++) {
		int fd = open("/dev/zero", O_RDONLY);

		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf)) < 0)
				_exit(1);
			close(fd);
		}
		syscall(SYS_getppid);
		if (with_stat)
			stat("/kscap", &st);
		if (!(i % fork_every)) {
			pid_t p = fork();

			if (!p)
				_exit(0);
			if (p > 0)
				waitpid(p, NULL, 0);
		}
	}
}

int kt_set_online(unsigned int cpu, int on)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

void kt_reader_init(struct kt_reader *r, const struct kt_dev *d)
{
	unsigned int cpu;

	KT_CHECK(d->g.ncpus <= KT_MAXCPU, "%u CPUs, at most %d", d->g.ncpus, KT_MAXCPU);
	memset(r, 0, sizeof(*r));
	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		r->tail[cpu] = kt_tail(d, cpu);
}

void kt_reader_pass(struct kt_reader *r, const struct kt_dev *d)
{
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		u64 h = kt_head(d, cpu);

		r->nread[cpu] += kt_walk(d, cpu, r->tail[cpu], h, NULL, NULL);
		r->tail[cpu] = h;
		kt_set_tail(d, cpu, h);
	}
}

void kt_reader_finish(struct kt_reader *r, const struct kt_dev *d, struct kt_totals *t,
		      int log)
{
	struct kscap_counters c;
	unsigned int cpu;

	kt_reader_pass(r, d);
	kt_check_counters(d);
	memset(t, 0, sizeof(*t));
	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		u64 drops;

		kt_stats(d, cpu, &c);
		drops = kt_drops_full(&c) + c.drops_mask + c.drops_nested + c.drops_toolong;
		KT_CHECK(r->nread[cpu] == c.written,
			 "CPU %u: the consumer read %llu events, %llu written", cpu,
			 (unsigned long long)r->nread[cpu], (unsigned long long)c.written);
		if (log && c.hits)
			kt_log("CPU %u: hits %llu = written %llu + dropped %llu (full %llu, nested %llu, toolong %llu); read %llu",
			       cpu, (unsigned long long)c.hits, (unsigned long long)c.written,
			       (unsigned long long)drops, (unsigned long long)kt_drops_full(&c),
			       (unsigned long long)c.drops_nested, (unsigned long long)c.drops_toolong,
			       (unsigned long long)r->nread[cpu]);
		t->hits += c.hits;
		t->written += c.written;
		t->dropped += drops;
		t->read += r->nread[cpu];
	}
}

u64 kt_drops_full_all(const struct kt_dev *d)
{
	u64 sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < d->g.ncpus; cpu++)
		sum += kt_drops_full(&kt_status(d, cpu)->counters);
	return sum;
}
