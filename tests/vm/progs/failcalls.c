// SPDX-License-Identifier: GPL-2.0
/*
 * failcalls: after a failed call, the parameters a successful one would
 * have written back to user memory report what Falco's driver reports
 * for a failure, never what the caller's buffer held: fds -1 and inode
 * (or socket) 0 for pipe, pipe2 and socketpair, -1 for the limits
 * getrlimit and prlimit would have returned, and -1 for the ids of
 * getresuid and getresgid. Every buffer is filled beforehand with
 * garbage, the fd arrays with the fd of an open file, so a module that
 * read them back would report that file's fd and inode.
 */
#include "fam.h"
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define GARBAGE32	0x5a5a5a5aU
#define GARBAGE64	0x5a5a5a5a5a5a5a5aULL

static pid_t me;
static int file_fd;

static void pipes(void)
{
	int fds[2] = { file_fd, file_fd };
	long r;

	r = SC(SYS_pipe2, fds, 0x7fff0000);
	KT_CHECK(r == -EINVAL, "pipe2(bad flags): %ld", r);
	KT_CHECK(fds[0] == file_fd && fds[1] == file_fd, "pipe2 failed yet wrote its fds");
	fam_call(me, KSCAP_EV_PIPE_E, "pipe2(fds holding an open file's fd, bad flags)");
	X_INT("res", -EINVAL);
	X_INT("fd1", -1);
	X_INT("fd2", -1);
	X_INT("ino", 0);
}

static void socketpairs(void)
{
	int sv[2] = { file_fd, file_fd };
	long r;

	r = SC(SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv);
	KT_CHECK(r == -EOPNOTSUPP, "socketpair(AF_INET): %ld", r);
	fam_call(me, KSCAP_EV_SOCKETPAIR_E, "socketpair(AF_INET, ...) = -EOPNOTSUPP");
	X_INT("res", -EOPNOTSUPP);
	X_INT("fd1", -1);
	X_INT("fd2", -1);
	X_INT("source", 0);
	X_INT("peer", 0);
}

static void limits(void)
{
	struct rlimit rl = { GARBAGE64, GARBAGE64 };
	struct rlimit nl = { 100, 200 }, ol = { GARBAGE64, GARBAGE64 };
	long r;

	r = SC(SYS_getrlimit, 9999, &rl);
	KT_CHECK(r == -EINVAL, "getrlimit(9999): %ld", r);
	fam_call(me, KSCAP_EV_GETRLIMIT_E, "getrlimit(9999, garbage) = -EINVAL");
	X_INT("res", -EINVAL);
	X_INT("cur", -1);
	X_INT("max", -1);

	/* No such process: the new limits are the caller's, the old unknown. */
	r = SC(SYS_prlimit64, 0x3ffffffe, RLIMIT_NOFILE, &nl, &ol);
	KT_CHECK(r == -ESRCH, "prlimit64(no such pid): %ld", r);
	fam_call(me, KSCAP_EV_PRLIMIT_E, "prlimit64(no such pid, new, old holding garbage) = -ESRCH");
	X_INT("res", -ESRCH);
	X_INT("newcur", 100);
	X_INT("newmax", 200);
	X_INT("oldcur", -1);
	X_INT("oldmax", -1);
}

/*
 * The kernel writes ruid and euid before it faults on suid: the call
 * fails with two of its buffers holding real ids and one garbage. A
 * failed call reports none of them.
 */
static void resids(void)
{
	uint32_t a = GARBAGE32, b = GARBAGE32;
	long r;

	r = SC(SYS_getresuid, &a, &b, (void *)8);
	KT_CHECK(r == -EFAULT, "getresuid(.., .., bad): %ld", r);
	fam_call(me, KSCAP_EV_GETRESUID_E, "getresuid(&a, &b, bad) = -EFAULT");
	X_INT("res", -EFAULT);
	X_INT("ruid", 0xffffffffU);
	X_INT("euid", 0xffffffffU);
	X_INT("suid", 0xffffffffU);

	a = b = GARBAGE32;
	r = SC(SYS_getresgid, (void *)8, &a, &b);
	KT_CHECK(r == -EFAULT, "getresgid(bad, .., ..): %ld", r);
	fam_call(me, KSCAP_EV_GETRESGID_E, "getresgid(bad, &a, &b) = -EFAULT");
	X_INT("res", -EFAULT);
	X_INT("rgid", 0xffffffffU);
	X_INT("egid", 0xffffffffU);
	X_INT("sgid", 0xffffffffU);

	/* And a successful one still reports the ids. */
	r = SC(SYS_getresuid, &a, &b, &a);
	KT_CHECK(r == 0, "getresuid: %ld", r);
	fam_call(me, KSCAP_EV_GETRESUID_E, "getresuid(&a, &b, &a)");
	X_INT("res", 0);
	X_INT("ruid", getuid());
	X_INT("euid", geteuid());
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	file_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	KT_CHECK(file_fd >= 0, "open: %m");
	fam_init();
	fam_begin(&f);
	pipes();
	socketpairs();
	limits();
	resids();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
