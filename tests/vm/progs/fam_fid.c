// SPDX-License-Identifier: GPL-2.0
/*
 * fam_fid: capture fidelity (issue 12, the kernel side). Each section is
 * a call whose record used to differ from what Falco's driver writes for
 * it, with the exact parameters the reference records:
 *
 *   dup2, dup3       the dup row: > dup fd=oldfd, < dup res=newfd (dup3's
 *                    flags are not in the row)
 *
 * See fam.h for how the events are found and compared.
 */
#include "fam.h"

#define BADFD	987

static pid_t me;

/* dup2 and dup3 are recorded through dup's row, as dup is. */
static void dups(void)
{
	long fd, r;

	fd = SC(SYS_open, "/proc/self/stat", O_RDONLY);
	KT_CHECK(fd >= 0, "open: %ld", fd);
	r = SC(SYS_dup2, fd, 113);
	fam_call(me, KSCAP_EV_DUP_E, "dup2(%ld, 113)", fd);
	E_INT("fd", fd);
	X_INT("res", 113);
	KT_CHECK(r == 113, "dup2: %ld", r);
	r = SC(SYS_dup2, BADFD, 113);
	fam_call(me, KSCAP_EV_DUP_E, "dup2(bad fd, 113)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
	r = SC(SYS_dup3, fd, 114, O_CLOEXEC);
	fam_call(me, KSCAP_EV_DUP_E, "dup3(%ld, 114, O_CLOEXEC)", fd);
	E_INT("fd", fd);
	X_INT("res", 114);
	KT_CHECK(r == 114, "dup3: %ld", r);
	r = SC(SYS_dup3, fd, fd, 0);
	fam_call(me, KSCAP_EV_DUP_E, "dup3(fd, fd, 0) = -EINVAL");
	E_INT("fd", fd);
	X_INT("res", -EINVAL);
	SC(SYS_close, 113);
	SC(SYS_close, 114);
	SC(SYS_close, fd);
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	fam_init();
	fam_begin(&f);
	dups();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
