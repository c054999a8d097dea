// SPDX-License-Identifier: MIT
/*
 * scapctl: look at and steer kscap from the side, over generic netlink,
 * while a consumer (scapdump, say) owns /dev/kscap.
 *
 * Exit status: 0 ok, 1 runtime error, 2 usage or environment (module
 * not loaded, not permitted).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kscap/libkscap.h"
#include "kscap_netlink.h"

static const char usage_text[] =
	"Usage: scapctl [-j] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  info                 ABI version, CPUs, ring size, snaplen, capture state\n"
	"  stats [--per-cpu]    tracepoint hits, events written, drops by cause, faults\n"
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
		       ",\"reserve\":%" PRIu64 ",\"snaplen\":%u,\"enabled\":%s,\"consumer\":%s}\n",
		       i.abi_version >> 16, i.abi_version & 0xffff, i.ncpus, i.ring_size,
		       i.reserve, i.snaplen, i.enabled ? "true" : "false",
		       i.consumer ? "true" : "false");
		return EXIT_OK;
	}
	printf("abi version   %u.%u\n", i.abi_version >> 16, i.abi_version & 0xffff);
	printf("cpus          %u\n", i.ncpus);
	printf("ring size     %" PRIu64 " bytes (%" PRIu64 " reserved)\n", i.ring_size, i.reserve);
	printf("snaplen       %u\n", i.snaplen);
	printf("capture       %s\n", i.enabled ? "on" : "off");
	printf("consumer      %s\n", i.consumer ? "attached" : "none");
	return EXIT_OK;
}

static const char *const drop_names[KSCAP_DROP_NR] = {
	"file", "net", "ipc", "memory", "process", "io", "other",
};

static uint64_t drops_full(const struct kscap_counters *c)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < KSCAP_DROP_NR; i++)
		n += c->drops_full[i];
	return n;
}

/* The uapi counters are __u64 (unsigned long long): print them as such. */
#define ULL(x) ((unsigned long long)(x))

static void print_counters_json(const struct kscap_counters *c)
{
	int i;

	printf("{\"hits\":%llu,\"written\":%llu,\"drops_full\":%llu"
	       ",\"drops_mask\":%llu,\"drops_nested\":%llu"
	       ",\"drops_toolong\":%llu,\"faults\":%llu,\"bad_tail\":%llu"
	       ",\"drops_full_by_class\":{",
	       ULL(c->hits), ULL(c->written), ULL(drops_full(c)), ULL(c->drops_mask),
	       ULL(c->drops_nested), ULL(c->drops_toolong), ULL(c->faults), ULL(c->bad_tail));
	for (i = 0; i < KSCAP_DROP_NR; i++)
		printf("%s\"%s\":%llu", i ? "," : "", drop_names[i], ULL(c->drops_full[i]));
	printf("},\"compat_untranslated\":%llu}", ULL(c->compat_untranslated));
}

static void print_counters_row(const char *who, const struct kscap_counters *c)
{
	printf("%-6s %12llu %12llu %10llu %10llu %8llu %8llu %8llu %8llu\n", who,
	       ULL(c->hits), ULL(c->written), ULL(drops_full(c)), ULL(c->drops_mask),
	       ULL(c->drops_nested + c->drops_toolong), ULL(c->faults), ULL(c->bad_tail),
	       ULL(c->compat_untranslated));
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
	printf("%-6s %12s %12s %10s %10s %8s %8s %8s %8s\n", "cpu", "hits", "written",
	       "drop_full", "drop_mask", "drop_oth", "faults", "badtail", "compat32");
	if (per_cpu) {
		for (i = 0; i < st.ncpus; i++) {
			char who[16];

			snprintf(who, sizeof(who), "%u", ids[i]);
			print_counters_row(who, &cpus[i]);
		}
	}
	print_counters_row("total", &st.total);
	if (drops_full(&st.total)) {
		printf("drops for a full ring, by class:");
		for (i = 0; i < KSCAP_DROP_NR; i++)
			if (st.total.drops_full[i])
				printf(" %s=%llu", drop_names[i], ULL(st.total.drops_full[i]));
		printf("\n");
	}
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

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' || *out > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "per-cpu", no_argument, NULL, 'P' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int per_cpu = 0, c, rc, err;
	unsigned long count = 0, v;
	struct kscap_nl *nl;
	const char *cmd;

	while ((c = getopt_long(argc, argv, "+jhn:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'P':
			per_cpu = 1;
			break;
		case 'n':
			if (parse_uint(optarg, 1UL << 30, &count)) {
				fprintf(stderr, "scapctl: bad count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	/* Options may also follow the command. */
	while ((c = getopt_long(argc, argv, "jn:", opts, NULL)) != -1) {
		if (c == 'j')
			json = 1;
		else if (c == 'P')
			per_cpu = 1;
		else if (c == 'n' && !parse_uint(optarg, 1UL << 30, &count))
			continue;
		else {
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}

	err = kscap_nl_open(&nl);
	if (err)
		return fail(err);
	if (!strcmp(cmd, "info") && optind == argc) {
		rc = cmd_info(nl);
	} else if (!strcmp(cmd, "stats") && optind == argc) {
		rc = cmd_stats(nl, per_cpu);
	} else if (!strcmp(cmd, "watch") && optind == argc) {
		rc = cmd_watch(nl, count);
	} else if (!strcmp(cmd, "mask") && optind == argc) {
		rc = cmd_mask_show(nl);
	} else if (!strcmp(cmd, "mask") && optind + 2 == argc &&
		   (!strcmp(argv[optind], "on") || !strcmp(argv[optind], "off"))) {
		rc = cmd_mask_change(nl, !strcmp(argv[optind], "on"), argv[optind + 1]);
	} else if (!strcmp(cmd, "snaplen") && optind + 1 == argc) {
		if (parse_uint(argv[optind], KSCAP_SNAPLEN_MAX, &v) || !v) {
			fprintf(stderr, "scapctl: snaplen must be 1-%u\n", KSCAP_SNAPLEN_MAX);
			rc = EXIT_USAGE;
		} else {
			err = kscap_nl_set_snaplen(nl, v);
			rc = err ? fail(err) : EXIT_OK;
		}
	} else if ((!strcmp(cmd, "enable") || !strcmp(cmd, "disable")) && optind == argc) {
		err = kscap_nl_enable(nl, !strcmp(cmd, "enable"));
		rc = err ? fail(err) : EXIT_OK;
	} else {
		fprintf(stderr, "scapctl: unknown command or wrong arguments: %s\n", cmd);
		fputs(usage_text, stderr);
		rc = EXIT_USAGE;
	}
	kscap_nl_close(nl);
	return rc;
}
