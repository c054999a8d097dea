// SPDX-License-Identifier: GPL-2.0
/*
 * forkmap: a consumer that forks without exec must not leave its child
 * holding the device. The child closes every fd it inherited (as a
 * daemonising helper does) but cannot know about the mappings; those
 * must not have been copied into it. Once the parent has closed and
 * unmapped, the next open works and rmmod succeeds, with the child still
 * alive. Unloads the module at the end (the test script checks that).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kt.h"

/* Lines of /proc/@pid/maps that map /dev/kscap. */
static int kscap_maps(pid_t pid)
{
	char path[64], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	KT_CHECK(f, "%s: %m", path);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, KSCAP_DEVICE_PATH))
			n++;
	fclose(f);
	return n;
}

int main(void)
{
	int ready[2], st, fd, maps;
	struct kt_dev d;
	pid_t child;
	char c;

	kt_open(&d);
	kt_ioctl(&d, KSCAP_IOC_ENABLE, 0, "ENABLE");
	KT_CHECK(kscap_maps(getpid()) > 0, "the consumer has no mapping of %s", KSCAP_DEVICE_PATH);
	KT_SYS(pipe(ready));
	child = KT_SYS(fork());
	if (!child) {
		/* Keep only the pipe's write end, say so, then wait to be killed. */
		for (fd = 0; fd < 1024; fd++)
			if (fd != ready[1] && fd != 2)
				close(fd);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(ready[1]);
	KT_CHECK(read(ready[0], &c, 1) == 1, "the child did not get ready");
	maps = kscap_maps(child);

	/* The consumer goes away; its child lives on. */
	kt_close(&d);
	fd = open(KSCAP_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		kill(child, SIGKILL);
		kt_fail("open after the forking consumer closed: %m (its child holds %d mapping(s))", maps);
	}
	close(fd);
	if (syscall(SYS_delete_module, "kscap", O_NONBLOCK)) {
		kill(child, SIGKILL);
		kt_fail("rmmod after the forking consumer closed: %m");
	}
	KT_CHECK(maps == 0, "the child inherited %d mapping(s) of %s", maps, KSCAP_DEVICE_PATH);
	kill(child, SIGKILL);
	KT_SYS(waitpid(child, &st, 0));
	return 0;
}
