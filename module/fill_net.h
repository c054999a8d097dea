/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network encoders' building blocks (fill_net.c), declared for the
 * KUnit tests. Each kscap_net_put_*() writes one whole parameter and
 * closes it. The first group turns values already in kernel memory into
 * the ABI's bytes; the second gathers them from a socket or from user
 * memory first (never sleeping, never faulting).
 */
#ifndef KSCAP_FILL_NET_H
#define KSCAP_FILL_NET_H

#include <linux/socket.h>
#include <linux/uio.h>
#include "writer.h"

struct socket;
struct sock;

/* SOCKADDR: the first @len bytes of @sa (more are ignored). */
void kscap_net_put_sockaddr(struct kscap_event_writer *w,
			    const struct sockaddr_storage *sa, u32 len);
/*
 * SOCKTUPLE of an AF_INET or AF_INET6 connection: @src and @dst are a
 * sockaddr_in (AF_INET) or sockaddr_in6 (AF_INET6) each, of @family.
 */
void kscap_net_put_tuple_inet(struct kscap_event_writer *w, u16 family,
			      const struct sockaddr_storage *src,
			      const struct sockaddr_storage *dst);
/*
 * SOCKTUPLE of an AF_UNIX connection: two socket identifiers (inode
 * numbers) and the path of @name, a sockaddr_un of @name_len bytes.
 */
/*
 * The id of a unix socket end in tuples and in socketpair's source and
 * peer (see uapi/kscap.h); kscap_net_init() draws its key, at load.
 */
void kscap_net_init(void);
u64 kscap_net_unix_id(const struct sock *sk);

void kscap_net_put_tuple_unix(struct kscap_event_writer *w, u64 src_id, u64 dst_id,
			      const struct sockaddr_storage *name, u32 name_len);

/* The DYN index the ABI gives option @optname of @level (PPM_SOCKOPT_IDX_*). */
u8 kscap_net_sockopt_idx(int level, int optname, s64 len);

/* Sum of the lengths of @n iovecs, saturated to U32_MAX. */
u32 kscap_net_iov_total(const struct iovec *iov, unsigned int n);

/*
 * The tuple of @sock as this process sees it. @peer, when not NULL, is
 * the remote address the call named (@peer_len bytes, from the user);
 * otherwise the socket's own peer is used. @inbound: the remote end is
 * the source (accept, recv*), else the destination (connect, send*).
 */
void kscap_net_put_sock_tuple(struct kscap_event_writer *w, struct socket *sock,
			      const struct sockaddr_storage *peer, u32 peer_len,
			      bool inbound);

/*
 * A sockaddr at user address @uaddr of @ulen bytes (the syscall's int),
 * into @sa. Returns the bytes kept (at most sizeof(*sa)); 0 when there
 * is none; -EFAULT (and one fault counted) when it cannot be read.
 */
int kscap_net_user_sockaddr(struct kscap_event_writer *w, const void __user *uaddr,
			    s64 ulen, struct sockaddr_storage *sa);

/*
 * Total length of the user iovec array @uiov of @cnt entries (at most
 * UIO_MAXIOV are read), or -EFAULT (one fault counted).
 */
s64 kscap_net_user_iov_total(struct kscap_event_writer *w,
			     const struct iovec __user *uiov, u64 cnt);
/* BYTEBUF: the data of the user iovec array, at most @limit bytes. */
void kscap_net_put_iov_data(struct kscap_event_writer *w,
			    const struct iovec __user *uiov, u64 cnt, u32 limit);
/* DYN value of a socket option, the value itself at most @snap bytes. */
void kscap_net_put_sockopt(struct kscap_event_writer *w, int level, int optname,
			   const void __user *val, s64 len, u32 snap);

#endif /* KSCAP_FILL_NET_H */
