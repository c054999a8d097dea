// SPDX-License-Identifier: GPL-2.0
/*
 * fam_generic: syscalls with no event of their own become the generic
 * pair: GENERIC_E (ID = the scap syscall code, 0 when scap has none;
 * nativeID = the native number: x86_64's or arm64's) and GENERIC_X (ID, and res, the return
 * value kscap appends to the reference row: errors included). A few codes are
 * spelled out here (getppid 41, getpid 16, uname 67, mprotect 75,
 * getrandom 318, membarrier and rseq 0) so the test does not only agree
 * with the uapi table it also reads; the others come from that table.
 * A number no kernel assigns (400; not 335, 6.11's uretprobe, which
 * raises SIGILL outside a uretprobe) is still named, with code 0, and one
 * past the module's table (600) produces nothing.
 */
#include "fam.h"
#include <sched.h>
#include <sys/utsname.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <linux/membarrier.h>

#define NR_UNASSIGNED	400
#define NR_BEYOND	600

static pid_t me;
static long res;	/* what the last GSC() returned */

/* A raw syscall whose result the generic exit must show. */
#define GSC(...)	(res = SC(__VA_ARGS__))

static void generic(long nr, int code, const char *what)
{
	fam_call(me, KSCAP_EV_GENERIC_E, "%s (syscall %ld) = %ld", what, nr, res);
	E_INT("ID", code);
	E_INT("nativeID", nr);
	X_INT("ID", code);
	/* Appended to the reference row (uapi/kscap.h, section 5). */
	X_INT("res", res);
}

int main(void)
{
	unsigned char buf[512];
	unsigned int cpu, node;
	struct fam f;
	size_t i;
	long r;

	me = kt_gettid();
	fam_init();
	fam_begin(&f);

	GSC(SYS_getppid);
	generic(SYS_getppid, 41, "getppid()");
	GSC(SYS_getpid);
	generic(SYS_getpid, 16, "getpid()");
	GSC(SYS_uname, buf);
	generic(SYS_uname, 67, "uname()");
	GSC(SYS_mprotect, buf - ((uintptr_t)buf & 4095), 4096UL, (long)(PROT_READ | PROT_WRITE));
	generic(SYS_mprotect, 75, "mprotect(stack page, RW)");
	r = GSC(SYS_getrandom, buf, 16UL, 0L);
	generic(SYS_getrandom, 318, "getrandom(buf, 16, 0)");
	KT_CHECK(r == 16, "getrandom: %ld", r);
	GSC(SYS_membarrier, (long)MEMBARRIER_CMD_QUERY, 0L, 0L);
	generic(SYS_membarrier, 0, "membarrier(QUERY)");
	GSC(SYS_rseq, NULL, 0L, 0L, 0L);
	generic(SYS_rseq, 0, "rseq(NULL) (fails)");

	/* The rest by the table. */
	GSC(SYS_gettid);
	generic(SYS_gettid, fam_sc_code[SYS_gettid], "gettid()");
#ifdef SYS_getpgrp	/* not on arm64: libc's getpgrp() is getpgid(0) there */
	GSC(SYS_getpgrp);
	generic(SYS_getpgrp, fam_sc_code[SYS_getpgrp], "getpgrp()");
#endif
	GSC(SYS_sched_yield);
	generic(SYS_sched_yield, fam_sc_code[SYS_sched_yield], "sched_yield()");
	GSC(SYS_sysinfo, buf);
	generic(SYS_sysinfo, fam_sc_code[SYS_sysinfo], "sysinfo()");
	GSC(SYS_times, buf);
	generic(SYS_times, fam_sc_code[SYS_times], "times()");
	GSC(SYS_getcpu, &cpu, &node, NULL);
	generic(SYS_getcpu, fam_sc_code[SYS_getcpu], "getcpu()");
	GSC(SYS_madvise, buf - ((uintptr_t)buf & 4095), 4096UL, (long)MADV_NORMAL);
	generic(SYS_madvise, fam_sc_code[SYS_madvise], "madvise()");
	GSC(SYS_getpgid, 0);
	generic(SYS_getpgid, fam_sc_code[SYS_getpgid], "getpgid(0)");
	GSC(SYS_umask, 022);
	generic(SYS_umask, fam_sc_code[SYS_umask], "umask(022)");
	/* Failing calls: their errors are in the exit now. */
#ifdef SYS_readlink
	GSC(SYS_readlink, "/no/such/link", buf, sizeof(buf));
	generic(SYS_readlink, 51, "readlink(missing)");
	KT_CHECK(res == -ENOENT, "readlink: %ld", res);
#endif
	GSC(SYS_readlinkat, (long)AT_FDCWD, "/no/such/link", buf, sizeof(buf));
	generic(SYS_readlinkat, 206, "readlinkat(missing)");
	KT_CHECK(res == -ENOENT, "readlinkat: %ld", res);
	GSC(SYS_newfstatat, (long)AT_FDCWD, "/no/such/file", buf, 0L);
	generic(SYS_newfstatat, fam_sc_code[SYS_newfstatat], "newfstatat(missing)");
	KT_CHECK(res == -ENOENT, "newfstatat: %ld", res);
	GSC(SYS_prctl, 0x7fffffffL, 0L, 0L, 0L, 0L);
	generic(SYS_prctl, fam_sc_code[SYS_prctl], "prctl(bad option)");
	KT_CHECK(res == -EINVAL, "prctl: %ld", res);

	r = GSC(NR_UNASSIGNED);
	generic(NR_UNASSIGNED, 0, "an unassigned number");
	KT_CHECK(r == -ENOSYS, "syscall %d: %ld", NR_UNASSIGNED, r);
	r = SC(NR_BEYOND);
	KT_CHECK(r == -ENOSYS, "syscall %d: %ld", NR_BEYOND, r);
	/* After it, something the module does see, to know we looked far enough. */
	GSC(SYS_getppid);
	generic(SYS_getppid, 41, "getppid() after syscall 600");

	fam_end(&f);
	for (i = 0; i < f.n; i++)
		KT_CHECK(!(f.ev[i].tid == (u64)me && f.ev[i].type == KSCAP_EV_GENERIC_E &&
			   kt_uparam(&f.ev[i], 1) == NR_BEYOND),
			 "syscall %d, past the module's table, made a generic event", NR_BEYOND);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
