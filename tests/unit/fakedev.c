// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fakedev.h"

struct fakedev fakedev;

static struct kscap_status_page *status_of(unsigned int cpu)
{
	return (struct kscap_status_page *)(fakedev.status + cpu * KSCAP_STATUS_STRIDE);
}

static struct kscap_consumer_slot *cons_of(unsigned int cpu)
{
	return (struct kscap_consumer_slot *)(fakedev.cons + cpu * KSCAP_CONSUMER_STRIDE);
}

/* The same memfd pages twice in a row, as the module maps a ring. */
static uint8_t *double_map(uint64_t size)
{
	int fd = memfd_create("fakering", MFD_CLOEXEC);
	uint8_t *base;

	if (fd < 0 || ftruncate(fd, (off_t)size))
		abort();
	base = mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED ||
	    mmap(base, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(base + size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		abort();
	close(fd);
	return base;
}

void fakedev_init(unsigned int ncpus, uint64_t ring_size)
{
	unsigned int i;

	memset(&fakedev, 0, sizeof(fakedev));
	fakedev.ncpus = ncpus;
	fakedev.ring_size = ring_size;
	fakedev.version = KSCAP_ABI_VERSION;
	/* one page each is enough for the 8 CPUs this fake supports */
	fakedev.status = aligned_alloc(4096, 4096);
	fakedev.cons = aligned_alloc(4096, 4096);
	memset(fakedev.status, 0, 4096);
	memset(fakedev.cons, 0, 4096);
	if (ncpus > 8)
		abort();
	for (i = 0; i < ncpus; i++)
		fakedev.data[i] = double_map(ring_size);
	fakedev.efd = -1;
}

void fakedev_fini(void)
{
	unsigned int i;

	for (i = 0; i < fakedev.ncpus; i++)
		munmap(fakedev.data[i], 2 * fakedev.ring_size);
	free(fakedev.status);
	free(fakedev.cons);
	if (fakedev.efd >= 0)
		close(fakedev.efd);
	memset(&fakedev, 0, sizeof(fakedev));
}

bool fakedev_produce(unsigned int cpu, const void *ev, uint32_t len)
{
	struct kscap_status_page *st = status_of(cpu);
	uint64_t head = st->head, tail = __atomic_load_n(&cons_of(cpu)->tail, __ATOMIC_ACQUIRE);

	if (head - tail + len > fakedev.ring_size)
		return false;
	/* the second mapping takes what runs past the end */
	memcpy(fakedev.data[cpu] + (head & (fakedev.ring_size - 1)), ev, len);
	__atomic_store_n(&st->head, head + len, __ATOMIC_RELEASE);
	return true;
}

uint64_t fakedev_head(unsigned int cpu)
{
	return status_of(cpu)->head;
}

uint64_t fakedev_tail(unsigned int cpu)
{
	return __atomic_load_n(&cons_of(cpu)->tail, __ATOMIC_ACQUIRE);
}

void fakedev_set_head(unsigned int cpu, uint64_t head)
{
	__atomic_store_n(&status_of(cpu)->head, head, __ATOMIC_RELEASE);
}

void fakedev_signal(bool ready)
{
	uint64_t v = 1;

	if (ready) {
		/* A producer thread may outlive the consumer's close (EBADF):
		 * like the module's producers, it then signals no one. */
		if (write(fakedev.efd, &v, sizeof(v)) != sizeof(v) && errno != EBADF)
			abort();
	} else if (read(fakedev.efd, &v, sizeof(v)) < 0 && errno != EAGAIN) {
		abort();
	}
}

static int f_open(const char *path, int flags)
{
	if (strcmp(path, FAKEDEV_PATH)) {
		errno = ENOENT;
		return -1;
	}
	if (fakedev.open_errno) {
		errno = fakedev.open_errno;
		return -1;
	}
	fakedev.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return fakedev.efd;
}

static int f_close(int fd)
{
	if (fd != fakedev.efd)
		abort();
	fakedev.efd = -1;
	return close(fd);
}

static void mask_bit(unsigned int type, bool on)
{
	if (on)
		fakedev.mask[type / 8] |= (uint8_t)(1U << (type % 8));
	else
		fakedev.mask[type / 8] &= (uint8_t)~(1U << (type % 8));
}

static int f_ioctl(int fd, unsigned long req, void *arg)
{
	struct kscap_geometry *g = arg;
	struct kscap_stats *st = arg;
	uint32_t v = arg ? *(uint32_t *)arg : 0;

	fakedev.ioctls++;
	if (fd != fakedev.efd) {
		errno = EBADF;
		return -1;
	}
	switch (req) {
	case KSCAP_IOC_GET_VERSION:
		*(uint32_t *)arg = fakedev.version;
		return 0;
	case KSCAP_IOC_GET_GEOMETRY:
		memset(g, 0, sizeof(*g));
		g->ncpus = fakedev.ncpus;
		g->page_size = 4096;
		g->ring_size = fakedev.ring_size;
		g->reserve = fakedev.ring_size / 16;
		g->status_len = 4096;
		g->consumer_len = 4096;
		return 0;
	case KSCAP_IOC_ENABLE:
		fakedev.enabled = true;
		return 0;
	case KSCAP_IOC_DISABLE:
		fakedev.enabled = false;
		return 0;
	case KSCAP_IOC_MASK_ZERO:
		memset(fakedev.mask, 0, sizeof(fakedev.mask));
		return 0;
	case KSCAP_IOC_MASK_ALL:
		memset(fakedev.mask, 0xff, sizeof(fakedev.mask));
		return 0;
	case KSCAP_IOC_MASK_SET:
	case KSCAP_IOC_MASK_UNSET:
		if (v >= KSCAP_EV_MAX || !kscap_event_table[v].name) {
			errno = EINVAL;
			return -1;
		}
		mask_bit(v, req == KSCAP_IOC_MASK_SET);
		return 0;
	case KSCAP_IOC_SET_SNAPLEN:
		fakedev.snaplen = v;
		return 0;
	case KSCAP_IOC_SET_WAKEUP:
		if (!v || v > fakedev.ring_size) {
			errno = EINVAL;
			return -1;
		}
		fakedev.wakeup = v;
		return 0;
	case KSCAP_IOC_GET_STATS:
	case KSCAP_IOC_GET_STATS_1_1:
	case KSCAP_IOC_GET_STATS_1_0:
		if (_IOC_SIZE(req) != (fakedev.stats_size ? fakedev.stats_size :
				       sizeof(struct kscap_stats))) {
			errno = ENOTTY;
			return -1;
		}
		if (st->cpu != KSCAP_ALL_CPUS && st->cpu >= fakedev.ncpus) {
			errno = EINVAL;
			return -1;
		}
		/* the counters as far as the caller's ABI knows them */
		memcpy(&st->c, &fakedev.counters,
		       (_IOC_SIZE(req) < sizeof(*st) ? _IOC_SIZE(req) : KSCAP_STATS_SIZE_1_1) -
		       offsetof(struct kscap_stats, c));
		if (_IOC_SIZE(req) == sizeof(*st))
			st->consumer_drops = ((struct kscap_consumer_slot *)fakedev.cons)->drops;
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}

static void *f_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	uint64_t o = (uint64_t)off, cpu;

	if (fd != fakedev.efd) {
		errno = EBADF;
		return MAP_FAILED;
	}
	if (o == KSCAP_MMAP_STATUS) {
		if (prot & PROT_WRITE) {	/* the module refuses */
			errno = EPERM;
			return MAP_FAILED;
		}
		fakedev.mapped++;
		return fakedev.status;
	}
	if (o == KSCAP_MMAP_CONSUMER) {
		fakedev.mapped++;
		return fakedev.cons;
	}
	cpu = (o >> 32) - 2;
	if (cpu >= fakedev.ncpus || len != 2 * fakedev.ring_size || (prot & PROT_WRITE)) {
		errno = cpu >= fakedev.ncpus ? EINVAL : EPERM;
		return MAP_FAILED;
	}
	if (fakedev.offline[cpu]) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	fakedev.mapped++;
	return fakedev.data[cpu];
}

static int f_munmap(void *addr, size_t len)
{
	fakedev.mapped--;
	return 0;
}

static bool rings_hold_data(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < fakedev.ncpus; cpu++)
		if (fakedev_head(cpu) != fakedev_tail(cpu))
			return true;
	return false;
}

/*
 * Like the module: POLLIN while any ring holds data (the wakeup threshold
 * is not modelled). The eventfd is only the producer's doorbell.
 */
static int f_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	uint64_t v;
	int rc;

	__atomic_add_fetch(&fakedev.polls, 1, __ATOMIC_RELAXED);
	fakedev.poll_timeout = timeout;
	if (n == 1 && fds[0].fd == fakedev.efd && rings_hold_data()) {
		fds[0].revents = POLLIN;
		return 1;
	}
	rc = poll(fds, n, timeout);
	if (rc > 0 && fds[0].fd == fakedev.efd && read(fakedev.efd, &v, sizeof(v)) < 0 &&
	    errno != EAGAIN)
		abort();
	return rc;
}

const struct kscap_sys fakedev_sys = {
	.open = f_open,
	.close = f_close,
	.ioctl = f_ioctl,
	.mmap = f_mmap,
	.munmap = f_munmap,
	.poll = f_poll,
};
