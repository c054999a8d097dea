/* SPDX-License-Identifier: MIT */
/* Running the (sanitized) scapdump binary and capturing what it says. */
#ifndef CLI_UTIL_H
#define CLI_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct cli {
	int status;		/* exit status, or 128 + signal */
	char *out, *err;
	size_t out_lines, err_lines;
};

static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (f) {
		FILE *m = open_memstream(&buf, &n);
		char chunk[4096];
		size_t k;

		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, k, m);
		fclose(m);
		fclose(f);
	}
	return buf ? buf : strdup("");
}

static inline size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Run "<shell words>" with the shell; @cmd may use $SCAPDUMP. */
static inline void cli_run(struct cli *c, const char *cmd)
{
	char out[64], err[64], *full;
	int st;

	snprintf(out, sizeof(out), "/tmp/kscap-cli-%d.out", (int)getpid());
	snprintf(err, sizeof(err), "/tmp/kscap-cli-%d.err", (int)getpid());
	if (asprintf(&full, "SCAPDUMP='%s'; { %s; } >%s 2>%s", SCAPDUMP_BIN, cmd, out, err) < 0)
		abort();
	st = system(full);
	free(full);
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	c->out = slurp(out);
	c->err = slurp(err);
	c->out_lines = count_lines(c->out);
	c->err_lines = count_lines(c->err);
	unlink(out);
	unlink(err);
}

/* cli_run() of a command made printf-style. */
static inline __attribute__((format(printf, 2, 3)))
void cli_runf(struct cli *c, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	cli_run(c, cmd);
}

static inline void cli_free(struct cli *c)
{
	free(c->out);
	free(c->err);
}

/* The @n-th line (from 0) of @s, in @buf. */
static inline const char *line_of(const char *s, size_t n, char *buf, size_t size)
{
	const char *e;

	while (n-- && (s = strchr(s, '\n')))
		s++;
	if (!s)
		return "";
	e = strchr(s, '\n');
	snprintf(buf, size, "%.*s", (int)(e ? e - s : (long)strlen(s)), s);
	return buf;
}

#endif
