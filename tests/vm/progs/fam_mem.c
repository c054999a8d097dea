// SPDX-License-Identifier: GPL-2.0
/*
 * fam_mem: brk, mmap and munmap, decoded. The enter events carry the
 * arguments (prot and flags in the ABI's bits: the mapping type is a
 * field, so MAP_SHARED_VALIDATE is just "shared"), the exit events the
 * result and the task's memory: vm_size, vm_rss and vm_swap in KiB. Right
 * after each call the test reads /proc/self/status: VmSize must equal
 * vm_size within a page (nothing maps or unmaps in between; a brk of
 * 64 KiB or a mapping of 12 KiB moves it by more), VmRSS be near vm_rss,
 * VmSwap equal vm_swap. mprotect has no event of its own: a generic one.
 *
 * Nothing here may allocate while capturing (malloc could brk or mmap):
 * the expectations live in fam.h's preallocated store.
 */
#include "fam.h"
#include <sys/stat.h>

#define P(n)	ABI_PROT_FLAGS_##n
#define M(n)	ABI_MMAP_FLAGS_##n
#define VM_SLACK	4	/* KiB */
#define RSS_SLACK	1024	/* KiB: pages come and go as the test runs */

static pid_t me;
static long pagesz;

/* The memory parameters of a brk, mmap or munmap exit, from /proc now. */
static void x_vm(void)
{
	long size = fam_status_kb("VmSize");
	long rss = fam_status_kb("VmRSS");
	long swap = fam_status_kb("VmSwap");

	KT_CHECK(size > 0 && rss > 0 && swap >= 0, "/proc/self/status: VmSize %ld, VmRSS %ld, VmSwap %ld",
		 size, rss, swap);
	X_RANGE("vm_size", size - VM_SLACK, size + VM_SLACK);
	X_RANGE("vm_rss", rss > RSS_SLACK ? rss - RSS_SLACK : 1, rss + RSS_SLACK);
	X_INT("vm_swap", swap);
}

static long do_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return SC(SYS_mmap, addr, len, (long)prot, (long)flags, (long)fd, off);
}

/* mmap's enter event, with the ABI's prot and flags. */
static void e_mmap(void *addr, size_t len, uint32_t prot, uint32_t flags, int fd, off_t off)
{
	E_INT("addr", (uintptr_t)addr);
	E_INT("length", len);
	E_INT("prot", prot);
	E_INT("flags", flags);
	E_INT("fd", fd);
	E_INT("offset", off);
}

static void t_brk(void)
{
	long b0, r;

	b0 = SC(SYS_brk, 0UL);
	fam_call(me, KSCAP_EV_BRK_E, "brk(0)");
	E_INT("addr", 0);
	X_INT("res", b0);
	x_vm();
	KT_CHECK(b0 > 0, "brk(0): %ld", b0);

	r = SC(SYS_brk, b0 + 65536);
	fam_call(me, KSCAP_EV_BRK_E, "brk(+64 KiB)");
	E_INT("addr", b0 + 65536);
	X_INT("res", b0 + 65536);
	x_vm();
	KT_CHECK(r == b0 + 65536, "brk grow: %lx", r);
	r = SC(SYS_brk, b0);
	fam_call(me, KSCAP_EV_BRK_E, "brk(back)");
	E_INT("addr", b0);
	X_INT("res", b0);
	x_vm();
}

static void t_mmap(int fd)
{
	long a, m, r;

	a = do_mmap(NULL, 3 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 3 pages, RW, PRIVATE|ANONYMOUS)");
	e_mmap(NULL, 3 * pagesz, P(PROT_READ) | P(PROT_WRITE), M(MAP_PRIVATE) | M(MAP_ANONYMOUS), -1, 0);
	X_INT("res", a);
	x_vm();
	KT_CHECK(a > 0, "mmap anon: %ld", a);
	memset((void *)a, 1, 3 * pagesz);

	/* No event of its own: generic, named by its scap code and number. */
	r = SC(SYS_mprotect, a, pagesz, (long)PROT_READ);
	fam_call(me, KSCAP_EV_GENERIC_E, "mprotect(a, 1 page, PROT_READ)");
	E_INT("ID", 75);
	E_INT("nativeID", SYS_mprotect);
	X_INT("ID", 75);
	KT_CHECK(r == 0, "mprotect: %ld", r);

	r = SC(SYS_munmap, a, 3 * pagesz);
	fam_call(me, KSCAP_EV_MUNMAP_E, "munmap(a, 3 pages)");
	E_INT("addr", a);
	E_INT("length", 3 * pagesz);
	X_INT("res", 0);
	x_vm();
	r = SC(SYS_munmap, a + 1, pagesz);
	fam_call(me, KSCAP_EV_MUNMAP_E, "munmap(unaligned) = -EINVAL");
	E_INT("addr", a + 1);
	X_INT("res", -EINVAL);
	x_vm();

	m = do_mmap(NULL, pagesz, PROT_READ, MAP_SHARED, fd, pagesz);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 1 page, READ, SHARED, fd, 1 page)");
	e_mmap(NULL, pagesz, P(PROT_READ), M(MAP_SHARED), fd, pagesz);
	X_INT("res", m);
	x_vm();
	KT_CHECK(m > 0 && *(char *)m == 'B', "mmap file: %ld", m);

	a = do_mmap(NULL, 2 * pagesz, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 2 pages, R|X, PRIVATE|ANON|NORESERVE|POPULATE)");
	e_mmap(NULL, 2 * pagesz, P(PROT_READ) | P(PROT_EXEC),
	       M(MAP_PRIVATE) | M(MAP_ANONYMOUS) | M(MAP_NORESERVE) | M(MAP_POPULATE), -1, 0);
	X_INT("res", a);
	x_vm();
	KT_CHECK(a > 0, "mmap R|X: %ld", a);

	/* Over the first page of that: the size does not change. */
	r = do_mmap((void *)a, pagesz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(a, 1 page, NONE, PRIVATE|ANON|FIXED)");
	e_mmap((void *)a, pagesz, P(PROT_NONE), M(MAP_PRIVATE) | M(MAP_ANONYMOUS) | M(MAP_FIXED), -1, 0);
	X_INT("res", a);
	x_vm();
	KT_CHECK(r == a, "mmap fixed: %ld", r);

	/* Only a file takes MAP_SHARED_VALIDATE. */
	r = do_mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 1 page, RW, SHARED_VALIDATE, fd, 0)");
	e_mmap(NULL, pagesz, P(PROT_READ) | P(PROT_WRITE), M(MAP_SHARED), fd, 0);
	X_INT("res", r);
	x_vm();
	KT_CHECK(r > 0, "mmap shared_validate: %ld", r);

#ifdef MAP_32BIT	/* x86_64 only */
	r = do_mmap(NULL, pagesz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | MAP_LOCKED, -1, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 1 page, RW, PRIVATE|ANON|32BIT|LOCKED)");
	e_mmap(NULL, pagesz, P(PROT_READ) | P(PROT_WRITE),
	       M(MAP_PRIVATE) | M(MAP_ANONYMOUS) | M(MAP_32BIT) | M(MAP_LOCKED), -1, 0);
	X_INT("res", r);
	x_vm();
	KT_CHECK(r > 0 && r < (1L << 32), "mmap 32bit: %lx", r);
#endif

	/* A failed mmap: res is the u64 of -EINVAL. */
	r = do_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(NULL, 0, ...) = -EINVAL");
	e_mmap(NULL, 0, P(PROT_READ), M(MAP_PRIVATE) | M(MAP_ANONYMOUS), -1, 0);
	X_INT("res", -EINVAL);
	x_vm();
	KT_CHECK(r == -EINVAL, "mmap len 0: %ld", r);
	r = do_mmap(NULL, pagesz, PROT_READ, MAP_SHARED, 987, 0);
	fam_call(me, KSCAP_EV_MMAP_E, "mmap(bad fd) = -EBADF");
	E_INT("fd", 987);
	E_INT("flags", M(MAP_SHARED));
	X_INT("res", -EBADF);
}

int main(void)
{
	char page[8192];
	struct fam f;
	int fd;

	me = kt_gettid();
	pagesz = sysconf(_SC_PAGESIZE);
	fam_init();
	/* A file of two pages, the second of 'B's, to map. */
	fd = KT_SYS(open("/tmp/fam_mem.map", O_RDWR | O_CREAT | O_TRUNC, 0600));
	memset(page, 'A', sizeof(page));
	memset(page + pagesz, 'B', pagesz);
	KT_CHECK(write(fd, page, 2 * pagesz) == 2 * pagesz, "write map file: %m");
	/* Grow the stack and fault /proc's code paths in before measuring. */
	KT_CHECK(fam_status_kb("VmSize") > 0, "no VmSize in /proc/self/status");
	fam_begin(&f);
	t_brk();
	t_mmap(fd);
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	unlink("/tmp/fam_mem.map");
	return 0;
}
