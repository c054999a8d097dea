// SPDX-License-Identifier: GPL-2.0
/*
 * workload: what the overhead benchmark times, inside the VM.
 *
 *   workload lat [-c CPU] [-r ROUNDS] [-s PERCENT | -d MS] [-x EXEC_PATH]
 *                [-o OP,OP...]
 *   workload storm [-t SECONDS] [-R CALLS_PER_S]
 *
 * lat pins itself to CPU and times batches of eight operations:
 *
 *   getppid     one getppid()
 *   openclose   open() and close() of a file in /tmp
 *   read4k      read() of 4 KiB from /dev/zero
 *   pipe        write() then read() of 64 bytes through a pipe
 *   udp         sendto() then recvfrom() of 64 bytes, 127.0.0.1 to itself
 *   poll        poll() on 4 fds, all of them ready or not, no waiting
 *   fork        fork(), the child _exit()s, waitpid()
 *   forkexec    fork(), the child execve()s EXEC_PATH, waitpid()
 *
 * A round runs one batch of each operation; the operation a round starts
 * with rotates, so slow drifts (a consumer waking up, a ring filling)
 * spread over all operations instead of landing on one. Each batch is
 * timed as a whole with CLOCK_MONOTONIC, so the clock's own cost (a
 * syscall when the guest has no usable TSC) is paid once per batch, not
 * per operation. Round 0 only warms up. For every operation it prints
 * the median over the rounds of ns per operation, with the quartiles and
 * the extremes as the spread, and the mean:
 *
 *   wl-op name=getppid iters=4000 rounds=15 median=812.3 q1=... q3=... min=... max=... mean=... faults=0.00 cfaults=0.00
 *
 * faults and cfaults are the minor page faults per operation of the
 * workload and of its children (fork: copy-on-write). At the end it
 * prints its layout (wl-layout pte_kb=N, wl-maps START-END...).
 *
 * -s scales every batch (percent; 100 is the default size). -d instead
 * sizes each operation's batch so that it lasts about MS milliseconds,
 * from the warm-up round's times: a consumer that wakes every few
 * milliseconds then lands in every batch alike, and the median carries
 * its cost instead of stepping around it.
 *
 * -o runs only the operations named (e.g. fork,forkexec), in the same
 * rotation; the others print no line. A narrower run is quicker, but the
 * named operations then run in a guest the others have not warmed.
 *
 * storm runs one child pinned to each online CPU, each calling getppid()
 * as fast as it can for SECONDS, and prints how many calls were made:
 *
 *   wl-storm cpus=2 seconds=5.000 calls=1234567 rate=0 cpu0=... cpu1=...
 *
 * -R paces each child to CALLS_PER_S (a multiple of 1000): a thousandth
 * of them, then a sleep until the next millisecond. Flat out, a slower
 * tracer sees fewer calls than a faster one; paced, every tracer that
 * can keep up faces the same rate, and drops compare at that rate. A
 * child that falls behind does not catch up in a burst (at most 10 ms of
 * debt); calls= and cpuN= say what was reached.
 *
 * Exit status 0 on success; any failed syscall ends the run with status 1
 * and a message naming it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define MAX_ROUNDS	1000
#define MAX_CPUS	64

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* Everything the operations share, set up once. */
static struct {
	const char *exec_path;
	const char *file;
	int zero;		/* /dev/zero */
	int pipe[2];
	int udp;
	struct sockaddr_in udp_addr;
	char buf[4096];
} w;

static void setup(void)
{
	socklen_t alen = sizeof(w.udp_addr);
	int fd;

	w.file = "/tmp/workload.file";
	fd = open(w.file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1 || close(fd))
		die("create /tmp/workload.file");
	w.zero = open("/dev/zero", O_RDONLY);
	if (w.zero < 0)
		die("open /dev/zero");
	if (pipe(w.pipe))
		die("pipe");
	w.udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (w.udp < 0)
		die("socket");
	memset(&w.udp_addr, 0, sizeof(w.udp_addr));
	w.udp_addr.sin_family = AF_INET;
	w.udp_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Port 0: the kernel picks one; read it back to send to ourselves. */
	if (bind(w.udp, (struct sockaddr *)&w.udp_addr, sizeof(w.udp_addr)) ||
	    getsockname(w.udp, (struct sockaddr *)&w.udp_addr, &alen))
		die("bind 127.0.0.1");
}

static void op_getppid(void)
{
	/* Through syscall(): no libc wrapper may answer from a cache. */
	syscall(SYS_getppid);
}

static void op_openclose(void)
{
	int fd = open(w.file, O_RDONLY);

	if (fd < 0 || close(fd))
		die("open/close");
}

static void op_read4k(void)
{
	if (read(w.zero, w.buf, 4096) != 4096)
		die("read /dev/zero");
}

static void op_pipe(void)
{
	if (write(w.pipe[1], w.buf, 64) != 64 || read(w.pipe[0], w.buf, 64) != 64)
		die("pipe write/read");
}

static void op_udp(void)
{
	if (sendto(w.udp, w.buf, 64, 0, (struct sockaddr *)&w.udp_addr,
		   sizeof(w.udp_addr)) != 64)
		die("sendto");
	if (recvfrom(w.udp, w.buf, 64, 0, NULL, NULL) != 64)
		die("recvfrom");
}

static void op_poll(void)
{
	/* Readable, not readable, writable, not readable: a mixed answer. */
	struct pollfd p[4] = {
		{ .fd = w.zero, .events = POLLIN },
		{ .fd = w.pipe[0], .events = POLLIN },
		{ .fd = w.pipe[1], .events = POLLOUT },
		{ .fd = w.udp, .events = POLLIN },
	};

	if (poll(p, 4, 0) != 2)
		die("poll (expected 2 ready fds)");
}

static void reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = 0;
		die("child did not exit with status 0");
	}
}

static void op_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	reap(pid);
}

static void op_forkexec(void)
{
	char *argv[] = { (char *)w.exec_path, NULL };
	char *envp[] = { NULL };
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execve(w.exec_path, argv, envp);
		_exit(127);
	}
	reap(pid);
}

static const struct op {
	const char *name;
	void (*fn)(void);
	unsigned int batch;	/* iterations per round at 100% */
} ops[] = {
	{ "getppid", op_getppid, 4000 },
	{ "openclose", op_openclose, 1000 },
	{ "read4k", op_read4k, 2000 },
	{ "pipe", op_pipe, 1000 },
	{ "udp", op_udp, 500 },
	{ "poll", op_poll, 2000 },
	{ "fork", op_fork, 40 },
	{ "forkexec", op_forkexec, 20 },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of n sorted values, interpolated between neighbours. */
static double quantile(const double *v, unsigned int n, double q)
{
	double pos = q * (n - 1);
	unsigned int i = (unsigned int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/*
 * The address-space layout fork copies: how much page table the process
 * holds (VmPTE) and where its mappings lie. Where the stack lies inside
 * its page decides how many pages parent and child write after a fork
 * (copy-on-write faults, the faults= and cfaults= fields): with address
 * randomisation this moved fork+exit between boots (run.sh's header).
 */
static void print_layout(void)
{
	char line[256];
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "VmPTE:", 6))
				printf("wl-layout pte_kb=%ld\n", atol(line + 6));
		fclose(f);
	}
	f = fopen("/proc/self/maps", "r");
	if (!f)
		return;
	printf("wl-maps");
	while (fgets(line, sizeof(line), f))
		printf(" %.*s", (int)strcspn(line, " "), line);
	printf("\n");
	fclose(f);
}

/* Which operations -o selected (all when it was not given). */
static int selected[NOPS];
static const char *only;

static void select_ops(const char *list)
{
	char *copy, *name, *save = NULL;
	unsigned int k;

	copy = strdup(list);
	if (!copy)
		die("strdup");
	for (name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < NOPS && strcmp(ops[k].name, name); k++)
			;
		if (k == NOPS) {
			fprintf(stderr, "workload: -o: no operation '%s'\n", name);
			exit(2);
		}
		selected[k] = 1;
	}
	free(copy);
}

static int run_lat(int cpu, unsigned int rounds, unsigned int percent,
		   double batch_ms)
{
	static double ns[NOPS][MAX_ROUNDS];
	unsigned int iters[NOPS], r, k, i;
	double warm[NOPS], flt[NOPS] = { 0 }, cflt[NOPS] = { 0 };

	pin(cpu);
	setup();
	for (k = 0; k < NOPS; k++) {
		iters[k] = ops[k].batch * percent / 100;
		if (!iters[k])
			iters[k] = 1;
	}
	printf("wl-info cpu=%d rounds=%u percent=%u batch_ms=%.1f ops=%zu%s%s\n",
	       cpu, rounds, percent, batch_ms, NOPS, only ? " only=" : "",
	       only ? only : "");
	fflush(stdout);
	/* Round 0 warms caches, page tables and the slab; it is not kept. */
	for (r = 0; r <= rounds; r++) {
		for (i = 0; i < NOPS; i++) {
			const struct op *op;
			struct rusage u0, u1, c0, c1;
			uint64_t t0, t1;
			unsigned int n;

			k = (r + i) % NOPS;
			if (!selected[k])
				continue;
			op = &ops[k];
			getrusage(RUSAGE_SELF, &u0);
			getrusage(RUSAGE_CHILDREN, &c0);
			t0 = now_ns();
			for (n = 0; n < iters[k]; n++)
				op->fn();
			t1 = now_ns();
			getrusage(RUSAGE_SELF, &u1);
			getrusage(RUSAGE_CHILDREN, &c1);
			if (r) {
				ns[k][r - 1] = (double)(t1 - t0) / iters[k];
				flt[k] += (double)(u1.ru_minflt - u0.ru_minflt) / iters[k];
				cflt[k] += (double)(c1.ru_minflt - c0.ru_minflt) / iters[k];
			} else {
				warm[k] = (double)(t1 - t0) / iters[k];
			}
		}
		if (r == 0 && batch_ms > 0) {
			for (k = 0; k < NOPS; k++) {
				double n = batch_ms * 1e6 / (warm[k] > 1 ? warm[k] : 1);

				iters[k] = n < 1 ? 1 : n > 1e7 ? 10000000 : (unsigned int)(n + 0.5);
			}
		}
	}
	for (k = 0; k < NOPS; k++) {
		double *v = ns[k], sum = 0;

		if (!selected[k])
			continue;
		for (r = 0; r < rounds; r++)
			sum += v[r];
		qsort(v, rounds, sizeof(v[0]), cmp_double);
		printf("wl-op name=%s iters=%u rounds=%u median=%.1f q1=%.1f q3=%.1f min=%.1f max=%.1f mean=%.1f faults=%.2f cfaults=%.2f\n",
		       ops[k].name, iters[k], rounds, quantile(v, rounds, 0.5),
		       quantile(v, rounds, 0.25), quantile(v, rounds, 0.75),
		       v[0], v[rounds - 1], sum / rounds, flt[k] / rounds,
		       cflt[k] / rounds);
	}
	print_layout();
	printf("wl-done\n");
	return 0;
}

/* Shared between the storm's children and the parent. */
struct storm {
	volatile int go;
	volatile int ready;
	volatile uint64_t deadline;
	unsigned int rate;	/* calls per second per child, 0: flat out */
	volatile uint64_t calls[MAX_CPUS];
};

/* -R: rate/1000 calls a millisecond, on absolute ticks (no drift). */
static void storm_paced(struct storm *s, int cpu)
{
	const unsigned int batch = s->rate / 1000;
	uint64_t calls = 0, next = now_ns(), t;
	struct timespec ts;
	unsigned int i;

	while (next < s->deadline) {
		for (i = 0; i < batch; i++)
			syscall(SYS_getppid);
		calls += batch;
		next += 1000000;
		t = now_ns();
		if (t > next + 10000000)
			next = t;	/* too far behind: no burst to catch up */
		if (t < next) {
			ts.tv_sec = (time_t)(next / 1000000000);
			ts.tv_nsec = (long)(next % 1000000000);
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	s->calls[cpu] = calls;
}

static void storm_child(struct storm *s, int cpu)
{
	uint64_t calls = 0;
	unsigned int i;

	pin(cpu);
	__sync_fetch_and_add(&s->ready, 1);
	while (!s->go)
		;
	if (s->rate) {
		storm_paced(s, cpu);
		_exit(0);
	}
	/* The clock is read once per 1000 calls: it may be a syscall too. */
	do {
		for (i = 0; i < 1000; i++)
			syscall(SYS_getppid);
		calls += 1000;
	} while (now_ns() < s->deadline);
	s->calls[cpu] = calls;
	_exit(0);
}

static int run_storm(double seconds, unsigned int rate)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t pids[MAX_CPUS];
	struct storm *s;
	uint64_t t0, t1, total = 0;
	int cpu;

	if (ncpu < 1 || ncpu > MAX_CPUS) {
		errno = ERANGE;
		die("number of CPUs");
	}
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		die("mmap");
	s->rate = rate;
	for (cpu = 0; cpu < ncpu; cpu++) {
		pids[cpu] = fork();
		if (pids[cpu] < 0)
			die("fork");
		if (pids[cpu] == 0)
			storm_child(s, cpu);
	}
	while (s->ready < ncpu)
		sched_yield();
	t0 = now_ns();
	s->deadline = t0 + (uint64_t)(seconds * 1e9);
	__sync_synchronize();
	s->go = 1;
	for (cpu = 0; cpu < ncpu; cpu++)
		reap(pids[cpu]);
	t1 = now_ns();
	for (cpu = 0; cpu < ncpu; cpu++)
		total += s->calls[cpu];
	printf("wl-storm cpus=%ld seconds=%.3f calls=%llu rate=%u", ncpu,
	       (double)(t1 - t0) / 1e9, (unsigned long long)total, rate);
	for (cpu = 0; cpu < ncpu; cpu++)
		printf(" cpu%d=%llu", cpu, (unsigned long long)s->calls[cpu]);
	printf("\n");
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: workload lat [-c CPU] [-r ROUNDS] [-s PERCENT | -d MS] [-x EXEC_PATH]\n"
		"                    [-o OP,OP...]\n"
		"       workload storm [-t SECONDS] [-R CALLS_PER_S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int rounds = 15, percent = 100, rate = 0;
	double seconds = 5, batch_ms = 0;
	int cpu = 0, c;
	const char *mode;

	if (argc < 2)
		usage();
	mode = argv[1];
	argv++;
	argc--;
	w.exec_path = "/bench/exit0";
	while ((c = getopt(argc, argv, "c:d:o:r:R:s:t:x:")) != -1) {
		switch (c) {
		case 'c': cpu = atoi(optarg); break;
		case 'd': batch_ms = atof(optarg); break;
		case 'o': only = optarg; break;
		case 'r': rounds = (unsigned int)atoi(optarg); break;
		case 'R': rate = (unsigned int)atoi(optarg); break;
		case 's': percent = (unsigned int)atoi(optarg); break;
		case 't': seconds = atof(optarg); break;
		case 'x': w.exec_path = optarg; break;
		default: usage();
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || percent < 1 || seconds <= 0 ||
	    batch_ms < 0 || rate % 1000)
		usage();
	if (only) {
		select_ops(only);
	} else {
		for (c = 0; c < (int)NOPS; c++)
			selected[c] = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "lat"))
		return run_lat(cpu, rounds, percent, batch_ms);
	if (!strcmp(mode, "storm"))
		return run_storm(seconds, rate);
	usage();
	return 2;
}
