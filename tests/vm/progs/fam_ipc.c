// SPDX-License-Identifier: GPL-2.0
/*
 * fam_ipc: pipes, futexes and eventfds, decoded. pipe and pipe2 give both
 * fds and the pipe's inode (compared with fstat's st_ino); a pipe array
 * the kernel cannot write gives -EFAULT with fds -1 and inode 0, as any
 * failed pipe does (failcalls has the rest). futex: the address, the operation code plus its private
 * and realtime-clock flags in the ABI's bits, the value. eventfd and
 * eventfd2: the initial value and the flags (0 for eventfd, which has
 * none). Sockets (socketpair) are fam_net's, semaphores fam_misc's.
 */
#include "fam.h"
#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#define F(n)	ABI_FUTEX_OPERATIONS_##n

static pid_t me;

/* arm64 (asm-generic) has no pipe nor eventfd: their flags-taking
 * successors with no flags make the same rows. */
#ifdef SYS_pipe
#define PIPE(fds)	SC(SYS_pipe, fds)
#else
#define PIPE(fds)	SC(SYS_pipe2, fds, 0)
#endif
#ifdef SYS_eventfd
#define EVENTFD(n)	SC(SYS_eventfd, n)
#else
#define EVENTFD(n)	SC(SYS_eventfd2, n, 0)
#endif

static void pipes(void)
{
	struct stat st;
	int fds[2];
	long r;

	r = PIPE(fds);
	KT_CHECK(r == 0, "pipe: %ld", r);
	KT_SYS(fstat(fds[0], &st));
	fam_call(me, KSCAP_EV_PIPE_E, "pipe(fds)");
	X_INT("res", 0);
	X_INT("fd1", fds[0]);
	X_INT("fd2", fds[1]);
	X_INT("ino", st.st_ino);

	r = SC(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK);
	KT_CHECK(r == 0, "pipe2: %ld", r);
	KT_SYS(fstat(fds[1], &st));
	fam_call(me, KSCAP_EV_PIPE_E, "pipe2(fds, O_CLOEXEC|O_NONBLOCK)");
	X_INT("res", 0);
	X_INT("fd1", fds[0]);
	X_INT("fd2", fds[1]);
	X_INT("ino", st.st_ino);

	/* Two pipes, two inodes: the ino is the pipe's, not a constant. */
	r = SC(SYS_pipe2, fds, 0);
	KT_CHECK(r == 0, "pipe2: %ld", r);
	KT_SYS(fstat(fds[0], &st));
	fam_call(me, KSCAP_EV_PIPE_E, "pipe2(fds, 0), a third pipe");
	X_INT("fd1", fds[0]);
	X_INT("ino", st.st_ino);

	r = PIPE((void *)8);
	fam_call(me, KSCAP_EV_PIPE_E, "pipe(bad address) = -EFAULT");
	X_INT("res", -EFAULT);
	X_INT("fd1", -1);
	X_INT("fd2", -1);
	X_INT("ino", 0);
	KT_CHECK(r == -EFAULT, "pipe(bad): %ld", r);
}

static void futexes(void)
{
	static uint32_t word;
	long r;

	r = SC(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(&word, FUTEX_WAKE_PRIVATE, 1)");
	E_INT("addr", (uintptr_t)&word);
	E_INT("op", F(FUTEX_WAKE) | F(FUTEX_PRIVATE_FLAG));
	E_INT("val", 1);
	X_INT("res", 0);
	KT_CHECK(r == 0, "futex wake: %ld", r);

	/* The word is 0, not 5: the wait returns at once. */
	r = SC(SYS_futex, &word, FUTEX_WAIT, 5, NULL, NULL, 0);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(&word, FUTEX_WAIT, 5) = -EAGAIN");
	E_INT("addr", (uintptr_t)&word);
	E_INT("op", F(FUTEX_WAIT));
	E_INT("val", 5);
	X_INT("res", -EAGAIN);
	KT_CHECK(r == -EAGAIN, "futex wait: %ld", r);

	r = SC(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | FUTEX_PRIVATE_FLAG, 7,
	       NULL, NULL, 0xffffffffU);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(&word, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 7)");
	E_INT("op", F(FUTEX_WAIT_BITSET) | F(FUTEX_CLOCK_REALTIME) | F(FUTEX_PRIVATE_FLAG));
	E_INT("val", 7);
	X_INT("res", -EAGAIN);

	r = SC(SYS_futex, (char *)&word + 1, FUTEX_WAKE, 1, NULL, NULL, 0);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(unaligned, FUTEX_WAKE, 1) = -EINVAL");
	E_INT("addr", (uintptr_t)&word + 1);
	E_INT("op", F(FUTEX_WAKE));
	X_INT("res", -EINVAL);

	/* No such command: the code (below 0x7f) is sent as the kernel's number. */
	r = SC(SYS_futex, &word, 99, 0, NULL, NULL, 0);
	fam_call(me, KSCAP_EV_FUTEX_E, "futex(&word, 99) = -ENOSYS");
	E_INT("op", 99);
	E_INT("val", 0);
	X_INT("res", -ENOSYS);
	(void)r;
}

static void eventfds(void)
{
	long r;

	r = EVENTFD(3);
	fam_call(me, KSCAP_EV_EVENTFD_E, "eventfd(3)");
	E_INT("initval", 3);
	E_INT("flags", 0);
	X_INT("res", r);
	KT_CHECK(r >= 0, "eventfd: %ld", r);

	r = SC(SYS_eventfd2, 0, EFD_SEMAPHORE | EFD_CLOEXEC);
	fam_call(me, KSCAP_EV_EVENTFD_E, "eventfd2(0, EFD_SEMAPHORE|EFD_CLOEXEC)");
	E_INT("initval", 0);
	E_INT("flags", EFD_SEMAPHORE | EFD_CLOEXEC);
	X_INT("res", r);
	KT_CHECK(r >= 0, "eventfd2: %ld", r);

	r = SC(SYS_eventfd2, 1, 0x40000000);
	fam_call(me, KSCAP_EV_EVENTFD_E, "eventfd2(1, bad flag) = -EINVAL");
	E_INT("initval", 1);
	E_INT("flags", 0x40000000);
	X_INT("res", -EINVAL);
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	fam_init();
	fam_begin(&f);
	pipes();
	futexes();
	eventfds();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
