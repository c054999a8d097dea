// SPDX-License-Identifier: GPL-2.0
/*
 * fam_proc: the process syscalls, decoded. fork, vfork, clone (raw, with
 * CLONE_NEWPID, and pthread_create's clone3): both the parent's exit
 * event (res = the child) and the child's own (res 0), with the task's
 * exe, args, tid/pid/ptid, cwd, fdlimit, comm, flags in the ABI's bits,
 * uid/gid and the ids seen from the child's pid namespace. execve of this
 * program with a known argv and envp from a vfork child, and of a missing
 * file (-ENOENT). procexit's status for exit codes and a SIGKILL. setsid,
 * setpgid, the get/set uid and gid calls (values, -1, EPERM once
 * unprivileged), getrlimit/setrlimit/prlimit, unshare, setns, seccomp and
 * kill(self, 0).
 *
 * Run as: fam_proc ARGS... (the args are checked in every clone and
 * execve event). "fam_proc --exec-child ..." is what the vfork child
 * executes: it just exits with status 5.
 */
#include "fam.h"
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/resource.h>
#include <linux/seccomp.h>

#define O(n)	ABI_CLONE_FLAGS_##n
#define EXEC_CHILD_STATUS 5

static pid_t me, parent;
static char exe_path[256], cwd[256], cmdline[4096], environ_area[4096];
static size_t cmdline_len, environ_len, exe_len;
static u64 nofile;
static uint32_t tty;
static pid_t pgid;
static uint32_t loginuid = 0xffffffffU;
static bool have_controllers;

/*
 * Whether the kernel has a cgroup controller enabled (/proc/cgroups lists
 * it with enabled = 1): the cgroups parameter has a "name=path" string per
 * controller, so a kernel without any (the tinyconfig debug kernel) gives
 * an empty one.
 */
static bool cgroup_controllers(void)
{
	char buf[2048], *line, *save = NULL;
	unsigned int hier, num, enabled;
	char name[64];
	ssize_t n;

	n = fam_read_file("/proc/cgroups", buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#' &&
		    sscanf(line, "%63s %u %u %u", name, &hier, &num, &enabled) == 4 &&
		    enabled)
			return true;
	return false;
}

/*
 * arm64 (asm-generic) has no fork nor vfork: libc forks with clone(SIGCHLD)
 * and vforks with clone(CLONE_VM|CLONE_VFORK|SIGCHLD), clone's rows with
 * the same flags (SIGCHLD, the exit signal, is no flag).
 */
#ifdef SYS_fork
#define FORK()		SC(SYS_fork)
#define FORK_E		KSCAP_EV_FORK_E
#define FORK_X		KSCAP_EV_FORK_X
#define VFORK_E		KSCAP_EV_VFORK_E
#define VFORK_X		KSCAP_EV_VFORK_X
#else
#define FORK()		SC(SYS_clone, (unsigned long)SIGCHLD, 0UL, 0UL, 0UL, 0UL)
#define FORK_E		KSCAP_EV_CLONE_E
#define FORK_X		KSCAP_EV_CLONE_X
#define VFORK_E		KSCAP_EV_CLONE_E
#define VFORK_X		KSCAP_EV_CLONE_X
#endif

static void x_cgroups(void)
{
	if (have_controllers)
		X_SOME("cgroups");
	else
		X_EMPTY("cgroups");
}

/* What a process is now, for the events that describe it. */
static void snapshot(void)
{
	char stat[1024], *p;
	ssize_t n;
	struct rlimit rl;
	int i;

	me = kt_gettid();
	parent = getppid();
	KT_SYS(chdir("/"));
	KT_CHECK(getcwd(cwd, sizeof(cwd)), "getcwd: %m");
	n = readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1);
	KT_CHECK(n > 0, "readlink /proc/self/exe: %m");
	exe_path[n] = '\0';
	n = fam_read_file("/proc/self/cmdline", cmdline, sizeof(cmdline));
	KT_CHECK(n > 0 && cmdline[n - 1] == '\0', "/proc/self/cmdline: %zd", n);
	cmdline_len = n;
	exe_len = strlen(cmdline) + 1;
	n = fam_read_file("/proc/self/environ", environ_area, sizeof(environ_area));
	KT_CHECK(n > 0, "/proc/self/environ: %zd", n);
	environ_len = n;
	KT_SYS(getrlimit(RLIMIT_NOFILE, &rl));
	nofile = rl.rlim_cur;
	have_controllers = cgroup_controllers();
	pgid = getpgrp();
	/* tty_nr, the 7th field of stat, is new_encode_dev() of the tty. */
	KT_CHECK(fam_read_file("/proc/self/stat", stat, sizeof(stat)) > 0, "/proc/self/stat");
	p = strrchr(stat, ')');
	KT_CHECK(p, "/proc/self/stat: no ')'");
	for (i = 0; i < 5 && p; i++)
		p = strchr(p + 1, ' ');
	KT_CHECK(p, "/proc/self/stat: too short");
	tty = (uint32_t)strtoul(p + 1, NULL, 10);
	if (fam_read_file("/proc/self/loginuid", stat, sizeof(stat)) > 0)
		loginuid = (uint32_t)strtoul(stat, NULL, 10);
}

/* exe, args: argv[0], then the rest of the argument area. */
static void x_cmdline(const char *area, size_t len)
{
	size_t el = strlen(area) + 1;

	X_STR("exe", area);
	if (len > el)
		X_BUF("args", area + el, len - el);
	else
		X_EMPTY("args");
}

/* The exit of clone, fork or vfork, as the process copied from us sees it. */
static void x_clone(long res, pid_t tid, pid_t pid, pid_t ptid, uint32_t flags,
		    pid_t vtid, pid_t vpid, long vm_kb)
{
	X_INT("res", res);
	x_cmdline(cmdline, cmdline_len);
	X_INT("tid", tid);
	X_INT("pid", pid);
	X_INT("ptid", ptid);
	X_STR("cwd", cwd);
	X_INT("fdlimit", nofile);
	X_SOME("pgft_maj");
	X_SOME("pgft_min");
	if (vm_kb > 0)
		X_RANGE("vm_size", vm_kb - 64, vm_kb + 64);
	else
		X_RANGE("vm_size", 1, 1 << 22);
	X_RANGE("vm_rss", 1, 1 << 22);
	X_INT("vm_swap", 0);
	X_STR("comm", "fam_proc");
	x_cgroups();
	X_INT("flags", flags);
	X_INT("uid", geteuid());
	X_INT("gid", getegid());
	X_INT("vtid", vtid);
	X_INT("vpid", vpid);
}

/* The execve exit of a process whose image is (area, env). */
static void x_execve(long res, pid_t tid, pid_t ptid, const char *area, size_t alen,
		     const void *env, size_t elen)
{
	X_INT("res", res);
	x_cmdline(area, alen);
	X_INT("tid", tid);
	X_INT("pid", tid);
	X_INT("ptid", ptid);
	X_STR("cwd", cwd);
	X_INT("fdlimit", nofile);
	X_SOME("pgft_maj");
	X_SOME("pgft_min");
	X_RANGE("vm_size", 1, 1 << 22);
	/*
	 * Since 6.2 the RSS counters are per-CPU and read without summing
	 * (as /proc/PID/status reads them too): a new image that has
	 * faulted in fewer pages than a CPU's batch still reads 0.
	 */
	X_RANGE("vm_rss", 0, 1 << 22);
	X_INT("vm_swap", 0);
	X_STR("comm", "fam_proc");
	x_cgroups();
	X_BUF("env", env, elen);
	X_INT("tty", tty);
	X_INT("pgid", pgid);
	X_INT("loginuid", loginuid);
}

/*
 * fork with the raw syscall; the child checks its own fork exit event,
 * runs @fn and exits with what it returns. The parent writes nothing down
 * until the child is done (they share the expectation list).
 */
static void in_child(int (*fn)(pid_t self), int code, const char *what)
{
	long vm_kb;
	pid_t c;

	c = (pid_t)FORK();
	KT_CHECK(c >= 0, "fork: %s", strerror(-c));
	if (!c) {
		pid_t self = kt_gettid();

		vm_kb = fam_status_kb("VmSize");
		fam_one(self, FORK_X, "%s: the child's fork exit", what);
		x_clone(0, self, self, me, 0, self, self, vm_kb);
		_exit(fn(self));
	}
	vm_kb = fam_status_kb("VmSize");
	fam_wait(c, code, what);
	fam_call(me, FORK_E, "%s: fork in the parent", what);
	x_clone(c, me, me, parent, 0, me, me, vm_kb);
	fam_one(c, KSCAP_EV_PROCEXIT_E, "%s: the child's exit(%d)", what, code);
	E_INT("status", code << 8);
}

static int child_exit3(pid_t self)
{
	(void)self;
	return 3;
}

static int child_session(pid_t self)
{
	long r;

	r = SC(SYS_setsid);
	fam_call(self, KSCAP_EV_SETSID_E, "setsid()");
	X_INT("res", self);
	KT_CHECK(r == self, "setsid: %ld", r);
	r = SC(SYS_setsid);
	fam_call(self, KSCAP_EV_SETSID_E, "setsid() again = -EPERM");
	X_INT("res", -EPERM);
	/* A session leader may not move to another group. */
	r = SC(SYS_setpgid, 0, 0);
	fam_call(self, KSCAP_EV_SETPGID_E, "setpgid(0, 0) as session leader = -EPERM");
	E_INT("pid", 0);
	E_INT("pgid", 0);
	X_INT("res", -EPERM);
	return 0;
}

static int child_pgid(pid_t self)
{
	long r;

	r = SC(SYS_setpgid, 0, 0);
	fam_call(self, KSCAP_EV_SETPGID_E, "setpgid(0, 0)");
	E_INT("pid", 0);
	E_INT("pgid", 0);
	X_INT("res", 0);
	KT_CHECK(r == 0, "setpgid: %ld", r);
	r = SC(SYS_setpgid, 999999, self);
	fam_call(self, KSCAP_EV_SETPGID_E, "setpgid(999999, self) = -ESRCH");
	E_INT("pid", 999999);
	E_INT("pgid", self);
	X_INT("res", -ESRCH);
	return 0;
}

static int child_ids(pid_t self)
{
	unsigned int a = 0, b = 0, c = 0;
	long r;

	r = SC(SYS_setresgid, 1001, 1002, 1003);
	fam_call(self, KSCAP_EV_SETRESGID_E, "setresgid(1001, 1002, 1003)");
	E_INT("rgid", 1001);
	E_INT("egid", 1002);
	E_INT("sgid", 1003);
	X_INT("res", 0);
	KT_CHECK(r == 0, "setresgid: %ld", r);
	r = SC(SYS_setresuid, 2001, 2002, 2003);
	fam_call(self, KSCAP_EV_SETRESUID_E, "setresuid(2001, 2002, 2003)");
	E_INT("ruid", 2001);
	E_INT("euid", 2002);
	E_INT("suid", 2003);
	X_INT("res", 0);
	KT_CHECK(r == 0, "setresuid: %ld", r);

	SC(SYS_getuid);
	fam_call(self, KSCAP_EV_GETUID_E, "getuid()");
	X_INT("uid", 2001);
	SC(SYS_geteuid);
	fam_call(self, KSCAP_EV_GETEUID_E, "geteuid()");
	X_INT("euid", 2002);
	SC(SYS_getgid);
	fam_call(self, KSCAP_EV_GETGID_E, "getgid()");
	X_INT("gid", 1001);
	SC(SYS_getegid);
	fam_call(self, KSCAP_EV_GETEGID_E, "getegid()");
	X_INT("egid", 1002);
	r = SC(SYS_getresuid, &a, &b, &c);
	fam_call(self, KSCAP_EV_GETRESUID_E, "getresuid()");
	X_INT("res", 0);
	X_INT("ruid", 2001);
	X_INT("euid", 2002);
	X_INT("suid", 2003);
	KT_CHECK(r == 0 && a == 2001 && b == 2002 && c == 2003, "getresuid: %ld %u %u %u", r, a, b, c);
	r = SC(SYS_getresgid, &a, &b, &c);
	fam_call(self, KSCAP_EV_GETRESGID_E, "getresgid()");
	X_INT("res", 0);
	X_INT("rgid", 1001);
	X_INT("egid", 1002);
	X_INT("sgid", 1003);

	/* No longer privileged: the saved ids are allowed, others are not. */
	SC(SYS_setgid, 1003);
	fam_call(self, KSCAP_EV_SETGID_E, "setgid(1003) (the saved gid)");
	E_INT("gid", 1003);
	X_INT("res", 0);
	SC(SYS_setgid, 5);
	fam_call(self, KSCAP_EV_SETGID_E, "setgid(5) = -EPERM");
	E_INT("gid", 5);
	X_INT("res", -EPERM);
	SC(SYS_setuid, 2003);
	fam_call(self, KSCAP_EV_SETUID_E, "setuid(2003) (the saved uid)");
	E_INT("uid", 2003);
	X_INT("res", 0);
	SC(SYS_setuid, 0);
	fam_call(self, KSCAP_EV_SETUID_E, "setuid(0) = -EPERM");
	E_INT("uid", 0);
	X_INT("res", -EPERM);
	r = SC(SYS_setresuid, -1, -1, -1);
	fam_call(self, KSCAP_EV_SETRESUID_E, "setresuid(-1, -1, -1)");
	E_INT("ruid", 0xffffffffU);
	E_INT("euid", 0xffffffffU);
	E_INT("suid", 0xffffffffU);
	X_INT("res", 0);
	r = SC(SYS_setresgid, 0, 0, 0);
	fam_call(self, KSCAP_EV_SETRESGID_E, "setresgid(0, 0, 0) = -EPERM");
	E_INT("rgid", 0);
	X_INT("res", -EPERM);
	(void)r;
	return 0;
}

static int child_limits(pid_t self)
{
	struct rlimit rl, old;
	long r;

	r = SC(SYS_getrlimit, RLIMIT_NOFILE, &rl);
	fam_call(self, KSCAP_EV_GETRLIMIT_E, "getrlimit(RLIMIT_NOFILE)");
	E_INT("resource", ABI_RLIMIT_RESOURCES_RLIMIT_NOFILE);
	X_INT("res", 0);
	X_INT("cur", nofile);
	X_INT("max", rl.rlim_max);
	KT_CHECK(r == 0, "getrlimit: %ld", r);
	rl.rlim_cur = 100;
	rl.rlim_max = 200;
	r = SC(SYS_setrlimit, RLIMIT_NOFILE, &rl);
	fam_call(self, KSCAP_EV_SETRLIMIT_E, "setrlimit(RLIMIT_NOFILE, {100, 200})");
	E_INT("resource", ABI_RLIMIT_RESOURCES_RLIMIT_NOFILE);
	X_INT("res", 0);
	X_INT("cur", 100);
	X_INT("max", 200);
	KT_CHECK(r == 0, "setrlimit: %ld", r);
	r = SC(SYS_setrlimit, 1234, &rl);
	fam_call(self, KSCAP_EV_SETRLIMIT_E, "setrlimit(1234) = -EINVAL");
	E_INT("resource", ABI_RLIMIT_RESOURCES_RLIMIT_UNKNOWN);
	X_INT("res", -EINVAL);

	rl.rlim_cur = 150;
	memset(&old, 0x5a, sizeof(old));
	r = SC(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, &old);
	fam_call(self, KSCAP_EV_PRLIMIT_E, "prlimit(0, RLIMIT_NOFILE, {150, 200}, &old)");
	E_INT("pid", 0);
	E_INT("resource", ABI_RLIMIT_RESOURCES_RLIMIT_NOFILE);
	X_INT("res", 0);
	X_INT("newcur", 150);
	X_INT("newmax", 200);
	X_INT("oldcur", 100);
	X_INT("oldmax", 200);
	KT_CHECK(r == 0 && old.rlim_cur == 100, "prlimit: %ld", r);
	r = SC(SYS_prlimit64, self, RLIMIT_STACK, NULL, &old);
	fam_call(self, KSCAP_EV_PRLIMIT_E, "prlimit(self, RLIMIT_STACK, NULL, &old)");
	E_INT("pid", self);
	E_INT("resource", ABI_RLIMIT_RESOURCES_RLIMIT_STACK);
	X_INT("res", 0);
	X_INT("newcur", -1);	/* no new limit: -1, as the reference writes */
	X_INT("newmax", -1);
	X_INT("oldcur", old.rlim_cur);
	X_INT("oldmax", old.rlim_max);
	return 0;
}

static int child_ns(pid_t self)
{
	long r;

	r = SC(SYS_unshare, CLONE_NEWUTS);
	fam_call(self, KSCAP_EV_UNSHARE_E, "unshare(CLONE_NEWUTS)");
	E_INT("flags", O(CLONE_NEWUTS));
	X_INT("res", 0);
	KT_CHECK(r == 0, "unshare: %ld", r);
	/* Bit 0 is no clone flag (it is in the exit signal's byte). */
	r = SC(SYS_unshare, 1);
	fam_call(self, KSCAP_EV_UNSHARE_E, "unshare(1) = -EINVAL");
	E_INT("flags", 0);
	X_INT("res", -EINVAL);
	return 0;
}

static int child_pause(pid_t self)
{
	(void)self;
	for (;;)
		pause();
	return 0;
}

static void t_kill_child(void)
{
	pid_t c = (pid_t)FORK();
	long vm_kb, r;
	int st;

	KT_CHECK(c >= 0, "fork: %s", strerror(-c));
	if (!c)
		_exit(child_pause(0));
	vm_kb = fam_status_kb("VmSize");
	r = SC(SYS_kill, c, SIGKILL);
	KT_CHECK(r == 0, "kill: %ld", r);
	KT_CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		 "the paused child did not die of SIGKILL: 0x%x", st);
	fam_call(me, FORK_E, "fork of a child to kill");
	x_clone(c, me, me, parent, 0, me, me, vm_kb);
	fam_call(me, KSCAP_EV_KILL_E, "kill(child, SIGKILL)");
	E_INT("pid", c);
	E_INT("sig", SIGKILL);
	X_INT("res", 0);
	fam_one(c, KSCAP_EV_PROCEXIT_E, "the child killed by SIGKILL");
	E_INT("status", SIGKILL);
}

static void t_vfork_exec(void)
{
	static char *const av[] = { "fam_proc", "--exec-child", "x1", "two words", NULL };
	static char *const ev[] = { "FAMVAR=one", "FAMV2=two", NULL };
	static const char args[] = "fam_proc\0--exec-child\0x1\0two words";
	static const char env[] = "FAMVAR=one\0FAMV2=two";
	long vm_kb = fam_status_kb("VmSize");
	pid_t c;

	c = vfork();
	if (!c) {
		syscall(SYS_execve, exe_path, av, ev);
		_exit(127);
	}
	KT_CHECK(c > 0, "vfork: %m");
	/* The child has exec'd or died: our memory is ours again. */
	fam_one(c, VFORK_X, "vfork: the child's exit");
	x_clone(0, c, c, me, O(CLONE_VFORK) | O(CLONE_VM), c, c, vm_kb);
	fam_call(c, KSCAP_EV_EXECVE_E, "execve(%s, [fam_proc --exec-child x1 'two words'], env)",
		 exe_path);
	E_STR("filename", exe_path);
	x_execve(0, c, me, args, sizeof(args), env, sizeof(env));
	fam_one(c, KSCAP_EV_PROCEXIT_E, "the exec'd child's exit(%d)", EXEC_CHILD_STATUS);
	E_INT("status", EXEC_CHILD_STATUS << 8);
	fam_call(me, VFORK_E, "vfork in the parent");
	x_clone(c, me, me, parent, O(CLONE_VFORK) | O(CLONE_VM), me, me, vm_kb);
	fam_wait(c, EXEC_CHILD_STATUS, "the exec'd child");
}

static void t_execve_missing(void)
{
	static char *const av[] = { "nothing", NULL };
	long r;

	r = SC(SYS_execve, "/no/such/program", av, NULL);
	fam_call(me, KSCAP_EV_EXECVE_E, "execve(missing) = -ENOENT");
	E_STR("filename", "/no/such/program");
	/* What it tried to run (argv, no envp); the rest is still ours. */
	x_execve(-ENOENT, me, parent, "nothing", sizeof("nothing"), "", 0);
	KT_CHECK(r == -ENOENT, "execve missing: %ld", r);
	/* execveat names the file in its second argument. */
	r = SC(SYS_execveat, AT_FDCWD, "no-such-program", av, NULL, 0);
	fam_call(me, KSCAP_EV_EXECVE_E, "execveat(AT_FDCWD, no-such-program) = -ENOENT");
	E_STR("filename", "no-such-program");
	X_INT("res", -ENOENT);
	X_STR("exe", "nothing");
	X_EMPTY("args");
	X_INT("tid", me);
	X_STR("comm", "fam_proc");
	X_EMPTY("env");
	KT_CHECK(r == -ENOENT, "execveat missing: %ld", r);
}

static void t_clone_raw(void)
{
	long vm_kb = fam_status_kb("VmSize");
	int ptid = 0;
	long c;

	c = SC(SYS_clone, (unsigned long)(CLONE_PARENT_SETTID | SIGCHLD), 0UL, &ptid, 0UL, 0UL);
	if (!c)
		_exit(4);
	KT_CHECK(c > 0, "clone: %s", strerror((int)-c));
	fam_wait((pid_t)c, 4, "the raw clone child");
	KT_CHECK(ptid == c, "CLONE_PARENT_SETTID stored %d, not %ld", ptid, c);
	/* SIGCHLD, the exit signal, is not a flag. */
	fam_call(me, KSCAP_EV_CLONE_E, "clone(CLONE_PARENT_SETTID|SIGCHLD) in the parent");
	x_clone(c, me, me, parent, O(CLONE_PARENT_SETTID), me, me, vm_kb);
	fam_one((pid_t)c, KSCAP_EV_CLONE_X, "clone(CLONE_PARENT_SETTID): the child's exit");
	x_clone(0, (pid_t)c, (pid_t)c, me, O(CLONE_PARENT_SETTID), (pid_t)c, (pid_t)c, 0);
	fam_one((pid_t)c, KSCAP_EV_PROCEXIT_E, "the raw clone child's exit(4)");
	E_INT("status", 4 << 8);

	/* In a new pid namespace the child is 1 to itself. */
	c = SC(SYS_clone, (unsigned long)(CLONE_NEWPID | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
	if (!c)
		_exit(getpid() == 1 ? 0 : 1);
	KT_CHECK(c > 0, "clone(CLONE_NEWPID): %s", strerror((int)-c));
	fam_wait((pid_t)c, 0, "the CLONE_NEWPID child");
	fam_call(me, KSCAP_EV_CLONE_E, "clone(CLONE_NEWPID|SIGCHLD) in the parent");
	x_clone(c, me, me, parent, O(CLONE_NEWPID), me, me, vm_kb);
	fam_one((pid_t)c, KSCAP_EV_CLONE_X, "clone(CLONE_NEWPID): the child's exit");
	x_clone(0, (pid_t)c, (pid_t)c, me, O(CLONE_NEWPID) | O(CHILD_IN_PIDNS), 1, 1, 0);
	fam_one((pid_t)c, KSCAP_EV_PROCEXIT_E, "the CLONE_NEWPID child's exit(0)");
	E_INT("status", 0);
}

static pid_t thread_tid;

/* glibc's pthread_create: clone3 with these flags. */
#define THREAD_FLAGS (O(CLONE_VM) | O(CLONE_FS) | O(CLONE_FILES) | O(CLONE_SYSVSEM) | \
		      O(CLONE_SIGHAND) | O(CLONE_THREAD) | O(CLONE_SETTLS) | \
		      O(CLONE_PARENT_SETTID) | O(CLONE_CHILD_CLEARTID))

static void *thread_fn(void *arg)
{
	thread_tid = kt_gettid();
	fam_one(thread_tid, KSCAP_EV_CLONE_X, "pthread_create: the new thread's exit");
	x_clone(0, thread_tid, me, parent, THREAD_FLAGS, thread_tid, me, 0);
	return arg;
}

static void t_thread(void)
{
	pthread_t t;
	int i;

	KT_CHECK(!pthread_create(&t, NULL, thread_fn, NULL), "pthread_create failed");
	KT_CHECK(!pthread_join(t, NULL), "pthread_join failed");
	/*
	 * pthread_join returns once the kernel cleared the thread's tid,
	 * which do_exit does before the procexit tracepoint: wait until the
	 * thread is gone for good, or its procexit may come after DISABLE.
	 */
	for (i = 0; SC(SYS_tgkill, me, thread_tid, 0) == 0; i++) {
		KT_CHECK(i < 10000, "thread %d still there after 10 s", thread_tid);
		usleep(1000);
	}
	fam_call(me, KSCAP_EV_CLONE_E, "pthread_create: clone3 in the creating thread");
	x_clone(thread_tid, me, me, parent, THREAD_FLAGS, me, me, 0);
	fam_one(thread_tid, KSCAP_EV_PROCEXIT_E, "the thread's exit");
	E_INT("status", 0);
}

static void t_misc(void)
{
	int nsfd;
	long r;

	r = SC(SYS_setns, -1, 0);
	fam_call(me, KSCAP_EV_SETNS_E, "setns(-1, 0) = -EBADF");
	E_INT("fd", -1);
	E_INT("nstype", 0);
	X_INT("res", -EBADF);
	nsfd = open("/proc/self/ns/uts", O_RDONLY);
	KT_CHECK(nsfd >= 0, "open /proc/self/ns/uts: %m");
	r = SC(SYS_setns, nsfd, CLONE_NEWUTS);
	fam_call(me, KSCAP_EV_SETNS_E, "setns(our own uts ns, CLONE_NEWUTS)");
	E_INT("fd", nsfd);
	E_INT("nstype", O(CLONE_NEWUTS));
	X_INT("res", 0);
	KT_CHECK(r == 0, "setns: %ld", r);

	r = SC(SYS_seccomp, 99, 0, NULL);
	fam_call(me, KSCAP_EV_SECCOMP_E, "seccomp(99, 0, NULL) = -EINVAL");
	E_INT("op", 99);
	X_INT("res", -EINVAL);
	r = SC(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &(uint32_t){ SECCOMP_RET_KILL_PROCESS });
	fam_call(me, KSCAP_EV_SECCOMP_E, "seccomp(SECCOMP_GET_ACTION_AVAIL, KILL_PROCESS)");
	E_INT("op", SECCOMP_GET_ACTION_AVAIL);
	X_INT("res", 0);

	r = SC(SYS_kill, me, 0);
	fam_call(me, KSCAP_EV_KILL_E, "kill(self, 0)");
	E_INT("pid", me);
	E_INT("sig", 0);
	X_INT("res", 0);
	r = SC(SYS_kill, 999999, 0);
	fam_call(me, KSCAP_EV_KILL_E, "kill(999999, 0) = -ESRCH");
	E_INT("pid", 999999);
	X_INT("res", -ESRCH);
	(void)r;
}

int main(int argc, char **argv)
{
	struct fam f;

	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return EXEC_CHILD_STATUS;
	if (geteuid())
		kt_skip("needs root");
	snapshot();
	fam_init();
	fam_begin(&f);
	in_child(child_exit3, 3, "fork + exit(3)");
	in_child(child_session, 0, "setsid child");
	in_child(child_pgid, 0, "setpgid child");
	in_child(child_ids, 0, "uid/gid child");
	in_child(child_limits, 0, "rlimit child");
	in_child(child_ns, 0, "unshare child");
	t_kill_child();
	t_vfork_exec();
	t_execve_missing();
	t_clone_raw();
	t_thread();
	t_misc();
	fam_end(&f);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
