// SPDX-License-Identifier: MIT
/*
 * The device: open it, check the ABI, map its areas, and the ioctls.
 * Every system call goes through a struct kscap_sys so that the tests can
 * stand in for the module.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "ring.h"

static int real_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static int real_open(const char *path, int flags)
{
	return open(path, flags);
}

const struct kscap_sys kscap__real_sys = {
	.open = real_open,
	.close = close,
	.ioctl = real_ioctl,
	.mmap = mmap,
	.munmap = munmap,
	.poll = poll,
};

static int xioctl(struct kscap *h, unsigned long req, void *arg, const char *what)
{
	if (h->sys->ioctl(h->fd, req, arg) < 0) {
		int err = -errno;

		return kscap__fail(err, "%s: %s", what, strerror(-err));
	}
	return 0;
}

static int check_geometry(const struct kscap_geometry *g)
{
	if (!g->ncpus || g->ncpus > 65536)
		return kscap__fail(-EPROTO, "geometry: %u CPUs", g->ncpus);
	if (!g->page_size || g->ring_size < g->page_size ||
	    (g->ring_size & (g->ring_size - 1)) || g->ring_size > (1ULL << 32))
		return kscap__fail(-EPROTO, "geometry: ring size %llu",
				   (unsigned long long)g->ring_size);
	if (g->status_len < (uint64_t)g->ncpus * KSCAP_STATUS_STRIDE ||
	    g->consumer_len < (uint64_t)g->ncpus * KSCAP_CONSUMER_STRIDE)
		return kscap__fail(-EPROTO, "geometry: status/consumer areas too small");
	return 0;
}

static int open_failed(const char *path, int err)
{
	switch (-err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return kscap__fail(err, "%s not found: is the kscap module loaded?", path);
	case EBUSY:
		return kscap__fail(err, "%s is busy: another consumer has it open", path);
	case EACCES:
	case EPERM:
		return kscap__fail(err, "%s: permission denied (CAP_SYS_ADMIN is needed)", path);
	default:
		return kscap__fail(err, "%s: %s", path, strerror(-err));
	}
}

static int map_areas(struct kscap *h)
{
	const struct kscap_geometry *g = &h->geo;
	unsigned int cpu;

	h->status_map = h->sys->mmap(NULL, g->status_len, PROT_READ, MAP_SHARED,
				     h->fd, KSCAP_MMAP_STATUS);
	if (h->status_map == MAP_FAILED) {
		h->status_map = NULL;
		return kscap__fail(-errno, "mmap status: %s", strerror(errno));
	}
	h->cons_map = h->sys->mmap(NULL, g->consumer_len, PROT_READ | PROT_WRITE,
				   MAP_SHARED, h->fd, KSCAP_MMAP_CONSUMER);
	if (h->cons_map == MAP_FAILED) {
		h->cons_map = NULL;
		return kscap__fail(-errno, "mmap consumer: %s", strerror(errno));
	}
	for (cpu = 0; cpu < g->ncpus; cpu++) {
		int err = kscap__map_ring(h, cpu);

		/* A CPU that cannot exist has no ring. */
		if (err == -EINVAL)
			continue;
		/* One offline now gets its ring if it comes online. */
		if (err == -ENODEV) {
			h->rings[cpu].late = 1;
			h->rings[cpu].status = (const void *)((const char *)h->status_map +
							      cpu * KSCAP_STATUS_STRIDE);
			continue;
		}
		if (err)
			return kscap__fail(err, "mmap ring %u: %s", cpu, strerror(-err));
	}
	return 0;
}

int kscap__map_ring(struct kscap *h, unsigned int cpu)
{
	const struct kscap_geometry *g = &h->geo;
	void *data = h->sys->mmap(NULL, 2 * g->ring_size, PROT_READ, MAP_SHARED,
				  h->fd, (off_t)KSCAP_MMAP_DATA(cpu));

	if (data == MAP_FAILED)
		return -errno;
	ring_init(&h->rings[cpu], data, g->ring_size,
		  (const void *)((const char *)h->status_map + cpu * KSCAP_STATUS_STRIDE),
		  (void *)((char *)h->cons_map + cpu * KSCAP_CONSUMER_STRIDE));
	return 0;
}

int kscap__open_sys(const char *path, const struct kscap_sys *sys,
		    struct kscap **out)
{
	struct kscap *h;
	uint32_t version;
	int err;

	*out = NULL;
	if (!path)
		path = KSCAP_DEVICE_PATH;
	h = calloc(1, sizeof(*h));
	if (!h)
		return kscap__fail(-ENOMEM, "out of memory");
	h->sys = sys;
	h->window = KSCAP_REORDER_WINDOW_NS;
	h->clk_off = INT64_MIN;
	h->fd = sys->open(path, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		err = open_failed(path, -errno);
		free(h);
		return err;
	}
	err = xioctl(h, KSCAP_IOC_GET_VERSION, &version, "GET_VERSION");
	if (err)
		goto fail;
	h->abi_version = version;
	if (version >> 16 != KSCAP_ABI_VERSION_MAJOR) {
		err = kscap__fail(-EPROTO, "ABI mismatch: the module speaks %u.%u, libkscap %u.%u",
				  version >> 16, version & 0xffff,
				  KSCAP_ABI_VERSION_MAJOR, KSCAP_ABI_VERSION_MINOR);
		goto fail;
	}
	err = xioctl(h, KSCAP_IOC_GET_GEOMETRY, &h->geo, "GET_GEOMETRY");
	if (err)
		goto fail;
	err = check_geometry(&h->geo);
	if (err)
		goto fail;
	h->rings = calloc(h->geo.ncpus, sizeof(*h->rings));
	if (!h->rings) {
		err = kscap__fail(-ENOMEM, "out of memory");
		goto fail;
	}
	err = map_areas(h);
	if (err)
		goto fail;
	kscap__ring_config(h);
	*out = h;
	return 0;
fail:
	kscap_close(h);
	return err;
}

int kscap_open(const char *path, struct kscap **out)
{
	return kscap__open_sys(path, &kscap__real_sys, out);
}

void kscap_close(struct kscap *h)
{
	unsigned int cpu;

	if (!h)
		return;
	if (h->rings) {
		/* the kernel gets back every byte we read */
		if (h->cons_map)
			kscap__ring_release_all(h);
		for (cpu = 0; cpu < h->geo.ncpus; cpu++)
			if (h->rings[cpu].data)
				h->sys->munmap((void *)h->rings[cpu].data, 2 * h->geo.ring_size);
		free(h->rings);
	}
	if (h->cons_map)
		h->sys->munmap(h->cons_map, h->geo.consumer_len);
	if (h->status_map)
		h->sys->munmap(h->status_map, h->geo.status_len);
	if (h->fd >= 0)
		h->sys->close(h->fd);
	free(h);
}

int kscap_fd(const struct kscap *h)
{
	return h->fd;
}

const struct kscap_geometry *kscap_geometry(const struct kscap *h)
{
	return &h->geo;
}

int kscap_start(struct kscap *h)
{
	int err = xioctl(h, KSCAP_IOC_ENABLE, NULL, "ENABLE");

	if (!err) {
		/* the module sets the event clock's offset anew */
		h->stopped = false;
		h->clk_off = INT64_MIN;
		h->horizon = 0;
		h->held_ts = 0;		/* (its wait was the old clock's) */
		kscap__ring_config(h);
	}
	return err;
}

/* Once DISABLE returns no probe runs: every event is published, and the
 * reorder window has nothing left to wait for. */
int kscap_stop(struct kscap *h)
{
	int err = xioctl(h, KSCAP_IOC_DISABLE, NULL, "DISABLE");

	if (!err) {
		h->stopped = true;
		kscap__ring_config(h);
	}
	return err;
}

int kscap_set_reorder_window(struct kscap *h, uint64_t ns)
{
	if (ns > 10ULL * 1000000000ULL)
		return kscap__fail(-EINVAL, "reorder window of %" PRIu64 " ns: at most 10 s", ns);
	h->window = ns;
	h->held_ts = 0;
	kscap__ring_config(h);
	return 0;
}

int kscap_mask_zero(struct kscap *h)
{
	return xioctl(h, KSCAP_IOC_MASK_ZERO, NULL, "MASK_ZERO");
}

int kscap_mask_all(struct kscap *h)
{
	return xioctl(h, KSCAP_IOC_MASK_ALL, NULL, "MASK_ALL");
}

int kscap_mask_set(struct kscap *h, unsigned int type)
{
	uint32_t v = type;

	return xioctl(h, KSCAP_IOC_MASK_SET, &v, "MASK_SET");
}

int kscap_mask_unset(struct kscap *h, unsigned int type)
{
	uint32_t v = type;

	return xioctl(h, KSCAP_IOC_MASK_UNSET, &v, "MASK_UNSET");
}

int kscap_set_snaplen(struct kscap *h, unsigned int snaplen)
{
	uint32_t v = snaplen;

	if (!snaplen || snaplen > KSCAP_SNAPLEN_MAX)
		return kscap__fail(-EINVAL, "snaplen %u out of range 1..%u",
				   snaplen, KSCAP_SNAPLEN_MAX);
	return xioctl(h, KSCAP_IOC_SET_SNAPLEN, &v, "SET_SNAPLEN");
}

int kscap_set_wakeup(struct kscap *h, unsigned int bytes)
{
	uint32_t v = bytes;

	return xioctl(h, KSCAP_IOC_SET_WAKEUP, &v, "SET_WAKEUP");
}

/* GET_STATS as each ABI version knows it, the newest first: an older
 * module answers only its own size (ENOTTY for the others). */
static const unsigned long stats_ioctls[] = {
	KSCAP_IOC_GET_STATS, KSCAP_IOC_GET_STATS_1_1, KSCAP_IOC_GET_STATS_1_0,
};

int kscap_get_stats(struct kscap *h, unsigned int cpu, struct kscap_counters *out)
{
	struct kscap_stats st;
	size_t i;
	int err = -ENOTTY;

	for (i = 0; i < sizeof(stats_ioctls) / sizeof(stats_ioctls[0]) && err == -ENOTTY; i++) {
		memset(&st, 0, sizeof(st));
		st.cpu = cpu;
		err = h->sys->ioctl(h->fd, stats_ioctls[i], &st) < 0 ? -errno : 0;
	}
	if (err)
		return kscap__fail(err, "GET_STATS: %s", strerror(-err));
	*out = st.c;
	return 0;
}

/* The module repeats CPU 0's slot count in its stats (uapi/kscap.h,
 * section 6); the other slots stay 0. */
int kscap_report_drops_sz(struct kscap *h, const struct kscap_consumer_drops *d,
			  size_t d_size)
{
	struct kscap_consumer_drops full = { 0 };
	struct kscap_consumer_slot *slot = h->cons_map;

	if (d_size < sizeof(full.events))
		return kscap__fail(-EINVAL, "struct kscap_consumer_drops of %zu bytes is too small",
				   d_size);
	memcpy(&full, d, d_size < sizeof(full) ? d_size : sizeof(full));
	if ((h->abi_version & 0xffff) < 3)
		return kscap__fail(-EOPNOTSUPP, "the module (ABI %u.%u) shows no consumer drops",
				   h->abi_version >> 16, h->abi_version & 0xffff);
	/* One aligned store: the module never sees half a count. */
	__atomic_store_n(&slot->drops, full.events, __ATOMIC_RELAXED);
	return 0;
}

/* An event is held back by the reorder window: sleep until it is let
 * out (the device would only say again that there is data). */
#define KSCAP_HELD_SLEEP_MIN_NS	1000000LL

static int wait_held(struct kscap *h, int timeout_ms)
{
	/* the monotonic time at which the event clock reaches held + window */
	int64_t until = (int64_t)h->held_ts - h->clk_off + (int64_t)h->window;
	struct timespec ts;
	int64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = until - ((int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	/* At least a millisecond: events go out in batches, not one
	 * wake-up (and one captured nanosleep) each. */
	if (ns < KSCAP_HELD_SLEEP_MIN_NS)
		ns = KSCAP_HELD_SLEEP_MIN_NS;
	if (timeout_ms >= 0 && ns > (int64_t)timeout_ms * 1000000LL)
		ns = (int64_t)timeout_ms * 1000000LL;
	ts.tv_sec = (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	if (nanosleep(&ts, NULL))
		return kscap__fail(-errno, "nanosleep: %s", strerror(errno));
	return 1;
}

int kscap_wait(struct kscap *h, int timeout_ms)
{
	struct pollfd pfd = { .fd = h->fd, .events = POLLIN };
	int n;

	/* nothing we are done with stays from the kernel while we sleep */
	kscap__ring_settle(h);
	if (h->held_ts && h->window && !h->stopped)
		return wait_held(h, timeout_ms);
	n = h->sys->poll(&pfd, 1, timeout_ms);

	if (n < 0)
		return kscap__fail(-errno, "poll: %s", strerror(errno));
	if (n == 0)
		return 0;
	if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
		return kscap__fail(-EIO, "poll: the device reported an error");
	return 1;
}

uint64_t kscap_corrupt_count(const struct kscap *h)
{
	return h->corrupt;
}
