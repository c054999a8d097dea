// SPDX-License-Identifier: GPL-2.0
/*
 * fam_fid: capture fidelity (issue 12, the kernel side). Each section is
 * a call whose record used to differ from what Falco's driver writes for
 * it, with the exact parameters the reference records:
 *
 *   dup2, dup3       the dup row: > dup fd=oldfd, < dup res=newfd (dup3's
 *                    flags are not in the row)
 *   failed execve    the exit's exe and args are argv[0] and the rest of
 *   and execveat     the argv it was given, env its envp (bounded at 4096
 *                    bytes, a string that does not fit ends the list); tid,
 *                    pid, comm... stay the caller's
 *   userfaultfd      flags in their own table (the kernel's bits), not the
 *                    open flags: 0 is 0, not O_RDONLY
 *   int arguments    in 64-bit parameters, as the kernel reads them: the
 *                    register's upper half dropped (ioctl request, futex
 *                    val, seccomp op, eventfd initval) or the int
 *                    sign-extended (poll timeout, bpf cmd)
 *   NULL pointers    sendfile's NULL offset is 0, prlimit's NULL new or old
 *                    limit -1 (the reference's values, not empty params)
 *
 * See fam.h for how the events are found and compared.
 */
#include "fam.h"
#include <poll.h>
#include <sys/resource.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <linux/bpf.h>

#define BADFD	987

static pid_t me;

/* dup2 and dup3 are recorded through dup's row, as dup is. */
static void dups(void)
{
	long fd, r;

	fd = FAM_OPEN("/proc/self/stat", O_RDONLY, 0);
	KT_CHECK(fd >= 0, "open: %ld", fd);
#ifdef SYS_dup2	/* not on arm64: dup3's row is checked below */
	r = SC(SYS_dup2, fd, 113);
	fam_call(me, KSCAP_EV_DUP_E, "dup2(%ld, 113)", fd);
	E_INT("fd", fd);
	X_INT("res", 113);
	KT_CHECK(r == 113, "dup2: %ld", r);
	r = SC(SYS_dup2, BADFD, 113);
	fam_call(me, KSCAP_EV_DUP_E, "dup2(bad fd, 113)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
#endif
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

#define A0	"/no/such/prog-a"
#define ARGS	"one\0two words\0"
#define ENV	"A=1\0B=two words\0"

/* The exit of a failed exec: what was attempted; the process is ours. */
static void x_exec_attempt(long res, const char *exe, const void *args, size_t alen,
			   const void *env, size_t elen)
{
	X_INT("res", res);
	X_STR("exe", exe);
	X_BUF("args", args, alen);
	X_INT("tid", me);
	X_INT("pid", me);
	X_INT("ptid", getppid());
	X_STR("comm", "fam_fid");
	X_BUF("env", env, elen);
}

static void failed_execs(void)
{
	static char big[5000];
	char *const av[] = { A0, "one", "two words", NULL };
	char *const ev[] = { "A=1", "B=two words", NULL };
	char *const av_bad[] = { "x", "y", (char *)8, "z", NULL };
	char *const av_big[] = { "big", "small", big, "after", NULL };
	char *const av_none[] = { NULL };
	long r;

	r = SC(SYS_execve, "/no/such/file", av, ev);
	fam_call(me, KSCAP_EV_EXECVE_E, "execve(missing, argv, envp) = -ENOENT");
	E_STR("filename", "/no/such/file");
	x_exec_attempt(-ENOENT, A0, ARGS, sizeof(ARGS) - 1, ENV, sizeof(ENV) - 1);
	KT_CHECK(r == -ENOENT, "execve: %ld", r);

	r = SC(SYS_execveat, AT_FDCWD, "no-such-file", av, ev, 0);
	fam_call(me, KSCAP_EV_EXECVE_E, "execveat(AT_FDCWD, missing, argv, envp) = -ENOENT");
	E_STR("filename", "no-such-file");
	x_exec_attempt(-ENOENT, A0, ARGS, sizeof(ARGS) - 1, ENV, sizeof(ENV) - 1);
	KT_CHECK(r == -ENOENT, "execveat: %ld", r);

	/*
	 * An unreadable string ends the list. The kernel says EFAULT (6.1,
	 * which copies argv first) or ENOENT (6.12, which looks the file up
	 * first).
	 */
	r = SC(SYS_execve, "/no/such/file", av_bad, NULL);
	fam_call(me, KSCAP_EV_EXECVE_E, "execve(missing, argv with a bad pointer) = %ld", r);
	x_exec_attempt(r, "x", "y", 2, "", 0);
	KT_CHECK(r == -EFAULT || r == -ENOENT, "execve bad argv: %ld", r);

	/* Bounded: a string that does not fit in 4096 bytes ends the list. */
	memset(big, 'b', sizeof(big) - 1);
	r = SC(SYS_execve, "/no/such/file", av_big, av_none);
	fam_call(me, KSCAP_EV_EXECVE_E, "execve(missing, argv with 5000 bytes) = -ENOENT");
	x_exec_attempt(-ENOENT, "big", "small", 6, "", 0);
	KT_CHECK(r == -ENOENT, "execve big: %ld", r);

	/* No argv: nothing attempted to show. */
	r = SC(SYS_execve, "/no/such/file", NULL, NULL);
	fam_call(me, KSCAP_EV_EXECVE_E, "execve(missing, NULL, NULL) = -ENOENT");
	X_INT("res", -ENOENT);
	X_EMPTY("exe");
	X_EMPTY("args");
	X_EMPTY("env");
	X_STR("comm", "fam_fid");
}

#define UF(n)	ABI_USERFAULTFD_FLAGS_##n

static void userfaultfds(void)
{
	static const struct { long flags; uint32_t abi; } t[] = {
		{ 0, 0 },
		{ O_CLOEXEC, UF(O_CLOEXEC) },
		{ O_NONBLOCK | 1 /* UFFD_USER_MODE_ONLY */, UF(O_NONBLOCK) | UF(UFFD_USER_MODE_ONLY) },
	};
	unsigned int i;
	long r;

	KT_CHECK(UF(O_CLOEXEC) == O_CLOEXEC && UF(O_NONBLOCK) == O_NONBLOCK &&
		 UF(UFFD_USER_MODE_ONLY) == 1, "the table's values are the kernel's");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		/* Root may; ENOSYS without CONFIG_USERFAULTFD: res is what we got. */
		r = SC(SYS_userfaultfd, t[i].flags);
		fam_call(me, KSCAP_EV_USERFAULTFD_E, "userfaultfd(0x%lx) = %ld", t[i].flags, r);
		X_INT("res", r);
		X_INT("flags", t[i].abi);
		if (r >= 0)
			SC(SYS_close, r);
	}
}

/* Garbage in a register's upper half, which a C int argument does not have. */
#define HI	0xdead000000000000UL

static void int_args(void)
{
	uint32_t word = 0, action = SECCOMP_RET_KILL_PROCESS;
	long fd, r;

	fd = FAM_OPEN("/dev/null", O_RDONLY, 0);
	KT_CHECK(fd >= 0, "open /dev/null: %ld", fd);
	r = SC(SYS_ioctl, fd, HI | 0x5401 /* TCGETS */, 0UL);
	fam_call(me, KSCAP_EV_IOCTL_E, "ioctl(/dev/null, HI|TCGETS) = -ENOTTY");
	E_INT("fd", fd);
	E_INT("request", 0x5401);
	E_INT("argument", 0);
	X_INT("res", r);
	KT_CHECK(r == -ENOTTY, "ioctl: %ld", r);
	SC(SYS_close, fd);

	r = SC(SYS_futex, &word, (long)FUTEX_WAKE, HI | 1, NULL, NULL, 0L);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(&word, FUTEX_WAKE, HI|1) = 0");
	E_INT("addr", (uintptr_t)&word);
	E_INT("val", 1);
	X_INT("res", 0);
	KT_CHECK(r == 0, "futex: %ld", r);

	r = SC(SYS_seccomp, HI | SECCOMP_GET_ACTION_AVAIL, 0UL, &action);
	fam_call(me, KSCAP_EV_SECCOMP_E, "seccomp(HI|GET_ACTION_AVAIL, 0, &KILL_PROCESS)");
	E_INT("op", SECCOMP_GET_ACTION_AVAIL);
	X_INT("res", r);
	KT_CHECK(r == 0, "seccomp: %ld", r);

	r = SC(SYS_eventfd2, HI | 7, 0L);
	fam_call(me, KSCAP_EV_EVENTFD_E, "eventfd2(HI|7, 0)");
	E_INT("initval", 7);
	X_INT("res", r);
	KT_CHECK(r >= 0, "eventfd2: %ld", r);
	SC(SYS_close, r);

	/* int 0 with garbage above: returns at once; the module writes 0. */
#ifdef SYS_poll	/* not on arm64 */
	r = SC(SYS_poll, NULL, 0UL, HI);
	fam_call(me, KSCAP_EV_POLL_E, "poll(NULL, 0, HI|0) = 0");
	E_INT("timeout", 0);
	X_INT("res", 0);
	KT_CHECK(r == 0, "poll: %ld", r);
#endif

	/* cmd (int)-1, zero-extended in the register: -1, not 4294967295. */
	r = SC(SYS_bpf, 0xffffffffUL, NULL, 0UL);
	fam_call(me, KSCAP_EV_BPF_E, "bpf(-1 as u32) = %ld", r);
	E_INT("cmd", -1);
	KT_CHECK(r < 0, "bpf(-1): %ld", r);
}

static void null_pointers(void)
{
	struct rlimit old;
	long in, out, r;

	in = FAM_OPEN("/tmp/fam_fid.src", O_RDWR | O_CREAT | O_TRUNC, 0600);
	KT_CHECK(in >= 0 && SC(SYS_write, in, "0123456789abcdefXYZ", 19UL) == 19,
		 "write the source: %ld", in);
	SC(SYS_lseek, in, 0L, SEEK_SET);
	out = FAM_OPEN("/dev/null", O_WRONLY, 0);
	KT_CHECK(in >= 0 && out >= 0, "open: %ld, %ld", in, out);
	r = SC(SYS_sendfile, out, in, NULL, 16UL);
	fam_call(me, KSCAP_EV_SENDFILE_E, "sendfile(null, src, NULL, 16)");
	E_INT("out_fd", out);
	E_INT("in_fd", in);
	E_INT("offset", 0);
	E_INT("size", 16);
	X_INT("res", r);
	X_INT("offset", 0);
	KT_CHECK(r == 16, "sendfile: %ld", r);
	SC(SYS_close, in);
	SC(SYS_close, out);

	r = SC(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, NULL);
	fam_call(me, KSCAP_EV_PRLIMIT_E, "prlimit(0, RLIMIT_NOFILE, NULL, NULL)");
	X_INT("res", 0);
	X_INT("newcur", -1);
	X_INT("newmax", -1);
	X_INT("oldcur", -1);
	X_INT("oldmax", -1);
	r = SC(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old);
	fam_call(me, KSCAP_EV_PRLIMIT_E, "prlimit(0, RLIMIT_NOFILE, NULL, &old)");
	X_INT("res", 0);
	X_INT("newcur", -1);
	X_INT("newmax", -1);
	X_INT("oldcur", old.rlim_cur);
	X_INT("oldmax", old.rlim_max);
	KT_CHECK(r == 0, "prlimit: %ld", r);
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	fam_init();
	fam_begin(&f);
	dups();
	failed_execs();
	userfaultfds();
	int_args();
	null_pointers();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
