// SPDX-License-Identifier: MIT
/* The thread table: seeding, clone/fork/execve/procexit updates. */
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "evbuild.h"
#include "internal.h"

static struct evb b;

static void update(struct kscap_threads *t, const uint8_t *raw, const uint32_t *len)
{
	struct kscap_evt evt;

	assert_int_equal(kscap_evt_parse(raw, *len, &evt), 0);
	assert_int_equal(kscap_threads_update(t, &evt), 0);
}

static void add_find_iterate(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = { .tid = 10, .pid = 10, .ptid = 1, .comm = "init-ish",
				   .exe = "x", .args = "a\0b", .args_len = 4 };
	const struct kscap_thread *got;
	size_t cursor = 0, n = 0;
	int64_t i;

	assert_int_equal(kscap_threads_add(t, &th), 0);
	got = kscap_threads_find(t, 10);
	assert_non_null(got);
	assert_string_equal(got->comm, "init-ish");
	assert_string_equal(got->exe, "x");
	assert_string_equal(got->cwd, "");	/* never NULL */
	assert_memory_equal(got->args, "a\0b", 4);
	assert_null(kscap_threads_find(t, 11));
	/* enough to make the table grow */
	for (i = 1000; i < 3000; i++) {
		th.tid = i;
		assert_int_equal(kscap_threads_add(t, &th), 0);
	}
	assert_int_equal(kscap_threads_count(t), 2001);
	while ((got = kscap_threads_next(t, &cursor)))
		n++;
	assert_int_equal(n, 2001);
	assert_non_null(kscap_threads_find(t, 2999));
	/* replacing keeps one entry */
	th.tid = 10;
	strcpy(th.comm, "renamed");
	assert_int_equal(kscap_threads_add(t, &th), 0);
	assert_string_equal(kscap_threads_find(t, 10)->comm, "renamed");
	assert_int_equal(kscap_threads_count(t), 2001);
	kscap_threads_free(t);
}

static void fork_parent_first(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *child;
	uint32_t len;

	/* the parent (100, bash) returns first: the child is made up from it */
	update(t, ev_clone_x(&b, 1, 100, 101, 100, 1, "bash", 0, &len), &len);
	child = kscap_threads_find(t, 101);
	assert_non_null(child);
	assert_int_equal(child->pid, 101);
	assert_int_equal(child->ptid, 100);
	assert_string_equal(child->comm, "bash");
	/* then the child's own return fills in the rest */
	update(t, ev_clone_x(&b, 2, 101, 0, 101, 100, "bash", 0, &len), &len);
	assert_int_equal(kscap_threads_find(t, 101)->ptid, 100);
	kscap_threads_free(t);
}

static void thread_shares_pid(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	uint32_t len;

	update(t, ev_clone_x(&b, 1, 200, 205, 200, 1, "worker", KSCAP_ABI_CLONE_FLAGS_CLONE_THREAD,
			     &len), &len);
	assert_int_equal(kscap_threads_find(t, 205)->pid, 200);
	/* the child's side first works too */
	update(t, ev_clone_x(&b, 2, 206, 0, 200, 200, "worker", KSCAP_ABI_CLONE_FLAGS_CLONE_THREAD,
			     &len), &len);
	assert_int_equal(kscap_threads_find(t, 206)->pid, 200);
	assert_string_equal(kscap_threads_find(t, 206)->comm, "worker");
	kscap_threads_free(t);
}

static void failed_clone_changes_nothing(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	uint32_t len;

	update(t, ev_clone_x(&b, 1, 300, -11, 300, 1, "x", 0, &len), &len);
	assert_int_equal(kscap_threads_count(t), 0);
	kscap_threads_free(t);
}

static void execve_renames(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *th;
	uint32_t len;

	update(t, ev_clone_x(&b, 1, 101, 0, 101, 100, "bash", 0, &len), &len);
	update(t, ev_execve_x(&b, 2, 101, 0, 101, 100, "/usr/bin/ls", "-l\0/tmp", 8, "ls", &len),
	       &len);
	th = kscap_threads_find(t, 101);
	assert_string_equal(th->comm, "ls");
	assert_string_equal(th->exe, "/usr/bin/ls");
	assert_string_equal(th->exepath, "/usr/bin/ls");
	assert_int_equal(th->args_len, 8);
	assert_memory_equal(th->args, "-l\0/tmp", 8);
	/* a failed execve keeps the old program */
	update(t, ev_execve_x(&b, 3, 101, -2, 101, 100, "nope", "", 0, "nope", &len), &len);
	assert_string_equal(kscap_threads_find(t, 101)->comm, "ls");
	kscap_threads_free(t);
}

static void procexit_removes_later(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	uint32_t len;
	const uint8_t *raw;

	update(t, ev_clone_x(&b, 1, 101, 0, 101, 100, "bash", 0, &len), &len);
	evb_start(&b, KSCAP_EV_PROCEXIT_E, 2, 101);
	evb_u64(&b, 0);
	raw = evb_end(&b, &len);
	update(t, raw, &len);
	/* still there, so the procexit event itself can be shown */
	assert_non_null(kscap_threads_find(t, 101));
	evb_start(&b, KSCAP_EV_CLOSE_E, 3, 5);
	evb_u64(&b, 3);
	raw = evb_end(&b, &len);
	update(t, raw, &len);
	assert_null(kscap_threads_find(t, 101));
	kscap_threads_free(t);
}

static void descendants(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	uint32_t len;

	/* 100 -> 101 -> 102 (thread 103 of 102); 200 unrelated */
	update(t, ev_clone_x(&b, 1, 100, 101, 100, 1, "a", 0, &len), &len);
	update(t, ev_clone_x(&b, 2, 101, 102, 101, 100, "b", 0, &len), &len);
	update(t, ev_clone_x(&b, 3, 102, 103, 102, 101, "c",
			     KSCAP_ABI_CLONE_FLAGS_CLONE_THREAD, &len), &len);
	update(t, ev_clone_x(&b, 4, 200, 201, 200, 1, "d", 0, &len), &len);
	assert_true(kscap_threads_descends(t, 103, 100));
	assert_true(kscap_threads_descends(t, 102, 101));
	assert_true(kscap_threads_descends(t, 100, 100));
	assert_false(kscap_threads_descends(t, 201, 100));
	assert_false(kscap_threads_descends(t, 100, 101));
	assert_false(kscap_threads_descends(t, 999, 100));
	kscap_threads_free(t);
}

static void descends_survives_loops(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread a = { .tid = 5, .pid = 5, .ptid = 6 };
	struct kscap_thread c = { .tid = 6, .pid = 6, .ptid = 5 };

	assert_int_equal(kscap_threads_add(t, &a), 0);
	assert_int_equal(kscap_threads_add(t, &c), 0);
	assert_false(kscap_threads_descends(t, 5, 77));
	kscap_threads_free(t);
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* A made-up /proc: one process with two threads. */
static void scan_fake_proc(void **state)
{
	char dir[] = "/tmp/kscap-proc-XXXXXX", p[256];
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *th;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/4242", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/stat", dir);
	write_file(p, "4242 (my (odd) prog) S 77 4242 4242 0", 38);
	snprintf(p, sizeof(p), "%s/4242/status", dir);
	write_file(p, "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n", 52);
	snprintf(p, sizeof(p), "%s/4242/cmdline", dir);
	write_file(p, "/bin/prog\0-v\0file\0", 18);
	snprintf(p, sizeof(p), "%s/4242/task", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/task/4242", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/task/4242/comm", dir);
	write_file(p, "prog\n", 5);
	snprintf(p, sizeof(p), "%s/4242/task/4243", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/task/4243/comm", dir);
	write_file(p, "prog-worker\n", 12);
	snprintf(p, sizeof(p), "%s/notapid", dir);
	mkdir(p, 0755);

	assert_int_equal(kscap_threads_scan_proc(t, dir), 0);
	assert_int_equal(kscap_threads_count(t), 2);
	th = kscap_threads_find(t, 4243);
	assert_non_null(th);
	assert_int_equal(th->pid, 4242);
	assert_int_equal(th->ptid, 77);
	assert_string_equal(th->comm, "prog-worker");
	assert_int_equal(th->uid, 1000);
	assert_int_equal(th->gid, 100);
	assert_string_equal(th->exe, "/bin/prog");
	assert_int_equal(th->args_len, 8);
	assert_memory_equal(th->args, "-v\0file\0", 8);
	assert_string_equal(kscap_threads_find(t, 4242)->comm, "prog");
	kscap_threads_free(t);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

static void scan_real_proc_finds_us(void **state)
{
	struct kscap_threads *t = kscap_threads_new();
	const struct kscap_thread *me;

	assert_int_equal(kscap_threads_scan_proc(t, NULL), 0);
	me = kscap_threads_find(t, getpid());
	assert_non_null(me);
	assert_int_equal(me->pid, getpid());
	assert_int_equal(me->ptid, getppid());
	assert_string_equal(me->comm, "test_threads");
	assert_int_equal(kscap_threads_scan_proc(t, "/nonexistent-proc"), -ENOENT);
	kscap_threads_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_find_iterate),
		cmocka_unit_test(fork_parent_first),
		cmocka_unit_test(thread_shares_pid),
		cmocka_unit_test(failed_clone_changes_nothing),
		cmocka_unit_test(execve_renames),
		cmocka_unit_test(procexit_removes_later),
		cmocka_unit_test(descendants),
		cmocka_unit_test(descends_survives_loops),
		cmocka_unit_test(scan_fake_proc),
		cmocka_unit_test(scan_real_proc_finds_us),
	};

	return RUN(tests);
}
