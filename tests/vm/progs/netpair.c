// SPDX-License-Identifier: GPL-2.0
/*
 * netpair: a tiny TCP and UDP exchange over 127.0.0.1, in one process,
 * as a workload for the demo (busybox nc has no UDP). Prints what it did.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "kt.h"

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void tcp(void)
{
	struct sockaddr_in a = loopback(0);
	socklen_t alen = sizeof(a);
	int ls, c, s;
	char buf[16] = "";

	ls = KT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	KT_SYS(bind(ls, (struct sockaddr *)&a, sizeof(a)));
	KT_SYS(listen(ls, 1));
	KT_SYS(getsockname(ls, (struct sockaddr *)&a, &alen));
	c = KT_SYS(socket(AF_INET, SOCK_STREAM, 0));
	/* The backlog completes the handshake: no second process needed. */
	KT_SYS(connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = KT_SYS(accept(ls, NULL, NULL));
	KT_SYS(write(c, "ping", 4));
	KT_SYS(read(s, buf, sizeof(buf) - 1));
	KT_SYS(write(s, "pong", 4));
	KT_SYS(read(c, buf + 4, sizeof(buf) - 5));
	printf("netpair: tcp 127.0.0.1:%u exchanged '%s'\n", ntohs(a.sin_port), buf);
	close(s);
	close(c);
	close(ls);
}

static void udp(void)
{
	struct sockaddr_in a = loopback(0), from;
	socklen_t alen = sizeof(a), flen = sizeof(from);
	char buf[16] = "";
	int r, t;

	r = KT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
	KT_SYS(bind(r, (struct sockaddr *)&a, sizeof(a)));
	KT_SYS(getsockname(r, (struct sockaddr *)&a, &alen));
	t = KT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
	KT_SYS(sendto(t, "hello", 5, 0, (struct sockaddr *)&a, sizeof(a)));
	KT_SYS(recvfrom(r, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &flen));
	printf("netpair: udp 127.0.0.1:%u got '%s' from port %u\n", ntohs(a.sin_port), buf,
	       ntohs(from.sin_port));
	close(t);
	close(r);
}

int main(void)
{
	tcp();
	udp();
	return 0;
}
