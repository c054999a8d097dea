// SPDX-License-Identifier: GPL-2.0
/*
 * abuse: the device against a hostile consumer. Every input gets an error
 * or its documented result, and the device works normally afterwards (the
 * harness fails the boot on any kernel report):
 *  - ioctl: every command and random ones, with random, hostile and
 *    unknown arguments (NULL, kernel addresses, unmapped and read-only
 *    pages, buffers straddling into an unmapped page, huge values);
 *  - mmap: random offsets, lengths, protections and flags; mremap,
 *    madvise, partial munmap of what was mapped; writes to the read-only
 *    mappings;
 *  - read, write, pread, pwrite on the device; second opens while open,
 *    opens by uid 65534;
 *  - garbage written into the consumer area (tails and padding) while
 *    events flow: counted in bad_tail, nothing torn or overwritten;
 *  - a consumer killed with SIGKILL mid-read, repeatedly: the next open
 *    works at once and capture is off.
 *
 *   abuse [SCALE] [SEED]     SCALE multiplies the iterations (default 1)
 *
 * Prints how many bad inputs were tried. The module must be loaded with a
 * small ring (ring_size=65536): every data mapping inserts its pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kt.h"

static u64 rng_state;
static size_t pg;

static u64 rnd(void)
{
	/* xorshift64*: reproducible from the printed seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static u64 pick(const u64 *v, size_t n)
{
	return v[rnd() % n];
}

/* Counts of bad inputs, for the closing figures. */
static struct {
	u64 ioctl, ioctl_ok, mmap, mmap_ok, rw, tails, kills, writes, opens, dontneed;
} n;

/* Pages for hostile pointers: inaccessible, read-only, and a writable
 * page followed by an inaccessible one (a struct that straddles the two). */
static unsigned char *unmapped, *rdonly, *edge;

static void setup_pages(void)
{
	unsigned char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_CHECK(m != MAP_FAILED, "mmap scratch: %m");
	memset(m, 0xa5, 4 * pg);
	unmapped = m;
	rdonly = m + pg;
	edge = m + 2 * pg;
	/* PROT_NONE rather than unmapped: a later mmap cannot fill the hole. */
	KT_SYS(mprotect(unmapped, pg, PROT_NONE));
	KT_SYS(mprotect(rdonly, pg, PROT_READ));
	KT_SYS(mprotect(m + 3 * pg, pg, PROT_NONE));
}

/* A hostile or valid argument; *valid tells whether it points at a
 * writable buffer of at least 64 bytes. */
static unsigned long hostile_arg(int *valid)
{
	static unsigned char buf[256];
	unsigned int i;

	*valid = 0;
	switch (rnd() % 12) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0UL;
	case 3: return 0xffff888000000000UL;	/* direct map */
	case 4: return 0xffffffff81000000UL;	/* kernel text */
	case 5: return (unsigned long)unmapped + rnd() % pg;
	case 6: return (unsigned long)rdonly + rnd() % 64;
	case 7: return (unsigned long)edge + pg - 1 - rnd() % 16;
	case 8: return rnd();
	case 9: return 1UL << 47;		/* just past user space */
	default:
		for (i = 0; i < sizeof(buf); i += 8) {
			u64 v = rnd();

			/* Small values too: CPU numbers, types, lengths. */
			if (rnd() & 1)
				v %= 1024;
			memcpy(buf + i, &v, 8);
		}
		*valid = 1;
		return (unsigned long)buf;
	}
}

static const unsigned long known_cmds[] = {
	KSCAP_IOC_ENABLE, KSCAP_IOC_DISABLE, KSCAP_IOC_MASK_ZERO,
	KSCAP_IOC_MASK_ALL, KSCAP_IOC_MASK_SET, KSCAP_IOC_MASK_UNSET,
	KSCAP_IOC_SET_SNAPLEN, KSCAP_IOC_GET_STATS, KSCAP_IOC_GET_VERSION,
	KSCAP_IOC_GET_GEOMETRY, KSCAP_IOC_SET_WAKEUP,
};
#define NKNOWN (sizeof(known_cmds) / sizeof(known_cmds[0]))

static int is_known(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < NKNOWN; i++)
		if (known_cmds[i] == cmd)
			return 1;
	return 0;
}

/*
 * A command: a known one, a known one with another size or direction,
 * an unknown number of ours, or anything but the generic ioctls the VFS
 * handles itself (FIONBIO, FIFREEZE, FS_IOC_*...: not the module's).
 */
static unsigned long hostile_cmd(void)
{
	unsigned long cmd = known_cmds[rnd() % NKNOWN];
	unsigned int type;

	switch (rnd() % 4) {
	case 0:
		return cmd;
	case 1:
		return _IOC(rnd() % 4, KSCAP_IOC_MAGIC, _IOC_NR(cmd), rnd() % 64);
	case 2:
		return _IOC(rnd() % 4, KSCAP_IOC_MAGIC, rnd() % 256, rnd() % 16384);
	}
	do {
		cmd = (unsigned long)(uint32_t)rnd();
		type = _IOC_TYPE(cmd);
	} while (type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
		 type == 0x12 || type == 0x15 || type == 0x00 || type == KSCAP_IOC_MAGIC);
	return cmd;
}

static int errno_ok(int e)
{
	return e == EFAULT || e == EINVAL || e == ENOTTY || e == ENODEV;
}

/* Check a known command's result against what the ABI documents. */
static void check_known(const struct kt_dev *d, unsigned long cmd, unsigned long arg,
			int valid, long rc, int e)
{
	uint32_t v = 0;

	if (valid)
		memcpy(&v, (void *)arg, 4);
	if (cmd == KSCAP_IOC_ENABLE || cmd == KSCAP_IOC_DISABLE ||
	    cmd == KSCAP_IOC_MASK_ZERO || cmd == KSCAP_IOC_MASK_ALL) {
		KT_CHECK(rc == 0, "ioctl 0x%lx (no argument) with arg 0x%lx: %s", cmd, arg,
			 strerror(e));
		return;
	}
	if (!valid) {
		/*
		 * A hostile pointer: the command fails with EFAULT unless the
		 * bytes it reads (_IOW) and writes (_IOR) are all accessible.
		 * Then the value decides, as for a valid buffer.
		 */
		size_t rd = 0, wr = 0, sz = _IOC_SIZE(cmd);

		if (arg >= (unsigned long)rdonly && arg < (unsigned long)rdonly + pg) {
			rd = (unsigned long)rdonly + pg - arg;
		} else if (arg >= (unsigned long)edge && arg < (unsigned long)edge + pg) {
			rd = (unsigned long)edge + pg - arg;
			wr = rd;
		}
		if ((_IOC_DIR(cmd) & _IOC_WRITE) && rd < sz)
			KT_CHECK(rc == -1 && e == EFAULT,
				 "ioctl 0x%lx with hostile pointer 0x%lx: rc %ld (%s), want EFAULT",
				 cmd, arg, rc, strerror(e));
		else if ((_IOC_DIR(cmd) & _IOC_READ) && wr < sz)
			/* The input may be refused before the output is written. */
			KT_CHECK(rc == -1 && (e == EFAULT || e == EINVAL),
				 "ioctl 0x%lx, pointer 0x%lx not writable: rc %ld (%s)",
				 cmd, arg, rc, strerror(e));
		else
			KT_CHECK(rc == 0 || e == EINVAL, "ioctl 0x%lx arg 0x%lx: %s", cmd, arg,
				 strerror(e));
		return;
	}
	switch (cmd) {
	case KSCAP_IOC_SET_SNAPLEN:
		KT_CHECK((rc == 0) == (v >= 1 && v <= KSCAP_SNAPLEN_MAX),
			 "SET_SNAPLEN %u: rc %ld (%s)", v, rc, strerror(e));
		break;
	case KSCAP_IOC_SET_WAKEUP:
		KT_CHECK((rc == 0) == (v >= 1 && v <= d->g.ring_size),
			 "SET_WAKEUP %u: rc %ld (%s)", v, rc, strerror(e));
		break;
	case KSCAP_IOC_MASK_SET:
	case KSCAP_IOC_MASK_UNSET:
		KT_CHECK((rc == 0) == (v < KSCAP_EV_MAX && kt_events[v].name != NULL),
			 "MASK_(UN)SET %u: rc %ld (%s)", v, rc, strerror(e));
		break;
	case KSCAP_IOC_GET_STATS:
		KT_CHECK((rc == 0) == (v == KSCAP_ALL_CPUS || v < d->g.ncpus),
			 "GET_STATS cpu %u: rc %ld (%s)", v, rc, strerror(e));
		break;
	case KSCAP_IOC_GET_VERSION:
		KT_CHECK(rc == 0 && v == KSCAP_ABI_VERSION, "GET_VERSION: rc %ld, 0x%x", rc, v);
		break;
	case KSCAP_IOC_GET_GEOMETRY: {
		struct kscap_geometry g;

		memcpy(&g, (void *)arg, sizeof(g));
		KT_CHECK(rc == 0 && !memcmp(&g, &d->g, sizeof(g)), "GET_GEOMETRY changed");
		break;
	}
	}
	KT_CHECK(rc == 0 || errno_ok(e), "ioctl 0x%lx: %s", cmd, strerror(e));
}

static void ioctl_abuse(const struct kt_dev *d, u64 iters)
{
	u64 i;

	for (i = 0; i < iters; i++) {
		int valid, e;
		unsigned long cmd = hostile_cmd(), arg = hostile_arg(&valid);
		long rc;

		/* Toggling capture is slow under TCG: one call in 16. */
		if ((cmd == KSCAP_IOC_ENABLE || cmd == KSCAP_IOC_DISABLE) && rnd() % 16)
			continue;
		errno = 0;
		rc = ioctl(d->fd, cmd, arg);
		e = errno;
		n.ioctl++;
		n.ioctl_ok += rc == 0;
		if (is_known(cmd)) {
			check_known(d, cmd, arg, valid, rc, e);
		} else {
			KT_CHECK(rc == -1 && e == ENOTTY,
				 "unknown ioctl 0x%lx (arg 0x%lx): rc %ld (%s), want ENOTTY",
				 cmd, arg, rc, strerror(e));
		}
		/* Keep the rings from filling for good: drain now and then. */
		if (!(i % 64))
			kt_drain(d);
	}
	kt_ioctl(d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	kt_ioctl(d, KSCAP_IOC_MASK_ALL, 0, "MASK_ALL");
}

static sigjmp_buf jb;
static volatile sig_atomic_t got_sig;

static void on_fault(int sig)
{
	got_sig = sig;
	siglongjmp(jb, 1);
}

/* Read every page of [p, p+len): 0, or the signal that stopped it. */
static int touch(const volatile unsigned char *p, size_t len, int write)
{
	size_t off;

	got_sig = 0;
	if (sigsetjmp(jb, 1))
		return got_sig;
	for (off = 0; off < len; off += pg) {
		unsigned char c = p[off];

		if (write)
			((volatile unsigned char *)p)[off] = c;
	}
	return 0;
}

enum area { A_STATUS, A_CONSUMER, A_DATA, A_NONE };

static enum area area_of(const struct kt_dev *d, u64 off)
{
	if (off == KSCAP_MMAP_STATUS)
		return A_STATUS;
	if (off == KSCAP_MMAP_CONSUMER)
		return A_CONSUMER;
	if (off >= KSCAP_MMAP_DATA(0) && !(off & 0xffffffffULL) &&
	    (off >> 32) - 2 < d->g.ncpus)
		return A_DATA;
	return A_NONE;
}

/* Whether the module must accept this mapping (exec aside, see below). */
static int must_map(const struct kt_dev *d, enum area a, size_t len, int prot, int flags)
{
	size_t slen = (d->g.status_len + pg - 1) / pg * pg;
	size_t clen = (d->g.consumer_len + pg - 1) / pg * pg;

	if (!len)
		return 0;
	switch (a) {
	case A_STATUS:
		return len <= slen && !(prot & PROT_WRITE);
	case A_CONSUMER:
		return len <= clen && (flags & MAP_SHARED);
	case A_DATA:
		return len == 2 * d->g.ring_size && !(prot & PROT_WRITE);
	default:
		return 0;
	}
}

/* After a mapping succeeded: what the consumer may do to it. */
static void play_with(const struct kt_dev *d, enum area a, unsigned char *m, size_t len,
		      int prot)
{
	size_t mapped;
	int sig;

	if (prot & PROT_READ) {
		sig = touch(m, len, 0);
		KT_CHECK(!sig, "reading a mapping (area %d, %zu bytes) raised signal %d", a, len, sig);
	}
	if (a == A_DATA && (prot & PROT_READ) && len >= 2 * pg)
		KT_CHECK(!memcmp(m, m + d->g.ring_size, pg),
			 "the data mapping's second half is not the first");
	if (a != A_CONSUMER) {
		/* Never writable: neither the mapping nor by mprotect. */
		sig = touch(m, len, 1);
		KT_CHECK(sig == SIGSEGV || sig == SIGBUS,
			 "writing the read-only mapping (area %d): signal %d", a, sig);
		KT_CHECK(mprotect(m, pg, PROT_READ | PROT_WRITE) && errno == EACCES,
			 "mprotect(PROT_WRITE) of area %d: %s", a, strerror(errno));
		n.writes += 2;
	}
	/* Growing it never reaches memory of the module's. */
	mapped = len;
	{
		size_t rl = (len + pg - 1) / pg * pg;
		unsigned char *g = mremap(m, len, rl + pg, MREMAP_MAYMOVE);

		n.mmap++;
		if (g != MAP_FAILED) {
			sig = touch(g + rl, pg, 0);
			KT_CHECK(sig == SIGBUS || sig == SIGSEGV,
				 "mremap grew area %d and its new page read without a fault", a);
			m = g;
			len = rl + pg;
		}
	}
	/* Protection changes that stay read-only, and a partial unmap. */
	KT_CHECK(!mprotect(m, len, PROT_NONE), "mprotect(PROT_NONE): %m");
	KT_CHECK(!mprotect(m, len, PROT_READ), "mprotect(PROT_READ) back: %m");
	/* Dropping the pages: reading again brings the same ones back. */
	n.mmap++;
	if (!madvise(m, mapped, MADV_DONTNEED)) {
		sig = touch(m, mapped, 0);
		KT_CHECK(!sig, "reading area %d after MADV_DONTNEED: signal %d", a, sig);
		if (a == A_DATA && mapped >= 2 * pg)
			KT_CHECK(!memcmp(m, m + d->g.ring_size, pg),
				 "after MADV_DONTNEED the data mapping's halves differ");
		n.dontneed++;
	}
	if (len >= 3 * pg)
		KT_SYS(munmap(m + pg, pg));
	munmap(m, len);
}

static void mmap_abuse(const struct kt_dev *d, u64 iters)
{
	const u64 offs[] = {
		KSCAP_MMAP_STATUS, KSCAP_MMAP_CONSUMER, KSCAP_MMAP_DATA(0),
		KSCAP_MMAP_DATA(d->g.ncpus - 1), KSCAP_MMAP_DATA(d->g.ncpus),
		KSCAP_MMAP_DATA(1ULL << 30), KSCAP_MMAP_DATA(0xfffffffdULL), pg,
		KSCAP_MMAP_CONSUMER + pg, KSCAP_MMAP_DATA(0) + pg,
		KSCAP_MMAP_DATA(0) - pg, (u64)-pg,
	};
	const u64 lens[] = {
		0, 1, pg, d->g.status_len, d->g.status_len + pg, d->g.consumer_len,
		d->g.consumer_len + pg, d->g.ring_size, 2 * d->g.ring_size,
		2 * d->g.ring_size - pg, 2 * d->g.ring_size + pg, 4 * d->g.ring_size,
		1ULL << 40,
	};
	const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	const int flags[] = {
		MAP_SHARED, MAP_PRIVATE, MAP_SHARED | MAP_POPULATE,
		MAP_PRIVATE | MAP_POPULATE, MAP_SHARED | MAP_NORESERVE,
		MAP_SHARED | MAP_LOCKED, MAP_SHARED_VALIDATE,
		MAP_SHARED_VALIDATE | MAP_SYNC,
	};
	u64 i;

	for (i = 0; i < iters; i++) {
		u64 off = pick(offs, sizeof(offs) / 8);
		size_t len = (size_t)pick(lens, sizeof(lens) / 8);
		int prot = prots[rnd() % (sizeof(prots) / sizeof(int))];
		int fl = flags[rnd() % (sizeof(flags) / sizeof(int))];
		enum area a = area_of(d, off);
		int must, e;
		unsigned char *m;

		/* Any page-aligned offset now and then. */
		if (!(rnd() % 8))
			off = rnd() & ~(u64)(pg - 1) & ((1ULL << 60) - 1);
		a = area_of(d, off);
		must = must_map(d, a, len, prot, fl) && !(fl & MAP_SYNC);
		m = mmap(NULL, len, prot, fl, d->fd, (off_t)off);
		e = errno;
		n.mmap++;
		if (m == MAP_FAILED) {
			/* Exec may be refused by the mount, locking by the limit. */
			KT_CHECK(!must || (prot & PROT_EXEC) || (fl & MAP_LOCKED),
				 "mmap off 0x%llx len %zu prot %d flags 0x%x refused: %s",
				 (unsigned long long)off, len, prot, fl, strerror(e));
			continue;
		}
		n.mmap_ok++;
		KT_CHECK(must, "mmap off 0x%llx len %zu prot %d flags 0x%x succeeded (area %d)",
			 (unsigned long long)off, len, prot, fl, a);
		play_with(d, a, m, len, prot);
	}
}

/* read, write and friends: the device has none. */
static void rw_abuse(const struct kt_dev *d, u64 iters)
{
	char buf[64];
	u64 i;

	for (i = 0; i < iters; i++) {
		int valid;
		void *p = (void *)hostile_arg(&valid);
		size_t len = (size_t)pick((const u64[]){ 0, 1, 64, 1ULL << 20, ~0ULL }, 5);
		ssize_t rc;

		if (valid || !p)
			p = buf;
		if (len > sizeof(buf) && p == buf)
			len = sizeof(buf);
		switch (i % 4) {
		case 0: rc = read(d->fd, p, len); break;
		case 1: rc = write(d->fd, p, len); break;
		case 2: rc = pread(d->fd, p, len, (off_t)(rnd() >> 1)); break;
		default: rc = pwrite(d->fd, p, len, (off_t)(rnd() >> 1)); break;
		}
		n.rw++;
		/* A zero-length transfer may succeed; nothing else may. */
		KT_CHECK(rc == -1 || (rc == 0 && len == 0),
			 "%s of %zu bytes on the device returned %zd",
			 i % 2 ? "write" : "read", len, rc);
		KT_CHECK(rc == 0 || errno == EINVAL || errno == EFAULT || errno == ESPIPE,
			 "read/write on the device: %m");
	}
	KT_CHECK(lseek(d->fd, 12345, SEEK_SET) >= 0 || errno == ESPIPE, "lseek: %m");
}

/* A child that makes syscalls until killed. */
static pid_t start_load(void)
{
	pid_t pid = KT_SYS(fork());

	if (!pid) {
		for (;;) {
			int fd = open("/proc/self/stat", O_RDONLY);

			syscall(SYS_getppid);
			if (fd >= 0)
				close(fd);
		}
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void garbage_tails(struct kt_dev *d, u64 rounds)
{
	struct kscap_counters before, after;
	u64 i, from[512], events = 0;
	unsigned int cpu;
	pid_t load;

	KT_CHECK(d->g.ncpus <= 512, "too many CPUs");
	kt_drain(d);
	kt_stats(d, KSCAP_ALL_CPUS, &before);
	kt_ioctl(d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	load = start_load();
	for (i = 0; i < rounds; i++) {
		for (cpu = 0; cpu < d->g.ncpus; cpu++) {
			struct kscap_consumer_slot *s = kt_slot(d, cpu);
			u64 h = kt_head(d, cpu), t = kt_tail(d, cpu);
			const u64 bad[] = {
				h + 1, h + d->g.ring_size, t - 1, t - d->g.ring_size,
				~0ULL, 1ULL << 63, h + (rnd() | 1), 0,
			};

			/* Garbage in the padding too: the kernel must not care. */
			s->__pad[rnd() % 7] = rnd();
			kt_set_tail(d, cpu, t ? pick(bad, 8) : pick(bad, 7));
			n.tails++;
		}
		/* Let the producer see it. */
		if (!(i % 16))
			usleep(100);
	}
	/* Back to honest: from here on events must be whole and intact. */
	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		from[cpu] = kt_head(d, cpu);
		kt_set_tail(d, cpu, from[cpu]);
	}
	usleep(20000);
	stop(load);
	kt_ioctl(d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	for (cpu = 0; cpu < d->g.ncpus; cpu++) {
		u64 h = kt_head(d, cpu);

		KT_CHECK(h - from[cpu] <= d->g.ring_size, "CPU %u: head moved %llu past the tail",
			 cpu, (unsigned long long)(h - from[cpu]));
		events += kt_walk(d, cpu, from[cpu], h, NULL, NULL);
	}
	kt_check_counters(d);
	kt_stats(d, KSCAP_ALL_CPUS, &after);
	KT_CHECK(after.bad_tail > before.bad_tail, "no bad tail counted after %llu garbage tails",
		 (unsigned long long)n.tails);
	kt_log("garbage tails: %llu written, %llu counted bad, %llu events intact after",
	       (unsigned long long)n.tails,
	       (unsigned long long)(after.bad_tail - before.bad_tail),
	       (unsigned long long)events);
	kt_drain(d);
}

/* The consumer side of a killed child: open, map, enable, read forever. */
static void reader(void)
{
	struct kt_dev d;
	unsigned int cpu;

	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	for (;;) {
		for (cpu = 0; cpu < d.g.ncpus; cpu++) {
			u64 h = kt_head(&d, cpu);

			kt_walk(&d, cpu, kt_tail(&d, cpu), h, NULL, NULL);
			kt_set_tail(&d, cpu, h);
		}
		syscall(SYS_getppid);
	}
}

static void kill_readers(u64 rounds)
{
	struct kscap_counters a, b;
	struct kt_dev d;
	u64 i;

	for (i = 0; i < rounds; i++) {
		pid_t pid = KT_SYS(fork());
		int st;

		if (!pid) {
			reader();
			_exit(0);
		}
		usleep(2000 + rnd() % 30000);
		KT_SYS(kill(pid, SIGKILL));
		KT_SYS(waitpid(pid, &st, 0));
		/* Killed, not failed: a reader that failed a check exits 1. */
		KT_CHECK(!WIFEXITED(st), "reader %llu failed before it was killed (exit %d)",
			 (unsigned long long)i, WEXITSTATUS(st));
		KT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
			 "reader ended with status 0x%x", st);
		n.kills++;
	}
	/* The device is free at once, and capture was stopped. */
	kt_open(&d);
	kt_stats(&d, KSCAP_ALL_CPUS, &a);
	kt_getppid_storm(1000);
	kt_stats(&d, KSCAP_ALL_CPUS, &b);
	KT_CHECK(a.hits == b.hits, "capture still on after its consumer was killed (%llu hits)",
		 (unsigned long long)(b.hits - a.hits));
	kt_close(&d);
}

int main(int argc, char **argv)
{
	u64 scale = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	u64 seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (u64)kt_now_ns();
	struct sigaction sa = { .sa_handler = on_fault, .sa_flags = SA_NODEFER };
	struct kt_dev d;

	rng_state = seed | 1;
	pg = (size_t)sysconf(_SC_PAGESIZE);
	kt_log("seed %llu, scale %llu", (unsigned long long)seed, (unsigned long long)scale);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	setup_pages();
	kt_open(&d);
	KT_CHECK(d.g.ring_size <= (1 << 20), "load the module with a small ring_size");

	/* Nobody else either: uid 65534 without capabilities, any mode. */
	for (int i = 0; i < 20; i++) {
		pid_t pid = KT_SYS(fork());
		int st;

		if (!pid) {
			if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
				_exit(2);
			_exit(open(KSCAP_DEVICE_PATH, i % 2 ? O_RDONLY : O_RDWR) < 0 &&
			      (errno == EACCES || errno == EPERM) ? 0 : 1);
		}
		KT_SYS(waitpid(pid, &st, 0));
		KT_CHECK(WIFEXITED(st) && !WEXITSTATUS(st),
			 "uid 65534 opening the device: status 0x%x (1: not refused)", st);
		n.opens++;
	}
	/* One consumer at a time, however often a second one tries. */
	for (int i = 0; i < 100; i++) {
		int fd = open(KSCAP_DEVICE_PATH, i % 2 ? O_RDONLY : O_RDWR);

		KT_CHECK(fd < 0 && errno == EBUSY, "second open: fd %d (%m), want EBUSY", fd);
		n.opens++;
	}
	ioctl_abuse(&d, 50000 * scale);
	mmap_abuse(&d, 5000 * scale);
	rw_abuse(&d, 2000 * scale);
	garbage_tails(&d, 3000 * scale);
	kt_close(&d);
	kill_readers(10 * scale);

	/* Still a working device: events whole, counters add up. */
	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	/* 400 calls: their events fit one 64 KiB ring. */
	kt_getppid_storm(400);
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	{
		unsigned int cpu;
		u64 ev = 0;

		/* Pages the consumer dropped come back with what they held. */
		for (cpu = 0; cpu < d.g.ncpus; cpu++)
			if (d.data[cpu])
				KT_SYS(madvise(d.data[cpu], 2 * d.g.ring_size, MADV_DONTNEED));
		KT_SYS(madvise(d.status, d.g.status_len, MADV_DONTNEED));
		for (cpu = 0; cpu < d.g.ncpus; cpu++)
			ev += kt_walk(&d, cpu, kt_tail(&d, cpu), kt_head(&d, cpu), NULL, NULL);
		KT_CHECK(ev >= 800, "only %llu events of 400 getppid calls afterwards",
			 (unsigned long long)ev);
	}
	kt_check_counters(&d);
	kt_close(&d);
	kt_log("bad inputs tried: %llu (second and unprivileged opens %llu, ioctl %llu of which %llu succeeded, "
	       "mmap/mremap/madvise %llu of which %llu mapped (%llu read again after MADV_DONTNEED), "
	       "writes to read-only mappings %llu, read/write %llu, garbage tails %llu, consumers killed %llu)",
	       (unsigned long long)(n.opens + n.ioctl + n.mmap + n.writes + n.rw + n.tails + n.kills),
	       (unsigned long long)n.opens,
	       (unsigned long long)n.ioctl, (unsigned long long)n.ioctl_ok,
	       (unsigned long long)n.mmap, (unsigned long long)n.mmap_ok,
	       (unsigned long long)n.dontneed, (unsigned long long)n.writes, (unsigned long long)n.rw,
	       (unsigned long long)n.tails, (unsigned long long)n.kills);
	return 0;
}
