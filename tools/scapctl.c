// SPDX-License-Identifier: MIT
/*
 * scapctl: look at and steer kscap from the side, over generic netlink,
 * while a consumer (scapdump, say) owns /dev/kscap.
 *
 * Exit status: 0 ok, 1 runtime error, 2 usage or environment (module
 * not loaded, not permitted).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kscap/libkscap.h"
#include "kscap_netlink.h"
#include "number.h"

static const char usage_text[] =
	"Usage: scapctl [-j] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  info                 ABI version, CPUs, ring size, snaplen, capture state\n"
	"  stats [--per-cpu]    hits, events written, drops by cause, faults, values cut,\n"
	"                       and what the consumer reports it dropped\n"
	"  watch [-n N]         print drop notifications as they come (N of them)\n"
	"  mask                 list the event types being captured\n"
	"  mask on|off EVENT[,EVENT...]   capture an event (both directions) or not\n"
	"  snaplen BYTES        bytes kept of data buffers (1-65535)\n"
	"  enable | disable     start or stop capture (needs a consumer)\n"
	"\n"
	"Options:\n"
	"  -j, --json           JSON output (info, stats, mask)\n"
	"  -h, --help           this text\n";

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static int json;

static int fail(int err)
{
	fprintf(stderr, "scapctl: %s\n", kscap_last_error()[0] ?
		kscap_last_error() : kscap_strerror(err));
	return err == -ENOENT || err == -EPERM || err == -EPROTONOSUPPORT ?
	       EXIT_USAGE : EXIT_RUNTIME;
}

static int cmd_info(struct kscap_nl *nl)
{
	struct kscap_nl_info i;
	int err = kscap_nl_info(nl, &i);

	if (err)
		return fail(err);
	if (json) {
		printf("{\"abi_version\":\"%u.%u\",\"ncpus\":%u,\"ring_size\":%" PRIu64
		       ",\"reserve\":%" PRIu64 ",\"snaplen\":%u,\"enabled\":%s,\"consumer\":%s",
		       i.abi_version >> 16, i.abi_version & 0xffff, i.ncpus, i.ring_size,
		       i.reserve, i.snaplen, i.enabled ? "true" : "false",
		       i.consumer ? "true" : "false");
		if (i.ring_bytes != KSCAP_NL_UNKNOWN)
			printf(",\"ring_bytes\":%" PRIu64, i.ring_bytes);
		printf("}\n");
		return EXIT_OK;
	}
	printf("abi version   %u.%u\n", i.abi_version >> 16, i.abi_version & 0xffff);
	printf("cpus          %u\n", i.ncpus);
	printf("ring size     %" PRIu64 " bytes (%" PRIu64 " reserved)\n", i.ring_size, i.reserve);
	printf("snaplen       %u\n", i.snaplen);
	printf("capture       %s\n", i.enabled ? "on" : "off");
	printf("consumer      %s\n", i.consumer ? "attached" : "none");
	if (i.ring_bytes != KSCAP_NL_UNKNOWN)
		printf("ring memory   %" PRIu64 " bytes\n", i.ring_bytes);
	return EXIT_OK;
}

static const char *const drop_names[KSCAP_DROP_NR] = {
	"file", "net", "ipc", "memory", "process", "io", "other",
};

/* The uapi counters are __u64 (unsigned long long): print them as such. */
#define ULL(x) ((unsigned long long)(x))

static void print_counters_json(const struct kscap_counters *c)
{
	int i;

	printf("{\"hits\":%llu,\"written\":%llu,\"drops_full\":%llu"
	       ",\"drops_mask\":%llu,\"drops_nested\":%llu"
	       ",\"drops_toolong\":%llu,\"faults\":%llu,\"bad_tail\":%llu"
	       ",\"truncated\":%llu,\"drops_full_by_class\":{",
	       ULL(c->hits), ULL(c->written), ULL(kscap_drops_full(c)), ULL(c->drops_mask),
	       ULL(c->drops_nested), ULL(c->drops_toolong), ULL(c->faults), ULL(c->bad_tail),
	       ULL(c->truncated));
	for (i = 0; i < KSCAP_DROP_NR; i++)
		printf("%s\"%s\":%llu", i ? "," : "", drop_names[i], ULL(c->drops_full[i]));
	printf("},\"compat_untranslated\":%llu}", ULL(c->compat_untranslated));
}

static void print_counters_row(const char *who, const struct kscap_counters *c)
{
	printf("%-6s %12llu %12llu %10llu %10llu %8llu %8llu %8llu %9llu %8llu\n", who,
	       ULL(c->hits), ULL(c->written), ULL(kscap_drops_full(c)), ULL(c->drops_mask),
	       ULL(c->drops_nested + c->drops_toolong), ULL(c->faults), ULL(c->bad_tail),
	       ULL(c->truncated), ULL(c->compat_untranslated));
}

static int cmd_stats(struct kscap_nl *nl, int per_cpu)
{
	struct kscap_counters cpus[1024];
	uint32_t ids[1024];
	struct kscap_nl_stats st = { .percpu = cpus, .cpus = ids, .ncpus = 1024 };
	unsigned int i;
	int err = kscap_nl_stats(nl, &st);

	if (err)
		return fail(err);
	if (json) {
		printf("{\"total\":");
		print_counters_json(&st.total);
		if (st.consumer_drops != KSCAP_NL_UNKNOWN)
			printf(",\"consumer_drops\":%llu", ULL(st.consumer_drops));
		if (per_cpu) {
			printf(",\"cpus\":[");
			for (i = 0; i < st.ncpus; i++) {
				printf("%s{\"cpu\":%u,\"counters\":", i ? "," : "", ids[i]);
				print_counters_json(&cpus[i]);
				printf("}");
			}
			printf("]");
		}
		printf("}\n");
		return EXIT_OK;
	}
	printf("%-6s %12s %12s %10s %10s %8s %8s %8s %9s %8s\n", "cpu", "hits", "written",
	       "drop_full", "drop_mask", "drop_oth", "faults", "badtail", "truncated", "compat32");
	if (per_cpu) {
		for (i = 0; i < st.ncpus; i++) {
			char who[16];

			snprintf(who, sizeof(who), "%u", ids[i]);
			print_counters_row(who, &cpus[i]);
		}
	}
	print_counters_row("total", &st.total);
	if (kscap_drops_full(&st.total)) {
		printf("drops for a full ring, by class:");
		for (i = 0; i < KSCAP_DROP_NR; i++)
			if (st.total.drops_full[i])
				printf(" %s=%llu", drop_names[i], ULL(st.total.drops_full[i]));
		printf("\n");
	}
	/* The consumer's own count (a module of ABI 1.3 repeats it). */
	if (st.consumer_drops != KSCAP_NL_UNKNOWN)
		printf("consumer drops: %llu (events the consumer read, then lost)\n",
		       ULL(st.consumer_drops));
	return EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int cmd_watch(struct kscap_nl *nl, long count)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct kscap_nl_drops d;
	long seen = 0;
	int err;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = kscap_nl_watch_drops(nl);
	if (err)
		return fail(err);
	printf("watching for drops (Ctrl-C to stop)\n");
	fflush(stdout);
	while (!stop && (count <= 0 || seen < count)) {
		err = kscap_nl_next_drops(nl, &d);
		if (err < 0) {
			if (stop)
				break;
			return fail(err);
		}
		if (err == 0)
			continue;
		seen++;
		if (json)
			printf("{\"total_drops\":%" PRIu64 ",\"new_drops\":%" PRIu64 "}\n",
			       d.total, d.new_drops);
		else
			printf("drops: +%" PRIu64 " (total %" PRIu64 ")\n", d.new_drops, d.total);
		fflush(stdout);
	}
	return EXIT_OK;
}

static int cmd_mask_show(struct kscap_nl *nl)
{
	uint8_t mask[KSCAP_GENL_MASK_BYTES];
	unsigned int t, n = 0;
	int err = kscap_nl_get_mask(nl, mask);

	if (err)
		return fail(err);
	if (json)
		printf("[");
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = kscap_event_info(t);

		if (!(mask[t / 8] & (1U << (t % 8))) || !info || !info->name)
			continue;
		if (json)
			printf("%s{\"type\":%u,\"name\":\"%s\",\"dir\":\"%c\"}", n ? "," : "",
			       t, info->name, KSCAP_EV_IS_EXIT(t) ? '<' : '>');
		else
			printf("%3u %c %s\n", t, KSCAP_EV_IS_EXIT(t) ? '<' : '>', info->name);
		n++;
	}
	if (json)
		printf("]\n");
	return EXIT_OK;
}

/* Every type named @name, both directions, old versions included. */
static int cmd_mask_change(struct kscap_nl *nl, int on, const char *names)
{
	char *list = strdup(names), *save = NULL, *name;
	int rc = EXIT_OK;

	if (!list)
		return fail(-ENOMEM);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		unsigned int t, found = 0;

		for (t = 0; t < KSCAP_EV_MAX; t++) {
			const struct kscap_event_info *info = kscap_event_info(t);
			int err;

			if (!info || !info->name || strcmp(info->name, name))
				continue;
			found++;
			err = kscap_nl_mask_event(nl, t, on);
			if (err) {
				rc = fail(err);
				goto out;
			}
		}
		if (!found) {
			fprintf(stderr, "scapctl: no event named '%s' (see scapdump -L)\n", name);
			rc = EXIT_USAGE;
			goto out;
		}
	}
out:
	free(list);
	return rc;
}

/* One line on stderr, and the usage exit status. */
static int usage_error(const char *fmt, const char *arg)
{
	fputs("scapctl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see scapctl --help)\n", stderr);
	return EXIT_USAGE;
}

struct args {
	const char *cmd;
	const char *pos[3];	/* the command's own arguments */
	int npos;
	int per_cpu;
	uint64_t count;
};

/* A word that is an option rather than an argument: "-5" is a number. */
static int is_option(const char *a)
{
	return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9');
}

/* -n N, -nN, --count N, --count=N: *@i moves past what was used. */
static int count_option(int argc, char **argv, int *i, uint64_t *count)
{
	const char *a = argv[*i], *v = NULL;

	if (!strcmp(a, "-n") || !strcmp(a, "--count")) {
		if (*i + 1 >= argc)
			return usage_error("option '%s' needs an argument", a);
		v = argv[++*i];
	} else if (!strncmp(a, "--count=", 8)) {
		v = a + 8;
	} else {
		v = a + 2;
	}
	if (parse_uint(v, 1U << 30, count))
		return usage_error("invalid count '%s' (0-1073741824)", v);
	return -1;
}

/* Options may come before or after the command. -1: go on. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "-h") || !strcmp(w, "--help")) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		} else if (!strcmp(w, "-j") || !strcmp(w, "--json")) {
			json = 1;
		} else if (!strcmp(w, "--per-cpu")) {
			a->per_cpu = 1;
		} else if (!strncmp(w, "-n", 2) || !strcmp(w, "--count") ||
			   !strncmp(w, "--count=", 8)) {
			rc = count_option(argc, argv, &i, &a->count);
			if (rc >= 0)
				return rc;
		} else if (!strcmp(w, "--") && !a->cmd) {
			continue;
		} else if (is_option(w)) {
			return usage_error("unknown option '%s'", w);
		} else if (!a->cmd) {
			a->cmd = w;
		} else if (a->npos < 3) {
			a->pos[a->npos++] = w;
		} else {
			return usage_error("unexpected argument '%s'", w);
		}
	}
	if (!a->cmd)
		return usage_error("a command is needed%s", "");
	return -1;
}

/* The command and the number of arguments it takes (-1: 0 or 2, mask). */
static const struct { const char *name; int nargs; } commands[] = {
	{ "info", 0 }, { "stats", 0 }, { "watch", 0 }, { "mask", -1 },
	{ "snaplen", 1 }, { "enable", 0 }, { "disable", 0 },
};

/* Check the command and its arguments before talking to the module. */
static int check_command(const struct args *a, unsigned int *snaplen)
{
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, a->cmd))
			break;
	if (i == sizeof(commands) / sizeof(commands[0]))
		return usage_error("unknown command '%s'", a->cmd);
	if (commands[i].nargs >= 0 && a->npos > commands[i].nargs)
		return usage_error("unexpected argument '%s'", a->pos[commands[i].nargs]);
	if (commands[i].nargs > a->npos)
		return usage_error("'%s' needs an argument", a->cmd);
	if (!strcmp(a->cmd, "mask") && a->npos) {
		if (strcmp(a->pos[0], "on") && strcmp(a->pos[0], "off"))
			return usage_error("mask takes 'on' or 'off', not '%s'", a->pos[0]);
		if (a->npos != 2)
			return usage_error("mask %s takes one list of event names, like open,read", a->pos[0]);
	}
	if (!strcmp(a->cmd, "snaplen")) {
		if (parse_uint(a->pos[0], KSCAP_SNAPLEN_MAX, &v) || !v)
			return usage_error("invalid snaplen '%s' (1-65535)", a->pos[0]);
		*snaplen = (unsigned int)v;
	}
	return -1;
}

static int run(struct kscap_nl *nl, const struct args *a, unsigned int snaplen)
{
	int err;

	if (!strcmp(a->cmd, "info"))
		return cmd_info(nl);
	if (!strcmp(a->cmd, "stats"))
		return cmd_stats(nl, a->per_cpu);
	if (!strcmp(a->cmd, "watch"))
		return cmd_watch(nl, (long)a->count);
	if (!strcmp(a->cmd, "mask"))
		return a->npos ? cmd_mask_change(nl, !strcmp(a->pos[0], "on"), a->pos[1]) :
		       cmd_mask_show(nl);
	if (!strcmp(a->cmd, "snaplen"))
		err = kscap_nl_set_snaplen(nl, snaplen);
	else
		err = kscap_nl_enable(nl, !strcmp(a->cmd, "enable"));
	return err ? fail(err) : EXIT_OK;
}

/* Output that did not reach stdout is an error, whatever was printed. */
static int flush_stdout(int rc)
{
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && !rc) {
		fprintf(stderr, "scapctl: stdout: %s\n", strerror(errno ? errno : EIO));
		return EXIT_RUNTIME;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	unsigned int snaplen = 0;
	struct kscap_nl *nl;
	int rc, err;

	rc = parse_args(argc, argv, &a);
	if (rc < 0)
		rc = check_command(&a, &snaplen);
	if (rc >= 0)
		return flush_stdout(rc);
	err = kscap_nl_open(&nl);
	if (err)
		return fail(err);
	rc = run(nl, &a, snaplen);
	kscap_nl_close(nl);
	return flush_stdout(rc);
}
