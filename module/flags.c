// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel flag words and codes to the ABI's (uapi/kscap_flags.h).
 *
 * Every table is data: bit tables are (kernel mask, match, ABI bits)
 * triples, value tables (kernel value, ABI value) pairs, and two loops
 * apply any of them. The ABI side is always named (KSCAP_ABI_*), so a
 * row the header lacks does not compile; the kernel side comes from the
 * kernel's own headers, so a constant an arch or version lacks is
 * left out with #ifdef rather than guessed.
 */
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/sched.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/stat.h>
#include <linux/socket.h>
#include <linux/net.h>
#include <linux/futex.h>
#include <linux/ptrace.h>
#include <linux/resource.h>
#include <linux/quota.h>
#include <linux/dqblk_xfs.h>
#include <linux/ipc.h>
#include <linux/sem.h>
#include <linux/splice.h>
#include <linux/userfaultfd.h>
#include <uapi/linux/mount.h>
#ifdef CONFIG_X86
#include <asm/trap_pf.h>
#endif
#include "flags.h"

/*
 * A bit table row: when (raw & mask) == match, the ABI bits are set.
 * Plain flags have match == mask. Fields use it to pick one value of a
 * multi-bit field (the open access mode, the mmap type), and match == 0
 * turns a clear bit into an ABI bit (page fault: not present, read).
 */
struct kscap_bit_map {
	u64 mask;
	u64 match;
	u32 abi;
};

struct kscap_val_map {
	u64 kernel;
	u32 abi;
};

/* Where the code sits in the raw value: (raw >> shift) & mask. */
struct kscap_xlat_table {
	const struct kscap_bit_map *bits;
	const struct kscap_val_map *vals;
	u64 code_mask;		/* 0: every bit */
	u8 nbits;
	u8 nvals;
	u8 code_shift;
};

/* How each table is built, straight from the header's KIND rows. */
struct kscap_flag_kind {
	u8 kind;		/* KSCAP_FLAG_KIND_*; 0: not a flag table */
	u32 abi_code_mask;
	u32 unknown;
	u32 keep_below;
};

static const struct kscap_flag_kind kscap_kinds[KSCAP_AUX_MAX] = {
#define KSCAP_FLAG_KIND(table, k, cmask, unk, keep)			\
	[KSCAP_AUX_##table] = { .kind = KSCAP_FLAG_KIND_##k,		\
				.abi_code_mask = (cmask),		\
				.unknown = (unk), .keep_below = (keep) },
#include "kscap_flags.h"
#undef KSCAP_FLAG_KIND
};

/*
 * Row builders. The ABI name is pasted at the outermost macro, so that a
 * name that is also a kernel macro (CLONE_VM, SEEK_END) is never
 * expanded before it is pasted.
 */
/* A flag: every bit of kernel constant @k must be set. @k may not be 0. */
#define FLAG_(a, k)	{ .mask = (k) + BUILD_BUG_ON_ZERO((k) == 0),	\
			  .match = (k), .abi = (a) }
#define FLAG(t, n, k)	FLAG_(KSCAP_ABI_##t##_##n, k)
/* One value of a multi-bit field, or (v == 0) a bit that is clear. */
#define FIELD(t, n, m, v) { .mask = (m), .match = (v), .abi = KSCAP_ABI_##t##_##n }
#define VAL_(a, k)	{ .kernel = (k), .abi = (a) }
#define VAL(t, n, k)	VAL_(KSCAP_ABI_##t##_##n, k)

static const struct kscap_bit_map access_bits[] = {
	/* access(2)'s mode is the kernel's MAY_* mask, as do_faccessat uses it */
	FLAG(ACCESS_FLAGS, X_OK, MAY_EXEC),
	FLAG(ACCESS_FLAGS, W_OK, MAY_WRITE),
	FLAG(ACCESS_FLAGS, R_OK, MAY_READ),
};

static const struct kscap_bit_map mode_bits[] = {
	FLAG(CHMOD_MODE, S_IXOTH, S_IXOTH), FLAG(CHMOD_MODE, S_IWOTH, S_IWOTH),
	FLAG(CHMOD_MODE, S_IROTH, S_IROTH), FLAG(CHMOD_MODE, S_IXGRP, S_IXGRP),
	FLAG(CHMOD_MODE, S_IWGRP, S_IWGRP), FLAG(CHMOD_MODE, S_IRGRP, S_IRGRP),
	FLAG(CHMOD_MODE, S_IXUSR, S_IXUSR), FLAG(CHMOD_MODE, S_IWUSR, S_IWUSR),
	FLAG(CHMOD_MODE, S_IRUSR, S_IRUSR), FLAG(CHMOD_MODE, S_ISVTX, S_ISVTX),
	FLAG(CHMOD_MODE, S_ISGID, S_ISGID), FLAG(CHMOD_MODE, S_ISUID, S_ISUID),
};

#define CL(n)	FLAG_(KSCAP_ABI_CLONE_FLAGS_##n, n)
static const struct kscap_bit_map clone_bits[] = {
	CL(CLONE_FILES), CL(CLONE_FS), CL(CLONE_IO), CL(CLONE_NEWIPC),
	CL(CLONE_NEWNET), CL(CLONE_NEWNS), CL(CLONE_NEWPID), CL(CLONE_NEWUTS),
	CL(CLONE_PARENT), CL(CLONE_PARENT_SETTID), CL(CLONE_PTRACE),
	CL(CLONE_SIGHAND), CL(CLONE_SYSVSEM), CL(CLONE_THREAD),
	CL(CLONE_UNTRACED), CL(CLONE_VM), CL(CLONE_NEWUSER),
	CL(CLONE_CHILD_CLEARTID), CL(CLONE_CHILD_SETTID), CL(CLONE_SETTLS),
#ifdef CLONE_STOPPED
	CL(CLONE_STOPPED),
#endif
	CL(CLONE_VFORK), CL(CLONE_NEWCGROUP),
};

#define FC(n)	VAL_(KSCAP_ABI_FCNTL_COMMANDS_##n, n)
static const struct kscap_val_map fcntl_vals[] = {
	FC(F_DUPFD), FC(F_GETFD), FC(F_SETFD), FC(F_GETFL), FC(F_SETFL),
	FC(F_GETLK), FC(F_SETLK), FC(F_SETLKW), FC(F_SETOWN), FC(F_GETOWN),
	FC(F_SETSIG), FC(F_GETSIG),
#ifdef F_GETLK64
	FC(F_GETLK64), FC(F_SETLK64), FC(F_SETLKW64),
#endif
	FC(F_SETOWN_EX), FC(F_GETOWN_EX), FC(F_SETLEASE), FC(F_GETLEASE),
	FC(F_CANCELLK), FC(F_DUPFD_CLOEXEC), FC(F_NOTIFY), FC(F_SETPIPE_SZ),
	FC(F_GETPIPE_SZ), FC(F_OFD_GETLK), FC(F_OFD_SETLK), FC(F_OFD_SETLKW),
};

#define OF(n)	FLAG_(KSCAP_ABI_FILE_FLAGS_##n, n)
static const struct kscap_bit_map file_bits[] = {
	/*
	 * The access mode is a two-bit field whose 0 is O_RDONLY. Its fourth
	 * value (3: permission checks only, no reading or writing) has no
	 * ABI name and sets none of these bits.
	 */
	FIELD(FILE_FLAGS, O_RDONLY, O_ACCMODE, O_RDONLY),
	FIELD(FILE_FLAGS, O_WRONLY, O_ACCMODE, O_WRONLY),
	FIELD(FILE_FLAGS, O_RDWR, O_ACCMODE, O_RDWR),
	OF(O_CREAT), OF(O_APPEND), OF(O_DSYNC), OF(O_EXCL), OF(O_NONBLOCK),
	/* O_SYNC holds O_DSYNC's bit and O_TMPFILE O_DIRECTORY's: both show. */
	OF(O_SYNC), OF(O_TRUNC), OF(O_DIRECT), OF(O_DIRECTORY),
	OF(O_LARGEFILE), OF(O_CLOEXEC), OF(O_TMPFILE),
};

static const struct kscap_bit_map flock_bits[] = {
	FLAG(FLOCK_FLAGS, LOCK_SH, LOCK_SH), FLAG(FLOCK_FLAGS, LOCK_EX, LOCK_EX),
	FLAG(FLOCK_FLAGS, LOCK_NB, LOCK_NB), FLAG(FLOCK_FLAGS, LOCK_UN, LOCK_UN),
};

#define FU(n)	VAL_(KSCAP_ABI_FUTEX_OPERATIONS_##n, n)
static const struct kscap_val_map futex_vals[] = {
	FU(FUTEX_WAIT), FU(FUTEX_WAKE), FU(FUTEX_FD), FU(FUTEX_REQUEUE),
	FU(FUTEX_CMP_REQUEUE), FU(FUTEX_WAKE_OP), FU(FUTEX_LOCK_PI),
	FU(FUTEX_UNLOCK_PI), FU(FUTEX_TRYLOCK_PI), FU(FUTEX_WAIT_BITSET),
	FU(FUTEX_WAKE_BITSET), FU(FUTEX_WAIT_REQUEUE_PI),
	FU(FUTEX_CMP_REQUEUE_PI),
};

static const struct kscap_bit_map futex_bits[] = {
	FLAG(FUTEX_OPERATIONS, FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG),
	FLAG(FUTEX_OPERATIONS, FUTEX_CLOCK_REALTIME, FUTEX_CLOCK_REALTIME),
};

static const struct kscap_bit_map linkat_bits[] = {
	FLAG(LINKAT_FLAGS, AT_SYMLINK_FOLLOW, AT_SYMLINK_FOLLOW),
	FLAG(LINKAT_FLAGS, AT_EMPTY_PATH, AT_EMPTY_PATH),
};

static const struct kscap_val_map lseek_vals[] = {
	VAL(LSEEK_WHENCE, SEEK_SET, SEEK_SET),
	VAL(LSEEK_WHENCE, SEEK_CUR, SEEK_CUR),
	VAL(LSEEK_WHENCE, SEEK_END, SEEK_END),
};

#define MP(n)	FLAG_(KSCAP_ABI_MMAP_FLAGS_##n, n)
static const struct kscap_bit_map mmap_bits[] = {
	/*
	 * The mapping type is a field, not bits: MAP_SHARED_VALIDATE (3) is
	 * a shared mapping, not a shared and private one.
	 */
	FIELD(MMAP_FLAGS, MAP_SHARED, MAP_TYPE, MAP_SHARED),
	FIELD(MMAP_FLAGS, MAP_SHARED, MAP_TYPE, MAP_SHARED_VALIDATE),
	FIELD(MMAP_FLAGS, MAP_PRIVATE, MAP_TYPE, MAP_PRIVATE),
	MP(MAP_FIXED), MP(MAP_ANONYMOUS),
#if MAP_32BIT	/* <linux/mman.h> makes it 0 where the arch has none */
	MP(MAP_32BIT),
#endif
	/*
	 * No row for MAP_RENAME and MAP_INHERIT (not Linux flags on any
	 * arch kscap builds for) nor MAP_FILE (the kernel's is 0).
	 */
	MP(MAP_NORESERVE), MP(MAP_POPULATE), MP(MAP_NONBLOCK),
	MP(MAP_GROWSDOWN), MP(MAP_DENYWRITE), MP(MAP_EXECUTABLE),
	MP(MAP_LOCKED),
};

#define MS(n)	FLAG_(KSCAP_ABI_MOUNT_FLAGS_##n, MS_##n)
static const struct kscap_bit_map mount_bits[] = {
	MS(RDONLY), MS(NOSUID), MS(NODEV), MS(NOEXEC), MS(SYNCHRONOUS),
	MS(REMOUNT), MS(MANDLOCK), MS(DIRSYNC), MS(NOATIME), MS(NODIRATIME),
	MS(BIND), MS(MOVE), MS(REC), MS(SILENT), MS(POSIXACL),
	MS(UNBINDABLE), MS(PRIVATE), MS(SLAVE), MS(SHARED), MS(RELATIME),
	MS(KERNMOUNT), MS(I_VERSION), MS(STRICTATIME), MS(LAZYTIME),
	MS(NOSEC), MS(BORN), MS(ACTIVE), MS(NOUSER),
};

#ifdef CONFIG_X86
/* The x86 page fault error code: three bits say which of two things. */
static const struct kscap_bit_map pf_bits[] = {
	FLAG(PF_FLAGS, PROTECTION_VIOLATION, X86_PF_PROT),
	FIELD(PF_FLAGS, PAGE_NOT_PRESENT, X86_PF_PROT, 0),
	FLAG(PF_FLAGS, WRITE_ACCESS, X86_PF_WRITE),
	FIELD(PF_FLAGS, READ_ACCESS, X86_PF_WRITE, 0),
	FLAG(PF_FLAGS, USER_FAULT, X86_PF_USER),
	FIELD(PF_FLAGS, SUPERVISOR_FAULT, X86_PF_USER, 0),
	FLAG(PF_FLAGS, RESERVED_PAGE, X86_PF_RSVD),
	FLAG(PF_FLAGS, INSTRUCTION_FETCH, X86_PF_INSTR),
};
#endif

static const struct kscap_bit_map prot_bits[] = {
	FLAG(PROT_FLAGS, PROT_READ, PROT_READ),
	FLAG(PROT_FLAGS, PROT_WRITE, PROT_WRITE),
	FLAG(PROT_FLAGS, PROT_EXEC, PROT_EXEC),
	FLAG(PROT_FLAGS, PROT_SEM, PROT_SEM),
	FLAG(PROT_FLAGS, PROT_GROWSDOWN, PROT_GROWSDOWN),
	FLAG(PROT_FLAGS, PROT_GROWSUP, PROT_GROWSUP),
#ifdef PROT_SAO
	FLAG(PROT_FLAGS, PROT_SAO, PROT_SAO),
#endif
};

#define PT(n)	VAL_(KSCAP_ABI_PTRACE_REQUESTS_##n, n)
static const struct kscap_val_map ptrace_vals[] = {
	PT(PTRACE_TRACEME), PT(PTRACE_PEEKTEXT), PT(PTRACE_PEEKDATA),
	PT(PTRACE_PEEKUSR), PT(PTRACE_POKETEXT), PT(PTRACE_POKEDATA),
	PT(PTRACE_POKEUSR), PT(PTRACE_CONT), PT(PTRACE_KILL),
	PT(PTRACE_SINGLESTEP), PT(PTRACE_ATTACH), PT(PTRACE_DETACH),
	PT(PTRACE_SYSCALL), PT(PTRACE_SETOPTIONS), PT(PTRACE_GETEVENTMSG),
	PT(PTRACE_GETSIGINFO), PT(PTRACE_SETSIGINFO), PT(PTRACE_GETREGSET),
	PT(PTRACE_SETREGSET), PT(PTRACE_SEIZE), PT(PTRACE_INTERRUPT),
	PT(PTRACE_LISTEN), PT(PTRACE_PEEKSIGINFO), PT(PTRACE_GETSIGMASK),
	PT(PTRACE_SETSIGMASK),
	/* The rest are arch requests: x86 has them all, others some. */
#ifdef PTRACE_GETREGS
	PT(PTRACE_GETREGS),
#endif
#ifdef PTRACE_SETREGS
	PT(PTRACE_SETREGS),
#endif
#ifdef PTRACE_GETFPREGS
	PT(PTRACE_GETFPREGS),
#endif
#ifdef PTRACE_SETFPREGS
	PT(PTRACE_SETFPREGS),
#endif
#ifdef PTRACE_GETFPXREGS
	PT(PTRACE_GETFPXREGS),
#endif
#ifdef PTRACE_SETFPXREGS
	PT(PTRACE_SETFPXREGS),
#endif
#ifdef PTRACE_OLDSETOPTIONS
	PT(PTRACE_OLDSETOPTIONS),
#endif
#ifdef PTRACE_GET_THREAD_AREA
	PT(PTRACE_GET_THREAD_AREA),
#endif
#ifdef PTRACE_SET_THREAD_AREA
	PT(PTRACE_SET_THREAD_AREA),
#endif
#ifdef PTRACE_ARCH_PRCTL
	PT(PTRACE_ARCH_PRCTL),
#endif
#ifdef PTRACE_SYSEMU
	PT(PTRACE_SYSEMU),
#endif
#ifdef PTRACE_SYSEMU_SINGLESTEP
	PT(PTRACE_SYSEMU_SINGLESTEP),
#endif
#ifdef PTRACE_SINGLEBLOCK
	PT(PTRACE_SINGLEBLOCK),
#endif
};

#define QC(n)	VAL_(KSCAP_ABI_QUOTACTL_CMDS_##n, n)
static const struct kscap_val_map quota_cmd_vals[] = {
	QC(Q_QUOTAON), QC(Q_QUOTAOFF), QC(Q_GETFMT), QC(Q_GETINFO),
	QC(Q_SETINFO), QC(Q_GETQUOTA), QC(Q_SETQUOTA), QC(Q_SYNC),
	QC(Q_XQUOTAON), QC(Q_XQUOTAOFF), QC(Q_XGETQUOTA), QC(Q_XSETQLIM),
	QC(Q_XGETQSTAT), QC(Q_XQUOTARM), QC(Q_XQUOTASYNC), QC(Q_XGETQSTATV),
};

/* The ABI's RSQUASH is the kernel's DQF_ROOT_SQUASH; DQF_NONE its absence. */
static const struct kscap_bit_map dqi_bits[] = {
	FLAG(QUOTACTL_DQI_FLAGS, V1_DQF_RSQUASH, DQF_ROOT_SQUASH),
	FIELD(QUOTACTL_DQI_FLAGS, DQF_NONE, DQF_ROOT_SQUASH, 0),
};

static const struct kscap_val_map quota_fmt_vals[] = {
	VAL(QUOTACTL_QUOTA_FMTS, QFMT_VFS_OLD, QFMT_VFS_OLD),
	VAL(QUOTACTL_QUOTA_FMTS, QFMT_VFS_V0, QFMT_VFS_V0),
	VAL(QUOTACTL_QUOTA_FMTS, QFMT_VFS_V1, QFMT_VFS_V1),
};

static const struct kscap_val_map quota_type_vals[] = {
	VAL(QUOTACTL_TYPES, USRQUOTA, USRQUOTA),
	VAL(QUOTACTL_TYPES, GRPQUOTA, GRPQUOTA),
};

static const struct kscap_bit_map renameat2_bits[] = {
	FLAG(RENAMEAT2_FLAGS, RENAME_NOREPLACE, RENAME_NOREPLACE),
	FLAG(RENAMEAT2_FLAGS, RENAME_EXCHANGE, RENAME_EXCHANGE),
	FLAG(RENAMEAT2_FLAGS, RENAME_WHITEOUT, RENAME_WHITEOUT),
};

#define RL(n)	VAL_(KSCAP_ABI_RLIMIT_RESOURCES_##n, n)
static const struct kscap_val_map rlimit_vals[] = {
	RL(RLIMIT_CPU), RL(RLIMIT_FSIZE), RL(RLIMIT_DATA), RL(RLIMIT_STACK),
	RL(RLIMIT_CORE), RL(RLIMIT_RSS), RL(RLIMIT_NPROC), RL(RLIMIT_NOFILE),
	RL(RLIMIT_MEMLOCK), RL(RLIMIT_AS), RL(RLIMIT_LOCKS),
	RL(RLIMIT_SIGPENDING), RL(RLIMIT_MSGQUEUE), RL(RLIMIT_NICE),
	RL(RLIMIT_RTPRIO), RL(RLIMIT_RTTIME),
};

#define SC(n)	VAL_(KSCAP_ABI_SEMCTL_COMMANDS_##n, n)
static const struct kscap_val_map semctl_vals[] = {
	SC(IPC_STAT), SC(IPC_SET), SC(IPC_RMID), SC(IPC_INFO), SC(SEM_INFO),
	SC(SEM_STAT), SC(GETALL), SC(GETNCNT), SC(GETPID), SC(GETVAL),
	SC(GETZCNT), SC(SETALL), SC(SETVAL),
};

static const struct kscap_bit_map semget_bits[] = {
	FLAG(SEMGET_FLAGS, IPC_CREAT, IPC_CREAT),
	FLAG(SEMGET_FLAGS, IPC_EXCL, IPC_EXCL),
};

static const struct kscap_bit_map semop_bits[] = {
	FLAG(SEMOP_FLAGS, IPC_NOWAIT, IPC_NOWAIT),
	FLAG(SEMOP_FLAGS, SEM_UNDO, SEM_UNDO),
};

static const struct kscap_val_map shutdown_vals[] = {
	VAL(SHUTDOWN_HOW, SHUT_RD, SHUT_RD),
	VAL(SHUTDOWN_HOW, SHUT_WR, SHUT_WR),
	VAL(SHUTDOWN_HOW, SHUT_RDWR, SHUT_RDWR),
};

/* AF_LOCAL and AF_ROUTE are the kernel's aliases of AF_UNIX, AF_NETLINK. */
#define AF(n)	VAL_(KSCAP_ABI_SOCKET_FAMILIES_##n, n)
static const struct kscap_val_map family_vals[] = {
	AF(AF_UNSPEC), AF(AF_UNIX), AF(AF_INET), AF(AF_AX25), AF(AF_IPX),
	AF(AF_APPLETALK), AF(AF_NETROM), AF(AF_BRIDGE), AF(AF_ATMPVC),
	AF(AF_X25), AF(AF_INET6), AF(AF_ROSE), AF(AF_DECnet), AF(AF_NETBEUI),
	AF(AF_SECURITY), AF(AF_KEY), AF(AF_NETLINK), AF(AF_PACKET), AF(AF_ASH),
	AF(AF_ECONET), AF(AF_ATMSVC), AF(AF_RDS), AF(AF_SNA), AF(AF_IRDA),
	AF(AF_PPPOX), AF(AF_WANPIPE), AF(AF_LLC), AF(AF_CAN), AF(AF_TIPC),
	AF(AF_BLUETOOTH), AF(AF_IUCV), AF(AF_RXRPC), AF(AF_ISDN),
	AF(AF_PHONET), AF(AF_IEEE802154), AF(AF_CAIF), AF(AF_ALG), AF(AF_NFC),
};

static const struct kscap_val_map level_vals[] = {
	VAL(SOCKOPT_LEVELS, SOL_SOCKET, SOL_SOCKET),
	VAL(SOCKOPT_LEVELS, SOL_TCP, SOL_TCP),
};

/*
 * SOL_SOCKET options. The kernel names the time options by their 32- and
 * 64-bit time_t variants (_OLD and _NEW); the ABI has one code for both.
 */
#define SO(n)	VAL_(KSCAP_ABI_SOCKOPT_OPTIONS_##n, n)
#define SO2(n, k) VAL_(KSCAP_ABI_SOCKOPT_OPTIONS_##n, k)
static const struct kscap_val_map sockopt_vals[] = {
	SO(SO_DEBUG), SO(SO_REUSEADDR), SO(SO_TYPE), SO(SO_ERROR),
	SO(SO_DONTROUTE), SO(SO_BROADCAST), SO(SO_SNDBUF), SO(SO_RCVBUF),
	SO(SO_KEEPALIVE), SO(SO_OOBINLINE), SO(SO_NO_CHECK), SO(SO_PRIORITY),
	SO(SO_LINGER), SO(SO_BSDCOMPAT), SO(SO_REUSEPORT), SO(SO_PASSCRED),
	SO(SO_PEERCRED), SO(SO_RCVLOWAT), SO(SO_SNDLOWAT),
	SO2(SO_RCVTIMEO, SO_RCVTIMEO_OLD), SO2(SO_RCVTIMEO, SO_RCVTIMEO_NEW),
	SO2(SO_SNDTIMEO, SO_SNDTIMEO_OLD), SO2(SO_SNDTIMEO, SO_SNDTIMEO_NEW),
	SO(SO_SECURITY_AUTHENTICATION), SO(SO_SECURITY_ENCRYPTION_TRANSPORT),
	SO(SO_SECURITY_ENCRYPTION_NETWORK), SO(SO_BINDTODEVICE),
	SO(SO_ATTACH_FILTER), SO(SO_DETACH_FILTER), SO(SO_PEERNAME),
	SO2(SO_TIMESTAMP, SO_TIMESTAMP_OLD), SO2(SO_TIMESTAMP, SO_TIMESTAMP_NEW),
	SO(SO_ACCEPTCONN), SO(SO_PEERSEC), SO(SO_SNDBUFFORCE),
	SO(SO_RCVBUFFORCE), SO(SO_PASSSEC),
	SO2(SO_TIMESTAMPNS, SO_TIMESTAMPNS_OLD),
	SO2(SO_TIMESTAMPNS, SO_TIMESTAMPNS_NEW),
	SO(SO_MARK),
	SO2(SO_TIMESTAMPING, SO_TIMESTAMPING_OLD),
	SO2(SO_TIMESTAMPING, SO_TIMESTAMPING_NEW),
	SO(SO_PROTOCOL), SO(SO_DOMAIN), SO(SO_RXQ_OVFL), SO(SO_WIFI_STATUS),
	SO(SO_PEEK_OFF), SO(SO_NOFCS), SO(SO_LOCK_FILTER),
	SO(SO_SELECT_ERR_QUEUE), SO(SO_BUSY_POLL), SO(SO_MAX_PACING_RATE),
	SO(SO_BPF_EXTENSIONS), SO(SO_INCOMING_CPU), SO(SO_ATTACH_BPF),
	SO(SO_PEERGROUPS), SO(SO_MEMINFO), SO(SO_COOKIE),
};

static const struct kscap_bit_map splice_bits[] = {
	FLAG(SPLICE_FLAGS, SPLICE_F_MOVE, SPLICE_F_MOVE),
	FLAG(SPLICE_FLAGS, SPLICE_F_NONBLOCK, SPLICE_F_NONBLOCK),
	FLAG(SPLICE_FLAGS, SPLICE_F_MORE, SPLICE_F_MORE),
	FLAG(SPLICE_FLAGS, SPLICE_F_GIFT, SPLICE_F_GIFT),
};

static const struct kscap_bit_map umount_bits[] = {
	FLAG(UMOUNT_FLAGS, FORCE, MNT_FORCE),
	FLAG(UMOUNT_FLAGS, DETACH, MNT_DETACH),
	FLAG(UMOUNT_FLAGS, EXPIRE, MNT_EXPIRE),
	FLAG(UMOUNT_FLAGS, NOFOLLOW, UMOUNT_NOFOLLOW),
};

static const struct kscap_bit_map unlinkat_bits[] = {
	FLAG(UNLINKAT_FLAGS, AT_REMOVEDIR, AT_REMOVEDIR),
};

static const struct kscap_bit_map userfaultfd_bits[] = {
	FLAG(USERFAULTFD_FLAGS, UFFD_USER_MODE_ONLY, UFFD_USER_MODE_ONLY),
	FLAG(USERFAULTFD_FLAGS, O_NONBLOCK, O_NONBLOCK),
	FLAG(USERFAULTFD_FLAGS, O_CLOEXEC, O_CLOEXEC),
};

#define BITS(aux, b)	[KSCAP_AUX_##aux] = { .bits = b, .nbits = ARRAY_SIZE(b) }
#define VALS(aux, v)	[KSCAP_AUX_##aux] = { .vals = v, .nvals = ARRAY_SIZE(v) }

static const struct kscap_xlat_table kscap_flag_tables[KSCAP_AUX_MAX] = {
	BITS(ACCESS_FLAGS, access_bits),
	BITS(CHMOD_MODE, mode_bits),
	BITS(CLONE_FLAGS, clone_bits),
	/* EXECVE_FLAGS: facts the module computes, no kernel word to map. */
	VALS(FCNTL_COMMANDS, fcntl_vals),
	BITS(FILE_FLAGS, file_bits),
	BITS(FLOCK_FLAGS, flock_bits),
	[KSCAP_AUX_FUTEX_OPERATIONS] = {
		.vals = futex_vals, .nvals = ARRAY_SIZE(futex_vals),
		.bits = futex_bits, .nbits = ARRAY_SIZE(futex_bits),
		/* the kernel's own split of op (futex_op()'s cmd) */
		.code_mask = (u32)FUTEX_CMD_MASK,
	},
	BITS(LINKAT_FLAGS, linkat_bits),
	VALS(LSEEK_WHENCE, lseek_vals),
	BITS(MMAP_FLAGS, mmap_bits),
	BITS(MOUNT_FLAGS, mount_bits),
#ifdef CONFIG_X86
	BITS(PF_FLAGS, pf_bits),
#endif
	BITS(PROT_FLAGS, prot_bits),
	VALS(PTRACE_REQUESTS, ptrace_vals),
	/* quotactl's cmd is QCMD(command, type): the command above the type */
	[KSCAP_AUX_QUOTACTL_CMDS] = {
		.vals = quota_cmd_vals, .nvals = ARRAY_SIZE(quota_cmd_vals),
		.code_shift = SUBCMDSHIFT, .code_mask = U32_MAX >> SUBCMDSHIFT,
	},
	BITS(QUOTACTL_DQI_FLAGS, dqi_bits),
	VALS(QUOTACTL_QUOTA_FMTS, quota_fmt_vals),
	[KSCAP_AUX_QUOTACTL_TYPES] = {
		.vals = quota_type_vals, .nvals = ARRAY_SIZE(quota_type_vals),
		.code_mask = SUBCMDMASK,
	},
	BITS(RENAMEAT2_FLAGS, renameat2_bits),
	VALS(RLIMIT_RESOURCES, rlimit_vals),
	VALS(SEMCTL_COMMANDS, semctl_vals),
	BITS(SEMGET_FLAGS, semget_bits),
	BITS(SEMOP_FLAGS, semop_bits),
	VALS(SHUTDOWN_HOW, shutdown_vals),
	VALS(SOCKET_FAMILIES, family_vals),
	VALS(SOCKOPT_LEVELS, level_vals),
	VALS(SOCKOPT_OPTIONS, sockopt_vals),
	BITS(SPLICE_FLAGS, splice_bits),
	BITS(UMOUNT_FLAGS, umount_bits),
	BITS(UNLINKAT_FLAGS, unlinkat_bits),
	BITS(USERFAULTFD_FLAGS, userfaultfd_bits),
};

static u32 map_bits(const struct kscap_xlat_table *t, u64 raw)
{
	u32 abi = 0;
	unsigned int i;

	for (i = 0; i < t->nbits; i++)
		if ((raw & t->bits[i].mask) == t->bits[i].match)
			abi |= t->bits[i].abi;
	return abi;
}

static u32 map_code(const struct kscap_xlat_table *t,
		    const struct kscap_flag_kind *k, u64 raw)
{
	u64 code = raw >> t->code_shift;
	unsigned int i;

	if (t->code_mask)
		code &= t->code_mask;
	for (i = 0; i < t->nvals; i++)
		if (code == t->vals[i].kernel)
			return t->vals[i].abi;
	/* No row: tables that use the kernel's numbers keep small codes. */
	return code < k->keep_below ? (u32)code : k->unknown;
}

static u32 kscap_to_abi(unsigned int table, u64 raw)
{
	const struct kscap_xlat_table *t;
	const struct kscap_flag_kind *k;

	if (WARN_ON_ONCE(table >= KSCAP_AUX_MAX || !kscap_kinds[table].kind))
		return 0;
	t = &kscap_flag_tables[table];
	k = &kscap_kinds[table];

	switch (k->kind) {
	case KSCAP_FLAG_KIND_BITS:
		/* mount(2) still accepts the old magic number in the top half */
		if (table == KSCAP_AUX_MOUNT_FLAGS &&
		    (raw & MS_MGC_MSK) == MS_MGC_VAL)
			raw &= ~(u64)MS_MGC_MSK;
		return map_bits(t, raw);
	case KSCAP_FLAG_KIND_VALUES:
		return map_code(t, k, raw);
	default: /* MIXED */
		return (map_code(t, k, raw) & k->abi_code_mask) |
		       map_bits(t, raw);
	}
}

bool kscap_aux_is_table(unsigned int aux)
{
	return aux < KSCAP_AUX_MAX && kscap_kinds[aux].kind;
}

u32 kscap_flags_to_abi(unsigned int table, u64 raw)
{
	return kscap_to_abi(table, raw);
}

u32 kscap_value_to_abi(unsigned int table, u64 raw)
{
	return kscap_to_abi(table, raw);
}

u32 kscap_sockopt_optname_to_abi(int level, int optname)
{
	if (level != SOL_SOCKET)
		return KSCAP_ABI_SOCKOPT_OPTIONS_UNKNOWN;
	return kscap_to_abi(KSCAP_AUX_SOCKOPT_OPTIONS, (u32)optname);
}

u32 kscap_mode_to_abi(u64 mode)
{
	return map_bits(&kscap_flag_tables[KSCAP_AUX_CHMOD_MODE], mode);
}

u32 kscap_open_mode_to_abi(u64 flags, u64 mode)
{
	if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE)
		return 0;
	return kscap_mode_to_abi(mode);
}
