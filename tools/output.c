// SPDX-License-Identifier: MIT
/*
 * Event lines. The parameters are formatted by libkscap into one buffer,
 * grown once if an event is larger than usual.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "output.h"

static char *params_buf;
static size_t params_cap;

/* All parameters, formatted; "" if memory runs out. */
static const char *params(const struct kscap_evt *evt, unsigned int flags)
{
	int n;

	if (!params_buf) {
		params_cap = 8192;
		params_buf = malloc(params_cap);
		if (!params_buf)
			return "";
	}
	n = kscap_evt_format(evt, params_buf, params_cap, flags);
	if (n >= 0 && (size_t)n >= params_cap) {
		char *nb = realloc(params_buf, (size_t)n + 1);

		if (!nb)
			return params_buf;	/* cut, but still a string */
		params_buf = nb;
		params_cap = (size_t)n + 1;
		kscap_evt_format(evt, params_buf, params_cap, flags);
	}
	return params_buf;
}

/* Local wall-clock time of day with nanoseconds, as sysdig prints it. */
static void fmt_time(uint64_t ts, char *buf, size_t size)
{
	static time_t last = -1;	/* events come in bursts within a second */
	static char hms[16];
	time_t sec = (time_t)(ts / 1000000000ULL);

	if (sec != last) {
		struct tm tm;

		localtime_r(&sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		last = sec;
	}
	snprintf(buf, size, "%s.%09u", hms, (unsigned int)(ts % 1000000000ULL));
}

/* @s escaped by the library as text or (@flags JSON) a string literal;
 * kernel data such as comm may hold anything, terminal controls too. */
static const char *esc(const char *s, unsigned int flags)
{
	static char buf[8 * KSCAP_COMM_LEN + 8];

	kscap_str_format(s, strlen(s), buf, sizeof(buf), flags);
	return buf;
}

int print_text(FILE *out, const struct out_event *e)
{
	char when[32];

	fmt_time(e->evt->ts, when, sizeof(when));
	if (e->host && fprintf(out, "%s ", esc(e->host, 0)) < 0)
		return EOF;
	return fprintf(out, "%" PRIu64 " %s %u %s (%" PRIu64 ") %c %s%s%s\n", e->num, when,
		       e->cpu, e->th && e->th->comm[0] ? esc(e->th->comm, 0) : "<NA>",
		       e->evt->tid, kscap_evt_dir(e->evt), e->name ? e->name : kscap_evt_name(e->evt),
		       e->evt->nparams ? " " : "",
		       e->evt->nparams ? params(e->evt, 0) : "") < 0 ? EOF : 0;
}

int print_json(FILE *out, const struct out_event *e)
{
	const struct kscap_evt *evt = e->evt;
	int64_t ret;

	fprintf(out, "{\"num\":%" PRIu64 ",\"ts\":%" PRIu64 ",\"cpu\":%u,", e->num,
		evt->ts, e->cpu);
	if (e->host)
		fprintf(out, "\"host\":%s,", esc(e->host, KSCAP_FMT_JSON));
	if (e->th)
		fprintf(out, "\"pid\":%" PRId64 ",", e->th->pid);
	else
		fputs("\"pid\":null,", out);
	fprintf(out, "\"tid\":%" PRIu64 ",\"comm\":%s", evt->tid,
		e->th ? esc(e->th->comm, KSCAP_FMT_JSON) : "null");
	fprintf(out, ",\"dir\":\"%c\",\"type\":%s", kscap_evt_dir(evt),
		esc(e->name ? e->name : kscap_evt_name(evt), KSCAP_FMT_JSON));
	fprintf(out, ",\"params\":%s", params(evt, KSCAP_FMT_JSON));
	if (kscap_evt_ret(evt, &ret)) {
		const char *err = ret < 0 && ret >= -4095 ? kscap_errno_name((int)-ret) : NULL;

		fprintf(out, ",\"ret\":%" PRId64 ",\"error\":\"%s\"", ret, err ? err : "");
	}
	/* Every exit, with or without a result: null when its enter was not
	 * seen (the capture began inside the call, a child's first return). */
	if (KSCAP_EV_IS_EXIT(evt->type)) {
		if (e->has_lat)
			fprintf(out, ",\"latency_ns\":%" PRIu64, e->lat_ns);
		else
			fputs(",\"latency_ns\":null", out);
	}
	fputs("}\n", out);
	return ferror(out) ? EOF : 0;
}

void print_table(FILE *out)
{
	unsigned int type, i;

	for (type = 0; type < KSCAP_EV_MAX; type++) {
		const struct kscap_event_info *info = kscap_event_info(type);

		if (!info)
			continue;
		fprintf(out, "%c %s(", KSCAP_EV_IS_EXIT(type) ? '<' : '>', info->name);
		for (i = 0; i < info->nparams; i++)
			fprintf(out, "%s%s %s", i ? ", " : "",
				kscap_param_type_name(info->params[i].type),
				info->params[i].name);
		fputs(")\n", out);
	}
}

void print_syscalls(FILE *out, unsigned int arch)
{
	static const unsigned int arches[] = { KSCAP_ARCH_X86_64, KSCAP_ARCH_AARCH64 };
	bool here[KSCAP_EV_MAX] = { false }, told[KSCAP_EV_MAX] = { false };
	unsigned int nr, a;
	int type;

	for (nr = 0; nr < 512; nr++) {
		type = kscap_syscall_event_arch(arch, nr);
		if (type < 0)
			continue;
		here[type] = true;
		fprintf(out, "%u %s %s\n", nr, kscap_syscall_name_arch(arch, nr),
			type == KSCAP_EV_GENERIC_E ? "generic" : kscap_event_info(type)->name);
	}
	/* rows another architecture's calls become: they cannot fire here */
	for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		for (nr = 0; nr < 512; nr++) {
			type = kscap_syscall_event_arch(arches[a], nr);
			if (type <= KSCAP_EV_GENERIC_E || here[type] || told[type])
				continue;
			told[type] = true;
			fprintf(out, "- - %s\n", kscap_event_info(type)->name);
		}
}
