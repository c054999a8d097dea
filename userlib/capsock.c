// SPDX-License-Identifier: MIT
/*
 * The sockets of a network namespace as /proc/PID/net lists them (tcp,
 * udp, their IPv6 twins, unix), by inode: an fd whose link is
 * "socket:[INODE]" is described in a capture's fd list from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "capfmt.h"
#include "internal.h"

struct kscap__socks {
	char netns[64];		/* the namespace the table holds, "" if none */
	struct kscap__sock *v;
	size_t n, cap;
	bool sorted;
};

struct kscap__socks *kscap__socks_new(void)
{
	return calloc(1, sizeof(struct kscap__socks));
}

void kscap__socks_free(struct kscap__socks *s)
{
	if (s)
		free(s->v);
	free(s);
}

static struct kscap__sock *add(struct kscap__socks *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct kscap__sock *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		s->v = nv;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

/* "0100007F:1F90": an address as the kernel prints it (the words of the
 * network-order bytes, in host order) and a port. */
static bool parse_addr(const char *s, uint8_t *addr, size_t words, uint16_t *port)
{
	unsigned int p;
	size_t i;

	for (i = 0; i < words; i++) {
		char w[9];
		uint32_t v;

		memcpy(w, s + 8 * i, 8);
		w[8] = '\0';
		v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(addr + 4 * i, &v, 4);
	}
	if (s[8 * words] != ':' || sscanf(s + 8 * words + 1, "%x", &p) != 1)
		return false;
	*port = (uint16_t)p;
	return true;
}

static void load_inet(struct kscap__socks *s, const char *path, bool v6, uint8_t l4)
{
	char line[512], local[64], remote[64];
	unsigned long long ino;
	unsigned int st;
	FILE *f = fopen(path, "re");
	size_t words = v6 ? 4 : 1;

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {	/* the header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		struct kscap__sock *k;

		if (sscanf(line, " %*u: %63s %63s %x %*s %*s %*s %*u %*u %llu",
			   local, remote, &st, &ino) != 4 || !ino)
			continue;
		k = add(s);
		if (!k)
			break;
		k->ino = ino;
		k->l4 = l4;
		if (!parse_addr(local, k->sip, words, &k->sport) ||
		    !parse_addr(remote, k->dip, words, &k->dport)) {
			s->n--;
			continue;
		}
		/* a TCP listener, or a UDP socket with no peer: a server */
		k->server = l4 == SCAP_L4_TCP ? st == 0x0A : !k->dport;
		k->type = v6 ? (k->server ? SCAP_FD_IPV6_SERVSOCK : SCAP_FD_IPV6_SOCK) :
			       (k->server ? SCAP_FD_IPV4_SERVSOCK : SCAP_FD_IPV4_SOCK);
	}
	fclose(f);
}

static void load_unix(struct kscap__socks *s, const char *path)
{
	char line[512], name[SCAP_MAX_PATH];
	unsigned long long num, ino;
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		struct kscap__sock *k;
		int n;

		name[0] = '\0';
		n = sscanf(line, "%llx: %*x %*x %*x %*x %*x %llu %1023s", &num, &ino, name);
		if (n < 2 || !ino)
			continue;
		k = add(s);
		if (!k)
			break;
		k->ino = ino;
		k->type = SCAP_FD_UNIX_SOCK;
		k->src = num;		/* what /proc shows: 0 unless privileged */
		n = (int)strnlen(name, sizeof(k->path) - 1);
		memcpy(k->path, name, (size_t)n);
		k->path[n] = '\0';
	}
	fclose(f);
}

static int by_ino(const void *a, const void *b)
{
	const struct kscap__sock *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Load the tables of @pid's network namespace, unless they are loaded. */
static void load(struct kscap__socks *s, const char *procdir, int64_t pid)
{
	static const struct {
		const char *file;
		bool v6;
		uint8_t l4;
	} inet[] = {
		{ "tcp", false, SCAP_L4_TCP }, { "udp", false, SCAP_L4_UDP },
		{ "tcp6", true, SCAP_L4_TCP }, { "udp6", true, SCAP_L4_UDP },
	};
	char path[512], ns[64];
	ssize_t n;
	size_t i;

	snprintf(path, sizeof(path), "%s/%lld/ns/net", procdir, (long long)pid);
	n = readlink(path, ns, sizeof(ns) - 1);
	ns[n > 0 ? n : 0] = '\0';
	if (s->netns[0] && !strcmp(ns, s->netns))
		return;
	snprintf(s->netns, sizeof(s->netns), "%s", ns[0] ? ns : "?");
	s->n = 0;
	for (i = 0; i < ARRAY_SIZE(inet); i++) {
		snprintf(path, sizeof(path), "%s/%lld/net/%s", procdir, (long long)pid,
			 inet[i].file);
		load_inet(s, path, inet[i].v6, inet[i].l4);
	}
	snprintf(path, sizeof(path), "%s/%lld/net/unix", procdir, (long long)pid);
	load_unix(s, path);
	qsort(s->v, s->n, sizeof(s->v[0]), by_ino);
}

const struct kscap__sock *kscap__socks_find(struct kscap__socks *s, const char *procdir,
					    int64_t pid, uint64_t ino)
{
	struct kscap__sock key = { .ino = ino };

	load(s, procdir, pid);
	return s->n ? bsearch(&key, s->v, s->n, sizeof(s->v[0]), by_ino) : NULL;
}
