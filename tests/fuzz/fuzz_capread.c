// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the capture-file reader. The input is a whole file;
 * it is opened by path (a memfd through /proc/self/fd), as scapdump -r
 * opens one, and every event it yields is formatted and fed to the
 * file's thread table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct kscap_reader *r;
	struct kscap_evt evt;
	unsigned int cpu, n = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz-capture", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	if (kscap_reader_open(path, &r))
		return 0;
	(void)kscap_reader_hostname(r);
	(void)kscap_reader_ncpus(r);
	/* The file's own thread table, as scapdump -r updates it. */
	while (n++ < 10000 && kscap_reader_next(r, &evt, &cpu) == 1)
		fuzz_use_event(&evt, n * 7, kscap_reader_threads(r));
	kscap_reader_close(r);
	return 0;
}
