// SPDX-License-Identifier: MIT
/*
 * scapdump: stream the events kscap captures (or a capture file holds),
 * one line each, as text or JSON; save them to a capture file; or sum
 * them up per syscall.
 *
 * Exit status: 0 success, 1 runtime error, 2 usage or environment error
 * (bad option, no module, busy device, unreadable file).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kscap/libkscap.h"
#include "fleet.h"
#include "latency.h"
#include "number.h"
#include "output.h"
#include "summary.h"
#include "summary_raw.h"
#include "top.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

struct opts {
	bool json, list, summary, top, follow;
	bool include_self;	/* --include-self: live, keep scapdump's own events */
	const char *write_file, *read_file, *device;
	unsigned int arch;	/* --arch: the syscall numbering to name (0: the file's or host's) */
	uint64_t count;		/* stop after this many events; 0: never */
	unsigned int snaplen;	/* 0: the module's default */
	struct fleet_opts fleet;	/* --publish, --subscribe */
};

/* -w live: events taken from the rings at a time, and CPUs remembered */
#define RAW_BATCH	256
#define RAW_SEEN	64

struct run {
	const struct opts *o;
	struct kscap_filter *filter;
	struct kscap_threads *threads;
	struct latency *lat;
	struct summary *sum;
	struct top *top;
	struct kscap_writer *writer;
	struct publisher *pub;	/* --publish: the writer's events go there */
	const char *host;	/* --subscribe: the host of the event */
	uint64_t shown;		/* events that passed the filter */
	uint64_t unwritten;	/* events too large for a capture block (-w, --publish) */
	uint64_t pub_dropped;	/* the publisher's final count, once closed */
	int64_t self_pid;	/* live: this process, whose events are left out
				 * (0: none are, -r, --subscribe, --include-self) */
	uint64_t self_left;	/* events of this process left out */
	bool raw;		/* -w live: events copied undecoded (live_step) */
	int64_t seen_tid[RAW_SEEN];	/* raw: per CPU (mod RAW_SEEN), the last
					 * thread looked up */
	uint64_t top_due;	/* raw --top: the event time it next looks at */
	int8_t raw_match[KSCAP_EV_MAX];	/* raw: kscap_filter_match_type() */
	bool stdout_gone;	/* the reader of a pipe went away */
	bool writer_failed;	/* the file's error was reported (the writer
				 * keeps returning it, until its close) */
	int status;		/* exit status so far */
	bool done;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fputs(
"Usage: scapdump [OPTION]...\n"
"Stream the system call events the kscap module captures, one per line.\n"
"\n"
"Source and output:\n"
"  -r, --read FILE        read events from a capture file instead of the device\n"
"                         ('-': standard input)\n"
"  -w, --write FILE       write events to a capture file (scap format) instead\n"
"                         of printing them\n"
"  -j, --json             print JSON lines (num, ts, cpu, pid, tid, comm, dir,\n"
"                         type, params; ret, error, latency_ns on exits);\n"
"                         not with -w or --summary\n"
"      --summary          print per-syscall statistics at the end instead of\n"
"                         the events (calls, errors, latency, errno values)\n"
"      --top              show those statistics live, refreshed every second\n"
"                         (with -r, the file replayed at its recorded pace)\n"
"  -n, --count N          stop after N events\n"
"  -s, --snaplen BYTES    bytes of data buffers to capture (1-65535)\n"
"  -L, --list             print the event table and exit; with --arch, the\n"
"                         syscalls of that architecture and their events\n"
"      --arch ARCH        name syscall numbers as on ARCH (x86_64, arm64);\n"
"                         default: the capture file's, live: this machine's\n"
"      --device PATH      the device to open (default /dev/kscap)\n"
"      --include-self     live: keep the events of scapdump itself (left out\n"
"                         by default, and counted at the end)\n"
"\n"
"Filters (repeat an option to accept several values):\n"
"  -p, --pid PID          events of process PID\n"
"  -f, --follow           with -p or -t, also the processes and threads they\n"
"                         created (descendants)\n"
"  -t, --tid TID          events of thread TID\n"
"  -c, --comm COMM        events of threads whose command matches COMM (glob)\n"
"  -e, --events LIST      event or syscall names, comma separated\n"
"  -d, --dir DIR          enter or exit events only ('>', '<', enter, exit)\n"
"      --failed           failed system calls only\n"
"      --category CAT     one category (file, net, ipc, memory, process,\n"
"                         signal, io_read, io_write, ..., or io, fs, mem,\n"
"                         proc, sig)\n"
"      --default-set      only the events of the default set\n"
"\n"
"Fleet (NATS JetStream; see scapdump(8)):\n"
"      --publish nats://HOST:PORT/SUBJECT\n"
"                         send the events (live or -r) and the state naming\n"
"                         them to the stream of SUBJECT, on SUBJECT.HOSTNAME\n"
"      --subscribe nats://HOST:PORT/SUBJECT[.HOST]\n"
"                         read them back (durable: resumes where it stopped),\n"
"                         hosts merged in time order; options as with -r\n"
"      --host NAME        with --subscribe: events of host NAME only\n"
"      --nats-host NAME   with --publish: the host name in the subject\n"
"      --nats-creds FILE  credentials file (JWT and NKey seed)\n"
"      --nats-tls-ca FILE, --nats-tls-cert FILE, --nats-tls-key FILE\n"
"                         TLS: trusted CA; client certificate and key\n"
"      --nats-buffer BYTES  batches held while the server lags (default\n"
"                         64 MiB); beyond, batches are dropped and counted\n"
"      --nats-durable NAME  consumer name (default from the subject)\n"
"      --nats-wait SEC    with --subscribe: stop after SEC s without a message\n"
"\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 success, 1 runtime error, 2 usage or environment error.\n",
		out);
}

/* One line on stderr, and the usage exit status. */
static int usage_error(const char *fmt, const char *arg)
{
	fputs("scapdump: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see scapdump --help)\n", stderr);
	return EXIT_USAGE;
}

enum {
	OPT_SUMMARY = 0x100, OPT_TOP, OPT_FAILED, OPT_CATEGORY, OPT_DEFAULT_SET, OPT_DEVICE,
	OPT_ARCH, OPT_INCLUDE_SELF,
	OPT_PUBLISH = 0x200, OPT_SUBSCRIBE, OPT_HOST, OPT_NATS_HOST, OPT_NATS_CREDS,
	OPT_NATS_CA, OPT_NATS_CERT, OPT_NATS_KEY, OPT_NATS_BUFFER, OPT_NATS_DURABLE,
	OPT_NATS_WAIT,
};

static const struct option long_opts[] = {
	{ "read", required_argument, NULL, 'r' },
	{ "write", required_argument, NULL, 'w' },
	{ "json", no_argument, NULL, 'j' },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "top", no_argument, NULL, OPT_TOP },
	{ "count", required_argument, NULL, 'n' },
	{ "snaplen", required_argument, NULL, 's' },
	{ "list", no_argument, NULL, 'L' },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "include-self", no_argument, NULL, OPT_INCLUDE_SELF },
	{ "pid", required_argument, NULL, 'p' },
	{ "follow", no_argument, NULL, 'f' },
	{ "tid", required_argument, NULL, 't' },
	{ "comm", required_argument, NULL, 'c' },
	{ "events", required_argument, NULL, 'e' },
	{ "dir", required_argument, NULL, 'd' },
	{ "failed", no_argument, NULL, OPT_FAILED },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "default-set", no_argument, NULL, OPT_DEFAULT_SET },
	{ "publish", required_argument, NULL, OPT_PUBLISH },
	{ "subscribe", required_argument, NULL, OPT_SUBSCRIBE },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "nats-host", required_argument, NULL, OPT_NATS_HOST },
	{ "nats-creds", required_argument, NULL, OPT_NATS_CREDS },
	{ "nats-tls-ca", required_argument, NULL, OPT_NATS_CA },
	{ "nats-tls-cert", required_argument, NULL, OPT_NATS_CERT },
	{ "nats-tls-key", required_argument, NULL, OPT_NATS_KEY },
	{ "nats-buffer", required_argument, NULL, OPT_NATS_BUFFER },
	{ "nats-durable", required_argument, NULL, OPT_NATS_DURABLE },
	{ "nats-wait", required_argument, NULL, OPT_NATS_WAIT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The option getopt stopped at, as the user wrote it. */
static const char *opt_name(char **argv, int opt)
{
	static char buf[3];
	const char *arg = argv[optind - 1];

	if (!strncmp(arg, "--", 2) || opt <= 0 || opt > 0xff)
		return arg;
	buf[0] = '-';
	buf[1] = (char)opt;
	return buf;
}

/* Whether @in and @out ("-": stdin, stdout) are one and the same file. */
static bool same_file(const char *in, const char *out)
{
	struct stat a, b;

	if ((strcmp(in, "-") ? stat(in, &a) : fstat(STDIN_FILENO, &a)) ||
	    (strcmp(out, "-") ? stat(out, &b) : fstat(STDOUT_FILENO, &b)))
		return false;	/* an output that does not exist yet is new */
	return S_ISREG(a.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* A fleet option; -1 to go on, else the exit status. */
static int parse_fleet(int c, const char *arg, struct fleet_opts *fo)
{
	switch (c) {
	case OPT_PUBLISH:
		fo->publish = arg;
		break;
	case OPT_SUBSCRIBE:
		fo->subscribe = arg;
		break;
	case OPT_HOST:
		if (fo->nhosts == sizeof(fo->hosts) / sizeof(fo->hosts[0]))
			return usage_error("too many --host options%s", "");
		fo->hosts[fo->nhosts++] = arg;
		break;
	case OPT_NATS_HOST:
		fo->host = arg;
		break;
	case OPT_NATS_CREDS:
		fo->creds = arg;
		break;
	case OPT_NATS_CA:
		fo->tls_ca = arg;
		break;
	case OPT_NATS_CERT:
		fo->tls_cert = arg;
		break;
	case OPT_NATS_KEY:
		fo->tls_key = arg;
		break;
	case OPT_NATS_BUFFER:
		if (parse_uint(arg, UINT64_MAX, &fo->buffer) || fo->buffer < (1U << 20))
			return usage_error("invalid buffer size '%s' (bytes, at least 1048576)", arg);
		break;
	case OPT_NATS_DURABLE:
		fo->durable = arg;
		break;
	case OPT_NATS_WAIT:
		if (parse_uint(arg, 86400, &fo->wait_s) || !fo->wait_s)
			return usage_error("invalid wait '%s' (1-86400 seconds)", arg);
		break;
	}
	return -1;
}

/* What goes with --publish and --subscribe; -1 if all is well. */
static int check_fleet(const struct opts *o)
{
	const struct fleet_opts *fo = &o->fleet;

	if ((fo->publish || fo->subscribe) && !fleet_available)
		return usage_error("this scapdump was built without NATS support%s", "");
	if (fo->publish && fo->subscribe)
		return usage_error("--publish and --subscribe go separately%s", "");
	if (fo->publish && (o->write_file || o->json || o->summary))
		return usage_error("--publish prints nothing: not with %s",
				   o->write_file ? "-w" : o->json ? "-j" : "--summary");
	if (fo->subscribe && (o->read_file || o->snaplen))
		return usage_error("--subscribe reads a stream: not with %s",
				   o->read_file ? "-r" : "-s");
	if (fo->nhosts && !fo->subscribe)
		return usage_error("--host goes with --subscribe%s", "");
	if ((fo->host && !fo->publish) || (fo->wait_s && !fo->subscribe))
		return usage_error("%s", fo->host ? "--nats-host goes with --publish" :
				   "--nats-wait goes with --subscribe");
	if ((fo->tls_cert != NULL) != (fo->tls_key != NULL))
		return usage_error("--nats-tls-cert and --nats-tls-key go together%s", "");
	return -1;
}

/* Parse the command line; -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct opts *o, struct kscap_filter *f)
{
	uint64_t pids[64], tids[64], v;
	size_t npids = 0, ntids = 0, i;
	int c;

	opterr = 0;	/* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":r:w:jn:s:Lp:ft:c:e:d:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->read_file = optarg;
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case OPT_TOP:
			o->top = true;
			break;
		case 'n':
			if (parse_uint(optarg, UINT64_MAX, &o->count) || !o->count)
				return usage_error("invalid count '%s' (a positive number)", optarg);
			break;
		case 's':
			if (parse_uint(optarg, KSCAP_SNAPLEN_MAX, &v) || !v)
				return usage_error("invalid snaplen '%s' (1-65535)", optarg);
			o->snaplen = (unsigned int)v;
			break;
		case 'L':
			o->list = true;
			break;
		case OPT_DEVICE:
			o->device = optarg;
			break;
		case OPT_INCLUDE_SELF:
			o->include_self = true;
			break;
		case OPT_ARCH:
			v = (uint64_t)kscap_arch_by_name(optarg);
			if ((int)v < 0)
				return usage_error("unknown architecture '%s' (x86_64, arm64)", optarg);
			o->arch = (unsigned int)v;
			break;
		case 'p':
			if (parse_uint(optarg, INT32_MAX, &v))
				return usage_error("invalid pid '%s' (0-2147483647)", optarg);
			if (npids == sizeof(pids) / sizeof(pids[0]))
				return usage_error("too many -p options%s", "");
			pids[npids++] = v;
			break;
		case 'f':
			o->follow = true;
			break;
		case 't':
			if (parse_uint(optarg, INT32_MAX, &v))
				return usage_error("invalid tid '%s' (0-2147483647)", optarg);
			if (ntids == sizeof(tids) / sizeof(tids[0]))
				return usage_error("too many -t options%s", "");
			tids[ntids++] = v;
			break;
		case 'c':
			if (kscap_filter_comm(f, optarg))
				return usage_error("%s", kscap_last_error());
			break;
		case 'e':
			if (kscap_filter_events(f, optarg))
				return usage_error("%s", kscap_last_error());
			break;
		case 'd':
			if (!strcmp(optarg, ">") || !strcmp(optarg, "enter"))
				kscap_filter_dir(f, '>');
			else if (!strcmp(optarg, "<") || !strcmp(optarg, "exit"))
				kscap_filter_dir(f, '<');
			else
				return usage_error("invalid direction '%s' (>, <, enter, exit)", optarg);
			break;
		case OPT_FAILED:
			kscap_filter_failed(f);
			break;
		case OPT_CATEGORY:
			if (kscap_filter_category(f, optarg))
				return usage_error("%s", kscap_last_error());
			break;
		case OPT_DEFAULT_SET:
			kscap_filter_default_set(f);
			break;
		case OPT_PUBLISH ... OPT_NATS_WAIT: {
			int st = parse_fleet(c, optarg, &o->fleet);

			if (st >= 0)
				return st;
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("scapdump (kscap) %d.%d, libkscap %u.%u, ABI %d.%d\n",
			       LIBKSCAP_VERSION_MAJOR, LIBKSCAP_VERSION_MINOR,
			       kscap_version() >> 16, kscap_version() & 0xffff,
			       KSCAP_ABI_VERSION_MAJOR, KSCAP_ABI_VERSION_MINOR);
			return 0;
		case ':':
			return usage_error("option '%s' needs an argument", opt_name(argv, optopt));
		default:
			return usage_error("unknown option '%s'", opt_name(argv, optopt));
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (check_fleet(o) >= 0)
		return EXIT_USAGE;
	if (o->follow && !npids && !ntids)
		return usage_error("--follow needs -p PID or -t TID%s", "");
	if (o->read_file && o->snaplen)
		return usage_error("-s applies to live captures, not to -r %s", o->read_file);
	if (o->include_self && (o->read_file || o->fleet.subscribe))
		return usage_error("--include-self applies to live captures, not to %s",
				   o->read_file ? "-r" : "--subscribe");
	/* -j and --summary choose what is printed; -w prints nothing */
	if (o->json && (o->write_file || o->summary))
		return usage_error("-j does not go with %s", o->write_file ? "-w" : "--summary");
	if (o->top && (o->json || o->summary || o->write_file))
		return usage_error("--top does not go with %s",
				   o->json ? "-j" : o->summary ? "--summary" : "-w");
	if (o->read_file && o->write_file && same_file(o->read_file, o->write_file))
		return usage_error("-r and -w name the same file '%s': writing would destroy it",
				   o->write_file);
	for (i = 0; i < npids; i++)
		if (kscap_filter_pid(f, (int64_t)pids[i], o->follow))
			return usage_error("%s", kscap_last_error());
	for (i = 0; i < ntids; i++)
		if (kscap_filter_tid(f, (int64_t)tids[i], o->follow))
			return usage_error("%s", kscap_last_error());
	return -1;
}

/* A capture file error, naming the file (the library's write errors
 * do not). */
static void writer_error(struct run *r)
{
	const char *msg = kscap_last_error();
	const char *name = strcmp(r->o->write_file, "-") ? r->o->write_file : "stdout";
	size_t n = strlen(r->o->write_file);

	if (r->writer_failed)
		return;	/* once: a full disk is one line, not one per attempt */
	r->writer_failed = true;
	if (!strncmp(msg, r->o->write_file, n) && msg[n] == ':')
		fprintf(stderr, "scapdump: %s\n", msg);
	else
		fprintf(stderr, "scapdump: %s: %s\n", name, msg);
}

/* A thread that started after the /proc scan: look it up at first
 * sight, as long as it may still be there (live capture only). Returns
 * the thread, NULL if it is not known (gone already). */
static const struct kscap_thread *first_sight(struct run *r, int64_t tid)
{
	const struct kscap_thread *th = kscap_threads_find(r->threads, tid);
	int found;

	if (th)
		return th;
	found = kscap_threads_scan_tid(r->threads, NULL, tid);
	if (found < 0)
		fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
	if (found <= 0)
		return NULL;
	th = kscap_threads_find(r->threads, tid);
	/* -w, --publish: readers learn it there too */
	if (r->writer && kscap_writer_thread(r->writer, th))
		fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
	return th;
}

/*
 * Whether @th is a thread of this scapdump (its main thread, the
 * publisher's, any other), whose events are left out live: printing or
 * writing them makes more of them. The header has the thread only; its
 * thread group comes from the table, which first_sight() filled from
 * /proc (a thread started late is looked up there too). The raw paths
 * ask only for a thread they look up anyway: their runs (the thread
 * last seen) never hold one of ours, so the common case pays nothing.
 */
static inline bool own_thread(struct run *r, const struct kscap_thread *th)
{
	if (__builtin_expect(th && th->pid == r->self_pid, 0)) {
		r->self_left++;
		return true;
	}
	return false;
}

/* Everything one event goes through. */

static void handle(struct run *r, const struct kscap_evt *evt, unsigned int cpu)
{
	struct out_event e = { .cpu = cpu, .evt = evt, .host = r->host };
	bool own = !r->o->read_file && !r->o->fleet.subscribe &&
		   own_thread(r, first_sight(r, (int64_t)evt->tid));

	/* the table learns from our own events too: a thread of ours that
	 * ended must not stay there, or the next one given its tid would
	 * be taken for ours */
	if (kscap_threads_update(r->threads, evt) < 0) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		goto fail;
	}
	if (own)
		return;
	/* Latencies are shown in JSON and the summary only. */
	if (r->o->json || r->sum)
		e.has_lat = latency_feed(r->lat, evt, &e.lat_ns);
	if (!kscap_filter_match(r->filter, evt, r->threads))
		return;
	e.num = ++r->shown;
	e.th = kscap_threads_find(r->threads, (int64_t)evt->tid);
	e.name = kscap_threads_evt_name(r->threads, evt);
	if (r->writer) {
		int rc = kscap_writer_write(r->writer, evt, cpu);

		if (rc == -E2BIG) {
			fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
			r->unwritten++;
		} else if (rc) {
			writer_error(r);
			goto fail;
		}
		if (r->pub)
			publisher_tick(r->pub, r->writer, r->threads);
	}
	if (r->sum && summary_add_named(r->sum, evt, e.name, e.has_lat, e.lat_ns)) {
		fputs("scapdump: out of memory\n", stderr);
		goto fail;
	}
	if (r->top && top_event(r->top, &e))
		r->done = true;
	if (!r->writer && !r->sum &&
	    (r->o->json ? print_json(stdout, &e) : print_text(stdout, &e))) {
		/* a closed pipe (scapdump | head) is the reader's choice */
		r->stdout_gone = errno == EPIPE;
		if (errno != EPIPE) {
			fprintf(stderr, "scapdump: stdout: %s\n", strerror(errno));
			r->status = EXIT_RUNTIME;
		}
		r->done = true;
		return;
	}
	if (r->o->count && r->shown >= r->o->count)
		r->done = true;
	return;
fail:
	r->status = EXIT_RUNTIME;
	r->done = true;
}

static int open_writer(struct run *r)
{
	if (r->o->fleet.publish) {
		int rc = publisher_open(&r->o->fleet, &r->pub);

		if (!rc && (publisher_state(r->pub, r->threads, r->o->read_file ? NULL : "/proc") ||
			    publisher_writer(r->pub, &r->writer)))
			rc = EXIT_RUNTIME;
		return rc;
	}
	if (!r->o->write_file)
		return 0;
	/* A live capture starts from the state of the machine; a file
	 * written again keeps its threads, not this machine's fds. */
	if ((r->o->read_file || r->o->fleet.subscribe ?
	     kscap_writer_open(r->o->write_file, r->threads, &r->writer) :
	     kscap_writer_open_state(r->o->write_file, r->threads, NULL, &r->writer))) {
		writer_error(r);
		return EXIT_USAGE;
	}
	return 0;
}

/* What the file held that this scapdump does not know: stepped over. */
static void report_skipped(const struct kscap_reader *rd)
{
	struct kscap_reader_counts c;

	kscap_reader_counts(rd, &c);
	if (!c.unknown_events && !c.big_events && !c.unknown_blocks && !c.appended)
		return;
	fprintf(stderr, "scapdump: %" PRIu64 " events read (%" PRIu64 " with parameters"
		" unknown here, kept raw); skipped: %" PRIu64 " events of unknown types, %" PRIu64
		" events with parameters over 64 KiB, %" PRIu64 " blocks of unknown types\n",
		c.events, c.appended, c.unknown_events, c.big_events, c.unknown_blocks);
}

static int run_file(struct run *r)
{
	struct kscap_reader *rd;
	struct kscap_evt evt;
	unsigned int cpu;
	int rc;

	if (kscap_reader_open(r->o->read_file, &rd)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		return EXIT_USAGE;
	}
	/* the reader names the file's syscalls; --arch overrides it */
	if (r->o->arch)
		kscap_set_syscall_arch(r->o->arch);
	r->threads = kscap_reader_threads(rd);
	rc = open_writer(r);
	while (!rc && !r->done && !stop_requested) {
		rc = kscap_reader_next(rd, &evt, &cpu);
		if (rc <= 0)
			break;
		rc = 0;
		handle(r, &evt, cpu);
	}
	/* A signal that interrupts a read from a pipe is a stop, not an error. */
	if (rc < 0 && !stop_requested) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		rc = EXIT_RUNTIME;
	} else if (rc < 0) {
		rc = 0;
	}
	report_skipped(rd);
	r->threads = NULL;	/* the reader's */
	kscap_reader_close(rd);
	return rc;
}

static void print_stats(struct kscap *h, const struct run *r)
{
	struct kscap_counters c;
	uint64_t full;

	if (kscap_get_stats(h, KSCAP_ALL_CPUS, &c)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		return;
	}
	full = kscap_drops_full(&c);
	fprintf(stderr, "scapdump: %llu events captured, %llu dropped"
		" (ring full %llu, nested %llu, too long %llu), %llu shown",
		(unsigned long long)c.written,
		(unsigned long long)kscap_drops_lost(&c),
		(unsigned long long)full, (unsigned long long)c.drops_nested,
		(unsigned long long)c.drops_toolong, (unsigned long long)r->shown);
	/* not shown, and not lost either: said so (--include-self keeps them) */
	if (!r->o->include_self)
		fprintf(stderr, ", %" PRIu64 " of scapdump itself left out", r->self_left);
	fputc('\n', stderr);
	if (c.truncated)
		fprintf(stderr, "scapdump: %llu values cut at their cap (path, snaplen)\n",
			(unsigned long long)c.truncated);
	if (kscap_corrupt_count(h))
		fprintf(stderr, "scapdump: %" PRIu64 " corrupt ring reads skipped\n",
			kscap_corrupt_count(h));
	if (r->unwritten)
		fprintf(stderr, "scapdump: %" PRIu64 " events too large to write, dropped\n",
			r->unwritten);
}

/*
 * What we read and then lost (too large to write, the publisher's drops),
 * told to the module so that `scapctl stats` shows it (ABI 1.3). A store
 * to shared memory: cheap, but the publisher's count takes its lock, so
 * not for every event. An older module cannot show it: nothing to do.
 */
static void report_drops(const struct run *r, struct kscap *h)
{
	struct kscap_consumer_drops d = { .events = r->unwritten };

	d.events += r->pub ? publisher_dropped(r->pub) : r->pub_dropped;
	(void)kscap_report_drops(h, &d);
}

/* --publish: close it while the device is open, so that the module
 * hears of the events left unsent at exit too. */
static int close_publisher(struct run *r, struct kscap *h)
{
	int rc = 0;

	if (!r->pub)
		return 0;
	if (publisher_close(r->pub, r->writer, &r->pub_dropped))
		rc = EXIT_RUNTIME;
	r->pub = NULL;
	r->writer = NULL;	/* closed with the publisher */
	report_drops(r, h);
	return rc;
}

static int live_setup(struct run *r, struct kscap *h)
{
	unsigned int flags = r->o->json || r->o->summary || r->o->top ? KSCAP_PUSH_KEEP_ENTER : 0;
	uint64_t wakeup = kscap_geometry(h)->ring_size / 16;

	if (r->o->snaplen && kscap_set_snaplen(h, r->o->snaplen))
		return -1;
	if (kscap_filter_push(r->filter, h, flags))
		return -1;
	/* Wake up for batches, not for every event; the module's timer
	 * still delivers a trickle within milliseconds. */
	if (kscap_set_wakeup(h, (unsigned int)(wakeup > 65536 ? 65536 : wakeup ? wakeup : 1)))
		fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
	return 0;
}

/*
 * -w with nothing to show, sum or publish: the events are in the file's
 * format already, so they go from the rings to the writer's buffer as
 * they are. Only what the thread table learns from (clone, execve,
 * procexit) and what the filter cannot judge by type is decoded.
 */
static bool raw_capable(const struct run *r)
{
	return r->writer && !r->pub && !r->sum && !r->top && !r->o->json &&
	       !r->o->read_file && !r->o->fleet.subscribe;
}

/* Raw: no thread looked up yet (and after the table changed). */
static void raw_forget(struct run *r)
{
	unsigned int i;

	for (i = 0; i < RAW_SEEN; i++)
		r->seen_tid[i] = -1;
	/* --summary, --top: the threads at hand in the latency table too */
	if (r->lat)
		r->lat->last = r->lat->prev = &r->lat->none;
}

/* --summary and --top, live: they too take most events raw. */
static bool stats_raw_capable(const struct run *r)
{
	return r->sum && !r->writer && !r->pub && !r->o->json &&
	       !r->o->read_file && !r->o->fleet.subscribe;
}

/* Whether events go the raw way, and what the filter says of each type. */
static void raw_start(struct run *r)
{
	unsigned int t;

	r->raw = raw_capable(r) || stats_raw_capable(r);
	raw_forget(r);
	if (r->raw && r->top)
		top_count(r->top, &r->shown);
	for (t = 0; r->raw && t < KSCAP_EV_MAX; t++)
		r->raw_match[t] = (int8_t)kscap_filter_match_type(r->filter, t);
}

/* A run of undecoded events that passed, into the file. */
static void raw_write(struct run *r, const struct kscap_evt_hdr *const *evs,
		      const unsigned int *cpus, unsigned int n)
{
	int rc;

	if (!n)
		return;
	r->shown += n;
	rc = kscap_writer_write_raw_batch(r->writer, evs, cpus, n);
	if (rc > 0) {
		fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
		r->unwritten += (uint64_t)rc;
	} else if (rc < 0) {
		writer_error(r);
		r->status = EXIT_RUNTIME;
		r->done = true;
	}
}

/*
 * An exit summary_feed_raw() left (a failure, a result to decode, a
 * row not made yet): counted, and a failure's bytes copied for --top
 * (its detail view makes the line when shown). Only a result the header
 * cannot tell (bpf's) is decoded into @evt.
 */
static __attribute__((noinline)) void stats_raw_exit(struct run *r,
						     const struct kscap_evt_hdr *hdr,
						     unsigned int cpu,
						     const struct latency_ev *enter,
						     int has_lat, uint64_t lat_ns,
						     struct kscap_evt *evt)
{
	struct summary_exit x;

	if (summary_add_raw(r->sum, hdr, enter, has_lat, lat_ns, evt, &x)) {
		fputs("scapdump: out of memory\n", stderr);
		r->status = EXIT_RUNTIME;
		r->done = true;
		return;
	}
	if (r->top && x.err) {
		struct out_event e = { .num = r->shown, .cpu = cpu,
			.th = kscap_threads_find(r->threads, (int64_t)hdr->tid) };

		top_record_failure_raw(r->top, x.name, hdr, hdr->len, &e);
	}
}

/* An event the raw way cannot judge by its type: decoded, then handled. */
static void handle_decoded(struct run *r, const struct kscap_evt_hdr *hdr, unsigned int cpu,
			   struct kscap_evt *evt)
{
	if (kscap_evt_parse(hdr, hdr->len, evt)) {
		/* as kscap_next() does: reported, skipped */
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		return;
	}
	handle(r, evt, cpu);
	/* the table may have changed (a thread gone, one added) */
	raw_forget(r);
}

/*
 * A batch of live events the raw way: the same steps as handle() takes
 * for each, but runs of events that only need copying (their type passes,
 * their thread is the one last looked up on their CPU) go to the writer
 * in one call. Events that feed the thread table are decoded in turn.
 */
static int live_step_raw(struct run *r, struct kscap *h, struct kscap_evt *evt)
{
	const struct kscap_evt_hdr *evs[RAW_BATCH];
	unsigned int cpus[RAW_BATCH], max = RAW_BATCH, start = 0, i;
	int n;

	if (r->o->count && r->o->count - r->shown < max)
		max = (unsigned int)(r->o->count - r->shown);
	n = kscap_next_raw_batch(h, evs, cpus, max);
	if (n <= 0)
		return n;
	for (i = 0; i < (unsigned int)n && !r->done; i++) {
		const struct kscap_evt_hdr *hdr = evs[i];
		int64_t tid = (int64_t)hdr->tid, *seen = &r->seen_tid[cpus[i] % RAW_SEEN];
		/* (kscap_next_raw_batch() checked that the type exists) */
		int match = r->raw_match[hdr->type];

		if (match > 0 && tid == *seen)
			continue;	/* goes with the run */
		raw_write(r, evs + start, cpus + start, i - start);
		start = i + 1;
		if (r->done)
			break;
		if (match >= 0) {
			if (own_thread(r, first_sight(r, tid)))
				continue;	/* not in a run: never seen */
			*seen = tid;
			if (match)
				start = i;	/* a new run */
			continue;
		}
		handle_decoded(r, hdr, cpus[i], evt);
	}
	if (!r->done)
		raw_write(r, evs + start, cpus + start, i - start);
	if (r->o->count && r->shown >= r->o->count)
		r->done = true;
	return 1;
}

/*
 * A batch of live events for --summary and --top, most of them undecoded:
 * for each, the same steps as handle() takes, from its header, and for an
 * exit its result, read in place; the common case inline (latency.h,
 * summary_raw.h), the rest in stats_raw_exit() and handle_decoded().
 * What the loop changes is kept in locals (a store to a row's sums could
 * be one to *r, as far as the compiler knows). @limited: the count (-n)
 * may be reached within the batch, and is looked at after every event.
 * Returns where it stopped.
 */
static inline __attribute__((always_inline)) const struct kscap_evt_hdr *const *
stats_batch(struct run *r, const struct kscap_evt_hdr *const *evs, const unsigned int *cpus,
	    unsigned int n, struct kscap_evt *evt, const bool limited)
{
	const struct kscap_evt_hdr *const *hp = evs, *const *end = evs + n;
	struct latency *lat = r->lat;
	struct summary *sum = r->sum;
	uint64_t shown = r->shown;

	/* (cpus[] is looked at only off the common path: by index) */
	while (hp < end) {
		const struct kscap_evt_hdr *hdr = *hp++;
		unsigned int type = hdr->type;
		/* (kscap_next_raw_batch() checked that the type exists) */
		int match = r->raw_match[type];
		struct latency_slot *sl;
		struct summary_slow slow;

		if (__builtin_expect(match < 0, 0)) {
			r->shown = shown;
			handle_decoded(r, hdr, cpus[hp - 1 - evs], evt);
			shown = r->shown;
			if (r->done)
				break;
			continue;
		}
		/* the thread of the last event or the one before, looked
		 * up then; else a new run (-w's per-CPU seen_tid[]) */
		sl = latency_last(lat, hdr->tid);
		if (__builtin_expect(!sl, 0)) {
			sl = latency_prev(lat, hdr->tid);
			if (!sl) {
				/* ours: never made last or prev, so always here */
				if (own_thread(r, first_sight(r, (int64_t)hdr->tid)))
					continue;
				sl = latency__slot_of(lat, hdr->tid);
			}
		}
		if (summary_feed_raw(sum, lat, sl, hdr, type, match, &slow)) {
			shown += (unsigned int)match;
		} else {
			r->shown = ++shown;
			stats_raw_exit(r, hdr, cpus[hp - 1 - evs], &slow.enter, slow.has_lat,
				       slow.lat_ns, evt);
			if (r->done)
				break;
		}
		if (limited && shown >= r->o->count) {
			r->done = true;
			break;
		}
	}
	r->shown = shown;
	return hp;
}

/*
 * What need not be looked at for every event is looked at once a batch:
 * the count, whether the batch can reach it; the screen's clock, by the
 * batch's last event's time (or every 64 Ki events).
 */
static int live_step_stats(struct run *r, struct kscap *h, struct kscap_evt *evt)
{
	const struct kscap_evt_hdr *evs[RAW_BATCH], *const *hp;
	unsigned int cpus[RAW_BATCH];
	uint64_t shown0 = r->shown;
	int n;

	n = kscap_next_raw_batch(h, evs, cpus, RAW_BATCH);
	if (n <= 0)
		return n;
	summary_raw_sync(r->sum);
	if (r->o->count && r->o->count - r->shown <= (unsigned int)n)
		hp = stats_batch(r, evs, cpus, (unsigned int)n, evt, true);
	else
		hp = stats_batch(r, evs, cpus, (unsigned int)n, evt, false);
	if (r->top && !r->done &&
	    (hp[-1]->ts >= r->top_due || (r->shown >> 16) != (shown0 >> 16))) {
		if (top_tick(r->top, hp[-1]->ts))
			r->done = true;
		r->top_due = top_due(r->top);
	}
	return n;
}

/* The next live event (a batch of them the raw way), handled: 1, else
 * what kscap_next() returns. */
static int live_step(struct run *r, struct kscap *h, struct kscap_evt *evt)
{
	unsigned int cpu;
	int n;

	if (r->raw)
		return r->sum ? live_step_stats(r, h, evt) : live_step_raw(r, h, evt);
	n = kscap_next(h, evt, &cpu);
	if (n > 0)
		handle(r, evt, cpu);
	return n;
}

/* After a stop: what the rings still hold belongs in the output too. */
static void drain(struct run *r, struct kscap *h)
{
	struct kscap_evt evt;
	int n;

	stop_requested = 0;	/* a second signal ends the drain */
	while (!r->done && !stop_requested && (n = live_step(r, h, &evt)) != 0) {
		if (n < 0 && n != -EBADMSG)
			break;
	}
	report_drops(r, h);
}

static int run_live(struct run *r)
{
	struct kscap_evt evt;
	unsigned int reads = 0;
	struct kscap *h;
	int rc;

	if (kscap_open(r->o->device, &h)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		return EXIT_USAGE;
	}
	r->threads = kscap_threads_new();
	if (!r->threads) {
		fprintf(stderr, "scapdump: out of memory\n");
		kscap_close(h);
		return EXIT_RUNTIME;
	}
	rc = 0;
	if (live_setup(r, h)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		rc = EXIT_RUNTIME;
	}
	if (!rc && kscap_start(h)) {
		fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		rc = EXIT_RUNTIME;
	}
	/* Threads that already exist, scanned (and written to the file's
	 * state) once capture is on, as sysdig does: a thread started
	 * before the scan is in it, one started after has its clone in the
	 * rings. */
	if (!rc && kscap_threads_scan_proc(r->threads, NULL))
		fprintf(stderr, "scapdump: warning: %s\n", kscap_last_error());
	if (!rc)
		rc = open_writer(r);
	if (!rc)
		raw_start(r);
	if (!r->o->include_self)
		r->self_pid = getpid();	/* from the first event on */
	while (!rc && !r->done && !stop_requested) {
		int n = live_step(r, h, &evt);

		if (n > 0) {
			if (!(++reads & 1023))
				report_drops(r, h);
			continue;
		}
		if (n == 0) {
			if (r->pub)
				publisher_tick(r->pub, r->writer, r->threads);
			report_drops(r, h);
			n = kscap_wait(h, 200);
			if (r->top && top_idle(r->top))
				r->done = true;
			if (n < 0 && n != -EINTR) {
				fprintf(stderr, "scapdump: %s\n", kscap_last_error());
				rc = EXIT_RUNTIME;
			}
		} else if (n == -EBADMSG) {
			/* the library skipped the bad data: report, go on */
			fprintf(stderr, "scapdump: %s\n", kscap_last_error());
		} else {
			fprintf(stderr, "scapdump: %s\n", kscap_last_error());
			rc = EXIT_RUNTIME;
		}
	}
	kscap_stop(h);
	if (!rc)
		drain(r, h);
	if (close_publisher(r, h) && !rc)
		rc = EXIT_RUNTIME;
	print_stats(h, r);
	kscap_close(h);
	return rc;
}

static void fleet_event(void *ctx, const struct kscap_evt *evt, unsigned int cpu,
			struct kscap_threads *t, const char *host, void **slot)
{
	struct run *r = ctx;

	/* Each host pairs its own enters and exits. */
	if (!*slot)
		*slot = latency_new();
	if (!*slot) {
		fputs("scapdump: out of memory\n", stderr);
		r->status = EXIT_RUNTIME;
		r->done = true;
		return;
	}
	r->lat = *slot;
	r->threads = t;
	r->host = host;
	/* -w: the file takes the state of the first host it sees */
	if (r->o->write_file && !r->writer && !r->done && open_writer(r)) {
		r->status = EXIT_RUNTIME;
		r->done = true;
	}
	if (!r->done)
		handle(r, evt, cpu);
}

/* Before messages are acknowledged: what they held is written. */
static int fleet_flush(void *ctx)
{
	struct run *r = ctx;

	if (r->writer && kscap_writer_flush(r->writer))
		return -1;
	return fflush(stdout) && !r->stdout_gone ? -1 : 0;
}

static void fleet_slot_free(void *slot)
{
	latency_free(slot);
}

static int run_subscribe(struct run *r)
{
	struct fleet_sink sink = { fleet_event, fleet_flush, fleet_slot_free, r };
	struct latency *own = r->lat;
	struct sigaction sa;
	int rc;

	/* A stop finishes what was taken: writes are restarted, not cut
	 * (fetches wake up on their own every 250 ms). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = subscribe_run(&r->o->fleet, &sink, &stop_requested, &r->done);
	r->threads = NULL;	/* the readers' */
	r->lat = own;		/* the hosts' are freed */
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct run r = { .o = &o, .self_pid = -1 };
	struct sigaction sa;
	int rc;

	r.filter = kscap_filter_new();
	r.lat = latency_new();
	if (!r.filter || !r.lat) {
		fputs("scapdump: out of memory\n", stderr);
		return EXIT_RUNTIME;
	}
	rc = parse_args(argc, argv, &o, r.filter);
	if (rc >= 0)
		goto out;
	if (o.arch)
		kscap_set_syscall_arch(o.arch);
	if (o.list) {
		if (o.arch)
			print_syscalls(stdout, o.arch);
		else
			print_table(stdout);
		rc = 0;
		goto out;
	}
	if (o.summary || o.top) {
		r.sum = summary_new();
		if (r.sum && o.top)
			r.top = top_start(r.sum, o.read_file != NULL, &stop_requested);
		if (!r.sum || (o.top && !r.top)) {
			fputs("scapdump: out of memory\n", stderr);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	/* No SA_RESTART: a signal must wake poll() so that we stop. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	o.fleet.buffer = o.fleet.buffer ? o.fleet.buffer : 64U << 20;
	rc = o.fleet.subscribe ? run_subscribe(&r) : o.read_file ? run_file(&r) : run_live(&r);
	if (!rc)
		rc = r.status;
	if (r.pub && publisher_close(r.pub, r.writer, NULL) && !rc)
		rc = EXIT_RUNTIME;
	if (r.pub)
		r.writer = NULL;	/* closed with the publisher */
	if (r.writer && kscap_writer_close(r.writer)) {
		writer_error(&r);
		rc = EXIT_RUNTIME;
	}
	if (r.top && rc != EXIT_USAGE)
		top_finish(r.top);
	top_free(r.top);
	if (r.sum && !o.top && rc != EXIT_USAGE)
		summary_print(r.sum, stdout);
out:
	/* Every path: the help, the version and the table too. */
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && errno != EPIPE && !r.stdout_gone && !rc) {
		fprintf(stderr, "scapdump: stdout: %s\n", strerror(errno ? errno : EIO));
		rc = EXIT_RUNTIME;
	}
	if (!o.read_file)
		kscap_threads_free(r.threads);
	summary_free(r.sum);
	latency_free(r.lat);
	kscap_filter_free(r.filter);
	return rc;
}
