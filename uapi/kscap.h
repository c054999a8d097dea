/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kscap: the ABI between the kscap kernel module and userspace.
 *
 * This header is the single source of truth. The module and libkscap both
 * build from it; nothing here may change meaning without bumping
 * KSCAP_ABI_VERSION_MAJOR.
 *
 * Event numbering (enum kscap_event_type) and parameter types
 * (enum kscap_param_type) use the same numbers as the Falco driver ABI, so
 * that the events we capture can be written to scap capture files that
 * existing tools read.
 *
 * 1. Events
 *
 *    Every event starts with a packed 26-byte header (struct kscap_evt_hdr),
 *    followed by nparams 16-bit little-endian parameter lengths, followed by
 *    the parameter values back to back, in the order the event table
 *    (kscap_event_table.h) lists them:
 *
 *        | hdr (26) | len[0] ... len[n-1] (2*n) | val[0] | ... | val[n-1] |
 *
 *    hdr.len is the total length of the event, header included. Events are
 *    not padded or aligned: read fields with memcpy.
 *
 * 2. The device and its mappings
 *
 *    /dev/kscap (mode 0600, CAP_SYS_ADMIN) admits one consumer at a time.
 *    KSCAP_IOC_GET_GEOMETRY tells how many rings there are (one per possible
 *    CPU) and how large each is. Three kinds of mapping exist, chosen by the
 *    mmap offset:
 *
 *    KSCAP_MMAP_STATUS      read-only. A struct kscap_status_page per CPU
 *                           (KSCAP_STATUS_STRIDE bytes apart): the producer
 *                           head and the per-CPU counters. Only the kernel
 *                           writes here.
 *    KSCAP_MMAP_CONSUMER    read-write. A struct kscap_consumer_slot per CPU
 *                           (KSCAP_CONSUMER_STRIDE bytes apart): the tail the
 *                           consumer has read up to, and (ABI 1.3) the count
 *                           of events it lost after reading them (section 6).
 *    KSCAP_MMAP_DATA(cpu)   read-only, 2 * ring_size bytes. The ring's pages
 *                           are mapped twice in a row, so an event that wraps
 *                           at the end of the ring is contiguous in memory.
 *
 *    Rings exist while the device is open (ABI 1.2): one per CPU online at
 *    open, and one for each CPU that comes online afterwards. Mapping the
 *    ring of a CPU that has none fails with ENODEV (with EINVAL for a CPU
 *    that cannot exist); once the CPU's status shows a nonzero head, its
 *    ring exists and can be mapped. Mappings are not inherited by fork().
 *    A page dropped from a mapping (madvise MADV_DONTNEED) comes back, the
 *    same page, when touched again.
 *
 * 3. The ring protocol
 *
 *    head and tail are free-running byte counters (they never wrap at the
 *    ring size); the byte at position p lives at offset p & (ring_size - 1).
 *    The ring holds head - tail bytes of complete events.
 *
 *    Consumer:  h = load_acquire(status->head);
 *               read events in [tail, h);
 *               store_release(consumer->tail, new_tail);
 *
 *    The kernel never trusts the tail: a tail outside [previous tail, head]
 *    is ignored (counted in bad_tail) and the ring stays as full as it was.
 *    An event that does not fit is dropped whole and counted; nothing is
 *    ever overwritten or torn.
 *
 *    The last ring_size / reserve_div bytes of each ring are kept for the
 *    events the consumer's process table depends on (the rows flagged
 *    KSCAP_EF_PROC_STATE: the exit events of clone, fork, vfork and
 *    execve, and procexit): when a ring fills up,
 *    every other event is dropped first.
 *
 *    poll() on the device reports POLLIN when any ring holds at least
 *    the wakeup threshold of bytes (or any data once a timer has passed;
 *    see SET_WAKEUP for the default).
 *
 * 4. Where the reference ABI writes kernel addresses
 *
 *    AF_UNIX socket tuples (SOCKTUPLE family AF_UNIX: u64 source, u64
 *    destination, path) and socketpair's source and peer carry socket ids
 *    instead of the kernel's socket pointers: a keyed hash of the socket,
 *    with a key drawn when the module loads. One socket end has one id
 *    for its whole life, in every event (the server end of a stream
 *    connection has it already in the connect that names it as the peer,
 *    before accept() gives it a file), so a connect and its accept, or a
 *    socketpair and the sends on it, name the same two ids. 0 means no
 *    socket (a peer that is not connected). Ids are not inode numbers and
 *    cannot be compared across module loads.
 *
 * 5. Parameters kscap appends to reference rows
 *
 *    The reference ABI grows an event only by appending parameters, and
 *    its readers (Debian's sysdig 0.29 included) read the parameters they
 *    know and skip the rest. The event table (kscap_event_table.h) keeps
 *    the reference rows; kscap's module appends:
 *
 *    GENERIC_X  syscall(SYSCALLID ID, ERRNO res): the return value, so a
 *               syscall without a row of its own still shows its errors
 *               (KSCAP_GENERIC_X_RES and friends in kscap_event_info.h).
 *
 * 6. Drops the consumer reports (ABI 1.3)
 *
 *    An event the module wrote can still be lost after the consumer has
 *    read it: a publisher's buffer is full, its server is gone, a file
 *    cannot take it. The consumer counts those in the drops field of its
 *    consumer slots, so that they show where the module's own drops do:
 *    GET_STATS (consumer_drops) and netlink's stats
 *    (KSCAP_C_CONSUMER_DROPS), per CPU and summed over all CPUs. A
 *    consumer that cannot tell the CPU an event came from counts it in
 *    any one slot (libkscap uses CPU 0's).
 *
 *    drops is the consumer's running total since it opened the device
 *    (the module zeroes it then), stored whole (one aligned 64-bit store)
 *    whenever it grows. The module only repeats it: it is not a drop the
 *    module saw, takes part in no other counter, and is never used as a
 *    length, an index or a bound; the sum over all CPUs wraps modulo 2^64.
 *    A consumer that writes nonsense there sees nonsense in its stats and
 *    harms nothing else. The slot keeps the last value after the consumer
 *    leaves, with the module's counters, until the next open.
 */
#ifndef _UAPI_KSCAP_H
#define _UAPI_KSCAP_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KSCAP_ABI_VERSION_MAJOR	1
#define KSCAP_ABI_VERSION_MINOR	3
#define KSCAP_ABI_VERSION	((KSCAP_ABI_VERSION_MAJOR << 16) | KSCAP_ABI_VERSION_MINOR)

#define KSCAP_DEVICE_NAME	"kscap"
#define KSCAP_DEVICE_PATH	"/dev/kscap"

/*
 * Parameter types, one row each: the type's number (the reference ABI's
 * PT_* value), the name the event table documentation gives it, the size
 * of its value and what kind of value it is.
 *
 * KSCAP_PARAM_TYPES(X) expands X(id, number, name, size, flags) per row:
 *   size   bytes of a value of fixed size, 0 for a length that varies
 *   flags  KSCAP_PTF_INT      an integer of size bytes, little-endian
 *          KSCAP_PTF_SIGNED   ... two's complement (sign-extend it)
 *          KSCAP_PTF_STRING   NUL-terminated text (for the arrays, every
 *                             element is; the value ends with a NUL)
 * Any value may also be empty (length 0): the writer had none to give.
 * (KSCAP_PTF_S is INT | SIGNED.) Rows are numbered without gaps. A new
 * type is one row here, at the end; a reader that has no printer of its
 * own for it shows it as its flags say: a number, text or bytes.
 */
#define KSCAP_PTF_INT		(1U << 0)
#define KSCAP_PTF_SIGNED	(1U << 1)
#define KSCAP_PTF_STRING	(1U << 2)
#define KSCAP_PTF_S		(KSCAP_PTF_INT | KSCAP_PTF_SIGNED)

#define KSCAP_PARAM_TYPES(X)							\
	X(NONE,		0,  "NONE",		0,  0)				\
	X(INT8,		1,  "INT8",		1,  KSCAP_PTF_S)		\
	X(INT16,	2,  "INT16",		2,  KSCAP_PTF_S)		\
	X(INT32,	3,  "INT32",		4,  KSCAP_PTF_S)		\
	X(INT64,	4,  "INT64",		8,  KSCAP_PTF_S)		\
	X(UINT8,	5,  "UINT8",		1,  KSCAP_PTF_INT)		\
	X(UINT16,	6,  "UINT16",		2,  KSCAP_PTF_INT)		\
	X(UINT32,	7,  "UINT32",		4,  KSCAP_PTF_INT)		\
	X(UINT64,	8,  "UINT64",		8,  KSCAP_PTF_INT)		\
	/* text */								\
	X(CHARBUF,	9,  "CHARBUF",		0,  KSCAP_PTF_STRING)		\
	/* raw bytes, up to snaplen */						\
	X(BYTEBUF,	10, "BYTEBUF",		0,  0)				\
	/* a system call's return value, -errno on failure */			\
	X(ERRNO,	11, "ERRNO",		8,  KSCAP_PTF_S)		\
	/* laid out below, by family */					\
	X(SOCKADDR,	12, "SOCKADDR",		0,  0)				\
	/* laid out below, by family */					\
	X(SOCKTUPLE,	13, "SOCKTUPLE",	0,  0)				\
	X(FD,		14, "FD",		8,  KSCAP_PTF_S)		\
	X(PID,		15, "PID",		8,  KSCAP_PTF_S)		\
	/* laid out below */							\
	X(FDLIST,	16, "FDLIST",		0,  0)				\
	X(FSPATH,	17, "FSPATH",		0,  KSCAP_PTF_STRING)		\
	/* the reference ABI's syscall code (kscap_syscalls_*.h) */		\
	X(SYSCALLID,	18, "SYSCALLID",	2,  KSCAP_PTF_INT)		\
	/* a signal number */							\
	X(SIGTYPE,	19, "SIGTYPE",		1,  KSCAP_PTF_INT)		\
	/* ns */								\
	X(RELTIME,	20, "RELTIME",		8,  KSCAP_PTF_INT)		\
	/* ns since the epoch */						\
	X(ABSTIME,	21, "ABSTIME",		8,  KSCAP_PTF_INT)		\
	X(PORT,		22, "PORT",		2,  KSCAP_PTF_INT)		\
	X(L4PROTO,	23, "L4PROTO",		1,  KSCAP_PTF_INT)		\
	/* a SOCKET_FAMILIES value (kscap_flags.h) */			\
	X(SOCKFAMILY,	24, "SOCKFAMILY",	1,  KSCAP_PTF_INT)		\
	X(BOOL,		25, "BOOL",		4,  KSCAP_PTF_INT)		\
	/* network order */							\
	X(IPV4ADDR,	26, "IPV4ADDR",		4,  0)				\
	/* u8 index, then a value of the type the index selects */		\
	X(DYN,		27, "DYNAMIC",		0,  0)				\
	X(FLAGS8,	28, "FLAGS8",		1,  KSCAP_PTF_INT)		\
	X(FLAGS16,	29, "FLAGS16",		2,  KSCAP_PTF_INT)		\
	X(FLAGS32,	30, "FLAGS32",		4,  KSCAP_PTF_INT)		\
	X(UID,		31, "UID",		4,  KSCAP_PTF_INT)		\
	X(GID,		32, "GID",		4,  KSCAP_PTF_INT)		\
	X(DOUBLE,	33, "DOUBLE",		8,  0)				\
	/* the low 32 bits of the sigset */					\
	X(SIGSET,	34, "SIGSET",		4,  KSCAP_PTF_INT)		\
	/* strings back to back */						\
	X(CHARBUFARRAY,	35, "CHARBUFARRAY",	0,  KSCAP_PTF_STRING)		\
	/* key, value, key, value... each a string */				\
	X(CHARBUF_PAIR_ARRAY, 36, "CHARBUF_PAIR_ARRAY", 0, KSCAP_PTF_STRING)	\
	/* an address and its netmask, network order */				\
	X(IPV4NET,	37, "IPV4NET",		8,  0)				\
	X(IPV6ADDR,	38, "IPV6ADDR",		16, 0)				\
	X(IPV6NET,	39, "IPV6NET",		32, 0)				\
	/* IPV4ADDR or IPV6ADDR, by its length */				\
	X(IPADDR,	40, "IPADDR",		0,  0)				\
	X(IPNET,	41, "IPNET",		0,  0)				\
	/* file mode bits */							\
	X(MODE,		42, "MODE",		4,  KSCAP_PTF_INT)		\
	/* a path relative to a dirfd parameter (its aux names which) */	\
	X(FSRELPATH,	43, "FSRELPATH",	0,  KSCAP_PTF_STRING)

enum kscap_param_type {
#define KSCAP_PT_ENUM(id, num, name, size, flags) KSCAP_PT_##id = (num),
#define KSCAP_PT_COUNT(id, num, name, size, flags) + 1
	KSCAP_PARAM_TYPES(KSCAP_PT_ENUM)
	KSCAP_PT_MAX = 0 KSCAP_PARAM_TYPES(KSCAP_PT_COUNT)	/* 44 */
#undef KSCAP_PT_COUNT
#undef KSCAP_PT_ENUM
};

/* A row as data (Use as: tbl[KSCAP_PT_MAX] = { KSCAP_PARAM_TYPES(KSCAP_PT_INFO) };). */
struct kscap_param_type_info {
	const char *name;
	__u8 size;
	__u8 flags;		/* KSCAP_PTF_* */
};

#define KSCAP_PT_INFO(id, num, nm, sz, fl) \
	[num] = { .name = (nm), .size = (sz), .flags = (fl) },

/* How a parameter is meant to be printed. */
enum kscap_print_fmt {
	KSCAP_PF_NA = 0,
	KSCAP_PF_DEC = 1,
	KSCAP_PF_HEX = 2,
	KSCAP_PF_10_PADDED_DEC = 3,
	KSCAP_PF_ID = 4,
	KSCAP_PF_DIR = 5,
	KSCAP_PF_OCT = 6,
};

/* Event categories (the values Falco's tools use, for familiarity). */
enum kscap_category {
	KSCAP_CAT_UNKNOWN = 0,
	KSCAP_CAT_OTHER = 1,
	KSCAP_CAT_FILE = 2,
	KSCAP_CAT_NET = 3,
	KSCAP_CAT_IPC = 4,
	KSCAP_CAT_MEMORY = 5,
	KSCAP_CAT_PROCESS = 6,
	KSCAP_CAT_SLEEP = 7,
	KSCAP_CAT_SYSTEM = 8,
	KSCAP_CAT_SIGNAL = 9,
	KSCAP_CAT_USER = 10,
	KSCAP_CAT_TIME = 11,
	KSCAP_CAT_IO_READ = 32,
	KSCAP_CAT_IO_WRITE = 33,
	KSCAP_CAT_IO_OTHER = 34,
	KSCAP_CAT_WAIT = 64,
	KSCAP_CAT_SCHEDULER = 128,
	KSCAP_CAT_INTERNAL = 256,
};

/* Event flags. */
#define KSCAP_EF_CREATES_FD		(1U << 0)
#define KSCAP_EF_DESTROYS_FD		(1U << 1)
#define KSCAP_EF_USES_FD		(1U << 2)
#define KSCAP_EF_READS_FROM_FD		(1U << 3)
#define KSCAP_EF_WRITES_TO_FD		(1U << 4)
#define KSCAP_EF_MODIFIES_STATE		(1U << 5)
#define KSCAP_EF_WAITS			(1U << 7)
#define KSCAP_EF_SKIPPARSERESET		(1U << 8)
#define KSCAP_EF_OLD_VERSION		(1U << 9)	/* never emitted: a newer row replaces it */
#define KSCAP_EF_DROP_SIMPLE_CONS	(1U << 10)
/*
 * kscap's own: a consumer's process table is built from this event (the
 * exits of clone, fork, vfork and execve, and procexit). The module lets
 * it use the ring's reserve (section 3); libkscap's thread table reads it
 * and its filters never take it from the thread table.
 */
#define KSCAP_EF_PROC_STATE		(1U << 14)
#define KSCAP_EF_DEFAULT_SET		(1U << 15)	/* in the default ("Yes") set */

/*
 * What a parameter's aux field names: the flag table its value is printed
 * with, the dirfd parameter an FSRELPATH is relative to, or the table that
 * selects a DYN parameter's type.
 */
enum kscap_param_aux {
	KSCAP_AUX_NONE = 0,
	KSCAP_AUX_DIRFD0,
	KSCAP_AUX_DIRFD1,
	KSCAP_AUX_DIRFD2,
	KSCAP_AUX_DIRFD3,
	KSCAP_AUX_ACCESS_FLAGS,
	KSCAP_AUX_BPF_DYNAMIC_PARAM,
	KSCAP_AUX_CHMOD_MODE,
	KSCAP_AUX_CLONE_FLAGS,
	KSCAP_AUX_EXECVE_FLAGS,
	KSCAP_AUX_FCNTL_COMMANDS,
	KSCAP_AUX_FILE_FLAGS,
	KSCAP_AUX_FLOCK_FLAGS,
	KSCAP_AUX_FUTEX_OPERATIONS,
	KSCAP_AUX_LINKAT_FLAGS,
	KSCAP_AUX_LSEEK_WHENCE,
	KSCAP_AUX_MMAP_FLAGS,
	KSCAP_AUX_MOUNT_FLAGS,
	KSCAP_AUX_PF_FLAGS,
	KSCAP_AUX_PROT_FLAGS,
	KSCAP_AUX_PTRACE_DYNAMIC_PARAM,
	KSCAP_AUX_PTRACE_REQUESTS,
	KSCAP_AUX_QUOTACTL_CMDS,
	KSCAP_AUX_QUOTACTL_DQI_FLAGS,
	KSCAP_AUX_QUOTACTL_QUOTA_FMTS,
	KSCAP_AUX_QUOTACTL_TYPES,
	KSCAP_AUX_RENAMEAT2_FLAGS,
	KSCAP_AUX_RLIMIT_RESOURCES,
	KSCAP_AUX_SEMCTL_COMMANDS,
	KSCAP_AUX_SEMGET_FLAGS,
	KSCAP_AUX_SEMOP_FLAGS,
	KSCAP_AUX_SHUTDOWN_HOW,
	KSCAP_AUX_SOCKET_FAMILIES,
	KSCAP_AUX_SOCKOPT_DYNAMIC_PARAM,
	KSCAP_AUX_SOCKOPT_LEVELS,
	KSCAP_AUX_SOCKOPT_OPTIONS,
	KSCAP_AUX_SPLICE_FLAGS,
	KSCAP_AUX_UMOUNT_FLAGS,
	KSCAP_AUX_UNLINKAT_FLAGS,
	KSCAP_AUX_USERFAULTFD_FLAGS,
	KSCAP_AUX_MAX
};

/*
 * One past the highest row number, as the compiler counts it: a union
 * holds a char[number + 1] per row (one declaration of them all), so its
 * size is the largest. Not a type to use; it only sizes KSCAP_EV_MAX.
 */
union kscap_ev_span {
	char
#define KSCAP_EV(id, num, ...) kscap_ev_##id[(num) + 1],
#include "kscap_event_table.h"
#undef KSCAP_EV
	kscap_ev_none[1];
};

/*
 * The fewest event types there are: the size masks (KSCAP_MASK_BYTES, 42)
 * and tables have had from the first release. A row numbered past it
 * grows KSCAP_EV_MAX by itself, and with it the masks libkscap's calls
 * take: such a row comes with new mask calls (README, "How the ABI grows").
 */
#define KSCAP_EV_MIN_TYPES	336

/*
 * Event types. Even numbers are enter events (">"), odd numbers exit
 * events ("<"). The rows live in kscap_event_table.h; KSCAP_EV_MAX, one
 * past the last type, follows from them.
 */
enum kscap_event_type {
#define KSCAP_EV(id, num, ...) KSCAP_EV_##id = (num),
#include "kscap_event_table.h"
#undef KSCAP_EV
	KSCAP_EV_MAX = sizeof(union kscap_ev_span) > KSCAP_EV_MIN_TYPES ?
		       (int)sizeof(union kscap_ev_span) : KSCAP_EV_MIN_TYPES
};

#define KSCAP_EV_IS_EXIT(type)	((type) & 1)
/* An event mask, one bit per type (bit t of byte t / 8), in bytes. */
#define KSCAP_MASK_BYTES	((KSCAP_EV_MAX + 7) / 8)
#define KSCAP_MAX_PARAMS	20

/* The header that starts every event. */
struct kscap_evt_hdr {
	__u64 ts;		/* ns since the epoch */
	__u64 tid;		/* thread id, as the initial pid namespace sees it */
	__u32 len;		/* whole event, header included */
	__u16 type;		/* enum kscap_event_type */
	__u32 nparams;
} __attribute__((packed));

#define KSCAP_HDR_LEN		26
#define KSCAP_PARAM_LEN_SIZE	2	/* each entry of the length array */

/* Bounds the module enforces. */
#define KSCAP_SNAPLEN_DEFAULT	80
#define KSCAP_SNAPLEN_MAX	65535U
#define KSCAP_MAX_EVENT_LEN	(256U * 1024)
#define KSCAP_PATH_MAX		4096

/*
 * Payloads of the parameter types that have a layout of their own. Like
 * the events, they are packed and unaligned (read with memcpy), their
 * integers little-endian, their IP addresses in network order. Address
 * families are the SOCKET_FAMILIES values of kscap_flags.h
 * (KSCAP_ABI_SOCKET_FAMILIES_AF_INET where its rows are instantiated):
 * AF_UNIX 1, AF_INET 2, AF_INET6 10. A value may be empty (length 0):
 * no address to give.
 *
 * SOCKADDR (an address a call names or returns):
 *
 *	struct {
 *		u8	family;			AF_INET
 *		u8	addr[4];
 *		u16	port;
 *	};				KSCAP_SOCKADDR_IN4_LEN bytes
 *	struct {
 *		u8	family;			AF_INET6
 *		u8	addr[16];
 *		u16	port;
 *	};				KSCAP_SOCKADDR_IN6_LEN bytes
 *	struct {
 *		u8	family;			AF_UNIX
 *		char	path[];			NUL-terminated; '@' starts an
 *	};					abstract name; "" unnamed
 *	struct {
 *		u8	family;			any other family
 *	};
 *
 * SOCKTUPLE (a connection: source, then destination):
 *
 *	struct {
 *		u8	family;			AF_INET
 *		u8	saddr[4];
 *		u16	sport;
 *		u8	daddr[4];
 *		u16	dport;
 *	};				KSCAP_SOCKTUPLE_IN4_LEN bytes
 *	struct {
 *		u8	family;			AF_INET6
 *		u8	saddr[16];
 *		u16	sport;
 *		u8	daddr[16];
 *		u16	dport;
 *	};				KSCAP_SOCKTUPLE_IN6_LEN bytes
 *	struct {
 *		u8	family;			AF_UNIX
 *		u64	source;			socket ids (section 4), 0: none
 *		u64	dest;
 *		char	path[];			NUL-terminated, as in SOCKADDR
 *	};				at least KSCAP_SOCKTUPLE_UN_PATH bytes
 *
 * An inet endpoint (address, then port) is KSCAP_IN4_EP_LEN or
 * KSCAP_IN6_EP_LEN bytes, its port at KSCAP_IN4_PORT or KSCAP_IN6_PORT.
 */
#define KSCAP_FAMILY_LEN		1	/* the u8 family that starts both */
#define KSCAP_IN4_PORT			4	/* in an endpoint */
#define KSCAP_IN6_PORT			16
#define KSCAP_IN4_EP_LEN		(KSCAP_IN4_PORT + 2)
#define KSCAP_IN6_EP_LEN		(KSCAP_IN6_PORT + 2)
#define KSCAP_SOCKADDR_IN4_LEN		(KSCAP_FAMILY_LEN + KSCAP_IN4_EP_LEN)
#define KSCAP_SOCKADDR_IN6_LEN		(KSCAP_FAMILY_LEN + KSCAP_IN6_EP_LEN)
#define KSCAP_SOCKTUPLE_IN4_LEN		(KSCAP_FAMILY_LEN + 2 * KSCAP_IN4_EP_LEN)
#define KSCAP_SOCKTUPLE_IN6_LEN		(KSCAP_FAMILY_LEN + 2 * KSCAP_IN6_EP_LEN)
#define KSCAP_SOCKTUPLE_UN_SOURCE	KSCAP_FAMILY_LEN
#define KSCAP_SOCKTUPLE_UN_DEST		(KSCAP_SOCKTUPLE_UN_SOURCE + 8)
#define KSCAP_SOCKTUPLE_UN_PATH		(KSCAP_SOCKTUPLE_UN_DEST + 8)

/*
 * FDLIST (poll's file descriptors):
 *
 *	struct {
 *		u16	count;
 *		struct {
 *			s64	fd;
 *			u16	events;		KSCAP_POLL_* bits
 *		} entry[count];		KSCAP_FDLIST_ENTRY_LEN bytes each
 *	};
 */
#define KSCAP_FDLIST_COUNT_LEN		2
#define KSCAP_FDLIST_ENTRY_EVENTS	8	/* in an entry */
#define KSCAP_FDLIST_ENTRY_LEN		(KSCAP_FDLIST_ENTRY_EVENTS + 2)

/*
 * The poll bits of FDLIST entries: the reference ABI's, not the kernel's
 * (the module translates). KSCAP_POLL_BITS(X) expands X(name, bit).
 */
#define KSCAP_POLL_BITS(X)	\
	X(IN, 0)		\
	X(PRI, 1)		\
	X(OUT, 2)		\
	X(RDHUP, 3)		\
	X(ERR, 4)		\
	X(HUP, 5)		\
	X(NVAL, 6)		\
	X(RDNORM, 7)		\
	X(RDBAND, 8)		\
	X(WRNORM, 9)		\
	X(WRBAND, 10)

enum {
#define KSCAP_POLL_ENUM(name, bit) KSCAP_POLL_##name = 1U << (bit),
	KSCAP_POLL_BITS(KSCAP_POLL_ENUM)
#undef KSCAP_POLL_ENUM
};

/* The dirfd value of FD parameters that means the current directory. */
#define KSCAP_AT_FDCWD			(-100)

/*
 * Drops for lack of ring space are counted per class, so a consumer can
 * tell which kinds of event it lost.
 */
enum kscap_drop_class {
	KSCAP_DROP_FILE,
	KSCAP_DROP_NET,
	KSCAP_DROP_IPC,
	KSCAP_DROP_MEMORY,
	KSCAP_DROP_PROCESS,	/* process, signal, user */
	KSCAP_DROP_IO,		/* io read/write/other, wait */
	KSCAP_DROP_OTHER,
	KSCAP_DROP_NR
};

/*
 * Per-CPU counters. Every tracepoint hit while capture is enabled ends as
 * exactly one of: written, drops_full[], drops_mask, drops_nested,
 * drops_toolong. So hits == written + all drops, always.
 *
 * A value is never cut for want of ring room: an event whose value does
 * not fit the room left is dropped whole, in drops_full[]. Values are cut
 * only at their documented caps (KSCAP_PATH_MAX for paths, snaplen for
 * data, 4096 bytes of args and of env, 1024 pollfds), counted in
 * truncated; a string that runs into unreadable memory keeps the bytes
 * before it and counts a fault.
 *
 * The struct only grows at its end (ABI minor versions); fields added
 * since 1.0 are marked with the version that added them.
 */
struct kscap_counters {
	__u64 hits;
	__u64 written;
	__u64 drops_full[KSCAP_DROP_NR];
	__u64 drops_mask;	/* event type masked off */
	__u64 drops_nested;	/* a probe fired inside another on this CPU */
	__u64 drops_toolong;	/* larger than KSCAP_MAX_EVENT_LEN or the ring */
	__u64 faults;		/* user memory (or a cwd) that could not be read (not a drop) */
	__u64 bad_tail;		/* times the consumer's tail was invalid */
	__u64 truncated;	/* 1.1: values cut at their cap (not a drop) */
	/*
	 * Events of 32-bit processes' system calls that could not be
	 * recorded (uapi/kscap_syscalls_i386.h): an enter or exit with no
	 * x86_64 counterpart, or a 32-bit layout the module does not decode.
	 * Not a hit: a syscall the capture does not see.
	 */
	__u64 compat_untranslated;	/* 1.1 */
};

/* Events lost to a full ring, of every class. */
static inline __u64 kscap_drops_full(const struct kscap_counters *c)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < KSCAP_DROP_NR; i++)
		n += c->drops_full[i];
	return n;
}

/*
 * Events lost: all drops but drops_mask (types nobody asked for). What
 * the netlink DROPS notification counts.
 */
static inline __u64 kscap_drops_lost(const struct kscap_counters *c)
{
	return kscap_drops_full(c) + c->drops_nested + c->drops_toolong;
}

/* Read-only status of one CPU's ring, in the KSCAP_MMAP_STATUS area. */
struct kscap_status_page {
	__u64 head;		/* producer position (see the ring protocol) */
	__u64 __pad[7];
	struct kscap_counters counters;
};

/* Read-write consumer state of one CPU's ring, in KSCAP_MMAP_CONSUMER. */
struct kscap_consumer_slot {
	__u64 tail;		/* consumer position */
	__u64 drops;		/* 1.3: events read and then lost (section 6) */
	__u64 __pad[6];
};

#define KSCAP_STATUS_STRIDE	256	/* bytes between two CPUs' status */
#define KSCAP_CONSUMER_STRIDE	64	/* bytes between two CPUs' tails */

/* mmap offsets */
#define KSCAP_MMAP_STATUS		0ULL
#define KSCAP_MMAP_CONSUMER		(1ULL << 32)
#define KSCAP_MMAP_DATA(cpu)		((2ULL + (__u64)(cpu)) << 32)

struct kscap_geometry {
	__u32 ncpus;		/* rings: one per possible CPU */
	__u32 page_size;
	__u64 ring_size;	/* bytes, a power of two */
	__u64 reserve;		/* bytes kept for process-state events */
	__u64 status_len;	/* length to map at KSCAP_MMAP_STATUS */
	__u64 consumer_len;	/* length to map at KSCAP_MMAP_CONSUMER */
};

/*
 * KSCAP_IOC_GET_STATS: counters of one CPU, or of all if cpu == ~0U. Grows
 * at its end only: struct kscap_counters as of 1.1 is frozen here, and
 * later fields follow it.
 */
struct kscap_stats {
	__u32 cpu;		/* in */
	__u32 __pad;
	struct kscap_counters c;	/* out */
	__u64 consumer_drops;	/* 1.3, out: the consumer's slot drops (section 6) */
};

#define KSCAP_ALL_CPUS		(~0U)

/*
 * ioctls. All need the device open (so CAP_SYS_ADMIN).
 *
 * ENABLE/DISABLE     start or stop capture (registers or unregisters the
 *                    tracepoint probes). Capture begins once every probe
 *                    is attached and ends before any is detached, at one
 *                    instant for all: only a call in flight at that
 *                    instant shows its exit alone (at the start) or its
 *                    enter alone (at the end).
 * MASK_ZERO          mask every event type off.
 * MASK_ALL           mask every emitted event type on (the default, except
 *                    switch and page_fault, which are off by default).
 * MASK_SET/UNSET     mask one event type on or off (arg: pointer to a
 *                    __u32 holding the type). Enter and exit types are
 *                    separate bits.
 * SET_SNAPLEN        bytes kept of BYTEBUF parameters, 1..KSCAP_SNAPLEN_MAX
 *                    (arg: pointer to a __u32).
 * GET_STATS          struct kscap_stats.
 * GET_VERSION        KSCAP_ABI_VERSION (arg: pointer to a __u32).
 * GET_GEOMETRY       struct kscap_geometry.
 * SET_WAKEUP         bytes a ring must hold before poll() reports POLLIN
 *                    (arg: pointer to a __u32). Each open starts with
 *                    ring_size / 16, at most 64 KiB: a consumer is woken
 *                    for batches, and data below it is still reported
 *                    once it has waited a timer tick (wakeup_ms).
 */
#define KSCAP_IOC_MAGIC		0xb5
#define KSCAP_IOC_ENABLE	_IO(KSCAP_IOC_MAGIC, 1)
#define KSCAP_IOC_DISABLE	_IO(KSCAP_IOC_MAGIC, 2)
#define KSCAP_IOC_MASK_ZERO	_IO(KSCAP_IOC_MAGIC, 3)
#define KSCAP_IOC_MASK_ALL	_IO(KSCAP_IOC_MAGIC, 4)
#define KSCAP_IOC_MASK_SET	_IOW(KSCAP_IOC_MAGIC, 5, __u32)
#define KSCAP_IOC_MASK_UNSET	_IOW(KSCAP_IOC_MAGIC, 6, __u32)
#define KSCAP_IOC_SET_SNAPLEN	_IOW(KSCAP_IOC_MAGIC, 7, __u32)
#define KSCAP_IOC_GET_STATS	_IOWR(KSCAP_IOC_MAGIC, 8, struct kscap_stats)
#define KSCAP_IOC_GET_VERSION	_IOR(KSCAP_IOC_MAGIC, 9, __u32)
#define KSCAP_IOC_GET_GEOMETRY	_IOR(KSCAP_IOC_MAGIC, 10, struct kscap_geometry)
#define KSCAP_IOC_SET_WAKEUP	_IOW(KSCAP_IOC_MAGIC, 11, __u32)

/*
 * GET_STATS as ABI 1.0 defined it, before struct kscap_counters grew: the
 * counters up to bad_tail. Still answered, with that prefix.
 */
#define KSCAP_STATS_SIZE_1_0	(8 + 14 * 8)
#define KSCAP_IOC_GET_STATS_1_0	_IOC(_IOC_READ | _IOC_WRITE, KSCAP_IOC_MAGIC, 8, \
				     KSCAP_STATS_SIZE_1_0)

/*
 * GET_STATS as ABI 1.1 and 1.2 defined it: the counters up to
 * compat_untranslated, before consumer_drops. Still answered, with that
 * prefix.
 */
#define KSCAP_STATS_SIZE_1_1	(8 + 16 * 8)
#define KSCAP_IOC_GET_STATS_1_1	_IOC(_IOC_READ | _IOC_WRITE, KSCAP_IOC_MAGIC, 8, \
				     KSCAP_STATS_SIZE_1_1)

#endif /* _UAPI_KSCAP_H */
