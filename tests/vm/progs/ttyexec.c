// SPDX-License-Identifier: GPL-2.0
/*
 * ttyexec: execve's tty parameter under a controlling pty, after a
 * hangup, and while another process hangs the pty up again and again as
 * execs run (the module reads signal->tty; the hangup clears it and may
 * drop the tty's last reference).
 *
 * A session leader on a fresh pty execs short-lived children in three
 * phases: with the pty as controlling tty (tty must be the pty's device
 * number), while a sibling loops on TIOCVHANGUP and the leader takes the
 * tty back (the pty's number or 0, nothing else), and after a final
 * hangup (0). Each child's execve exit event is looked up by its pid.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "kt.h"

#define NPHASE1 10
#define NRACE	100
#define NPHASE3 10
#define NMAX	(NPHASE1 + NRACE + NPHASE3)

struct shared {
	unsigned int n;
	pid_t pid[NMAX];
	int phase[NMAX];
	int found[NMAX];
	uint32_t tty[NMAX];
};
static struct shared *sh;
static char slave[64];

static void run_child(int phase)
{
	pid_t pid = KT_SYS(fork());
	int st;

	if (!pid) {
		execl("/proc/self/exe", "ttyexec", "x", (char *)NULL);
		_exit(127);
	}
	KT_SYS(waitpid(pid, &st, 0));
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec'd child ended with 0x%x", st);
	sh->pid[sh->n] = pid;
	sh->phase[sh->n] = phase;
	sh->n++;
}

/* Become the pty's session: open it (it becomes the controlling tty). */
static int take_tty(void)
{
	int fd = open(slave, O_RDWR);

	if (fd >= 0)
		ioctl(fd, TIOCSCTTY, 1);
	return fd;
}

static void leader(void)
{
	pid_t hanger;
	int fd, i, st;

	KT_SYS(setsid());
	fd = KT_SYS(take_tty());
	for (i = 0; i < NPHASE1; i++)
		run_child(1);

	hanger = KT_SYS(fork());
	if (!hanger) {
		for (i = 0; i < 2 * NRACE; i++) {
			int h = open(slave, O_RDWR | O_NOCTTY);

			if (h >= 0) {
				ioctl(h, TIOCVHANGUP, 0);
				close(h);
			}
		}
		_exit(0);
	}
	for (i = 0; i < NRACE; i++) {
		if (!(i % 4)) {
			close(fd);
			fd = take_tty();
		}
		run_child(2);
	}
	KT_SYS(waitpid(hanger, &st, 0));

	if (fd < 0)
		fd = KT_SYS(open(slave, O_RDWR | O_NOCTTY));
	KT_SYS(ioctl(fd, TIOCVHANGUP, 0));
	for (i = 0; i < NPHASE3; i++)
		run_child(3);
	_exit(0);
}

static int param_index(unsigned int type, const char *name)
{
	unsigned int i;

	for (i = 0; i < kt_events[type].nparams; i++)
		if (!strcmp(kt_events[type].params[i].name, name))
			return (int)i;
	kt_fail("event %u has no parameter %s", type, name);
}

static int tty_param;

static void on_event(const struct kt_ev *ev, void *arg)
{
	unsigned int i;

	(void)arg;
	if (ev->type != KSCAP_EV_EXECVE_X)
		return;
	for (i = 0; i < sh->n; i++)
		if ((u64)sh->pid[i] == ev->tid && !sh->found[i]) {
			sh->found[i] = 1;
			sh->tty[i] = (uint32_t)kt_uparam(ev, tty_param);
		}
}

int main(int argc, char **argv)
{
	unsigned int i, cpu, zero = 0, match = 0;
	uint32_t want;
	struct kt_dev d;
	struct stat sb;
	int master, st;
	pid_t pid;

	if (argc == 2 && !strcmp(argv[1], "x"))
		return 0;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_CHECK(sh != MAP_FAILED, "mmap: %m");
	master = KT_SYS(posix_openpt(O_RDWR | O_NOCTTY));
	KT_SYS(grantpt(master));
	KT_SYS(unlockpt(master));
	KT_CHECK(!ptsname_r(master, slave, sizeof(slave)), "ptsname: %m");
	KT_SYS(stat(slave, &sb));
	/* new_encode_dev(), as the module writes it. */
	want = (minor(sb.st_rdev) & 0xff) | (major(sb.st_rdev) << 8) |
	       ((minor(sb.st_rdev) & ~0xffu) << 12);
	tty_param = param_index(KSCAP_EV_EXECVE_X, "tty");
	signal(SIGHUP, SIG_IGN);

	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	pid = KT_SYS(fork());
	if (!pid)
		leader();
	KT_SYS(waitpid(pid, &st, 0));
	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the session leader ended with 0x%x", st);
	for (cpu = 0; cpu < d.g.ncpus; cpu++)
		kt_walk(&d, cpu, kt_tail(&d, cpu), kt_head(&d, cpu), on_event, NULL);

	for (i = 0; i < sh->n; i++) {
		KT_CHECK(sh->found[i], "no execve exit event for child %d (phase %d)",
			 sh->pid[i], sh->phase[i]);
		if (sh->phase[i] == 1)
			KT_CHECK(sh->tty[i] == want, "phase 1, child %d: tty 0x%x, want 0x%x (%s)",
				 sh->pid[i], sh->tty[i], want, slave);
		if (sh->phase[i] == 2)
			KT_CHECK(sh->tty[i] == want || !sh->tty[i],
				 "during hangups, child %d: tty 0x%x, want 0x%x or 0",
				 sh->pid[i], sh->tty[i], want);
		if (sh->phase[i] == 3)
			KT_CHECK(!sh->tty[i], "after the hangup, child %d: tty 0x%x, want 0",
				 sh->pid[i], sh->tty[i]);
		if (sh->phase[i] == 2) {
			zero += !sh->tty[i];
			match += sh->tty[i] == want;
		}
	}
	KT_CHECK(sh->n == NMAX, "%u children ran, want %d", sh->n, NMAX);
	kt_log("%s (0x%x): %u execs; during hangups %u with the tty, %u without",
	       slave, want, sh->n, match, zero);
	kt_check_counters(&d);
	kt_close(&d);
	return 0;
}
