// SPDX-License-Identifier: MIT
/*
 * Event lines. The parameters are formatted by libkscap into one buffer,
 * grown once if an event is larger than usual.
 */
#include <inttypes.h>
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

int print_text(FILE *out, const struct out_event *e)
{
	char when[32];

	fmt_time(e->evt->ts, when, sizeof(when));
	return fprintf(out, "%" PRIu64 " %s %u %s (%" PRIu64 ") %c %s%s%s\n", e->num, when,
		       e->cpu, e->th && e->th->comm[0] ? e->th->comm : "<NA>", e->evt->tid,
		       kscap_evt_dir(e->evt), e->name ? e->name : kscap_evt_name(e->evt),
		       e->evt->nparams ? " " : "",
		       e->evt->nparams ? params(e->evt, 0) : "") < 0 ? EOF : 0;
}

/* A JSON string literal; comm is kernel data and may hold anything. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

int print_json(FILE *out, const struct out_event *e)
{
	const struct kscap_evt *evt = e->evt;
	int64_t ret;

	fprintf(out, "{\"num\":%" PRIu64 ",\"ts\":%" PRIu64 ",\"cpu\":%u,", e->num,
		evt->ts, e->cpu);
	if (e->th)
		fprintf(out, "\"pid\":%" PRId64 ",", e->th->pid);
	else
		fputs("\"pid\":null,", out);
	fprintf(out, "\"tid\":%" PRIu64 ",\"comm\":", evt->tid);
	if (e->th)
		json_str(out, e->th->comm);
	else
		fputs("null", out);
	fprintf(out, ",\"dir\":\"%c\",\"type\":", kscap_evt_dir(evt));
	json_str(out, e->name ? e->name : kscap_evt_name(evt));
	fprintf(out, ",\"params\":%s", params(evt, KSCAP_FMT_JSON));
	if (kscap_evt_ret(evt, &ret)) {
		const char *err = ret < 0 && ret >= -4095 ? kscap_errno_name((int)-ret) : NULL;

		fprintf(out, ",\"ret\":%" PRId64 ",\"error\":\"%s\"", ret, err ? err : "");
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
