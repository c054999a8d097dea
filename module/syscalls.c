// SPDX-License-Identifier: GPL-2.0
/*
 * Which event each x86_64 syscall becomes. A syscall with no row below
 * becomes the generic event, named by its scap syscall code and its
 * native number.
 */
#include <linux/kernel.h>
#include <asm/unistd.h>
#include "kscap_core.h"

struct kscap_syscall kscap_syscalls[KSCAP_NR_SYSCALLS] __read_mostly;

/* scap syscall codes, from the uapi syscall table */
static const u16 kscap_sc_codes[KSCAP_NR_SYSCALLS] = {
#define KSCAP_SYSCALL(nr, name, code, sig) [nr] = (code),
#include "kscap_syscalls_x86_64.h"
#undef KSCAP_SYSCALL
};

/* Syscalls with an event of their own: number and enter event type. */
static const struct {
	u16 nr;
	u16 enter;
} kscap_syscall_events[] = {
	{ __NR_clone, KSCAP_EV_CLONE_E },
	{ __NR_clone3, KSCAP_EV_CLONE_E },
	{ __NR_fork, KSCAP_EV_FORK_E },
	{ __NR_vfork, KSCAP_EV_VFORK_E },
	{ __NR_execve, KSCAP_EV_EXECVE_E },
	{ __NR_execveat, KSCAP_EV_EXECVE_E },
	{ __NR_open, KSCAP_EV_OPEN_E },
	{ __NR_close, KSCAP_EV_CLOSE_E },
	{ __NR_read, KSCAP_EV_READ_E },
	{ __NR_write, KSCAP_EV_WRITE_E },
	{ __NR_socket, KSCAP_EV_SOCKET_E },
	{ __NR_bind, KSCAP_EV_BIND_E },
	{ __NR_connect, KSCAP_EV_CONNECT_E },
	{ __NR_listen, KSCAP_EV_LISTEN_E },
	{ __NR_sendto, KSCAP_EV_SENDTO_E },
	{ __NR_recvfrom, KSCAP_EV_RECVFROM_E },
	{ __NR_shutdown, KSCAP_EV_SHUTDOWN_E },
	{ __NR_getsockname, KSCAP_EV_GETSOCKNAME_E },
	{ __NR_getpeername, KSCAP_EV_GETPEERNAME_E },
	{ __NR_socketpair, KSCAP_EV_SOCKETPAIR_E },
	{ __NR_setsockopt, KSCAP_EV_SETSOCKOPT_E },
	{ __NR_getsockopt, KSCAP_EV_GETSOCKOPT_E },
	{ __NR_sendmsg, KSCAP_EV_SENDMSG_E },
	{ __NR_sendmmsg, KSCAP_EV_SENDMMSG_E },
	{ __NR_recvmsg, KSCAP_EV_RECVMSG_E },
	{ __NR_recvmmsg, KSCAP_EV_RECVMMSG_E },
	{ __NR_creat, KSCAP_EV_CREAT_E },
	{ __NR_pipe, KSCAP_EV_PIPE_E },
	{ __NR_pipe2, KSCAP_EV_PIPE_E },
	{ __NR_eventfd, KSCAP_EV_EVENTFD_E },
	{ __NR_eventfd2, KSCAP_EV_EVENTFD_E },
	{ __NR_futex, KSCAP_EV_FUTEX_E },
	{ __NR_stat, KSCAP_EV_STAT_E },
	{ __NR_lstat, KSCAP_EV_LSTAT_E },
	{ __NR_fstat, KSCAP_EV_FSTAT_E },
	{ __NR_epoll_wait, KSCAP_EV_EPOLL_WAIT_E },
	{ __NR_poll, KSCAP_EV_POLL_E },
	{ __NR_select, KSCAP_EV_SELECT_E },
	{ __NR_lseek, KSCAP_EV_LSEEK_E },
	{ __NR_getcwd, KSCAP_EV_GETCWD_E },
	{ __NR_chdir, KSCAP_EV_CHDIR_E },
	{ __NR_fchdir, KSCAP_EV_FCHDIR_E },
	{ __NR_mkdir, KSCAP_EV_MKDIR_E },
	{ __NR_rmdir, KSCAP_EV_RMDIR_E },
	{ __NR_pread64, KSCAP_EV_PREAD_E },
	{ __NR_pwrite64, KSCAP_EV_PWRITE_E },
	{ __NR_readv, KSCAP_EV_READV_E },
	{ __NR_writev, KSCAP_EV_WRITEV_E },
	{ __NR_preadv, KSCAP_EV_PREADV_E },
	{ __NR_pwritev, KSCAP_EV_PWRITEV_E },
	{ __NR_dup, KSCAP_EV_DUP_E },
	/* dup2 and dup3 share dup's row: oldfd in, newfd out; dup3's flags are not in it. */
	{ __NR_dup2, KSCAP_EV_DUP_E },
	{ __NR_dup3, KSCAP_EV_DUP_E },
	{ __NR_signalfd, KSCAP_EV_SIGNALFD_E },
	{ __NR_signalfd4, KSCAP_EV_SIGNALFD_E },
	{ __NR_kill, KSCAP_EV_KILL_E },
	{ __NR_tkill, KSCAP_EV_TKILL_E },
	{ __NR_tgkill, KSCAP_EV_TGKILL_E },
	{ __NR_nanosleep, KSCAP_EV_NANOSLEEP_E },
	{ __NR_timerfd_create, KSCAP_EV_TIMERFD_CREATE_E },
	{ __NR_inotify_init, KSCAP_EV_INOTIFY_INIT_E },
	{ __NR_inotify_init1, KSCAP_EV_INOTIFY_INIT_E },
	{ __NR_getrlimit, KSCAP_EV_GETRLIMIT_E },
	{ __NR_setrlimit, KSCAP_EV_SETRLIMIT_E },
	{ __NR_prlimit64, KSCAP_EV_PRLIMIT_E },
	{ __NR_fcntl, KSCAP_EV_FCNTL_E },
	{ __NR_brk, KSCAP_EV_BRK_E },
	{ __NR_mmap, KSCAP_EV_MMAP_E },
	{ __NR_munmap, KSCAP_EV_MUNMAP_E },
	{ __NR_splice, KSCAP_EV_SPLICE_E },
	{ __NR_ptrace, KSCAP_EV_PTRACE_E },
	{ __NR_ioctl, KSCAP_EV_IOCTL_E },
	{ __NR_rename, KSCAP_EV_RENAME_E },
	{ __NR_renameat, KSCAP_EV_RENAMEAT_E },
	{ __NR_renameat2, KSCAP_EV_RENAMEAT2_E },
	{ __NR_symlink, KSCAP_EV_SYMLINK_E },
	{ __NR_symlinkat, KSCAP_EV_SYMLINKAT_E },
	{ __NR_sendfile, KSCAP_EV_SENDFILE_E },
	{ __NR_quotactl, KSCAP_EV_QUOTACTL_E },
	{ __NR_setresuid, KSCAP_EV_SETRESUID_E },
	{ __NR_setresgid, KSCAP_EV_SETRESGID_E },
	{ __NR_setuid, KSCAP_EV_SETUID_E },
	{ __NR_setgid, KSCAP_EV_SETGID_E },
	{ __NR_getuid, KSCAP_EV_GETUID_E },
	{ __NR_geteuid, KSCAP_EV_GETEUID_E },
	{ __NR_getgid, KSCAP_EV_GETGID_E },
	{ __NR_getegid, KSCAP_EV_GETEGID_E },
	{ __NR_getresuid, KSCAP_EV_GETRESUID_E },
	{ __NR_getresgid, KSCAP_EV_GETRESGID_E },
	{ __NR_getdents, KSCAP_EV_GETDENTS_E },
	{ __NR_getdents64, KSCAP_EV_GETDENTS64_E },
	{ __NR_setns, KSCAP_EV_SETNS_E },
	{ __NR_flock, KSCAP_EV_FLOCK_E },
	{ __NR_accept, KSCAP_EV_ACCEPT_E },
	{ __NR_accept4, KSCAP_EV_ACCEPT4_E },
	{ __NR_semop, KSCAP_EV_SEMOP_E },
	{ __NR_semctl, KSCAP_EV_SEMCTL_E },
	{ __NR_semget, KSCAP_EV_SEMGET_E },
	{ __NR_ppoll, KSCAP_EV_PPOLL_E },
	{ __NR_mount, KSCAP_EV_MOUNT_E },
	{ __NR_umount2, KSCAP_EV_UMOUNT_E },
	{ __NR_access, KSCAP_EV_ACCESS_E },
	{ __NR_chroot, KSCAP_EV_CHROOT_E },
	{ __NR_setsid, KSCAP_EV_SETSID_E },
	{ __NR_setpgid, KSCAP_EV_SETPGID_E },
	{ __NR_unshare, KSCAP_EV_UNSHARE_E },
	{ __NR_bpf, KSCAP_EV_BPF_E },
	{ __NR_seccomp, KSCAP_EV_SECCOMP_E },
	{ __NR_unlink, KSCAP_EV_UNLINK_E },
	{ __NR_unlinkat, KSCAP_EV_UNLINKAT_E },
	{ __NR_mkdirat, KSCAP_EV_MKDIRAT_E },
	{ __NR_openat, KSCAP_EV_OPENAT_E },
	{ __NR_link, KSCAP_EV_LINK_E },
	{ __NR_linkat, KSCAP_EV_LINKAT_E },
	{ __NR_fchmodat, KSCAP_EV_FCHMODAT_E },
	{ __NR_chmod, KSCAP_EV_CHMOD_E },
	{ __NR_fchmod, KSCAP_EV_FCHMOD_E },
	{ __NR_userfaultfd, KSCAP_EV_USERFAULTFD_E },
};

void kscap_syscalls_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(__NR_syscalls > KSCAP_NR_SYSCALLS);
	for (i = 0; i < KSCAP_NR_SYSCALLS; i++) {
		kscap_syscalls[i].enter = KSCAP_EV_GENERIC_E;
		kscap_syscalls[i].sc_code = kscap_sc_codes[i];
	}
	for (i = 0; i < ARRAY_SIZE(kscap_syscall_events); i++) {
		u16 enter = kscap_syscall_events[i].enter;

		/* Both halves must exist, or the syscall stays generic. */
		if (kscap_ops[enter].fill && kscap_ops[enter + 1].fill)
			kscap_syscalls[kscap_syscall_events[i].nr].enter = enter;
	}
	kscap_ia32_init();
}
