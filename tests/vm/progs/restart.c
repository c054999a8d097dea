// SPDX-License-Identifier: GPL-2.0
/*
 * restart: a child sleeps in poll() with a timeout and is stopped and
 * continued. The signals have no handler, so the kernel restarts the call
 * itself: the exit the tracepoint sees returns -ERESTART_RESTARTBLOCK
 * (516), which userspace never sees. Prints the child's pid. With an
 * argument, the child stays that many more milliseconds before it exits.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	long hold = argc > 1 ? atol(argv[1]) : 0;
	int status;
	pid_t child = fork();

	if (child < 0)
		return 1;
	if (!child) {
#ifdef SYS_poll
		syscall(SYS_poll, NULL, 0, 1500);
#else	/* arm64: ppoll, which restarts with -ERESTARTNOHAND (514) */
		struct timespec tmo = { 1, 500000000L };

		syscall(SYS_ppoll, NULL, 0, &tmo, NULL, 8);
#endif
		pause_ms(hold);
		_exit(0);
	}
	pause_ms(400);
	kill(child, SIGSTOP);
	pause_ms(100);
	kill(child, SIGCONT);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return 1;
	printf("%d\n", (int)child);
	return 0;
}
