// SPDX-License-Identifier: GPL-2.0
/*
 * pagecache: what the kernel spends per byte written to a file, apart
 * from any tracer (tests/bench/pagecache.sh boots it).
 *
 *   pagecache PATH new|rewrite MIB CHUNK
 *
 * Writes MIB MiB to PATH in write()s of CHUNK bytes from one buffer:
 * new removes PATH first (every page of the file allocated on the way),
 * rewrite writes over what is there from offset 0 (the pages exist: the
 * copy alone). Prints
 *
 *   pc path=... mode=new mib=128 chunk=1048576 ns=... ns_per_byte=...
 *
 * (in an icount guest, ns are instructions).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
	size_t total, chunk, done = 0;
	uint64_t t0, t1;
	char *buf;
	int fd;

	if (argc != 5 || (strcmp(argv[2], "new") && strcmp(argv[2], "rewrite"))) {
		fprintf(stderr, "usage: pagecache PATH new|rewrite MIB CHUNK\n");
		return 2;
	}
	total = strtoul(argv[3], NULL, 0) << 20;
	chunk = strtoul(argv[4], NULL, 0);
	buf = malloc(chunk);
	if (!buf || !chunk)
		return 2;
	memset(buf, 0x5a, chunk);	/* touched: no fault in the copy */
	if (!strcmp(argv[2], "new"))
		unlink(argv[1]);
	fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	t0 = now_ns();
	while (done < total) {
		ssize_t n = write(fd, buf, chunk);

		if (n <= 0) {
			perror("write");
			return 1;
		}
		done += (size_t)n;
	}
	t1 = now_ns();
	printf("pc path=%s mode=%s mib=%zu chunk=%zu ns=%llu ns_per_byte=%.3f\n",
	       argv[1], argv[2], total >> 20, chunk, (unsigned long long)(t1 - t0),
	       (double)(t1 - t0) / (double)total);
	return 0;
}
