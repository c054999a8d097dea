// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit processes on x86_64: their system calls (int $0x80, sysenter,
 * or syscall from 32-bit code) are numbered as on i386. Each becomes the
 * events of the x86_64 call that does the same (uapi/kscap_syscalls_i386.h),
 * with its arguments as the x86_64 call would have them; socketcall and
 * ipc become the events of their sub-calls. What cannot be recorded so
 * (no x86_64 counterpart, or a 32-bit layout the fillers do not decode)
 * is counted in compat_untranslated, never recorded wrongly.
 *
 * An execve that changes the task's ABI needs nothing here: the kernel
 * makes its exit look like the new ABI's execve (set_personality_64bit()
 * and __set_personality_ia32() set orig_ax and TS_COMPAT), so its enter
 * is seen in the old numbering and its exit in the new, each an execve.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/compat.h>
#include <linux/uaccess.h>
#include <linux/net.h>
#include <linux/ipc.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#include "kscap_core.h"

#define KSCAP_NR_IA32	512

enum kscap_ia32_how {
	IA32_NONE = 0,	/* not recorded: counted */
	IA32_PLAIN,	/* the row's fillers read the registers as they are */
	IA32_SOCKETCALL,
	IA32_IPC,
	IA32_LSEEK,	/* lseek(fd, compat_off_t offset, whence) */
	IA32_LLSEEK,	/* _llseek(fd, hi, lo, result, whence) */
};

struct kscap_ia32_sc {
	u16 enter;	/* event type (GENERIC_E: the generic event of x64) */
	s16 x64;	/* the x86_64 number the events name (-1: none) */
	u8 how;
};

static struct kscap_ia32_sc kscap_ia32[KSCAP_NR_IA32] __read_mostly;

enum { L_NATIVE, L_COMPAT, L_SPECIAL, L_NONE };

static const struct {
	u16 nr;
	s16 x64;
	u8 layout;
	const char *name;
} kscap_i386_table[] = {
#define KSCAP_SYSCALL_I386(nr, name, x64, layout) { nr, x64, L_##layout, #name },
#include "kscap_syscalls_i386.h"
#undef KSCAP_SYSCALL_I386
};

/*
 * Calls with a row of their own whose recipe would read a 64-bit layout
 * the 32-bit caller did not use: 16-bit uids, time32, compat_off_t,
 * compat rlimit, split 64-bit offsets (preadv, pwritev, pread64,
 * pwrite64), old_mmap's argument block, ptrace's word size, quotactl's
 * packed structures. Their x86_64 rows would show wrong values. (32-bit
 * iovecs and msghdrs, of readv, writev, sendmsg and recvmsg, are decoded:
 * fill_net.c.)
 */
static const char *const kscap_ia32_wrong_layout[] = {
	"mmap", "setuid", "getuid", "setgid", "getgid", "geteuid", "getegid",
	"setresuid", "getresuid", "setresgid", "getresgid", "ptrace",
	"setrlimit", "getrlimit", "ugetrlimit", "nanosleep", "sendfile",
	"ppoll", "preadv", "pwritev",
	"quotactl", "pread64", "pwrite64",
};

/* The 32-bit-only calls with rows of their own. */
static const struct {
	u16 nr;
	u16 enter;
	u8 how;
} kscap_ia32_rows[] = {
	{ 19, 0, IA32_LSEEK },			/* lseek: x86_64's row */
	{ 102, 0, IA32_SOCKETCALL },
	{ 117, 0, IA32_IPC },
	{ 140, KSCAP_EV_LLSEEK_E, IA32_LLSEEK },
	{ 192, KSCAP_EV_MMAP2_E, IA32_PLAIN },
	{ 195, KSCAP_EV_STAT64_E, IA32_PLAIN },
	{ 196, KSCAP_EV_LSTAT64_E, IA32_PLAIN },
	{ 197, KSCAP_EV_FSTAT64_E, IA32_PLAIN },
};

static bool kscap_emits(u16 enter)
{
	return kscap_ops[enter].fill && kscap_ops[enter + 1].fill;
}

static bool wrong_layout(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscap_ia32_wrong_layout); i++)
		if (!strcmp(name, kscap_ia32_wrong_layout[i]))
			return true;
	return false;
}

void kscap_ia32_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscap_i386_table); i++) {
		struct kscap_ia32_sc *s;
		s16 x = kscap_i386_table[i].x64;
		u16 enter;

		if (kscap_i386_table[i].nr >= KSCAP_NR_IA32)
			continue;
		s = &kscap_ia32[kscap_i386_table[i].nr];
		s->x64 = x;
		if (kscap_i386_table[i].layout == L_NONE ||
		    kscap_i386_table[i].layout == L_SPECIAL ||
		    x < 0 || x >= KSCAP_NR_SYSCALLS)
			continue;
		enter = kscap_syscalls[x].enter;
		/* The generic event reads no argument: any layout will do. */
		if (enter != KSCAP_EV_GENERIC_E && wrong_layout(kscap_i386_table[i].name))
			continue;
		s->enter = enter;
		s->how = IA32_PLAIN;
	}
	for (i = 0; i < ARRAY_SIZE(kscap_ia32_rows); i++) {
		struct kscap_ia32_sc *s = &kscap_ia32[kscap_ia32_rows[i].nr];
		u16 enter = kscap_ia32_rows[i].enter;

		if (kscap_ia32_rows[i].how == IA32_LSEEK)
			enter = kscap_syscalls[__NR_lseek].enter;
		if (enter && enter != KSCAP_EV_GENERIC_E && !kscap_emits(enter))
			continue;
		s->enter = enter;
		s->how = kscap_ia32_rows[i].how;
	}
}

/* socketcall's sub-calls: the x86_64 call (or a row), and its argc. */
static const struct {
	s16 x64;
	u16 enter;	/* 0: the x86_64 call's */
	u8 argc;
} kscap_socketcalls[] = {
	[SYS_SOCKET] = { __NR_socket, 0, 3 },
	[SYS_BIND] = { __NR_bind, 0, 3 },
	[SYS_CONNECT] = { __NR_connect, 0, 3 },
	[SYS_LISTEN] = { __NR_listen, 0, 2 },
	[SYS_ACCEPT] = { __NR_accept, 0, 3 },
	[SYS_GETSOCKNAME] = { __NR_getsockname, 0, 3 },
	[SYS_GETPEERNAME] = { __NR_getpeername, 0, 3 },
	[SYS_SOCKETPAIR] = { __NR_socketpair, 0, 4 },
	[SYS_SEND] = { -1, KSCAP_EV_SEND_E, 4 },
	[SYS_RECV] = { -1, KSCAP_EV_RECV_E, 4 },
	[SYS_SENDTO] = { __NR_sendto, 0, 6 },
	[SYS_RECVFROM] = { __NR_recvfrom, 0, 6 },
	[SYS_SHUTDOWN] = { __NR_shutdown, 0, 2 },
	[SYS_SETSOCKOPT] = { __NR_setsockopt, 0, 5 },
	[SYS_GETSOCKOPT] = { __NR_getsockopt, 0, 5 },
	[SYS_SENDMSG] = { __NR_sendmsg, 0, 3 },
	[SYS_RECVMSG] = { __NR_recvmsg, 0, 3 },
	[SYS_ACCEPT4] = { __NR_accept4, 0, 4 },
	[SYS_RECVMMSG] = { __NR_recvmmsg, 0, 5 },
	[SYS_SENDMMSG] = { __NR_sendmmsg, 0, 4 },
};

/* socketcall(call, u32 *args): the sub-call's own arguments. */
static bool ia32_socketcall(const unsigned long *regs_args, struct kscap_ia32_call *out)
{
	unsigned int call = regs_args[0], i;
	u32 a[6];

	if (call >= ARRAY_SIZE(kscap_socketcalls) || !kscap_socketcalls[call].argc)
		return false;
	if (copy_from_user_nofault(a, compat_ptr(regs_args[1]),
				   kscap_socketcalls[call].argc * sizeof(u32)))
		return false;
	memset(out->args, 0, sizeof(out->args));
	for (i = 0; i < kscap_socketcalls[call].argc; i++)
		out->args[i] = a[i];
	out->x64 = kscap_socketcalls[call].x64;
	out->enter = kscap_socketcalls[call].enter ?:
		     kscap_syscalls[out->x64].enter;
	return true;
}

/* ipc(call, first, second, third, ptr, fifth) */
static bool ia32_ipc(const unsigned long *r, struct kscap_ia32_call *out)
{
	u32 val;

	memset(out->args, 0, sizeof(out->args));
	switch (r[0] & 0xffff) {
	case SEMOP:		/* semop(semid, sops, nsops) */
		out->x64 = __NR_semop;
		out->args[0] = r[1];
		out->args[1] = r[4];
		out->args[2] = r[2];
		break;
	case SEMGET:		/* semget(key, nsems, semflg) */
		out->x64 = __NR_semget;
		out->args[0] = r[1];
		out->args[1] = r[2];
		out->args[2] = r[3];
		break;
	case SEMCTL:		/* semctl(semid, semnum, cmd, *ptr) */
		if (copy_from_user_nofault(&val, compat_ptr(r[4]), sizeof(val)))
			val = 0;
		out->x64 = __NR_semctl;
		out->args[0] = r[1];
		out->args[1] = r[2];
		out->args[2] = r[3] & ~IPC_64;
		out->args[3] = val;
		break;
	case SEMTIMEDOP:
		out->x64 = __NR_semtimedop;
		break;
	case MSGSND:
		out->x64 = __NR_msgsnd;
		break;
	case MSGRCV:
		out->x64 = __NR_msgrcv;
		break;
	case MSGGET:
		out->x64 = __NR_msgget;
		break;
	case MSGCTL:
		out->x64 = __NR_msgctl;
		break;
	case SHMAT:
		out->x64 = __NR_shmat;
		break;
	case SHMDT:
		out->x64 = __NR_shmdt;
		break;
	case SHMGET:
		out->x64 = __NR_shmget;
		break;
	case SHMCTL:
		out->x64 = __NR_shmctl;
		break;
	default:
		return false;
	}
	out->enter = kscap_syscalls[out->x64].enter;
	return true;
}

/*
 * The events of i386 call @nr (registers @regs): false if it cannot be
 * recorded. Safe in tracepoint context: user reads never fault.
 */
bool kscap_ia32_translate(struct pt_regs *regs, long nr, struct kscap_ia32_call *out)
{
	const struct kscap_ia32_sc *s;
	unsigned long r[6];

	if ((unsigned long)nr >= KSCAP_NR_IA32)
		return false;
	s = &kscap_ia32[nr];
	out->args_set = false;
	switch (s->how) {
	case IA32_PLAIN:
		out->enter = s->enter;
		out->x64 = s->x64;
		return true;
	case IA32_LSEEK:
		syscall_get_arguments(current, regs, r);
		out->args[0] = r[0];
		out->args[1] = (long)(s32)r[1];
		out->args[2] = r[2];
		break;
	case IA32_LLSEEK:
		syscall_get_arguments(current, regs, r);
		out->args[0] = r[0];
		out->args[1] = ((u64)(u32)r[1] << 32) | (u32)r[2];
		out->args[2] = r[4];
		out->args[3] = r[3];
		break;
	case IA32_SOCKETCALL:
		syscall_get_arguments(current, regs, r);
		if (!ia32_socketcall(r, out))
			return false;
		out->args_set = true;
		return true;
	case IA32_IPC:
		syscall_get_arguments(current, regs, r);
		if (!ia32_ipc(r, out))
			return false;
		out->args_set = true;
		return true;
	default:
		return false;
	}
	out->enter = s->enter;
	out->x64 = s->how == IA32_LSEEK ? __NR_lseek : -1;
	out->args_set = true;
	return true;
}
