// SPDX-License-Identifier: GPL-2.0
/*
 * The recipe table and its interpreter. Each row names, per parameter of
 * an event type, where the value comes from; the parameter's type in the
 * uapi event table says how it is encoded. Arguments are x86_64 syscall
 * arguments, counted from 0.
 */
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/mm.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/time64.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>
#include "recipe.h"
#include "flags.h"
#include "fillers.h"

#define RET		{ KSCAP_S_RET }
#define ARG(i)		{ KSCAP_S_ARG, i }
#define ARG_U32(i)	{ KSCAP_S_ARG_U32, i }
#define ARG_S32(i)	{ KSCAP_S_ARG_S32, i }
#define USTR(i)		{ KSCAP_S_USTR, i }
#define USTR_OK(i)	{ KSCAP_S_USTR_OK, i }
#define DATA_RET(i)	{ KSCAP_S_DATA_RET, i }
#define DATA_ARG(i, n)	{ KSCAP_S_DATA_ARG, i, n }
#define UINT_AT(i, k)	{ KSCAP_S_USER_INT, i, k }
#define U64_AT(i, k)	{ KSCAP_S_USER_U64, i, k }
#define OUT_INT(i, k)	{ KSCAP_S_OUT_INT, i, k }
#define OUT_U64(i, k)	{ KSCAP_S_OUT_U64, i, k, KSCAP_UNREAD_NEG1 }
/* Same, with what a NULL or unreadable pointer gives (enum kscap_unread). */
#define U64_AT_OR(i, k, d) { KSCAP_S_USER_U64, i, k, KSCAP_UNREAD_##d }
#define TIMESPEC(i)	{ KSCAP_S_USER_TIMESPEC, i }
#define RET_DEV		{ KSCAP_S_RET_DEV }
#define FD_INO(i, k)	{ KSCAP_S_FD_INO, i, k }
#define VM		{ KSCAP_S_VM_SIZE }, { KSCAP_S_VM_RSS }, { KSCAP_S_VM_SWAP }
#define CONST(v)	{ KSCAP_S_CONST, v }
#define CALL(e, ...)	{ KSCAP_S_CALL, KSCAP_ENC_##e, __VA_ARGS__ }

/* The encoders, their arguments named (enum kscap_encoder says more). */
#define SOCKADDR(addr, len)		CALL(SOCKADDR, addr, len)
#define TUPLE_FROM(fd, addr, lenp)	CALL(TUPLE_FROM, fd, addr, lenp)
#define TUPLE_IN_MSG(fd, msg)		CALL(TUPLE_IN_MSG, fd, msg)
#define TUPLE_TO(fd, addr, len)		CALL(TUPLE_TO, fd, addr, len)
#define TUPLE_MSG(fd, msg)		CALL(TUPLE_MSG, fd, msg)
#define TUPLE_ACCEPTED			CALL(TUPLE_RET)
#define ACCEPT_QUEUE(fd, f)		CALL(ACCEPT_QUEUE, fd, KSCAP_QUEUE_##f)
#define ACCEPT_QUEUES(fd)		ACCEPT_QUEUE(fd, PCT), ACCEPT_QUEUE(fd, LEN), \
					ACCEPT_QUEUE(fd, MAX)
#define SOCK_ID(fds, i)			CALL(SOCK_ID, fds, i)
#define MSG_SIZE(msg)			CALL(MSG_SIZE, msg)
#define MSG_DATA(msg)			CALL(MSG_DATA, msg)
#define MSG_DATA_RET(msg)		CALL(MSG_DATA_RET, msg)
#define IOV_SIZE(iov, cnt)		CALL(IOV_SIZE, iov, cnt)
#define IOV_DATA(iov, cnt)		CALL(IOV_DATA, iov, cnt)
#define IOV_DATA_RET(iov, cnt)		CALL(IOV_DATA_RET, iov, cnt)
#define SOCKOPT_NAME(level, name)	CALL(SOCKOPT_NAME, level, name)
#define SOCKOPT_VAL(val, len)		CALL(SOCKOPT_VAL, val, len)
#define SOCKOPT_VAL_GET(val, lenp)	CALL(SOCKOPT_VAL_GET, val, lenp)
#define FDLIST(fds, n)			CALL(FDLIST, fds, n)
#define FDLIST_REVENTS(fds, n)		CALL(FDLIST_REVENTS, fds, n)
#define SIGSET(set)			CALL(SIGSET, set)
#define PTRACE_ADDR(req, addr)		CALL(PTRACE_ADDR, req, addr)
#define PTRACE_DATA(req, data)		CALL(PTRACE_DATA, req, data)
#define BPF_RES(cmd)			CALL(BPF_RES, cmd)
#define QUOTA(f)			CALL(QUOTACTL, KSCAP_QUOTA_##f)
#define SEMBUF(i, f)			CALL(SEMBUF, i, KSCAP_SEMBUF_##f)
#define OPT_ARG(i)			CALL(OPT_ARG, i)
#define OPEN_MODE(flags, mode)		CALL(OPEN_MODE, flags, mode)
/* creat() always creates: its mode is always kept. */
#define CREAT_MODE(mode)		CALL(OPEN_MODE, KSCAP_ARG_CREAT, mode)

struct kscap_recipe {
	u16 type;
	struct kscap_src src[KSCAP_MAX_PARAMS];
};

#define R(t, ...)	{ KSCAP_EV_##t, { __VA_ARGS__ } }

/* stat, lstat and fstat, and their 32-bit processes' stat64 versions. */
#define STAT_ROWS(sfx)						\
	R(STAT##sfx##_E), R(STAT##sfx##_X, RET, USTR(0)),		\
	R(LSTAT##sfx##_E), R(LSTAT##sfx##_X, RET, USTR(0)),		\
	R(FSTAT##sfx##_E, ARG(0)), R(FSTAT##sfx##_X, RET)

static const struct kscap_recipe kscap_recipes[] = {
	R(OPEN_E),
	R(OPEN_X, RET, USTR(0), ARG(1), OPEN_MODE(1, 2), RET_DEV),
	R(CLOSE_E, ARG(0)),
	R(CLOSE_X, RET),
	R(READ_E, ARG(0), ARG(2)),
	R(READ_X, RET, DATA_RET(1)),
	R(WRITE_E, ARG(0), ARG(2)),
	R(WRITE_X, RET, DATA_ARG(1, 2)),
	R(SOCKET_E, ARG(0), ARG(1), ARG(2)),
	R(SOCKET_X, RET),
	R(BIND_E, ARG(0)),
	R(BIND_X, RET, SOCKADDR(1, 2)),
	R(CONNECT_E, ARG(0)),
	R(CONNECT_X, RET, TUPLE_TO(0, 1, 2)),
	R(LISTEN_E, ARG(0), ARG(1)),
	R(LISTEN_X, RET),
	R(SENDTO_E, ARG(0), ARG(2), TUPLE_TO(0, 4, 5)),
	R(SENDTO_X, RET, DATA_ARG(1, 2)),
	R(RECVFROM_E, ARG(0), ARG(2)),
	R(RECVFROM_X, RET, DATA_RET(1), TUPLE_FROM(0, 4, 5)),
	R(SHUTDOWN_E, ARG(0), ARG(1)),
	R(SHUTDOWN_X, RET),
	R(GETSOCKNAME_E),
	R(GETSOCKNAME_X),
	R(GETPEERNAME_E),
	R(GETPEERNAME_X),
	R(SOCKETPAIR_E, ARG(0), ARG(1), ARG(2)),
	R(SOCKETPAIR_X, RET, OUT_INT(3, 0), OUT_INT(3, 1), SOCK_ID(3, 0), SOCK_ID(3, 1)),
	R(SETSOCKOPT_E),
	R(SETSOCKOPT_X, RET, ARG(0), ARG(1), SOCKOPT_NAME(1, 2), SOCKOPT_VAL(3, 4),
	  ARG(4)),
	R(GETSOCKOPT_E),
	R(GETSOCKOPT_X, RET, ARG(0), ARG(1), SOCKOPT_NAME(1, 2), SOCKOPT_VAL_GET(3, 4),
	  UINT_AT(4, 0)),
	R(SENDMSG_E, ARG(0), MSG_SIZE(1), TUPLE_MSG(0, 1)),
	R(SENDMSG_X, RET, MSG_DATA(1)),
	R(SENDMMSG_E),
	R(SENDMMSG_X),
	R(RECVMSG_E, ARG(0)),
	R(RECVMSG_X, RET, MSG_SIZE(1), MSG_DATA_RET(1), TUPLE_IN_MSG(0, 1)),
	R(RECVMMSG_E),
	R(RECVMMSG_X),
	R(CREAT_E),
	R(CREAT_X, RET, USTR(0), CREAT_MODE(1), RET_DEV),
	R(PIPE_E),
	R(PIPE_X, RET, OUT_INT(0, 0), OUT_INT(0, 1), FD_INO(0, 0)),
	R(EVENTFD_E, ARG_U32(0), OPT_ARG(1)),
	R(EVENTFD_X, RET),
	R(FUTEX_E, ARG(0), ARG(1), ARG_U32(2)),
	R(FUTEX_X, RET),
	STAT_ROWS(),
	R(EPOLL_WAIT_E, ARG(2)),
	R(EPOLL_WAIT_X, RET),
	R(POLL_E, FDLIST(0, 1), ARG_S32(2)),
	R(POLL_X, RET, FDLIST_REVENTS(0, 1)),
	R(SELECT_E),
	R(SELECT_X, RET),
	R(LSEEK_E, ARG(0), ARG(1), ARG(2)),
	R(LSEEK_X, RET),
	R(GETCWD_E),
	R(GETCWD_X, RET, USTR_OK(0)),
	R(CHDIR_E),
	R(CHDIR_X, RET, USTR(0)),
	R(FCHDIR_E, ARG(0)),
	R(FCHDIR_X, RET),
	R(MKDIR_E, ARG(1)),
	R(MKDIR_X, RET, USTR(0)),
	R(RMDIR_E),
	R(RMDIR_X, RET, USTR(0)),
	R(PREAD_E, ARG(0), ARG(2), ARG(3)),
	R(PREAD_X, RET, DATA_RET(1)),
	R(PWRITE_E, ARG(0), ARG(2), ARG(3)),
	R(PWRITE_X, RET, DATA_ARG(1, 2)),
	R(READV_E, ARG(0)),
	R(READV_X, RET, IOV_SIZE(1, 2), IOV_DATA_RET(1, 2)),
	R(WRITEV_E, ARG(0), IOV_SIZE(1, 2)),
	R(WRITEV_X, RET, IOV_DATA(1, 2)),
	R(PREADV_E, ARG(0), ARG(3)),
	R(PREADV_X, RET, IOV_SIZE(1, 2), IOV_DATA_RET(1, 2)),
	R(PWRITEV_E, ARG(0), IOV_SIZE(1, 2), ARG(3)),
	R(PWRITEV_X, RET, IOV_DATA(1, 2)),
	R(DUP_E, ARG(0)),
	R(DUP_X, RET),
	R(SIGNALFD_E, ARG(0), UINT_AT(1, 0), OPT_ARG(3)),
	R(SIGNALFD_X, RET),
	R(KILL_E, ARG(0), ARG(1)),
	R(KILL_X, RET),
	R(TKILL_E, ARG(0), ARG(1)),
	R(TKILL_X, RET),
	R(TGKILL_E, ARG(0), ARG(1), ARG(2)),
	R(TGKILL_X, RET),
	R(NANOSLEEP_E, TIMESPEC(0)),
	R(NANOSLEEP_X, RET),
	R(TIMERFD_CREATE_E, ARG(0), ARG(1)),
	R(TIMERFD_CREATE_X, RET),
	R(INOTIFY_INIT_E, OPT_ARG(0)),
	R(INOTIFY_INIT_X, RET),
	R(GETRLIMIT_E, ARG(0)),
	R(GETRLIMIT_X, RET, OUT_U64(1, 0), OUT_U64(1, 1)),
	R(SETRLIMIT_E, ARG(0)),
	R(SETRLIMIT_X, RET, U64_AT(1, 0), U64_AT(1, 1)),
	R(PRLIMIT_E, ARG(0), ARG(1)),
	R(PRLIMIT_X, RET, U64_AT_OR(2, 0, NEG1), U64_AT_OR(2, 1, NEG1), OUT_U64(3, 0),
	  OUT_U64(3, 1)),
	R(FCNTL_E, ARG(0), ARG(1)),
	R(FCNTL_X, RET),
	R(BRK_E, ARG(0)),
	R(BRK_X, RET, VM),
	R(MMAP_E, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4), ARG(5)),
	R(MMAP_X, RET, VM),
	R(MUNMAP_E, ARG(0), ARG(1)),
	R(MUNMAP_X, RET, VM),
	R(SPLICE_E, ARG(0), ARG(2), ARG(4), ARG(5)),
	R(SPLICE_X, RET),
	R(PTRACE_E, ARG(0), ARG(1)),
	R(PTRACE_X, RET, PTRACE_ADDR(0, 2), PTRACE_DATA(0, 3)),
	R(IOCTL_E, ARG(0), ARG_U32(1), ARG(2)),
	R(IOCTL_X, RET),
	R(RENAME_E),
	R(RENAME_X, RET, USTR(0), USTR(1)),
	R(RENAMEAT_E),
	R(RENAMEAT_X, RET, ARG(0), USTR(1), ARG(2), USTR(3)),
	R(SYMLINK_E),
	R(SYMLINK_X, RET, USTR(0), USTR(1)),
	R(SYMLINKAT_E),
	R(SYMLINKAT_X, RET, USTR(0), ARG(1), USTR(2)),
	R(SENDFILE_E, ARG(0), ARG(1), U64_AT_OR(2, 0, ZERO), ARG(3)),
	R(SENDFILE_X, RET, U64_AT_OR(2, 0, ZERO)),
	R(QUOTACTL_E, QUOTA(CMD), QUOTA(TYPE), ARG(2), QUOTA(FMT)),
	R(QUOTACTL_X, RET, QUOTA(SPECIAL), QUOTA(QUOTAFILE), QUOTA(BHARD), QUOTA(BSOFT),
	  QUOTA(CURSPACE), QUOTA(IHARD), QUOTA(ISOFT), QUOTA(BTIME), QUOTA(ITIME),
	  QUOTA(BGRACE), QUOTA(IGRACE), QUOTA(DQI_FLAGS), QUOTA(FMT_OUT)),
	R(SETRESUID_E, ARG(0), ARG(1), ARG(2)),
	R(SETRESUID_X, RET),
	R(SETRESGID_E, ARG(0), ARG(1), ARG(2)),
	R(SETRESGID_X, RET),
	R(SETUID_E, ARG(0)),
	R(SETUID_X, RET),
	R(SETGID_E, ARG(0)),
	R(SETGID_X, RET),
	R(GETUID_E),
	R(GETUID_X, RET),
	R(GETEUID_E),
	R(GETEUID_X, RET),
	R(GETGID_E),
	R(GETGID_X, RET),
	R(GETEGID_E),
	R(GETEGID_X, RET),
	R(GETRESUID_E),
	R(GETRESUID_X, RET, OUT_INT(0, 0), OUT_INT(1, 0), OUT_INT(2, 0)),
	R(GETRESGID_E),
	R(GETRESGID_X, RET, OUT_INT(0, 0), OUT_INT(1, 0), OUT_INT(2, 0)),
	R(GETDENTS_E, ARG(0)),
	R(GETDENTS_X, RET),
	R(GETDENTS64_E, ARG(0)),
	R(GETDENTS64_X, RET),
	R(SETNS_E, ARG(0), ARG(1)),
	R(SETNS_X, RET),
	R(FLOCK_E, ARG(0), ARG(1)),
	R(FLOCK_X, RET),
	R(ACCEPT_E),
	R(ACCEPT_X, RET, TUPLE_ACCEPTED, ACCEPT_QUEUES(0)),
	R(ACCEPT4_E, ARG(3)),
	R(ACCEPT4_X, RET, TUPLE_ACCEPTED, ACCEPT_QUEUES(0)),
	R(SEMOP_E, ARG(0)),
	R(SEMOP_X, RET, ARG(2), SEMBUF(0, SEM_NUM), SEMBUF(0, SEM_OP), SEMBUF(0, SEM_FLG),
	  SEMBUF(1, SEM_NUM), SEMBUF(1, SEM_OP), SEMBUF(1, SEM_FLG)),
	R(SEMCTL_E, ARG(0), ARG(1), ARG(2), ARG(3)),
	R(SEMCTL_X, RET),
	R(PPOLL_E, FDLIST(0, 1), TIMESPEC(2), SIGSET(3)),
	R(PPOLL_X, RET, FDLIST_REVENTS(0, 1)),
	R(MOUNT_E, ARG(3)),
	R(MOUNT_X, RET, USTR(0), USTR(1), USTR(2)),
	R(UMOUNT_E, ARG(1)),
	R(UMOUNT_X, RET, USTR(0)),
	R(SEMGET_E, ARG(0), ARG(1), ARG(2)),
	R(SEMGET_X, RET),
	R(ACCESS_E, ARG(1)),
	R(ACCESS_X, RET, USTR(0)),
	R(CHROOT_E),
	R(CHROOT_X, RET, USTR(0)),
	R(SETSID_E),
	R(SETSID_X, RET),
	R(UNSHARE_E, ARG(0)),
	R(UNSHARE_X, RET),
	R(SETPGID_E, ARG(0), ARG(1)),
	R(SETPGID_X, RET),
	R(BPF_E, ARG_S32(0)),
	R(BPF_X, BPF_RES(0)),
	R(SECCOMP_E, ARG_U32(0)),
	R(SECCOMP_X, RET),
	R(UNLINK_E),
	R(UNLINK_X, RET, USTR(0)),
	R(UNLINKAT_E),
	R(UNLINKAT_X, RET, ARG(0), USTR(1), ARG(2)),
	R(MKDIRAT_E),
	R(MKDIRAT_X, RET, ARG(0), USTR(1), ARG(2)),
	R(OPENAT_E),
	R(OPENAT_X, RET, ARG(0), USTR(1), ARG(2), OPEN_MODE(2, 3), RET_DEV),
	R(LINK_E),
	R(LINK_X, RET, USTR(0), USTR(1)),
	R(LINKAT_E),
	R(LINKAT_X, RET, ARG(0), USTR(1), ARG(2), USTR(3), ARG(4)),
	R(FCHMODAT_E),
	R(FCHMODAT_X, RET, ARG(0), USTR(1), ARG(2)),
	R(CHMOD_E),
	R(CHMOD_X, RET, USTR(0), ARG(1)),
	R(FCHMOD_E),
	R(FCHMOD_X, RET, ARG(0), ARG(1)),
	R(RENAMEAT2_E),
	R(RENAMEAT2_X, RET, ARG(0), USTR(1), ARG(2), USTR(3), ARG(4)),
	/* Rows only 32-bit processes make (syscalls_ia32.c). */
	R(SEND_E, ARG(0), ARG(2)),
	R(SEND_X, RET, DATA_ARG(1, 2)),
	R(RECV_E, ARG(0), ARG(2)),
	R(RECV_X, RET, DATA_RET(1)),
	R(LLSEEK_E, ARG(0), ARG(1), ARG(2)),
	R(LLSEEK_X, RET),
	R(MMAP2_E, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4), ARG(5)),
	R(MMAP2_X, RET, VM),
	STAT_ROWS(64),
	R(USERFAULTFD_E),
	R(USERFAULTFD_X, RET, ARG(0)),
};

/* Bytes of an integer parameter type; 0: not an integer. */
static u8 kscap_int_size(u8 type)
{
	if (type >= KSCAP_PT_MAX || !(kscap_param_types[type].flags & KSCAP_PTF_INT))
		return 0;
	return kscap_param_types[type].size;
}

u8 kscap_type_size(u8 type)
{
	return kscap_int_size(type);
}

#ifdef KSCAP_DEBUG
bool kscap_param_len_ok(u16 type, u16 idx, u32 len)
{
	const struct kscap_event_info *info;
	u8 size;

	if (type >= KSCAP_EV_MAX)
		return true;
	info = &kscap_event_table[type];
	if (idx >= info->nparams)
		return true;
	size = kscap_type_size(info->params[idx].type);
	return !size || !len || len == size;
}
#endif

void kscap_put_int(struct kscap_event_writer *w, u8 type, s64 v)
{
	switch (kscap_int_size(type)) {
	case 1:
		kscap_w_u8(w, v);
		break;
	case 2:
		kscap_w_u16(w, v);
		break;
	case 4:
		kscap_w_u32(w, v);
		break;
	case 8:
		kscap_w_s64(w, v);
		break;
	default:
		/* A recipe that puts an integer into a buffer type. */
		WARN_ON_ONCE(1);
		kscap_w_empty(w);
	}
}

u32 kscap_snap(u64 len)
{
	return min_t(u64, len, READ_ONCE(kscap_cfg.snaplen));
}

/* kscap_snap(), counting a value cut at snaplen as truncated. */
static u32 snap_counted(struct kscap_event_writer *w, u64 len)
{
	return kscap_w_capped(w, len, READ_ONCE(kscap_cfg.snaplen));
}

/*
 * How an argument becomes its parameter's value: C ints that hold fds,
 * pids and errnos are sign-extended, and flag words go through their
 * table. Decided per parameter, so that the fixed-layout path (fixed.c)
 * can decide it once at load time and apply it with kscap_conv().
 */
static __always_inline u8 arg_conv(const struct kscap_param_info *pi)
{
	switch (pi->type) {
	case KSCAP_PT_FD:
	case KSCAP_PT_PID:
	case KSCAP_PT_ERRNO:
	case KSCAP_PT_INT32:
		return KSCAP_CONV_S32;
	case KSCAP_PT_FLAGS8:
	case KSCAP_PT_FLAGS16:
	case KSCAP_PT_FLAGS32:
		/* Flag words are C ints: their upper half is not theirs. */
		return kscap_aux_is_table(pi->aux) ? KSCAP_CONV_FLAGS : KSCAP_CONV_RAW;
	case KSCAP_PT_MODE:
		return KSCAP_CONV_MODE;
	default:
		return KSCAP_CONV_RAW;
	}
}

u8 kscap_arg_conv(const struct kscap_param_info *pi)
{
	return arg_conv(pi);
}

static s64 kscap_arg_value(const struct kscap_param_info *pi, unsigned long v)
{
	return kscap_conv(arg_conv(pi), pi->aux, v);
}

static void put_user_int(struct kscap_event_writer *w, const struct kscap_param_info *pi,
			 unsigned long uptr, unsigned int idx, unsigned int size,
			 u8 unread)
{
	u64 v = 0;

	if (!uptr || copy_from_user_nofault(&v, (const void __user *)(uptr + idx * size),
					    size)) {
		if (uptr)
			w->faults++;
		if (unread == KSCAP_UNREAD_EMPTY)
			kscap_w_empty(w);
		else
			kscap_put_int(w, pi->type, unread == KSCAP_UNREAD_ZERO ? 0 : -1);
		return;
	}
	kscap_put_int(w, pi->type, size == 4 ? (s64)(s32)v : (s64)v);
}

static void put_timespec(struct kscap_event_writer *w, unsigned long uptr)
{
	struct __kernel_timespec ts;

	if (copy_from_user_nofault(&ts, (const void __user *)uptr, sizeof(ts))) {
		if (uptr)
			w->faults++;
		kscap_w_empty(w);
		return;
	}
	kscap_w_u64(w, (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec);
}

/* Device of the file behind @fd, in the kernel's new_encode_dev form. */
static void put_fd_dev(struct kscap_event_writer *w, long fd)
{
	struct file *f = fd >= 0 ? fget_raw(fd) : NULL;
	u32 dev = 0;

	if (f) {
		dev = new_encode_dev(file_inode(f)->i_sb->s_dev);
		fput(f);
	}
	kscap_w_u32(w, dev);
}

/*
 * After a failed call the fd array holds whatever the caller left there:
 * an unrelated file's fd, maybe. Only a successful call's fd is looked up.
 */
static void put_fd_ino(struct kscap_event_writer *w, long ret, unsigned long uptr,
		       unsigned int idx)
{
	struct file *f = NULL;
	int fd;

	if (ret >= 0 &&
	    !copy_from_user_nofault(&fd, (const void __user *)(uptr + idx * sizeof(int)),
				    sizeof(fd)) && fd >= 0)
		f = fget_raw(fd);
	kscap_w_u64(w, f ? file_inode(f)->i_ino : 0);
	if (f)
		fput(f);
}

static void put_vm(struct kscap_event_writer *w, u8 op)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages = 0;

	if (mm) {
		if (op == KSCAP_S_VM_SIZE)
			pages = mm->total_vm;
		else if (op == KSCAP_S_VM_RSS)
			pages = get_mm_rss(mm);
		else
			pages = get_mm_counter(mm, MM_SWAPENTS);
	}
	kscap_w_u32(w, kscap_pages_to_kib(pages));
}

/* Per event type, its recipe's sources, found once at load time. */
static const struct kscap_src *kscap_recipe_of[KSCAP_EV_MAX] __read_mostly;

void kscap_fill_recipe(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	const struct kscap_event_info *info = &kscap_event_table[w->type];
	const struct kscap_src *s = kscap_recipe_of[w->type];
	unsigned long args[6] __uninitialized;
	unsigned int i;

	kscap_get_args(c, args);
	for (i = 0; i < info->nparams; i++, s++) {
		const struct kscap_param_info *pi = &info->params[i];

		switch (s->op) {
		case KSCAP_S_RET:
			kscap_put_int(w, pi->type, c->ret);
			break;
		case KSCAP_S_ARG:
			kscap_put_int(w, pi->type, kscap_arg_value(pi, args[s->a]));
			break;
		case KSCAP_S_ARG_U32:
			kscap_put_int(w, pi->type, (u32)args[s->a]);
			break;
		case KSCAP_S_ARG_S32:
			kscap_put_int(w, pi->type, (s32)args[s->a]);
			break;
		case KSCAP_S_USTR_OK:
			if (c->ret < 0) {
				kscap_w_empty(w);
				break;
			}
			fallthrough;
		case KSCAP_S_USTR:
			kscap_w_user_str(w, (const char __user *)args[s->a],
					 KSCAP_PATH_MAX);
			break;
		case KSCAP_S_DATA_RET:
			kscap_w_user_buf(w, (const void __user *)args[s->a],
					 c->ret > 0 ? snap_counted(w, c->ret) : 0);
			break;
		case KSCAP_S_DATA_ARG:
			kscap_w_user_buf(w, (const void __user *)args[s->a],
					 snap_counted(w, args[s->b]));
			break;
		case KSCAP_S_USER_INT:
			put_user_int(w, pi, args[s->a], s->b, sizeof(int), s->c);
			break;
		case KSCAP_S_USER_U64:
			put_user_int(w, pi, args[s->a], s->b, sizeof(u64), s->c);
			break;
		case KSCAP_S_OUT_INT:
		case KSCAP_S_OUT_U64:
			/*
			 * What a failed call left in its output buffer is the
			 * caller's garbage: -1 instead, as Falco's driver
			 * writes for a failed pipe, socketpair or rlimit read.
			 */
			if (c->ret < 0)
				kscap_put_int(w, pi->type, -1);
			else
				put_user_int(w, pi, args[s->a], s->b,
					     s->op == KSCAP_S_OUT_INT ? sizeof(int) : sizeof(u64),
					     s->c);
			break;
		case KSCAP_S_USER_TIMESPEC:
			put_timespec(w, args[s->a]);
			break;
		case KSCAP_S_RET_DEV:
			put_fd_dev(w, c->ret);
			break;
		case KSCAP_S_FD_INO:
			put_fd_ino(w, c->ret, args[s->a], s->b);
			break;
		case KSCAP_S_VM_SIZE:
		case KSCAP_S_VM_RSS:
		case KSCAP_S_VM_SWAP:
			put_vm(w, s->op);
			break;
		case KSCAP_S_CONST:
			kscap_put_int(w, pi->type, s->a);
			break;
		case KSCAP_S_CALL:
			kscap_encoders[s->a](w, c, args, pi, s);
			break;
		default:
			WARN_ON_ONCE(1);
			kscap_w_empty(w);
		}
	}
}

/* A recipe is usable when it names every parameter and its encoders exist. */
static bool kscap_recipe_ok(const struct kscap_recipe *r)
{
	const struct kscap_event_info *info = &kscap_event_table[r->type];
	unsigned int i;

	if (WARN_ON(!info->name))
		return false;
	for (i = 0; i < info->nparams; i++) {
		const struct kscap_src *s = &r->src[i];

		if (WARN(s->op == KSCAP_S_END, "kscap: recipe for %s has %u of %u params\n",
			 info->name, i, info->nparams))
			return false;
		if (s->op == KSCAP_S_CALL && !kscap_encoders[s->a])
			return false;
	}
	return !WARN(i < KSCAP_MAX_PARAMS && r->src[i].op != KSCAP_S_END,
		     "kscap: recipe for %s has too many params\n", info->name);
}

const struct kscap_src *kscap_recipe_serving(u16 type)
{
	if (type >= KSCAP_EV_MAX || kscap_ops[type].fill != kscap_fill_recipe)
		return NULL;
	return kscap_recipe_of[type];
}

const struct kscap_src *kscap_recipe_find(u16 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscap_recipes); i++)
		if (kscap_recipes[i].type == type)
			return kscap_recipes[i].src;
	return NULL;
}

void kscap_recipes_register(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscap_recipes); i++) {
		const struct kscap_recipe *r = &kscap_recipes[i];

		if (!kscap_recipe_ok(r))
			continue;
		kscap_recipe_of[r->type] = r->src;
		kscap_ops[r->type].fill = kscap_fill_recipe;
	}
}
