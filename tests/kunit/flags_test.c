// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/flags.c: kernel flag words and codes translated
 * to the ABI's (uapi/kscap_flags.h).
 *
 * Inputs are the kernel's own constants; expected outputs are written as
 * the ABI's numbers, not through the header's names, so that a wrong row
 * in the header fails here instead of agreeing with itself.
 */
#include <kunit/test.h>
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
#include <linux/sched.h>
#include <uapi/linux/mount.h>
#include <uapi/linux/tcp.h>
#ifdef CONFIG_X86
#include <asm/trap_pf.h>
#endif
#include "flags.h"

#define EXPECT_BITS(test, table, raw, want)				\
	KUNIT_EXPECT_EQ_MSG(test, kscap_flags_to_abi(KSCAP_AUX_##table, (raw)), \
			    (u32)(want), #table ": " #raw)
#define EXPECT_VAL(test, table, raw, want)				\
	KUNIT_EXPECT_EQ_MSG(test, kscap_value_to_abi(KSCAP_AUX_##table, (raw)), \
			    (u32)(want), #table ": " #raw)

static void file_flags_test(struct kunit *test)
{
	/* The kernel's O_RDONLY is 0; the ABI's is a bit. */
	EXPECT_BITS(test, FILE_FLAGS, O_RDONLY, 0x1);
	EXPECT_BITS(test, FILE_FLAGS, O_WRONLY | O_CREAT | O_CLOEXEC, 0x1006);
	EXPECT_BITS(test, FILE_FLAGS, O_RDWR | O_APPEND | O_TRUNC, 0x10b);
	EXPECT_BITS(test, FILE_FLAGS, O_EXCL | O_NONBLOCK | O_DIRECT | O_LARGEFILE,
		    0xa61);
	/* O_SYNC carries O_DSYNC's bit. */
	EXPECT_BITS(test, FILE_FLAGS, O_WRONLY | O_SYNC, 0x92);
	EXPECT_BITS(test, FILE_FLAGS, O_WRONLY | O_DSYNC, 0x12);
	/* O_TMPFILE needs both its bits; O_DIRECTORY alone is not it. */
	EXPECT_BITS(test, FILE_FLAGS, O_DIRECTORY, 0x401);
	EXPECT_BITS(test, FILE_FLAGS, O_TMPFILE | O_RDWR, 0x2403);
	/* Access mode 3 has no ABI name; unknown bits are dropped. */
	EXPECT_BITS(test, FILE_FLAGS, O_ACCMODE, 0);
	EXPECT_BITS(test, FILE_FLAGS, O_PATH | O_NOFOLLOW | O_NOCTTY | O_NOATIME, 0x1);
}

static void mmap_flags_test(struct kunit *test)
{
	EXPECT_BITS(test, MMAP_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS, 0xa);
	EXPECT_BITS(test, MMAP_FLAGS, MAP_SHARED | MAP_FIXED | MAP_POPULATE, 0x85);
	/* A field, not bits: SHARED_VALIDATE is shared, not shared+private. */
	EXPECT_BITS(test, MMAP_FLAGS, MAP_SHARED_VALIDATE | MAP_SYNC, 0x1);
	EXPECT_BITS(test, MMAP_FLAGS, MAP_PRIVATE | MAP_STACK | MAP_HUGETLB |
		    MAP_FIXED_NOREPLACE, 0x2);
	EXPECT_BITS(test, MMAP_FLAGS, MAP_PRIVATE | MAP_NORESERVE | MAP_NONBLOCK |
		    MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED,
		    0x4f42);
#ifdef MAP_32BIT
	EXPECT_BITS(test, MMAP_FLAGS, MAP_PRIVATE | MAP_32BIT, 0x12);
#endif
}

static void prot_flags_test(struct kunit *test)
{
	EXPECT_BITS(test, PROT_FLAGS, PROT_READ | PROT_EXEC, 0x5);
	EXPECT_BITS(test, PROT_FLAGS, PROT_NONE, 0);
	EXPECT_BITS(test, PROT_FLAGS, PROT_WRITE | PROT_SEM | PROT_GROWSDOWN |
		    PROT_GROWSUP, 0x3a);
	EXPECT_BITS(test, PROT_FLAGS, PROT_READ | 0x10 | 0x20, 0x1);
}

static void shutdown_test(struct kunit *test)
{
	EXPECT_VAL(test, SHUTDOWN_HOW, SHUT_RD, 0);
	EXPECT_VAL(test, SHUTDOWN_HOW, SHUT_WR, 1);
	EXPECT_VAL(test, SHUTDOWN_HOW, SHUT_RDWR, 2);
	/* The ABI's numbers are the kernel's: small unknowns pass, big don't. */
	EXPECT_VAL(test, SHUTDOWN_HOW, 7, 7);
	EXPECT_VAL(test, SHUTDOWN_HOW, 0x102, 0xff);
}

static void sockopt_test(struct kunit *test)
{
	EXPECT_VAL(test, SOCKOPT_LEVELS, SOL_SOCKET, 1);
	EXPECT_VAL(test, SOCKOPT_LEVELS, SOL_TCP, 2);
	EXPECT_VAL(test, SOCKOPT_LEVELS, SOL_IP, 0);
	EXPECT_VAL(test, SOCKOPT_LEVELS, SOL_IPV6, 0);

	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_REUSEADDR), 2U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_KEEPALIVE), 9U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_SNDBUFFORCE), 32U);
	/* Where the ABI's numbers leave the kernel's. */
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_PEERGROUPS), 51U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_MEMINFO), 52U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_COOKIE), 53U);
	/* Both time_t variants of the time options. */
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_RCVTIMEO_OLD), 20U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_RCVTIMEO_NEW), 20U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_SNDTIMEO_NEW), 21U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_TIMESTAMP_NEW), 29U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_TIMESTAMPING_NEW), 37U);
	/* Unknown option; an option of another level (TCP_NODELAY is 1). */
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_SOCKET, SO_ZEROCOPY), 0U);
	KUNIT_EXPECT_EQ(test, kscap_sockopt_optname_to_abi(SOL_TCP, TCP_NODELAY), 0U);
}

static void fcntl_test(struct kunit *test)
{
	EXPECT_VAL(test, FCNTL_COMMANDS, F_DUPFD_CLOEXEC, 26);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_DUPFD, 1);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_GETFL, 4);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_GETLK, 6);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_SETLK, 8);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_SETLKW, 9);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_GETSIG, 15);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_SETLEASE, 23);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_GETPIPE_SZ, 29);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_OFD_SETLKW, 32);
	EXPECT_VAL(test, FCNTL_COMMANDS, F_ADD_SEALS, 0);	/* UNKNOWN */
}

static void lseek_test(struct kunit *test)
{
	EXPECT_VAL(test, LSEEK_WHENCE, SEEK_SET, 0);
	EXPECT_VAL(test, LSEEK_WHENCE, SEEK_CUR, 1);
	EXPECT_VAL(test, LSEEK_WHENCE, SEEK_END, 2);
	EXPECT_VAL(test, LSEEK_WHENCE, SEEK_DATA, 3);
	/* Not SEEK_END: too big to pass through. */
	EXPECT_VAL(test, LSEEK_WHENCE, 0x10002, 0xff);
}

static void rlimit_test(struct kunit *test)
{
	EXPECT_VAL(test, RLIMIT_RESOURCES, RLIMIT_NOFILE, 7);
	EXPECT_VAL(test, RLIMIT_RESOURCES, RLIMIT_CPU, 0);
	EXPECT_VAL(test, RLIMIT_RESOURCES, RLIMIT_AS, 9);
	EXPECT_VAL(test, RLIMIT_RESOURCES, RLIMIT_RTTIME, 15);
	EXPECT_VAL(test, RLIMIT_RESOURCES, RLIM_NLIMITS, 255);
}

static void socket_family_test(struct kunit *test)
{
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_INET6, 10);
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_INET, 2);
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_UNIX, 1);
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_NETLINK, 16);
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_NFC, 39);
	EXPECT_VAL(test, SOCKET_FAMILIES, AF_VSOCK, 40);	/* no row: kept */
	EXPECT_VAL(test, SOCKET_FAMILIES, 1000, 0xff);
}

static void clone_flags_test(struct kunit *test)
{
	/* What glibc's pthread_create passes. */
	EXPECT_BITS(test, CLONE_FLAGS, CLONE_VM | CLONE_FS | CLONE_FILES |
		    CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
		    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, 0x280ba03);
	/* fork(): the exit signal in the low byte is not a flag. */
	EXPECT_BITS(test, CLONE_FLAGS, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
		    SIGCHLD, 0x1800000);
	EXPECT_BITS(test, CLONE_FLAGS, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP,
		    0x10100020);
	EXPECT_BITS(test, CLONE_FLAGS, CLONE_VFORK | CLONE_VM, 0x8008000);
	/* clone3's bits above 32 and CLONE_PIDFD have no ABI bit. */
	EXPECT_BITS(test, CLONE_FLAGS, CLONE_PIDFD | CLONE_INTO_CGROUP |
		    CLONE_NEWTIME, 0);
}

static void futex_test(struct kunit *test)
{
	EXPECT_VAL(test, FUTEX_OPERATIONS, FUTEX_WAIT_PRIVATE, 0x80);
	EXPECT_VAL(test, FUTEX_OPERATIONS, FUTEX_WAKE_PRIVATE, 0x81);
	EXPECT_VAL(test, FUTEX_OPERATIONS, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG |
		   FUTEX_CLOCK_REALTIME, 0x189);
	EXPECT_VAL(test, FUTEX_OPERATIONS, FUTEX_CMP_REQUEUE_PI, 12);
	/* Codes without a row keep their number (FUTEX_LOCK_PI2 is 13)... */
	EXPECT_VAL(test, FUTEX_OPERATIONS, 13 | FUTEX_PRIVATE_FLAG, 0x8d);
	/* ...unless they would spill into the flag bits. */
	EXPECT_VAL(test, FUTEX_OPERATIONS, 0x200 | FUTEX_WAKE, 0x7f);
}

static void ptrace_test(struct kunit *test)
{
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_TRACEME, 1);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_PEEKUSR, 4);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_ATTACH, 11);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_SYSCALL, 13);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_SEIZE, 20);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_SETSIGMASK, 25);
#ifdef CONFIG_X86
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_GETREGS, 26);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_GETFPXREGS, 30);
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_SINGLEBLOCK, 38);
#endif
	EXPECT_VAL(test, PTRACE_REQUESTS, PTRACE_GET_SYSCALL_INFO, 0);
	/* ptrace's request is a long: a high bit makes it another request. */
	EXPECT_VAL(test, PTRACE_REQUESTS, (1ULL << 40) | PTRACE_ATTACH, 0);
}

static void access_mode_test(struct kunit *test)
{
	EXPECT_BITS(test, ACCESS_FLAGS, 0, 0);			/* F_OK */
	EXPECT_BITS(test, ACCESS_FLAGS, MAY_READ | MAY_WRITE, 0x6);
	EXPECT_BITS(test, ACCESS_FLAGS, MAY_EXEC | 0x10, 0x1);
}

static void mode_test(struct kunit *test)
{
	EXPECT_BITS(test, CHMOD_MODE, 0755, 0x1ed);
	EXPECT_BITS(test, CHMOD_MODE, S_IFREG | S_ISUID | S_ISGID | S_ISVTX | 0644,
		    0xfa4);
	KUNIT_EXPECT_EQ(test, kscap_mode_to_abi(S_IFDIR | 0700), 0x1c0U);
	/* open's mode only counts when the call may create a file. */
	KUNIT_EXPECT_EQ(test, kscap_open_mode_to_abi(O_RDONLY, 0644), 0U);
	KUNIT_EXPECT_EQ(test, kscap_open_mode_to_abi(O_WRONLY | O_CREAT, 0644), 0x1a4U);
	KUNIT_EXPECT_EQ(test, kscap_open_mode_to_abi(O_TMPFILE | O_RDWR, 0600), 0x180U);
	KUNIT_EXPECT_EQ(test, kscap_open_mode_to_abi(O_DIRECTORY, 0600), 0U);
}

static void small_bit_tables_test(struct kunit *test)
{
	EXPECT_BITS(test, FLOCK_FLAGS, LOCK_EX | LOCK_NB, 0x6);
	EXPECT_BITS(test, FLOCK_FLAGS, LOCK_SH, 0x1);
	EXPECT_BITS(test, FLOCK_FLAGS, LOCK_UN, 0x8);
	EXPECT_BITS(test, FLOCK_FLAGS, LOCK_MAND, 0);

	EXPECT_BITS(test, LINKAT_FLAGS, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH, 0x1400);
	EXPECT_BITS(test, LINKAT_FLAGS, AT_SYMLINK_NOFOLLOW, 0);
	EXPECT_BITS(test, UNLINKAT_FLAGS, AT_REMOVEDIR, 0x200);
	EXPECT_BITS(test, UNLINKAT_FLAGS, AT_SYMLINK_NOFOLLOW, 0);

	/* userfaultfd: the kernel's bits, and no access mode for 0. */
	EXPECT_BITS(test, USERFAULTFD_FLAGS, 0, 0);
	EXPECT_BITS(test, USERFAULTFD_FLAGS, O_CLOEXEC | O_NONBLOCK, 0x80800);
	EXPECT_BITS(test, USERFAULTFD_FLAGS, UFFD_USER_MODE_ONLY | O_RDWR, 0x1);

	EXPECT_BITS(test, RENAMEAT2_FLAGS, RENAME_EXCHANGE, 0x2);
	EXPECT_BITS(test, RENAMEAT2_FLAGS, RENAME_NOREPLACE | RENAME_WHITEOUT | 0x8, 0x5);

	EXPECT_BITS(test, SPLICE_FLAGS, SPLICE_F_MOVE | SPLICE_F_MORE, 0x5);
	EXPECT_BITS(test, SPLICE_FLAGS, SPLICE_F_GIFT | 0x10, 0x8);

	EXPECT_BITS(test, UMOUNT_FLAGS, MNT_DETACH | UMOUNT_NOFOLLOW, 0xa);
	EXPECT_BITS(test, UMOUNT_FLAGS, MNT_FORCE | 0x80000000U, 0x1);

	EXPECT_BITS(test, SEMOP_FLAGS, IPC_NOWAIT | SEM_UNDO, 0x3);
	EXPECT_BITS(test, SEMOP_FLAGS, SEM_UNDO, 0x2);
	/* The ABI moves IPC_CREAT/IPC_EXCL; permission bits are dropped. */
	EXPECT_BITS(test, SEMGET_FLAGS, IPC_CREAT | IPC_EXCL | 0600, 0x6000);
	EXPECT_BITS(test, SEMGET_FLAGS, 0666, 0);

	/* EXECVE_FLAGS: nothing in the kernel maps to it. */
	EXPECT_BITS(test, EXECVE_FLAGS, ~0ULL, 0);
}

static void mount_flags_test(struct kunit *test)
{
	/* The legacy magic number in the top half is removed first. */
	EXPECT_BITS(test, MOUNT_FLAGS, MS_MGC_VAL | MS_RDONLY | MS_NOSUID, 0x3);
	EXPECT_BITS(test, MOUNT_FLAGS, MS_BIND | MS_REC, 0x5000);
	EXPECT_BITS(test, MOUNT_FLAGS, MS_LAZYTIME | MS_NOUSER, 0x82000000);
	EXPECT_BITS(test, MOUNT_FLAGS, MS_REMOUNT | MS_NOSYMFOLLOW | MS_SUBMOUNT,
		    0x20);
}

static void semctl_test(struct kunit *test)
{
	EXPECT_VAL(test, SEMCTL_COMMANDS, IPC_RMID, 0x4);
	EXPECT_VAL(test, SEMCTL_COMMANDS, IPC_STAT, 0x1);
	EXPECT_VAL(test, SEMCTL_COMMANDS, GETPID, 0x100);
	EXPECT_VAL(test, SEMCTL_COMMANDS, SETVAL, 0x1000);
	EXPECT_VAL(test, SEMCTL_COMMANDS, SEM_INFO, 0x10);
	EXPECT_VAL(test, SEMCTL_COMMANDS, SEM_STAT_ANY, 0);
}

static void quotactl_test(struct kunit *test)
{
	/* Both tables take the whole cmd argument and pick their part. */
	EXPECT_VAL(test, QUOTACTL_CMDS, QCMD(Q_GETQUOTA, USRQUOTA), 0x20);
	EXPECT_VAL(test, QUOTACTL_TYPES, QCMD(Q_GETQUOTA, USRQUOTA), 0x1);
	EXPECT_VAL(test, QUOTACTL_CMDS, QCMD(Q_QUOTAON, GRPQUOTA), 0x1);
	EXPECT_VAL(test, QUOTACTL_TYPES, QCMD(Q_QUOTAON, GRPQUOTA), 0x2);
	EXPECT_VAL(test, QUOTACTL_CMDS, QCMD(Q_XGETQSTAT, PRJQUOTA), 0x1000);
	EXPECT_VAL(test, QUOTACTL_TYPES, QCMD(Q_XGETQSTAT, PRJQUOTA), 0);
	EXPECT_VAL(test, QUOTACTL_CMDS, QCMD(Q_XGETQSTATV, USRQUOTA), 0x8000);
	EXPECT_VAL(test, QUOTACTL_CMDS, QCMD(Q_GETNEXTQUOTA, USRQUOTA), 0);

	EXPECT_VAL(test, QUOTACTL_QUOTA_FMTS, QFMT_VFS_OLD, 0x2);
	EXPECT_VAL(test, QUOTACTL_QUOTA_FMTS, QFMT_VFS_V0, 0x4);
	EXPECT_VAL(test, QUOTACTL_QUOTA_FMTS, QFMT_VFS_V1, 0x8);
	EXPECT_VAL(test, QUOTACTL_QUOTA_FMTS, QFMT_OCFS2, 0x1);	/* NOT_USED */

	EXPECT_BITS(test, QUOTACTL_DQI_FLAGS, DQF_ROOT_SQUASH, 0x2);
	EXPECT_BITS(test, QUOTACTL_DQI_FLAGS, 0, 0x1);
	EXPECT_BITS(test, QUOTACTL_DQI_FLAGS, DQF_SYS_FILE, 0x1);
}

static void pf_flags_test(struct kunit *test)
{
#ifdef CONFIG_X86
	/* Kernel-mode read of a page not present: the three "clear" bits. */
	EXPECT_BITS(test, PF_FLAGS, 0, 0x2a);
	EXPECT_BITS(test, PF_FLAGS, X86_PF_PROT | X86_PF_WRITE | X86_PF_USER, 0x15);
	EXPECT_BITS(test, PF_FLAGS, X86_PF_USER | X86_PF_INSTR, 0x9a);
	EXPECT_BITS(test, PF_FLAGS, X86_PF_PROT | X86_PF_RSVD | X86_PF_PK, 0x69);
#else
	kunit_skip(test, "the page fault error code is x86's");
#endif
}

/*
 * What the header says, as data: every row and every kind row, to check
 * the translation against the header as a whole, not value by value.
 */
struct hdr_row {
	unsigned int table;
	u32 value;
	const char *name;
};

static const struct hdr_row hdr_rows[] = {
#define KSCAP_FLAG(t, n, v)	{ KSCAP_AUX_##t, (u32)(v), #n },
#include "kscap_flags.h"
#undef KSCAP_FLAG
};

struct kind_row {
	unsigned int table;
	unsigned int kind;
	u32 code_mask, unknown, keep_below;
};

static const struct kind_row hdr_kinds[] = {
#define KSCAP_FLAG_KIND(t, k, m, u, keep)				\
	{ KSCAP_AUX_##t, KSCAP_FLAG_KIND_##k, m, u, keep },
#include "kscap_flags.h"
#undef KSCAP_FLAG_KIND
};

static u32 row_union(unsigned int table)
{
	unsigned int i;
	u32 u = 0;

	for (i = 0; i < ARRAY_SIZE(hdr_rows); i++)
		if (hdr_rows[i].table == table)
			u |= hdr_rows[i].value;
	return u;
}

static bool is_row(unsigned int table, u32 value)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hdr_rows); i++)
		if (hdr_rows[i].table == table && hdr_rows[i].value == value)
			return true;
	return false;
}

/* The table's kind row; kind 0 if it has none. */
static struct kind_row kind_of(unsigned int table)
{
	struct kind_row none = { .table = table };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hdr_kinds); i++)
		if (hdr_kinds[i].table == table)
			return hdr_kinds[i];
	return none;
}

/* Inputs for the sweeps: every small value, every single bit, then these. */
static const u64 sweep_extra[] = {
	0x4200, 0x4201, 0x4206, 0x420a, 0x420b, 0x420e, 0x420f,	/* ptrace */
	0x400, 0x401, 0x402, 0x405, 0x406, 0x407, 0x408, 0x409, /* fcntl */
	(u32)QCMD(Q_GETQUOTA, GRPQUOTA), (u32)QCMD(Q_XQUOTAON, USRQUOTA),
	(u32)QCMD(Q_GETNEXTQUOTA, PRJQUOTA),
	MS_MGC_VAL | MS_BIND, ~0ULL, 0xffffffffULL, 0x80000000ULL,
};

#define SWEEP_N		(1024 + 64 + ARRAY_SIZE(sweep_extra))

static u64 sweep_input(unsigned int i)
{
	if (i < 1024)
		return i;
	if (i < 1024 + 64)
		return 1ULL << (i - 1024);
	return sweep_extra[i - 1024 - 64];
}

/* Each table has one kind row; every flag table of the aux enum has one. */
static void header_kinds_test(struct kunit *test)
{
	static const unsigned int flag_tables[] = {
		KSCAP_AUX_ACCESS_FLAGS, KSCAP_AUX_CHMOD_MODE, KSCAP_AUX_CLONE_FLAGS,
		KSCAP_AUX_EXECVE_FLAGS, KSCAP_AUX_FCNTL_COMMANDS,
		KSCAP_AUX_FILE_FLAGS, KSCAP_AUX_FLOCK_FLAGS,
		KSCAP_AUX_FUTEX_OPERATIONS, KSCAP_AUX_LINKAT_FLAGS,
		KSCAP_AUX_LSEEK_WHENCE, KSCAP_AUX_MMAP_FLAGS,
		KSCAP_AUX_MOUNT_FLAGS, KSCAP_AUX_PF_FLAGS, KSCAP_AUX_PROT_FLAGS,
		KSCAP_AUX_PTRACE_REQUESTS, KSCAP_AUX_QUOTACTL_CMDS,
		KSCAP_AUX_QUOTACTL_DQI_FLAGS, KSCAP_AUX_QUOTACTL_QUOTA_FMTS,
		KSCAP_AUX_QUOTACTL_TYPES, KSCAP_AUX_RENAMEAT2_FLAGS,
		KSCAP_AUX_RLIMIT_RESOURCES, KSCAP_AUX_SEMCTL_COMMANDS,
		KSCAP_AUX_SEMGET_FLAGS, KSCAP_AUX_SEMOP_FLAGS,
		KSCAP_AUX_SHUTDOWN_HOW, KSCAP_AUX_SOCKET_FAMILIES,
		KSCAP_AUX_SOCKOPT_LEVELS, KSCAP_AUX_SOCKOPT_OPTIONS,
		KSCAP_AUX_SPLICE_FLAGS, KSCAP_AUX_UMOUNT_FLAGS,
		KSCAP_AUX_UNLINKAT_FLAGS, KSCAP_AUX_USERFAULTFD_FLAGS,
	};
	unsigned int kinds[KSCAP_AUX_MAX] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hdr_kinds); i++) {
		KUNIT_ASSERT_LT(test, hdr_kinds[i].table, (unsigned int)KSCAP_AUX_MAX);
		kinds[hdr_kinds[i].table]++;
	}
	for (i = 0; i < KSCAP_AUX_MAX; i++)
		KUNIT_EXPECT_LE_MSG(test, kinds[i], 1U, "aux %u", i);
	for (i = 0; i < ARRAY_SIZE(flag_tables); i++) {
		struct kind_row k = kind_of(flag_tables[i]);

		KUNIT_EXPECT_EQ_MSG(test, kinds[flag_tables[i]], 1U,
				    "aux %u has no kind row", flag_tables[i]);
		if (k.kind == KSCAP_FLAG_KIND_BITS)
			KUNIT_EXPECT_EQ(test, k.code_mask, 0U);
		if (k.kind == KSCAP_FLAG_KIND_VALUES)
			KUNIT_EXPECT_EQ(test, k.code_mask, 0xffffffffU);
	}
	KUNIT_EXPECT_EQ(test, (unsigned int)ARRAY_SIZE(hdr_kinds),
			(unsigned int)ARRAY_SIZE(flag_tables));
}

/*
 * Whatever the kernel passes, a BITS table yields only bits its rows name,
 * and a VALUES or MIXED table a code that is a row, its unknown value or a
 * kept kernel number, plus only named flag bits.
 */
static void sweep_test(struct kunit *test)
{
	unsigned int t, i;

	for (t = 0; t < KSCAP_AUX_MAX; t++) {
		struct kind_row k = kind_of(t);
		u32 all = row_union(t);
		unsigned int bad = 0;
		u64 first_raw = 0;
		u32 first_abi = 0;

		if (!k.kind)
			continue;
		for (i = 0; i < SWEEP_N; i++) {
			u64 raw = sweep_input(i);
			u32 abi = kscap_value_to_abi(t, raw);
			u32 code = abi & k.code_mask;
			bool ok = !(abi & ~k.code_mask & ~all);

			if (k.kind != KSCAP_FLAG_KIND_BITS)
				ok = ok && (is_row(t, code) || code == k.unknown ||
					    code < k.keep_below);
			/* Both entry points agree, whatever the table's kind. */
			ok = ok && kscap_flags_to_abi(t, raw) == abi;
			if (!ok && !bad++) {
				first_raw = raw;
				first_abi = abi;
			}
		}
		/* One line per table, however many inputs went wrong. */
		KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "aux %u: first bad: %llx -> %x",
				    t, first_raw, first_abi);
	}
}

/*
 * Rows of one table name distinct values, except the kernel's own
 * aliases (AF_LOCAL, AF_ROUTE); a pasted row with a stale value shows.
 */
static void header_unique_test(struct kunit *test)
{
	const struct hdr_row *r = hdr_rows;
	unsigned int i, j, dups = 0;

	for (i = 0; i < ARRAY_SIZE(hdr_rows); i++)
		for (j = i + 1; j < ARRAY_SIZE(hdr_rows); j++)
			if (r[i].table == r[j].table && r[i].value == r[j].value) {
				dups++;
				kunit_info(test, "same value: %s %s\n",
					   r[i].name, r[j].name);
			}
	KUNIT_EXPECT_EQ(test, dups, 2U);
}

static struct kunit_case flags_cases[] = {
	KUNIT_CASE(file_flags_test),
	KUNIT_CASE(mmap_flags_test),
	KUNIT_CASE(prot_flags_test),
	KUNIT_CASE(shutdown_test),
	KUNIT_CASE(sockopt_test),
	KUNIT_CASE(fcntl_test),
	KUNIT_CASE(lseek_test),
	KUNIT_CASE(rlimit_test),
	KUNIT_CASE(socket_family_test),
	KUNIT_CASE(clone_flags_test),
	KUNIT_CASE(futex_test),
	KUNIT_CASE(ptrace_test),
	KUNIT_CASE(access_mode_test),
	KUNIT_CASE(mode_test),
	KUNIT_CASE(small_bit_tables_test),
	KUNIT_CASE(mount_flags_test),
	KUNIT_CASE(semctl_test),
	KUNIT_CASE(quotactl_test),
	KUNIT_CASE(pf_flags_test),
	KUNIT_CASE(header_kinds_test),
	KUNIT_CASE(header_unique_test),
	KUNIT_CASE(sweep_test),
	{}
};

static struct kunit_suite flags_suite = {
	.name = "kscap_flags",
	.test_cases = flags_cases,
};
kunit_test_suite(flags_suite);
