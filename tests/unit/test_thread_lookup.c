// SPDX-License-Identifier: MIT
/*
 * A thread the table does not know (it started after the /proc scan) is
 * looked up in /proc at first sight; it stays unknown only when it is
 * already gone. A made-up /proc, the real one, and scapdump live.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "test.h"
#include "cli_util.h"

static void write_file(const char *dir, const char *name, const char *data, size_t n)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void mk(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
}

#define STATUS(tgid) "Name:\tw\nTgid:\t" tgid "\nPid:\t0\nUid:\t33\t33\t33\t33\nGid:\t44\t44\t44\t44\n"

/* Process 500 with threads 500 and 501; 501 started after the scan. */
static void fake_proc(void **state)
{
	char dir[] = "/tmp/kscap-proc-XXXXXX";
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *th;

	assert_non_null(mkdtemp(dir));
	mk(dir, "500");
	write_file(dir, "500/stat", "500 (srv) S 1 500 500 0", 23);
	write_file(dir, "500/status", STATUS("500"), strlen(STATUS("500")));
	write_file(dir, "500/cmdline", "/usr/bin/srv\0-d\0", 16);
	mk(dir, "500/task");
	mk(dir, "500/task/500");
	write_file(dir, "500/task/500/comm", "srv\n", 4);
	mk(dir, "500/task/501");
	write_file(dir, "500/task/501/comm", "srv-worker\n", 11);
	/* a thread's own directory: hidden from listings, there by number */
	mk(dir, "501");
	write_file(dir, "501/status", STATUS("500"), strlen(STATUS("500")));

	assert_null(kscap_threads_find(t, 501));
	assert_int_equal(kscap_threads_scan_tid(t, dir, 501), 1);
	th = kscap_threads_find(t, 501);
	assert_non_null(th);
	assert_int_equal(th->pid, 500);
	assert_int_equal(th->ptid, 1);
	assert_string_equal(th->comm, "srv-worker");
	assert_string_equal(th->exe, "/usr/bin/srv");
	assert_int_equal(th->uid, 33);
	assert_int_equal(th->gid, 44);
	/* only the thread asked for */
	assert_null(kscap_threads_find(t, 500));
	assert_int_equal(kscap_threads_count(t), 1);

	/* gone: null, and not looked up again when it has events left */
	assert_int_equal(kscap_threads_scan_tid(t, dir, 777), 0);
	assert_null(kscap_threads_find(t, 777));
	mk(dir, "777");
	write_file(dir, "777/status", STATUS("500"), strlen(STATUS("500")));
	assert_int_equal(kscap_threads_scan_tid(t, dir, 777), 0);
	assert_null(kscap_threads_find(t, 777));
	/* no thread 0 */
	assert_int_equal(kscap_threads_scan_tid(t, dir, 0), 0);
	kscap_threads_free(t);
	{
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* The real /proc: a child started after the table was made. */
static void real_proc(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *th;
	int pipefd[2], st;
	char c;
	pid_t pid;

	assert_int_equal(kscap_threads_scan_proc(t, NULL), 0);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		prctl(PR_SET_NAME, "kscap-late");
		if (write(pipefd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	assert_null(kscap_threads_find(t, pid));
	assert_int_equal(kscap_threads_scan_tid(t, NULL, pid), 1);
	th = kscap_threads_find(t, pid);
	assert_non_null(th);
	assert_int_equal(th->pid, pid);
	assert_int_equal(th->ptid, getpid());
	assert_string_equal(th->comm, "kscap-late");
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* reaped: gone, the table keeps the entry it has */
	kscap_threads_free(t);
	t = kscap_threads_new();
	assert_int_equal(kscap_threads_scan_tid(t, NULL, pid), 0);
	assert_null(kscap_threads_find(t, pid));
	close(pipefd[0]);
	close(pipefd[1]);
	kscap_threads_free(t);
}

/* scapdump live names a thread that started after its /proc scan. */
static void scapdump_live(void **state)
{
	char cmd[256];
	struct cli c;

	/* (the fake's late thread is one of scapdump's own: kept) */
	snprintf(cmd, sizeof(cmd), "FAKE_LATE_THREAD=1 FAKE_EVENTS=4 '%s' -j -n 4 --include-self",
		 SCAPDUMP_FAKE_BIN);
	cli_run(&c, cmd);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 4);
	assert_null(strstr(c.out, "\"comm\":null"));
	assert_null(strstr(c.out, "\"pid\":null"));
	assert_int_equal(count_lines(c.out), 4);
	{
		const char *p = c.out;
		int n = 0;

		while ((p = strstr(p, "\"comm\":\"late-thread\"")))
			n++, p++;
		assert_int_equal(n, 4);
	}
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fake_proc),
		cmocka_unit_test(real_proc),
		cmocka_unit_test(scapdump_live),
	};

	return RUN(tests);
}
