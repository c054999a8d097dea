// SPDX-License-Identifier: GPL-2.0
/*
 * argabuse: system calls with hostile arguments while capturing. Every
 * event of this process must be well formed (kt_parse: the ring's strict
 * framing, NUL-terminated strings, fixed sizes) and cut only where the
 * documented caps say:
 *   paths and strings  at most KSCAP_PATH_MAX bytes, NUL included
 *   data buffers       at most snaplen bytes
 *   args and env       at most 4096 bytes (KSCAP_ARGS_MAX/ENV_MAX)
 *   poll fd lists      at most 1024 entries (KSCAP_FDLIST_MAX), length
 *                      exactly 2 + 10 * count
 *   any event          at most KSCAP_MAX_EVENT_LEN
 * The calls: bad pointers (NULL, kernel addresses, inaccessible pages),
 * huge lengths, unterminated strings, a string running into an
 * inaccessible page, a path buffer rewritten by another thread during the
 * call, odd sockaddr families and lengths, execve with 1 MiB of arguments
 * and environment, poll with 4096 fds.
 *
 *   argabuse [SCALE]              capture and check as above
 *   argabuse --workload [SCALE]   only the calls, for another consumer
 *                                 (t/argabuse.sh: scapdump, libkscap's
 *                                 parser)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <netinet/in.h>
#include "kt.h"

#define SNAPLEN		80	/* the module's default */
#define ARGS_MAX	4096
#define FDLIST_MAX	1024
#define RACE_LEN	200

static struct kt_dev d;
static u64 tails[256];
static size_t pg;
static pid_t me, child;
static int nodev;	/* --workload: someone else consumes */

/* What the checks saw, for the closing line and the specific checks. */
static struct {
	u64 events, mine, calls;
	u64 poll_count;			/* largest fdlist count of our poll */
	int execve_ok;			/* the child's execve exit seen */
	u64 execve_args, execve_env;
	u64 longest_path;
	u64 race_paths;
} s;

static int is_str(unsigned int t)
{
	return t == KSCAP_PT_CHARBUF || t == KSCAP_PT_FSPATH || t == KSCAP_PT_FSRELPATH;
}

static void check_param(const struct kt_ev *ev, unsigned int i)
{
	const struct kscap_param_info *p = &kt_events[ev->type].params[i];
	unsigned int len = ev->plen[i];
	const char *what = kt_events[ev->type].name;

	if (is_str(p->type)) {
		KT_CHECK(len <= KSCAP_PATH_MAX, "%s.%s: string of %u bytes", what, p->name, len);
		if (len > s.longest_path && ev->tid == (u64)me)
			s.longest_path = len;
	} else if (p->type == KSCAP_PT_BYTEBUF && !strcmp(p->name, "data")) {
		KT_CHECK(len <= SNAPLEN, "%s.data: %u bytes, snaplen %d", what, len, SNAPLEN);
	} else if (p->type == KSCAP_PT_BYTEBUF &&
		   (!strcmp(p->name, "args") || !strcmp(p->name, "env"))) {
		KT_CHECK(len <= ARGS_MAX, "%s.%s: %u bytes, cap %d", what, p->name, len, ARGS_MAX);
	} else if (p->type == KSCAP_PT_FDLIST && len) {
		uint16_t n;

		KT_CHECK(len >= 2, "%s.%s: %u bytes", what, p->name, len);
		memcpy(&n, ev->pval[i], 2);
		KT_CHECK(n <= FDLIST_MAX && len == 2u + 10u * n,
			 "%s.%s: %u entries in %u bytes", what, p->name, n, len);
		if (ev->tid == (u64)me && n > s.poll_count)
			s.poll_count = n;
	} else if (p->type == KSCAP_PT_SOCKADDR || p->type == KSCAP_PT_SOCKTUPLE) {
		KT_CHECK(len <= 1 + 2 * (2 + sizeof(struct sockaddr_un)),
			 "%s.%s: %u bytes", what, p->name, len);
	}
}

/* The rewritten path may be any mix of the two writers' contents. */
static void check_race_path(const struct kt_ev *ev)
{
	const char *p = (const char *)ev->pval[2];
	unsigned int len = ev->plen[2], i;

	if (len < 6 || memcmp(p, "/tmp/", 5))
		return;
	if (p[5] != 'a' && p[5] != 'b')
		return;
	s.race_paths++;
	KT_CHECK(len <= RACE_LEN + 6, "a rewritten path of %u bytes", len);
	for (i = 5; i + 1 < len; i++)
		KT_CHECK(p[i] == 'a' || p[i] == 'b', "a rewritten path holds 0x%02x", p[i]);
}

static void on_event(const struct kt_ev *ev, void *arg __attribute__((unused)))
{
	unsigned int i;

	s.events++;
	for (i = 0; i < ev->nparams; i++)
		check_param(ev, i);
	if (ev->tid == (u64)me || ev->tid == (u64)child)
		s.mine++;
	if (ev->type == KSCAP_EV_OPENAT_X && ev->plen[2] && ev->tid == (u64)me)
		check_race_path(ev);
	if (ev->type == KSCAP_EV_EXECVE_X && child && ev->tid == (u64)child &&
	    kt_sparam(ev, 0) == 0) {
		s.execve_ok = 1;
		s.execve_args = ev->plen[2];
		s.execve_env = ev->plen[15];
	}
}

static void consume(void)
{
	unsigned int cpu;

	if (nodev)
		return;
	for (cpu = 0; cpu < d.g.ncpus; cpu++) {
		u64 h = kt_head(&d, cpu);

		kt_walk(&d, cpu, tails[cpu], h, on_event, NULL);
		tails[cpu] = h;
		kt_set_tail(&d, cpu, h);
	}
}

/* Hostile pointers to try where a string or buffer is expected. */
static char *ptrs[8];

static void setup_ptrs(void)
{
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KT_CHECK(m != MAP_FAILED, "mmap: %m");
	/* Page 0 all 'x', unterminated; page 1 inaccessible. */
	memset(m, 'x', pg);
	KT_SYS(mprotect(m + pg, pg, PROT_NONE));
	ptrs[0] = NULL;
	ptrs[1] = (char *)1;
	ptrs[2] = (char *)0xffff888000000000UL;
	ptrs[3] = (char *)0xffffffff81000000UL;
	ptrs[4] = m + pg;			/* inaccessible */
	ptrs[5] = m;				/* 4096 'x', unterminated */
	ptrs[6] = m + pg - 300;			/* 300 'x', then inaccessible */
	ptrs[7] = (char *)~0UL;
}

static void bad_pointers(u64 rounds)
{
	static const size_t lens[] = { 0, 1, 100, 1 << 20, 1UL << 30, ~0UL >> 1 };
	int null = KT_SYS(open("/dev/null", O_WRONLY));
	int zero = KT_SYS(open("/dev/zero", O_RDONLY));
	u64 r;
	unsigned int i, j;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < 8; i++) {
			char *p = ptrs[i];
			struct stat st;
			char lb[64];
			int fd;

			fd = (int)syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
			if (fd >= 0)
				close(fd);
			syscall(SYS_open, p, O_RDONLY);
			syscall(SYS_stat, p, &st);
			syscall(SYS_access, p, F_OK);
			syscall(SYS_readlink, p, lb, sizeof(lb));
			syscall(SYS_unlinkat, AT_FDCWD, p, 0);
			syscall(SYS_mkdir, p, 0700);
			syscall(SYS_rename, p, p);
			syscall(SYS_execve, p, NULL, NULL);
			syscall(SYS_stat, "/", p);
			for (j = 0; j < 6; j++) {
				/* /dev/null takes anything without reading it. */
				syscall(SYS_write, null, p, lens[j]);
				syscall(SYS_read, zero, p, lens[j] > 4096 ? 4096 : lens[j]);
				syscall(SYS_pwrite64, null, p, lens[j], 0);
			}
			s.calls += 10 + 18;
		}
		consume();
	}
	close(null);
	close(zero);
}

/* A thread rewriting the path while the main thread opens it. */
static char race_buf[RACE_LEN + 8];
static volatile int race_stop;

static void *rewriter(void *arg __attribute__((unused)))
{
	unsigned int i = 0;

	while (!race_stop) {
		size_t n = 1 + (i * 37) % RACE_LEN;
		char c = i & 1 ? 'a' : 'b';

		memset(race_buf + 5, c, RACE_LEN);
		race_buf[5 + n] = '\0';
		i++;
	}
	return NULL;
}

static void path_race(u64 rounds)
{
	pthread_t th;
	u64 i;

	memcpy(race_buf, "/tmp/", 5);
	race_buf[RACE_LEN + 5] = '\0';
	pthread_create(&th, NULL, rewriter, NULL);
	for (i = 0; i < rounds; i++) {
		int fd = open(race_buf, O_RDONLY);

		if (fd >= 0)
			close(fd);
		s.calls++;
		if (!(i % 256))
			consume();
	}
	race_stop = 1;
	pthread_join(th, NULL);
	consume();
}

static void sockaddrs(u64 rounds)
{
	static const int fams[] = { AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK,
				    AF_PACKET, 255, 0xffff };
	static const socklen_t lens[] = { 0, 1, 2, 3, 8, 16, 27, 28, 109, 110, 111, 128,
					  255, 4096 };
	static const int types[][2] = { { AF_INET, SOCK_DGRAM }, { AF_INET6, SOCK_DGRAM },
					 { AF_UNIX, SOCK_DGRAM }, { AF_INET, SOCK_STREAM } };
	unsigned char addr[4096];
	u64 r;
	unsigned int t, f, l, k;

	for (r = 0; r < rounds; r++) {
		for (t = 0; t < 4; t++) {
			int fd = socket(types[t][0], types[t][1] | SOCK_NONBLOCK, 0);

			if (fd < 0)
				continue;
			for (f = 0; f < 8; f++) {
				for (l = 0; l < 14; l++) {
					uint16_t fam = (uint16_t)fams[f];

					for (k = 0; k < sizeof(addr); k++)
						addr[k] = (unsigned char)(k * 7 + r + l);
					memcpy(addr, &fam, 2);
					connect(fd, (void *)addr, lens[l]);
					sendto(fd, "x", 1, MSG_NOSIGNAL, (void *)addr, lens[l]);
					bind(fd, (void *)addr, lens[l]);
					s.calls += 3;
				}
			}
			/* Bad pointers for the address itself. */
			for (k = 0; k < 8; k++) {
				connect(fd, (void *)ptrs[k], 16);
				sendto(fd, "x", 1, MSG_NOSIGNAL, (void *)ptrs[k], 28);
				s.calls += 2;
			}
			close(fd);
		}
		consume();
	}
}

/* execve of /bin/true with 512 KiB of arguments and 512 KiB of environment. */
static void big_execve(void)
{
	enum { N = 1000, L = 520 };
	static char strs[2 * N][L];
	static char *argv[N + 2], *envp[N + 1];
	int i, st;

	argv[0] = "true";
	for (i = 0; i < N; i++) {
		memset(strs[i], 'A' + i % 26, L - 1);
		argv[i + 1] = strs[i];
		memset(strs[N + i], 'a' + i % 26, L - 1);
		memcpy(strs[N + i], "E=", 2);
		envp[i] = strs[N + i];
	}
	child = KT_SYS(fork());
	if (!child) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	KT_SYS(waitpid(child, &st, 0));
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "execve with 1 MiB: status 0x%x", st);
	s.calls++;
	consume();
	if (nodev)
		return;
	KT_CHECK(s.execve_ok, "no execve exit event of the child with 1 MiB of args and env");
	KT_CHECK(s.execve_args > 1000 && s.execve_env > 1000,
		 "execve: args %llu, env %llu bytes: not captured up to the cap",
		 (unsigned long long)s.execve_args, (unsigned long long)s.execve_env);
}

static void many_fds_poll(void)
{
	enum { NFDS = 4096 };
	static struct pollfd fds[NFDS];
	struct rlimit rl = { NFDS + 64, NFDS + 64 };
	int base, i;

	KT_SYS(setrlimit(RLIMIT_NOFILE, &rl));
	base = KT_SYS(open("/dev/null", O_RDONLY));
	for (i = 0; i < NFDS; i++) {
		fds[i].fd = i ? KT_SYS(dup(base)) : base;
		fds[i].events = POLLIN;
	}
	KT_CHECK(poll(fds, NFDS, 0) == NFDS, "poll of %d /dev/null fds: %m", NFDS);
	/* And hostile ones: too many, a bad pointer. */
	syscall(SYS_poll, fds, 1 << 20, 0);
	poll((struct pollfd *)ptrs[4], NFDS, 0);
	poll((struct pollfd *)ptrs[2], 16, 0);
	s.calls += 4;
	consume();
	for (i = 0; i < NFDS; i++)
		close(fds[i].fd);
	if (nodev)
		return;
	/* Each list was cut at the cap, not before: the rings had room. */
	KT_CHECK(s.poll_count == FDLIST_MAX, "poll of %d fds: the largest fd list has %llu entries, want %d",
		 NFDS, (unsigned long long)s.poll_count, FDLIST_MAX);
}

int main(int argc, char **argv)
{
	u64 scale;
	struct kscap_counters c;
	unsigned int cpu;

	if (argc > 1 && !strcmp(argv[1], "--workload")) {
		nodev = 1;
		argc--;
		argv++;
	}
	scale = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;

	pg = (size_t)sysconf(_SC_PAGESIZE);
	me = kt_gettid();
	setup_ptrs();
	/* Relative paths land in an empty directory of our own. */
	mkdir("/tmp/argabuse", 0700);
	KT_SYS(chdir("/tmp/argabuse"));
	if (nodev) {
		bad_pointers(20 * scale);
		path_race(10000 * scale);
		sockaddrs(3 * scale);
		big_execve();
		many_fds_poll();
		kt_log("%llu hostile calls made", (unsigned long long)s.calls);
		return 0;
	}
	kt_open(&d);
	for (cpu = 0; cpu < d.g.ncpus && cpu < 256; cpu++)
		tails[cpu] = kt_tail(&d, cpu);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");

	bad_pointers(20 * scale);
	path_race(10000 * scale);
	sockaddrs(3 * scale);
	big_execve();
	many_fds_poll();

	kt_ioctl(&d, KSCAP_IOC_DISABLE, 0, "DISABLE");
	consume();
	kt_check_counters(&d);
	kt_stats(&d, KSCAP_ALL_CPUS, &c);
	KT_CHECK(s.race_paths > 0, "no openat of the rewritten path was captured");
	KT_CHECK(s.longest_path > 0 && s.longest_path <= KSCAP_PATH_MAX,
		 "longest captured path %llu", (unsigned long long)s.longest_path);
	kt_log("%llu hostile calls; %llu events parsed (%llu of ours), all well formed; "
	       "%llu drops, %llu faults counted; longest path %llu bytes; %llu rewritten paths; "
	       "execve args %llu env %llu bytes; poll fd list %llu entries",
	       (unsigned long long)s.calls, (unsigned long long)s.events,
	       (unsigned long long)s.mine,
	       (unsigned long long)(kt_drops_full(&c) + c.drops_toolong + c.drops_nested),
	       (unsigned long long)c.faults, (unsigned long long)s.longest_path,
	       (unsigned long long)s.race_paths, (unsigned long long)s.execve_args,
	       (unsigned long long)s.execve_env, (unsigned long long)s.poll_count);
	kt_close(&d);
	return 0;
}
