// SPDX-License-Identifier: GPL-2.0
/*
 * Network encoders: socket addresses (SOCKADDR), connection tuples
 * (SOCKTUPLE), the data and sizes of message and iovec buffers, and
 * socket option values (DYN).
 *
 * Everything runs in a syscall tracepoint with preemption off, so nothing
 * here may sleep: no lock_sock(), and so no ->getname() (inet_getname
 * takes the socket lock and runs cgroup BPF programs). Addresses are read
 * from the socket's fields, as getsockname()/getpeername() would report
 * them; user memory is read with copy_from_user_nofault(). Every length
 * a user gave is bounded before it is used.
 *
 * Each parameter is built in two steps: gather the values (from the
 * socket or user memory) into kernel memory, then encode them with a
 * function that only sees kernel memory. fill_net.h declares both halves
 * for the KUnit tests.
 */
#include <linux/net.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/un.h>
#include <linux/uio.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/rcupdate.h>
#include <linux/random.h>
#include <linux/compat.h>
#include <net/compat.h>
#include <linux/siphash.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/af_unix.h>
#include <net/tcp_states.h>
#include "encoders.h"
#include "fillers.h"
#include "fill_net.h"
#include "flags.h"

/* The DYN indexes of uapi/kscap_flags.h, as constants. */
enum {
#define KSCAP_DYN(table, name, index, type, fmt) \
	KSCAP_NET_DYN_##table##_##name = (index),
#include "kscap_flags.h"
#undef KSCAP_DYN
};

#define SOCKOPT_IDX(name)	KSCAP_NET_DYN_SOCKOPT_DYNAMIC_PARAM_##name

/* Bytes of a sockaddr_in / sockaddr_in6 the encodings need. */
#define SIN_MIN		offsetofend(struct sockaddr_in, sin_addr)
#define SIN6_MIN	offsetofend(struct sockaddr_in6, sin6_addr)
#define SUN_PATH_OFF	offsetof(struct sockaddr_un, sun_path)

/* iovecs copied from user memory at a time, on the stack. */
#define NET_IOV_BATCH	8

static void append_u8(struct kscap_event_writer *w, u8 v)
{
	kscap_w_raw(w, &v, sizeof(v));
}

/* Address (network order, as the ABI keeps it) then port (host order). */
static void append_in4(struct kscap_event_writer *w, const struct sockaddr_in *sin)
{
	u16 port = ntohs(sin->sin_port);

	kscap_w_raw(w, &sin->sin_addr.s_addr, sizeof(sin->sin_addr.s_addr));
	kscap_w_raw(w, &port, sizeof(port));
}

static void append_in6(struct kscap_event_writer *w, const struct sockaddr_in6 *sin6)
{
	u16 port = ntohs(sin6->sin6_port);

	kscap_w_raw(w, sin6->sin6_addr.s6_addr, sizeof(sin6->sin6_addr.s6_addr));
	kscap_w_raw(w, &port, sizeof(port));
}

/*
 * The path of a sockaddr_un of @len bytes, as the ABI shows it: up to
 * its first NUL, an abstract name (first byte NUL) as '@' and the name,
 * at most UNIX_PATH_MAX bytes with the terminating NUL. An unnamed
 * socket's address (no path bytes) gives "".
 */
static void append_unix_path(struct kscap_event_writer *w,
			     const struct sockaddr_un *sun, u32 len)
{
	const char *src = sun->sun_path;
	u32 avail = 0, n, at = 0;
	u8 *p;

	if (len > SUN_PATH_OFF)
		avail = min_t(u32, len - SUN_PATH_OFF, UNIX_PATH_MAX);
	if (avail && src[0] == '\0') {
		at = 1;
		src++;
		avail--;
	}
	n = min_t(u32, strnlen(src, avail), UNIX_PATH_MAX - 1 - at);
	p = kscap_w_grow(w, at + n + 1);
	if (!p)
		return;
	if (at)
		p[0] = '@';
	memcpy(p + at, src, n);
	p[at + n] = '\0';
}

void kscap_net_put_sockaddr(struct kscap_event_writer *w,
			    const struct sockaddr_storage *sa, u32 len)
{
	len = min_t(u32, len, sizeof(*sa));
	if (len < sizeof(sa->ss_family))
		goto out;
	/* An address too short for its family never reached the socket. */
	switch (sa->ss_family) {
	case AF_INET:
		if (len < SIN_MIN)
			break;
		append_u8(w, KSCAP_ABI_SOCKET_FAMILIES_AF_INET);
		append_in4(w, (const struct sockaddr_in *)sa);
		break;
	case AF_INET6:
		if (len < SIN6_MIN)
			break;
		append_u8(w, KSCAP_ABI_SOCKET_FAMILIES_AF_INET6);
		append_in6(w, (const struct sockaddr_in6 *)sa);
		break;
	case AF_UNIX:
		append_u8(w, KSCAP_ABI_SOCKET_FAMILIES_AF_UNIX);
		append_unix_path(w, (const struct sockaddr_un *)sa, len);
		break;
	default:
		/* Families the ABI has no address layout for: no value. */
		break;
	}
out:
	kscap_w_next(w);
}

/*
 * One end of an inet connection as a tuple shows it: the address and the
 * port in network order (an AF_INET address in a.v4). Small enough to
 * gather on the stack for every send and receive, where a whole
 * sockaddr_storage per end would be mostly zeroing.
 */
struct inet_end {
	union {
		__be32 v4;
		struct in6_addr v6;
	} a;
	__be16 port;
};

/* Bytes of an AF_INET / AF_INET6 tuple: family, then address and port twice. */
#define TUPLE4_LEN	(1 + 2 * (4 + 2))
#define TUPLE6_LEN	(1 + 2 * (16 + 2))

/* The tuple @src -> @dst, taken room for once; nothing for another family. */
static __always_inline void put_tuple_ends(struct kscap_event_writer *w, u16 family,
					   const struct inet_end *src, const struct inet_end *dst)
{
	u8 *p;

	if (family == AF_INET) {
		p = kscap_w_grow(w, TUPLE4_LEN);
		if (p) {
			p[0] = KSCAP_ABI_SOCKET_FAMILIES_AF_INET;
			put_unaligned(src->a.v4, (__be32 *)(p + 1));
			put_unaligned(ntohs(src->port), (u16 *)(p + 5));
			put_unaligned(dst->a.v4, (__be32 *)(p + 7));
			put_unaligned(ntohs(dst->port), (u16 *)(p + 11));
		}
	} else if (family == AF_INET6) {
		p = kscap_w_grow(w, TUPLE6_LEN);
		if (p) {
			p[0] = KSCAP_ABI_SOCKET_FAMILIES_AF_INET6;
			memcpy(p + 1, &src->a.v6, sizeof(src->a.v6));
			put_unaligned(ntohs(src->port), (u16 *)(p + 17));
			memcpy(p + 19, &dst->a.v6, sizeof(dst->a.v6));
			put_unaligned(ntohs(dst->port), (u16 *)(p + 35));
		}
	}
	kscap_w_next(w);
}

static void sa_to_end(u16 family, const struct sockaddr_storage *sa, struct inet_end *e)
{
	memset(e, 0, sizeof(*e));
	if (family == AF_INET) {
		e->a.v4 = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
		e->port = ((const struct sockaddr_in *)sa)->sin_port;
	} else if (family == AF_INET6) {
		e->a.v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		e->port = ((const struct sockaddr_in6 *)sa)->sin6_port;
	}
}

void kscap_net_put_tuple_inet(struct kscap_event_writer *w, u16 family,
			      const struct sockaddr_storage *src,
			      const struct sockaddr_storage *dst)
{
	struct inet_end s, d;

	sa_to_end(family, src, &s);
	sa_to_end(family, dst, &d);
	put_tuple_ends(w, family, &s, &d);
}

/*
 * Where the reference ABI puts two kernel socket pointers we put ids
 * that give nothing of the kernel's layout away (kscap_net_unix_id()).
 */
void kscap_net_put_tuple_unix(struct kscap_event_writer *w, u64 src_id, u64 dst_id,
			      const struct sockaddr_storage *name, u32 name_len)
{
	append_u8(w, KSCAP_ABI_SOCKET_FAMILIES_AF_UNIX);
	kscap_w_raw(w, &src_id, sizeof(src_id));
	kscap_w_raw(w, &dst_id, sizeof(dst_id));
	append_unix_path(w, (const struct sockaddr_un *)name,
			 min_t(u32, name_len, sizeof(*name)));
	kscap_w_next(w);
}

/*
 * The ABI's index for an option's value, by how the option's value is
 * laid out; any option at another level, or whose value is shorter than
 * its layout (the call then fails), is shown as raw bytes.
 */
u8 kscap_net_sockopt_idx(int level, int optname, s64 len)
{
	u8 idx = SOCKOPT_IDX(UNKNOWN);
	s64 need = 0;

	if (level != SOL_SOCKET)
		return idx;
	switch (optname) {
	case SO_ERROR:
		idx = SOCKOPT_IDX(ERRNO);
		need = sizeof(int);
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		/* x86_64: both are two 64-bit fields, seconds and microseconds. */
		idx = SOCKOPT_IDX(TIMEVAL);
		need = 2 * sizeof(s64);
		break;
	case SO_COOKIE:
		idx = SOCKOPT_IDX(UINT64);
		need = sizeof(u64);
		break;
	case SO_MAX_PACING_RATE:
		/* An unsigned long when given room for one, else an int. */
		if (len >= (s64)sizeof(u64)) {
			idx = SOCKOPT_IDX(UINT64);
			need = sizeof(u64);
		} else {
			idx = SOCKOPT_IDX(UINT32);
			need = sizeof(u32);
		}
		break;
	/*
	 * Options whose value is an int. SO_BINDTODEVICE and SO_PEERSEC,
	 * which hold strings, stay raw bytes.
	 */
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_TYPE:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_SNDBUF:
	case SO_RCVBUF:
	case SO_SNDBUFFORCE:
	case SO_RCVBUFFORCE:
	case SO_KEEPALIVE:
	case SO_OOBINLINE:
	case SO_NO_CHECK:
	case SO_PRIORITY:
	case SO_BSDCOMPAT:
	case SO_REUSEPORT:
	case SO_PASSCRED:
	case SO_RCVLOWAT:
	case SO_SNDLOWAT:
	case SO_SECURITY_AUTHENTICATION:
	case SO_SECURITY_ENCRYPTION_TRANSPORT:
	case SO_SECURITY_ENCRYPTION_NETWORK:
	case SO_DETACH_FILTER:
	case SO_TIMESTAMP_OLD:
	case SO_TIMESTAMP_NEW:
	case SO_ACCEPTCONN:
	case SO_PASSSEC:
	case SO_TIMESTAMPNS_OLD:
	case SO_TIMESTAMPNS_NEW:
	case SO_MARK:
	case SO_TIMESTAMPING_OLD:
	case SO_TIMESTAMPING_NEW:
	case SO_PROTOCOL:
	case SO_DOMAIN:
	case SO_RXQ_OVFL:
	case SO_WIFI_STATUS:
	case SO_PEEK_OFF:
	case SO_NOFCS:
	case SO_LOCK_FILTER:
	case SO_SELECT_ERR_QUEUE:
	case SO_BUSY_POLL:
	case SO_BPF_EXTENSIONS:
	case SO_INCOMING_CPU:
		idx = SOCKOPT_IDX(UINT32);
		need = sizeof(u32);
		break;
	}
	return len >= need ? idx : SOCKOPT_IDX(UNKNOWN);
}

void kscap_net_put_sockopt(struct kscap_event_writer *w, int level, int optname,
			   const void __user *val, s64 len, u32 snap)
{
	u8 idx = kscap_net_sockopt_idx(level, optname, len);
	union {
		u32 v32;
		u64 v64;
		struct {
			s64 sec;
			s64 usec;
		} tv;
	} u;
	u32 size = 0;
	s64 err;
	u64 ns;

	switch (idx) {
	case SOCKOPT_IDX(ERRNO):
	case SOCKOPT_IDX(UINT32):
		size = sizeof(u.v32);
		break;
	case SOCKOPT_IDX(UINT64):
		size = sizeof(u.v64);
		break;
	case SOCKOPT_IDX(TIMEVAL):
		size = sizeof(u.tv);
		break;
	}
	if (size && copy_from_user_nofault(&u, val, size)) {
		/* Unreadable: an empty value of the raw-bytes kind. */
		if (val)
			w->faults++;
		idx = SOCKOPT_IDX(UNKNOWN);
		len = 0;
	}
	append_u8(w, idx);
	switch (idx) {
	case SOCKOPT_IDX(ERRNO):
		/* SO_ERROR holds a positive errno; ERRNO values are negative. */
		err = -(s64)(int)u.v32;
		kscap_w_raw(w, &err, sizeof(err));
		break;
	case SOCKOPT_IDX(UINT32):
		kscap_w_raw(w, &u.v32, sizeof(u.v32));
		break;
	case SOCKOPT_IDX(UINT64):
		kscap_w_raw(w, &u.v64, sizeof(u.v64));
		break;
	case SOCKOPT_IDX(TIMEVAL):
		ns = (u64)u.tv.sec * NSEC_PER_SEC + (u64)u.tv.usec * NSEC_PER_USEC;
		kscap_w_raw(w, &ns, sizeof(ns));
		break;
	default:
		if (val && len > 0 && snap)
			kscap_w_user_append(w, val, min_t(u64, len, snap));
		break;
	}
	kscap_w_next(w);
}

u32 kscap_net_iov_total(const struct iovec *iov, unsigned int n)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		total += iov[i].iov_len;
		/* Each iov_len is user-chosen: stop before the sum can wrap. */
		if (total >= U32_MAX || iov[i].iov_len >= U32_MAX)
			return U32_MAX;
	}
	return total;
}

/* --- gathering ------------------------------------------------------- */

int kscap_net_user_sockaddr(struct kscap_event_writer *w, const void __user *uaddr,
			    s64 ulen, struct sockaddr_storage *sa)
{
	u32 len;

	if (!uaddr || ulen <= 0)
		return 0;
	len = min_t(u64, ulen, sizeof(*sa));
	/* Bytes past @len stay zero: nothing unwritten reaches the ring. */
	memset(sa, 0, sizeof(*sa));
	if (copy_from_user_nofault(sa, uaddr, len)) {
		w->faults++;
		return -EFAULT;
	}
	return len;
}

static __always_inline bool inet_has_peer(const struct sock *sk)
{
	/* Mirrors getpeername(): no peer before the handshake completes. */
	return READ_ONCE(inet_sk(sk)->inet_dport) &&
	       !((1 << READ_ONCE(sk->sk_state)) & (TCPF_CLOSE | TCPF_SYN_SENT));
}

/*
 * The local (@peer false) or remote end of inet socket @sk, of @family,
 * as getsockname()/getpeername() would give it, into @e (zeroed first).
 * Read without the socket lock: each field is read once, and a call
 * racing with a connect or bind on another thread sees one or the other.
 */
static __always_inline void inet_end_of(struct sock *sk, u16 family, bool peer,
					struct inet_end *e)
{
	const struct inet_sock *inet = inet_sk(sk);

	memset(e, 0, sizeof(*e));
	if (peer && !inet_has_peer(sk))
		return;
	if (family == AF_INET) {
		if (peer) {
			e->port = READ_ONCE(inet->inet_dport);
			e->a.v4 = READ_ONCE(inet->inet_daddr);
		} else {
			__be32 addr = READ_ONCE(inet->inet_rcv_saddr);

			if (!addr)
				addr = READ_ONCE(inet->inet_saddr);
			e->port = READ_ONCE(inet->inet_sport);
			e->a.v4 = addr;
		}
		return;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (family == AF_INET6) {
		if (peer) {
			e->port = READ_ONCE(inet->inet_dport);
			e->a.v6 = sk->sk_v6_daddr;
		} else {
			const struct ipv6_pinfo *np = inet6_sk(sk);

			e->port = READ_ONCE(inet->inet_sport);
			if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
				e->a.v6 = sk->sk_v6_rcv_saddr;
			else if (np)
				e->a.v6 = np->saddr;
		}
	}
#endif
}

/*
 * The start of a sockaddr the caller named, as far as an inet tuple
 * reads it: the bytes past what was given stay zero.
 */
union user_sa_head {
	sa_family_t family;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/*
 * The address the caller named (@u, of which @ulen bytes were given) as
 * an end of a socket of @family, into @e: an AF_INET address given to an
 * AF_INET6 socket is the v4-mapped address the kernel uses for it.
 * Anything else (AF_UNSPEC to dissolve an association, a short address)
 * gives zeros.
 */
static __always_inline void inet_end_user(u16 family, const union user_sa_head *u,
					  u32 ulen, struct inet_end *e)
{
	memset(e, 0, sizeof(*e));
	if (family == AF_INET) {
		if (u->family == AF_INET && ulen >= SIN_MIN) {
			e->a.v4 = u->in4.sin_addr.s_addr;
			e->port = u->in4.sin_port;
		}
		return;
	}
	if (u->family == AF_INET6 && ulen >= SIN6_MIN) {
		e->a.v6 = u->in6.sin6_addr;
		e->port = u->in6.sin6_port;
	} else if (u->family == AF_INET && ulen >= SIN_MIN) {
		e->port = u->in4.sin_port;
		ipv6_addr_set_v4mapped(u->in4.sin_addr.s_addr, &e->a.v6);
	}
}

/* Drawn at load: ids of one load cannot be compared with another's. */
static siphash_key_t kscap_unix_key __read_mostly;

void kscap_net_init(void)
{
	get_random_bytes(&kscap_unix_key, sizeof(kscap_unix_key));
}

/*
 * A keyed hash of the socket's struct sock, the same from its creation
 * to its end. Not its inode number: the server end of a stream
 * connection has none until accept() gives it one, after the connect
 * that names it as its peer.
 */
u64 kscap_net_unix_id(const struct sock *sk)
{
	if (!sk)
		return 0;
	return siphash_1u64((u64)(unsigned long)sk, &kscap_unix_key) ?: 1;
}

/* The bound name of unix socket @sk, as getsockname() gives it. */
static u32 unix_name(struct sock *sk, struct sockaddr_storage *sa)
{
	/* Set once by bind or autobind, and freed with the socket only. */
	struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);
	u32 len;

	memset(sa, 0, sizeof(*sa));
	sa->ss_family = AF_UNIX;
	if (!addr)
		return SUN_PATH_OFF;
	len = min_t(u32, addr->len, sizeof(*sa));
	memcpy(sa, addr->name, len);
	return len;
}

/*
 * The reference ABI orders a unix tuple by direction the other way from
 * inet: outbound (connect, send) is peer then this socket, inbound
 * (accept, recv) this socket then peer, so that a connect and the accept
 * that answers it name the same two sockets in the same order. The path
 * is the remote name outbound (the one the caller gave, when it gave
 * one) and this socket's own name inbound.
 */
static void put_unix_tuple(struct kscap_event_writer *w, struct socket *sock,
			   const struct sockaddr_storage *user, u32 user_len,
			   bool inbound)
{
	struct sock *sk = sock->sk, *peer;
	struct sockaddr_storage name;
	u64 me = kscap_net_unix_id(sk), them = 0;
	bool named = !inbound && user && user->ss_family == AF_UNIX;
	u32 name_len = SUN_PATH_OFF;

	memset(&name, 0, sizeof(name));
	name.ss_family = AF_UNIX;
	/* The state lock keeps the peer (and our reference to it) alive. */
	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer) {
		them = kscap_net_unix_id(peer);
		if (!inbound && !named)
			name_len = unix_name(peer, &name);
	}
	unix_state_unlock(sk);
	if (inbound)
		name_len = unix_name(sk, &name);
	if (named)
		kscap_net_put_tuple_unix(w, them, me, user, user_len);
	else if (inbound)
		kscap_net_put_tuple_unix(w, me, them, &name, name_len);
	else
		kscap_net_put_tuple_unix(w, them, me, &name, name_len);
}

/*
 * An address a call named, as a tuple reads it: @n bytes were given (at
 * most a sockaddr_storage's; 0: none). @head holds the first of them,
 * zero past @n; @full, when not NULL, all of them (more than @head holds).
 * Most are a sockaddr_in or _in6: those are read in one small copy.
 */
struct named_addr {
	u32 n;
	union user_sa_head head;
	const struct sockaddr_storage *full;
};

static void named_addr_kernel(struct named_addr *na, const struct sockaddr_storage *sa,
			      u32 len)
{
	na->n = min_t(u32, len, sizeof(*sa));
	memcpy(&na->head, sa, sizeof(na->head));
	na->full = sa;
}

/*
 * The address at @uaddr of @ulen bytes (the syscall's int) into @na, @ss
 * holding it when longer than na->head. Returns the bytes kept, 0 when
 * there is none, -EFAULT (one fault counted) when any cannot be read:
 * as kscap_net_user_sockaddr().
 */
static __always_inline int named_addr_user(struct kscap_event_writer *w,
					   const void __user *uaddr, s64 ulen,
					   struct named_addr *na, struct sockaddr_storage *ss)
{
	u32 len;

	na->n = 0;
	na->full = NULL;
	if (!uaddr || ulen <= 0)
		return 0;
	len = min_t(u64, ulen, sizeof(*ss));
	if (len > sizeof(na->head)) {
		if (kscap_net_user_sockaddr(w, uaddr, len, ss) < 0)
			return -EFAULT;
		named_addr_kernel(na, ss, len);
		return len;
	}
	memset(&na->head, 0, sizeof(na->head));
	if (!kscap_user_read(&na->head, uaddr, len)) {
		w->faults++;
		return -EFAULT;
	}
	na->n = len;
	return len;
}

/* The tuple of @sock; @na: the address the call named, NULL for none. */
static __always_inline void put_tuple(struct kscap_event_writer *w, struct socket *sock,
				      const struct named_addr *na, bool inbound)
{
	struct inet_end local, remote;
	struct sock *sk = sock->sk;
	u16 family;

	if (!sk) {
		kscap_w_empty(w);
		return;
	}
	family = READ_ONCE(sk->sk_family);
	switch (family) {
	case AF_UNIX:
		if (na && !na->full) {
			struct sockaddr_storage ss;

			memset(&ss, 0, sizeof(ss));
			memcpy(&ss, &na->head, sizeof(na->head));
			put_unix_tuple(w, sock, &ss, na->n, inbound);
		} else {
			put_unix_tuple(w, sock, na ? na->full : NULL, na ? na->n : 0, inbound);
		}
		return;
	case AF_INET:
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
#endif
		break;
	default:
		/* No tuple layout for other families. */
		kscap_w_empty(w);
		return;
	}
	inet_end_of(sk, family, false, &local);
	if (na)
		inet_end_user(family, &na->head, na->n, &remote);
	else
		inet_end_of(sk, family, true, &remote);
	if (inbound)
		put_tuple_ends(w, family, &remote, &local);
	else
		put_tuple_ends(w, family, &local, &remote);
}

void kscap_net_put_sock_tuple(struct kscap_event_writer *w, struct socket *sock,
			      const struct sockaddr_storage *peer, u32 peer_len,
			      bool inbound)
{
	struct named_addr na;

	if (peer)
		named_addr_kernel(&na, peer, peer_len);
	put_tuple(w, sock, peer ? &na : NULL, inbound);
}

/*
 * The socket behind @fd of the current task, or NULL. As the kernel's
 * own fdget() does, the file is borrowed without a reference while the
 * task's file table is not shared: only the task itself, which is in
 * this syscall until the probe returns, could close the fd. A shared
 * table takes a reference (*@ref, for fd_sock_put()): another thread
 * may close the fd meanwhile.
 */
static __always_inline struct socket *fd_sock_get(long fd, struct file **ref)
{
	struct files_struct *files = current->files;
	struct socket *sock;
	struct file *f;

	*ref = NULL;
	if (fd < 0 || fd > INT_MAX || !files)
		return NULL;
	if (atomic_read(&files->count) == 1) {
		f = files_lookup_fd_raw(files, fd);
	} else {
		f = fget(fd);
		*ref = f;
	}
	if (!f)
		return NULL;
	/* Only a socket's file has socket_file_ops (not an O_PATH one). */
	sock = sock_from_file(f);
	if (!sock && *ref) {
		fput(*ref);
		*ref = NULL;
	}
	return sock;
}

/* fput() defers a last reference's release to task work: never sleeps. */
static __always_inline void fd_sock_put(struct file *ref)
{
	if (ref)
		fput(ref);
}

/* The tuple of the socket behind @fd; empty if @fd is not a socket. */
static void put_fd_tuple(struct kscap_event_writer *w, long fd,
			 const struct named_addr *na, bool inbound)
{
	struct file *ref;
	struct socket *sock = fd_sock_get(fd, &ref);

	if (!sock) {
		kscap_w_empty(w);
		return;
	}
	put_tuple(w, sock, na && na->n ? na : NULL, inbound);
	fd_sock_put(ref);
}

/* The start of a user msghdr, up to msg_iovlen; false if unreadable. */
static bool user_msghdr(struct kscap_event_writer *w, unsigned long umsg,
			struct user_msghdr *mh)
{
	if (!umsg)
		return false;
#ifdef CONFIG_COMPAT
	/* A 32-bit process's: 32-bit pointers and lengths, widened here. */
	if (in_compat_syscall()) {
		struct compat_msghdr cm;

		if (copy_from_user_nofault(&cm, compat_ptr(umsg),
					   offsetofend(struct compat_msghdr, msg_iovlen))) {
			w->faults++;
			return false;
		}
		mh->msg_name = compat_ptr(cm.msg_name);
		mh->msg_namelen = cm.msg_namelen;
		mh->msg_iov = compat_ptr(cm.msg_iov);
		mh->msg_iovlen = cm.msg_iovlen;
		return true;
	}
#endif
	if (copy_from_user_nofault(mh, (const void __user *)umsg,
				   offsetofend(struct user_msghdr, msg_iovlen))) {
		w->faults++;
		return false;
	}
	return true;
}

/*
 * iovecs [@idx, @idx + @n) of the array at @uiov, as the caller laid them
 * out: a 32-bit process's hold 32-bit pointers and lengths.
 */
static int copy_iov_batch(struct iovec *batch, const struct iovec __user *uiov,
			  u64 idx, unsigned int n)
{
#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		const struct compat_iovec __user *cv = (const void __user *)uiov;
		struct compat_iovec c[NET_IOV_BATCH];
		unsigned int i;

		if (copy_from_user_nofault(c, cv + idx, n * sizeof(*c)))
			return -EFAULT;
		for (i = 0; i < n; i++) {
			batch[i].iov_base = compat_ptr(c[i].iov_base);
			batch[i].iov_len = c[i].iov_len;
		}
		return 0;
	}
#endif
	return copy_from_user_nofault(batch, uiov + idx, n * sizeof(*batch)) ? -EFAULT : 0;
}

s64 kscap_net_user_iov_total(struct kscap_event_writer *w,
			     const struct iovec __user *uiov, u64 cnt)
{
	struct iovec batch[NET_IOV_BATCH];
	u64 total = 0, done = 0;

	cnt = min_t(u64, cnt, UIO_MAXIOV);
	if (cnt && !uiov)
		return -EFAULT;
	while (done < cnt) {
		unsigned int n = min_t(u64, cnt - done, NET_IOV_BATCH);

		if (copy_iov_batch(batch, uiov, done, n)) {
			w->faults++;
			return -EFAULT;
		}
		total = min_t(u64, total + kscap_net_iov_total(batch, n), U32_MAX);
		done += n;
	}
	return total;
}

/*
 * The data of @cnt iovecs, at most @limit bytes. With @cut_counts (the
 * limit is snaplen and the iovecs hold data, not room for it), stopping
 * with bytes left in an iovec, or with iovecs still to go, counts the
 * value as truncated.
 */
static void put_iov_data(struct kscap_event_writer *w, const struct iovec __user *uiov,
			 u64 cnt, u32 limit, bool cut_counts)
{
	struct iovec batch[NET_IOV_BATCH];
	u64 done = 0;
	u32 left = limit;
	bool cut = false;

	cnt = min_t(u64, cnt, UIO_MAXIOV);
	if (!uiov)
		cnt = 0;
	while (left && done < cnt) {
		unsigned int n = min_t(u64, cnt - done, NET_IOV_BATCH), i;

		if (copy_iov_batch(batch, uiov, done, n)) {
			w->faults++;
			goto bad;
		}
		for (i = 0; i < n && left; i++) {
			u32 len = min_t(u64, batch[i].iov_len, left);

			if (!len)
				continue;
			/* Counts its own faults. */
			if (!kscap_w_user_append(w, batch[i].iov_base, len))
				goto bad;
			left -= len;
			cut = len < batch[i].iov_len;
		}
		/* The rest of this batch, then whether more batches follow. */
		for (; i < n && !cut; i++)
			cut = batch[i].iov_len;
		done += n;
		cut = cut || (!left && done < cnt);
	}
	if (cut && cut_counts)
		w->truncated++;
	kscap_w_next(w);
	return;
bad:
	/* A hole in the data would misrepresent it: keep none of it. */
	if (!w->overflow)
		w->off = w->param_start;
	kscap_w_next(w);
}

void kscap_net_put_iov_data(struct kscap_event_writer *w,
			    const struct iovec __user *uiov, u64 cnt, u32 limit)
{
	put_iov_data(w, uiov, cnt, limit, false);
}

/* Whether this event reports a read's result (its size then is ret's). */
static bool is_read_exit(const struct kscap_event_writer *w,
			 const struct kscap_ctx *c)
{
	return KSCAP_EV_IS_EXIT(w->type) && c->ret >= 0;
}

static void put_iov_size(struct kscap_event_writer *w, const struct kscap_ctx *c,
			 const struct iovec __user *uiov, u64 cnt)
{
	s64 total = kscap_net_user_iov_total(w, uiov, cnt);

	if (total < 0) {
		kscap_w_empty(w);
		return;
	}
	/* A read's buffers may be larger than what it read. */
	if (is_read_exit(w, c))
		total = min_t(s64, total, c->ret);
	kscap_w_u32(w, total);
}

/* --- the encoders (see enum kscap_encoder) ---------------------------- */

KSCAP_ENCODER(kscap_enc_sockaddr)
{
	struct sockaddr_storage sa;
	int n = kscap_net_user_sockaddr(w, (const void __user *)args[s->b],
					(int)args[s->c], &sa);

	if (n <= 0)
		kscap_w_empty(w);
	else
		kscap_net_put_sockaddr(w, &sa, n);
}

/* The socket's own tuple: local -> peer. */
KSCAP_ENCODER(kscap_enc_tuple)
{
	put_fd_tuple(w, (int)args[s->b], NULL, false);
}

/* The outbound tuple of @fd to the address at @uaddr, @ulen bytes. */
static void tuple_to(struct kscap_event_writer *w, long fd, const void __user *uaddr,
		     s64 ulen)
{
	/* Written (zeroed first) only for an address longer than na.head. */
	struct sockaddr_storage ss __uninitialized;
	struct named_addr na __uninitialized;	/* named_addr_user() sets it */

	if (named_addr_user(w, uaddr, ulen, &na, &ss) < 0)
		kscap_w_empty(w);
	else
		put_fd_tuple(w, fd, &na, false);
}

/*
 * sendto, connect: the destination given, else (connected socket) the
 * peer. connect names the address asked for, as the reference ABI does,
 * so a refused or still pending connect (no peer yet) still shows it.
 */
KSCAP_ENCODER(kscap_enc_tuple_to)
{
	tuple_to(w, (int)args[s->b], (const void __user *)args[s->c], (int)args[s->d]);
}

/* sendmsg: msg_name, else the peer. */
KSCAP_ENCODER(kscap_enc_tuple_msg)
{
	struct user_msghdr mh;

	if (!user_msghdr(w, args[s->c], &mh))
		kscap_w_empty(w);
	else
		tuple_to(w, (int)args[s->b], mh.msg_name, mh.msg_namelen);
}

/*
 * recvfrom, recvmsg: the source is the address the call filled in (the
 * sender of a datagram), else the socket's peer. The length the kernel
 * wrote back is the address's, which may exceed the buffer given for it
 * (the call cut the address short); what was asked for is then read
 * anyway, still only from the caller's own memory and at most a
 * sockaddr_storage of it.
 */
static void put_inbound(struct kscap_event_writer *w, int fd, int n,
			const struct named_addr *na)
{
	if (n < 0)
		kscap_w_empty(w);
	else
		put_fd_tuple(w, fd, na, true);
}

/* recvfrom's tuple: the source address at @uaddr, its length at user int @lenp. */
static void tuple_from(struct kscap_event_writer *w, const struct kscap_ctx *c, int fd,
		       const void __user *uaddr, const int __user *lenp)
{
	/* Written (zeroed first) only for an address longer than na.head. */
	struct sockaddr_storage ss __uninitialized;
	struct named_addr na = { .n = 0 };
	int len, n = 0;

	if (c->ret < 0) {
		kscap_w_empty(w);
		return;
	}
	if (uaddr && lenp) {
		if (!kscap_user_read(&len, lenp, sizeof(len))) {
			w->faults++;
			n = -EFAULT;
		} else {
			n = named_addr_user(w, uaddr, len, &na, &ss);
		}
	}
	put_inbound(w, fd, n, &na);
}

KSCAP_ENCODER(kscap_enc_tuple_from)
{
	tuple_from(w, c, (int)args[s->b], (const void __user *)args[s->c],
		   (const int __user *)args[s->d]);
}

/* recvmsg: the source address is the msghdr's (arg c) msg_name. */
KSCAP_ENCODER(kscap_enc_tuple_in_msg)
{
	/* Written (zeroed first) only for an address longer than na.head. */
	struct sockaddr_storage ss __uninitialized;
	struct named_addr na = { .n = 0 };
	struct user_msghdr mh;
	int n = 0;

	if (c->ret < 0) {
		kscap_w_empty(w);
		return;
	}
	if (!user_msghdr(w, args[s->c], &mh))
		n = args[s->c] ? -EFAULT : 0;
	else
		n = named_addr_user(w, mh.msg_name, mh.msg_namelen, &na, &ss);
	put_inbound(w, (int)args[s->b], n, &na);
}

/* accept, accept4: the new connection, seen from its accepting side. */
KSCAP_ENCODER(kscap_enc_tuple_ret)
{
	if (c->ret < 0)
		kscap_w_empty(w);
	else
		put_fd_tuple(w, c->ret, NULL, true);
}

/*
 * sendto's and recvfrom's rows, written directly rather than through
 * their recipes (SENDTO_E, RECVFROM_X in recipes.c), whose bytes they
 * are: tests/kunit/net_test.c compares the two.
 */
void kscap_fill_sendto_e(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	unsigned long args[6] __uninitialized;

	kscap_get_args(c, args);
	kscap_w_s64(w, (int)args[0]);		/* fd */
	kscap_w_u32(w, args[2]);		/* size */
	tuple_to(w, (int)args[0], (const void __user *)args[4], (int)args[5]);
}

/*
 * kscap_w_user_buf() by kscap_user_read(): the same bytes and counts (a
 * value that cannot be read whole is left empty, one fault counted; one
 * the room left cannot hold overflows the event), for the data of every
 * datagram received.
 */
static void put_user_data(struct kscap_event_writer *w, const void __user *s, u32 len)
{
	u32 start = w->off;
	u8 *p;

	if (len) {
		p = kscap_w_grow(w, len);
		if (p && !kscap_user_read(p, s, len)) {
			w->off = start;
			w->faults++;
		}
	}
	kscap_w_next(w);
}

void kscap_fill_recvfrom_x(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	unsigned long args[6] __uninitialized;

	kscap_get_args(c, args);
	kscap_w_s64(w, c->ret);
	put_user_data(w, (const void __user *)args[1],
		      c->ret > 0 ? kscap_w_capped(w, c->ret, READ_ONCE(kscap_cfg.snaplen)) : 0);
	tuple_from(w, c, (int)args[0], (const void __user *)args[4],
		   (const int __user *)args[5]);
}

/*
 * The unix id of the socket behind the fd at user int[c] of arg b, which
 * a successful call put there: after a failure the int is the caller's
 * garbage, and following it would name an unrelated socket.
 */
KSCAP_ENCODER(kscap_enc_sock_id)
{
	const int __user *fds = (const int __user *)args[s->b];
	struct socket *sock = NULL;
	u64 id = 0;
	int fd, err;

	if (c->ret >= 0 && !copy_from_user_nofault(&fd, fds + s->c, sizeof(fd)) && fd >= 0)
		sock = sockfd_lookup(fd, &err);
	if (sock) {
		if (sock->sk && READ_ONCE(sock->sk->sk_family) == AF_UNIX)
			id = kscap_net_unix_id(sock->sk);
		sockfd_put(sock);
	}
	kscap_w_u64(w, id);
}

/* The listening socket's accept queue after the accept: c = 0, 1, 2. */
KSCAP_ENCODER(kscap_enc_accept_queue)
{
	long fd = (int)args[s->b];
	u32 len = 0, max = 0;
	struct socket *sock = NULL;
	int err;

	if (fd >= 0)
		sock = sockfd_lookup(fd, &err);
	if (sock) {
		if (sock->sk) {
			len = READ_ONCE(sock->sk->sk_ack_backlog);
			max = READ_ONCE(sock->sk->sk_max_ack_backlog);
		}
		sockfd_put(sock);
	}
	switch (s->c) {
	case KSCAP_QUEUE_PCT:
		kscap_w_u8(w, max ? min_t(u64, (u64)len * 100 / max, U8_MAX) : 0);
		break;
	case KSCAP_QUEUE_LEN:
		kscap_w_u32(w, len);
		break;
	default:
		kscap_w_u32(w, max);
		break;
	}
}

KSCAP_ENCODER(kscap_enc_msg_size)
{
	struct user_msghdr mh;

	if (!user_msghdr(w, args[s->b], &mh))
		kscap_w_empty(w);
	else
		put_iov_size(w, c, mh.msg_iov, mh.msg_iovlen);
}

/* sendmsg: what was handed to the kernel, sent or not. */
KSCAP_ENCODER(kscap_enc_msg_data)
{
	struct user_msghdr mh;

	if (!user_msghdr(w, args[s->b], &mh))
		kscap_w_empty(w);
	else
		put_iov_data(w, mh.msg_iov, mh.msg_iovlen, kscap_snap(U32_MAX), true);
}

/* recvmsg: what was received. */
KSCAP_ENCODER(kscap_enc_msg_data_ret)
{
	struct user_msghdr mh;

	if (c->ret <= 0 || !user_msghdr(w, args[s->b], &mh))
		kscap_w_empty(w);
	else
		kscap_net_put_iov_data(w, mh.msg_iov, mh.msg_iovlen,
				       kscap_w_capped(w, c->ret, kscap_snap(U32_MAX)));
}

KSCAP_ENCODER(kscap_enc_iov_size)
{
	put_iov_size(w, c, (const struct iovec __user *)args[s->b], args[s->c]);
}

KSCAP_ENCODER(kscap_enc_iov_data)
{
	put_iov_data(w, (const struct iovec __user *)args[s->b], args[s->c],
		     kscap_snap(U32_MAX), true);
}

KSCAP_ENCODER(kscap_enc_iov_data_ret)
{
	if (c->ret <= 0)
		kscap_w_empty(w);
	else
		kscap_net_put_iov_data(w, (const struct iovec __user *)args[s->b],
				       args[s->c], kscap_w_capped(w, c->ret, kscap_snap(U32_MAX)));
}

/* setsockopt's and getsockopt's level and optname, which every ABI puts first. */
#define SOCKOPT_ARG_LEVEL	1
#define SOCKOPT_ARG_NAME	2

/* setsockopt: value arg b, its length arg c. */
KSCAP_ENCODER(kscap_enc_sockopt_val)
{
	kscap_net_put_sockopt(w, (int)args[SOCKOPT_ARG_LEVEL], (int)args[SOCKOPT_ARG_NAME],
			      (const void __user *)args[s->b], (int)args[s->c],
			      kscap_snap(U32_MAX));
}

/*
 * getsockopt: the length is the int at arg c, as the kernel wrote it
 * back. A failed call wrote no value: the parameter then has none.
 */
KSCAP_ENCODER(kscap_enc_sockopt_val_get)
{
	int len = 0;

	if (c->ret >= 0 && args[s->c] &&
	    copy_from_user_nofault(&len, (const void __user *)args[s->c],
				   sizeof(len))) {
		w->faults++;
		len = 0;
	}
	if (c->ret < 0)
		len = 0;
	kscap_net_put_sockopt(w, (int)args[SOCKOPT_ARG_LEVEL], (int)args[SOCKOPT_ARG_NAME],
			      (const void __user *)args[s->b], len,
			      kscap_snap(U32_MAX));
}
