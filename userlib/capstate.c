// SPDX-License-Identifier: MIT
/*
 * The state a capture file starts with, as sysdig's own files do, so that
 * a reader can name what events refer to: the machine's network
 * interfaces, its users and groups, and each process's open fds. Block
 * layouts: capfmt.h.
 */
#include <dirent.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "capfmt.h"
#include "internal.h"

/* ---- interfaces ---- */

static void iface_v4(struct bbuf *b, const struct ifaddrs *ifa)
{
	const struct sockaddr_in *a = (const void *)ifa->ifa_addr;
	const struct sockaddr_in *m = (const void *)ifa->ifa_netmask;
	const struct sockaddr_in *bc = (const void *)ifa->ifa_broadaddr;
	size_t n = strnlen(ifa->ifa_name, SCAP_MAX_IFNAME);
	size_t start = bb_entry_start(b);

	BB_PUT(b, uint16_t, SCAP_II_IPV4);
	BB_PUT(b, uint16_t, n);
	bb_put(b, &a->sin_addr.s_addr, 4);	/* network order, as in tuples */
	BB_PUT(b, uint32_t, m ? m->sin_addr.s_addr : 0);
	BB_PUT(b, uint32_t, bc && (ifa->ifa_flags & IFF_BROADCAST) ?
		bc->sin_addr.s_addr : 0);
	BB_PUT(b, uint64_t, 0);			/* link speed: unknown */
	bb_put(b, ifa->ifa_name, n);
	bb_entry_end(b, start, false);
}

static void iface_v6(struct bbuf *b, const struct ifaddrs *ifa)
{
	static const uint8_t zero[16];
	const struct sockaddr_in6 *a = (const void *)ifa->ifa_addr;
	const struct sockaddr_in6 *m = (const void *)ifa->ifa_netmask;
	size_t n = strnlen(ifa->ifa_name, SCAP_MAX_IFNAME);
	size_t start = bb_entry_start(b);

	BB_PUT(b, uint16_t, SCAP_II_IPV6);
	BB_PUT(b, uint16_t, n);
	bb_put(b, &a->sin6_addr, 16);
	bb_put(b, m ? (const void *)&m->sin6_addr : zero, 16);
	bb_put(b, zero, 16);			/* no broadcast in IPv6 */
	BB_PUT(b, uint64_t, 0);
	bb_put(b, ifa->ifa_name, n);
	bb_entry_end(b, start, false);
}

void kscap__state_ifaces(struct bbuf *b)
{
	struct ifaddrs *list, *ifa;

	if (getifaddrs(&list))
		return;		/* no interfaces to tell: an empty list */
	for (ifa = list; ifa; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr)
			continue;
		if (ifa->ifa_addr->sa_family == AF_INET)
			iface_v4(b, ifa);
		else if (ifa->ifa_addr->sa_family == AF_INET6)
			iface_v6(b, ifa);
	}
	freeifaddrs(list);
}

/* ---- users and groups ---- */

static size_t cred_len(const char *s)
{
	return s ? strnlen(s, SCAP_MAX_CRED - 1) : 0;
}

void kscap__state_users(struct bbuf *b)
{
	const struct passwd *pw;
	const struct group *gr;
	unsigned int n = 0;

	setpwent();
	while ((pw = getpwent()) && n++ < SCAP_MAX_USERS) {
		size_t start = bb_entry_start(b);

		BB_PUT(b, uint8_t, SCAP_UL_USER);
		BB_PUT(b, uint32_t, pw->pw_uid);
		BB_PUT(b, uint32_t, pw->pw_gid);
		bb_str(b, pw->pw_name, cred_len(pw->pw_name), SIZE_MAX);
		bb_str(b, pw->pw_dir, cred_len(pw->pw_dir), SIZE_MAX);
		bb_str(b, pw->pw_shell, cred_len(pw->pw_shell), SIZE_MAX);
		bb_entry_end(b, start, true);
	}
	endpwent();
	n = 0;
	setgrent();
	while ((gr = getgrent()) && n++ < SCAP_MAX_USERS) {
		size_t start = bb_entry_start(b);

		BB_PUT(b, uint8_t, SCAP_UL_GROUP);
		BB_PUT(b, uint32_t, gr->gr_gid);
		bb_str(b, gr->gr_name, cred_len(gr->gr_name), SIZE_MAX);
		bb_entry_end(b, start, true);
	}
	endgrent();
}

/* ---- open fds ---- */

/* fds whose link names a kind of anonymous inode. */
static const struct {
	const char *link;
	uint8_t type;
} anon_kinds[] = {
	{ "anon_inode:[eventfd]", SCAP_FD_EVENT },
	{ "anon_inode:[signalfd]", SCAP_FD_SIGNALFD },
	{ "anon_inode:[eventpoll]", SCAP_FD_EVENTPOLL },
	{ "anon_inode:inotify", SCAP_FD_INOTIFY },
	{ "anon_inode:[timerfd]", SCAP_FD_TIMERFD },
};

/* The kernel's x86_64 open flags and the ABI's names for them. */
static const struct {
	uint32_t kernel;
	uint32_t abi;
} open_flags[] = {
	{ 00000100, KSCAP_ABI_FILE_FLAGS_O_CREAT },
	{ 00000200, KSCAP_ABI_FILE_FLAGS_O_EXCL },
	{ 00001000, KSCAP_ABI_FILE_FLAGS_O_TRUNC },
	{ 00002000, KSCAP_ABI_FILE_FLAGS_O_APPEND },
	{ 00004000, KSCAP_ABI_FILE_FLAGS_O_NONBLOCK },
	{ 00010000, KSCAP_ABI_FILE_FLAGS_O_DSYNC },
	{ 04000000, KSCAP_ABI_FILE_FLAGS_O_SYNC },	/* with O_DSYNC */
	{ 00040000, KSCAP_ABI_FILE_FLAGS_O_DIRECT },
	{ 00100000, KSCAP_ABI_FILE_FLAGS_O_LARGEFILE },
	{ 00200000, KSCAP_ABI_FILE_FLAGS_O_DIRECTORY },
	{ 02000000, KSCAP_ABI_FILE_FLAGS_O_CLOEXEC },
};

static uint32_t abi_open_flags(uint32_t k)
{
	uint32_t v;
	size_t i;

	switch (k & 3) {
	case 1:
		v = KSCAP_ABI_FILE_FLAGS_O_WRONLY;
		break;
	case 2:
		v = KSCAP_ABI_FILE_FLAGS_O_RDWR;
		break;
	default:
		v = KSCAP_ABI_FILE_FLAGS_O_RDONLY;
		break;
	}
	for (i = 0; i < ARRAY_SIZE(open_flags); i++)
		if (k & open_flags[i].kernel)
			v |= open_flags[i].abi;
	return v;
}

/* The open flags /proc/PID/fdinfo/FD shows (octal). */
static uint32_t fdinfo_flags(const char *procdir, int64_t pid, const char *fd)
{
	char path[512], line[128];
	unsigned int flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%lld/fdinfo/%s", procdir, (long long)pid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %o", &flags) == 1)
			break;
	fclose(f);
	return flags;
}

/* The device number as the kernel encodes it for userspace (dev_t). */
static uint32_t encode_dev(dev_t d)
{
	uint32_t ma = major(d), mi = minor(d);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffU) << 12);
}

static uint8_t fd_type(const char *link, const struct stat *st, bool have_st)
{
	size_t i;

	if (link[0] == '/') {
		if (have_st && S_ISDIR(st->st_mode))
			return SCAP_FD_DIRECTORY;
		if (have_st && S_ISFIFO(st->st_mode))
			return SCAP_FD_FIFO;
		return SCAP_FD_FILE_V2;
	}
	if (!strncmp(link, "pipe:", 5))
		return SCAP_FD_FIFO;
	for (i = 0; i < ARRAY_SIZE(anon_kinds); i++)
		if (!strcmp(link, anon_kinds[i].link))
			return anon_kinds[i].type;
	return SCAP_FD_UNSUPPORTED;	/* other sockets and anonymous files */
}

/* A socket's fields by its kind; false if /proc does not list it. */
static bool sock_fields(struct bbuf *b, const struct kscap__sock *k)
{
	size_t alen = k->type == SCAP_FD_IPV6_SOCK || k->type == SCAP_FD_IPV6_SERVSOCK ? 16 : 4;

	switch (k->type) {
	case SCAP_FD_IPV4_SOCK:
	case SCAP_FD_IPV6_SOCK:
		bb_put(b, k->sip, alen);
		bb_put(b, k->dip, alen);
		BB_PUT(b, uint16_t, k->sport);
		BB_PUT(b, uint16_t, k->dport);
		BB_PUT(b, uint8_t, k->l4);
		return true;
	case SCAP_FD_IPV4_SERVSOCK:
	case SCAP_FD_IPV6_SERVSOCK:
		bb_put(b, k->sip, alen);
		BB_PUT(b, uint16_t, k->sport);
		BB_PUT(b, uint8_t, k->l4);
		return true;
	case SCAP_FD_UNIX_SOCK:
		BB_PUT(b, uint64_t, k->src);
		BB_PUT(b, uint64_t, 0);		/* the peer: not listed */
		bb_str(b, k->path, strlen(k->path), SCAP_MAX_PATH - 1);
		return true;
	default:
		return false;
	}
}

static const struct kscap__sock *find_sock(struct kscap__socks *socks, const char *procdir,
					   int64_t pid, const char *link)
{
	unsigned long long ino;

	if (!socks || sscanf(link, "socket:[%llu]", &ino) != 1)
		return NULL;
	return kscap__socks_find(socks, procdir, pid, ino);
}

static void fd_entry(struct bbuf *b, const char *procdir, int64_t pid, const char *fd,
		     struct kscap__socks *socks)
{
	const struct kscap__sock *sock;
	char path[512], link[SCAP_MAX_PATH + 1];
	struct stat st;
	bool have_st;
	ssize_t n;
	size_t start;
	uint8_t type;

	snprintf(path, sizeof(path), "%s/%lld/fd/%s", procdir, (long long)pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;		/* closed meanwhile */
	link[n] = '\0';
	have_st = !stat(path, &st);
	sock = find_sock(socks, procdir, pid, link);
	type = sock ? sock->type : fd_type(link, &st, have_st);
	start = bb_entry_start(b);
	BB_PUT(b, uint64_t, strtoull(fd, NULL, 10));
	BB_PUT(b, uint64_t, have_st ? st.st_ino : 0);
	BB_PUT(b, uint8_t, type);
	if (sock && sock_fields(b, sock)) {
		bb_entry_end(b, start, true);
		return;
	}
	if (type == SCAP_FD_FILE_V2)
		BB_PUT(b, uint32_t, abi_open_flags(fdinfo_flags(procdir, pid, fd)));
	bb_str(b, link, (size_t)n, SCAP_MAX_PATH - 1);
	if (type == SCAP_FD_FILE_V2)
		BB_PUT(b, uint32_t, have_st ? encode_dev(st.st_dev) : 0);
	bb_entry_end(b, start, true);
}

size_t kscap__state_fds(struct bbuf *b, const char *procdir, int64_t pid,
			struct kscap__socks *socks)
{
	char path[512];
	struct dirent *de;
	size_t start = b->len;
	unsigned int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%lld/fd", procdir, (long long)pid);
	d = opendir(path);
	if (!d)
		return 0;	/* gone, or not ours to read */
	BB_PUT(b, uint64_t, pid);
	while ((de = readdir(d)) && n < SCAP_MAX_FDS) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd_entry(b, procdir, pid, de->d_name, socks);
		n++;
	}
	closedir(d);
	if (!n)
		b->len = start;
	return b->len - start;
}
