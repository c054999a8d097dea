// SPDX-License-Identifier: GPL-2.0
/*
 * fam_wait: the rows no other family test reaches. epoll_wait (maxevents,
 * the number of ready fds), select (the result), signalfd and signalfd4
 * (fd, the low word of the mask, flags: 0 for signalfd, which takes none),
 * and the socket calls whose rows carry no parameters (getsockname,
 * getpeername, sendmmsg, recvmmsg): their events must still be there, in
 * their own types, not as generic events.
 */
#include "fam.h"
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>

static pid_t me;

/*
 * arm64 (asm-generic) has no epoll_wait nor select (epoll_pwait and
 * pselect6, generic events, instead): their rows cannot fire there. Its
 * signalfd is signalfd4 with no flags, the same row.
 */
#ifdef SYS_signalfd
#define SIGNALFD(fd, set, size)	SC(SYS_signalfd, fd, set, size)
#else
#define SIGNALFD(fd, set, size)	SC(SYS_signalfd4, fd, set, size, 0)
#endif

#ifdef SYS_epoll_wait
static void epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	int ep = KT_SYS(epoll_create1(0)), p[2];
	long r;

	KT_SYS(pipe(p));
	KT_SYS(write(p[1], "x", 1));
	ev.data.fd = p[0];
	KT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	r = SC(SYS_epoll_wait, ep, out, 4, 0);
	fam_call(me, KSCAP_EV_EPOLL_WAIT_E, "epoll_wait(ep, out, 4, 0) = 1");
	E_INT("maxevents", 4);
	X_INT("res", 1);
	KT_CHECK(r == 1, "epoll_wait: %ld", r);

	r = SC(SYS_epoll_wait, 999, out, 4, 0);
	fam_call(me, KSCAP_EV_EPOLL_WAIT_E, "epoll_wait(999, ...) = -EBADF");
	E_INT("maxevents", 4);
	X_INT("res", -EBADF);
}
#endif

#ifdef SYS_select
static void selects(void)
{
	struct timeval tv = { 0, 0 };
	fd_set rd;
	int p[2];
	long r;

	KT_SYS(pipe(p));
	KT_SYS(write(p[1], "y", 1));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	r = SC(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
	fam_call(me, KSCAP_EV_SELECT_E, "select(readable pipe) = 1");
	X_INT("res", 1);
	KT_CHECK(r == 1, "select: %ld", r);

	r = SC(SYS_select, -1, NULL, NULL, NULL, &tv);
	fam_call(me, KSCAP_EV_SELECT_E, "select(-1) = -EINVAL");
	X_INT("res", -EINVAL);
}
#endif

static void signalfds(void)
{
	sigset_t set;
	long r;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	r = SC(SYS_signalfd4, -1, &set, 8, SFD_CLOEXEC | SFD_NONBLOCK);
	fam_call(me, KSCAP_EV_SIGNALFD_E, "signalfd4(-1, {USR1,TERM}, 8, CLOEXEC|NONBLOCK)");
	E_INT("fd", -1);
	E_INT("mask", (1U << (SIGUSR1 - 1)) | (1U << (SIGTERM - 1)));
	E_INT("flags", (SFD_CLOEXEC | SFD_NONBLOCK) & 0xff);
	X_INT("res", r);
	KT_CHECK(r >= 0, "signalfd4: %ld", r);

	r = SIGNALFD(-1, &set, 8);
	fam_call(me, KSCAP_EV_SIGNALFD_E, "signalfd(-1, {USR1,TERM}, 8)");
	E_INT("fd", -1);
	E_INT("flags", 0);
	X_INT("res", r);

	r = SC(SYS_signalfd4, 12345, &set, 8, 0);
	fam_call(me, KSCAP_EV_SIGNALFD_E, "signalfd4(12345, ...) = -EBADF");
	E_INT("fd", 12345);
	X_INT("res", -EBADF);
}

static void sockets(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	struct mmsghdr mm = { 0 };
	int s = KT_SYS(socket(AF_INET, SOCK_DGRAM, 0));

	SC(SYS_getsockname, s, &sa, &len);
	fam_call(me, KSCAP_EV_GETSOCKNAME_E, "getsockname");
	SC(SYS_getpeername, s, &sa, &len);
	fam_call(me, KSCAP_EV_GETPEERNAME_E, "getpeername");
	SC(SYS_sendmmsg, s, &mm, 1, 0);
	fam_call(me, KSCAP_EV_SENDMMSG_E, "sendmmsg");
	SC(SYS_recvmmsg, s, &mm, 1, MSG_DONTWAIT, NULL);
	fam_call(me, KSCAP_EV_RECVMMSG_E, "recvmmsg");
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	fam_init();
	fam_begin(&f);
#ifdef SYS_epoll_wait
	epoll();
#endif
#ifdef SYS_select
	selects();
#endif
	signalfds();
	sockets();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
