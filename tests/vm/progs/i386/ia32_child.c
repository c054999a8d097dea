// SPDX-License-Identifier: GPL-2.0
/*
 * ia32_child: a static i386 program with no libc, making raw int $0x80
 * calls as a 32-bit process on x86_64 does. fam_ia32 runs it (an execve
 * from 64 to 32 bits) and checks what the module recorded; at the end it
 * runs "fam_ia32 --back" (an execve from 32 to 64 bits).
 *
 * Built freestanding with the plain amd64 gcc (no multilib):
 *   gcc -m32 -static -nostdlib -ffreestanding -fno-pie -no-pie
 * Every value fam_ia32 expects is fixed here: keep the two in step.
 */
#define NR_exit		1
#define NR_read		3
#define NR_write	4
#define NR_open		5
#define NR_close	6
#define NR_waitpid	7
#define NR_execve	11
#define NR_lseek	19
#define NR_getpid	20
#define NR_socketcall	102
#define NR_ipc		117
#define NR_llseek	140
#define NR_readv	145
#define NR_writev	146
#define NR_preadv	333
#define NR_sendmsg	370
#define SYS_RECVMSG	17
#define NR_mmap2	192
#define NR_stat64	195
#define NR_lstat64	196
#define NR_fstat64	197

#define O_RDWR		02
#define O_CREAT		0100
#define O_TRUNC		01000
#define SEEK_SET	0
#define SEEK_CUR	1
#define AF_UNIX		1
#define SOCK_STREAM	1
#define SYS_SOCKETPAIR	8
#define SYS_SEND	9
#define SYS_RECV	10
#define SEMGET		2
#define SEMCTL		3
#define MSGGET		13
#define MSGCTL		14
#define IPC_PRIVATE	0
#define IPC_CREAT	01000
#define IPC_RMID	0
#define IPC_64		0x100
#define PROT_READ	1
#define MAP_PRIVATE	2
#define MAP_ANONYMOUS	0x20
#define WNOHANG		1

typedef unsigned int u32;

/* The sixth argument, at an absolute address: ebp is loaded after a push. */
static long sc_arg6;

/* int $0x80: eax = nr, ebx, ecx, edx, esi, edi, ebp = arguments. */
static long sc6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;

	sc_arg6 = f;
	__asm__ volatile("push %%ebp\n\t"
			 "mov %7, %%ebp\n\t"
			 "int $0x80\n\t"
			 "pop %%ebp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "m"(sc_arg6)
			 : "memory");
	return ret;
}

#define sc(nr, a, b, c)	sc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

static void die(int code)
{
	sc(NR_exit, code, 0, 0);
	for (;;)
		;
}

#define CHECK(cond, code)	do { if (!(cond)) die(code); } while (0)

static char path[] = "/tmp/ia32.txt";
static char hello[] = "hello";
static char ping[] = "ping";
static char tmp[] = "/tmp";
static char back_path[] = "/kscap/bin/fam_ia32";
static char back_arg0[] = "fam_ia32";
static char back_arg1[] = "--back";

void ia32_main(void)
{
	static char buf[128];
	static u32 args[6];
	static int sv[2];
	static u32 zero;
	static u32 llres[2];
	static u32 argv[3], envp[1];
	static u32 iov[4];
	static u32 msg[7];
	long fd, r, semid;

	fd = sc(NR_open, path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd == 3, 10);
	CHECK(sc(NR_write, fd, hello, 5) == 5, 11);
	CHECK(sc(NR_lseek, fd, -3, SEEK_CUR) == 2, 12);
	CHECK(sc(NR_read, fd, buf, 16) == 3, 13);
	CHECK(sc6(NR_llseek, fd, 0, 1, (long)llres, SEEK_SET, 0) == 0 && llres[0] == 1, 14);
	CHECK(sc(NR_close, fd, 0, 0) == 0, 15);

	args[0] = AF_UNIX;
	args[1] = SOCK_STREAM;
	args[2] = 0;
	args[3] = (u32)sv;
	CHECK(sc(NR_socketcall, SYS_SOCKETPAIR, args, 0) == 0 && sv[0] == 3 && sv[1] == 4, 20);
	args[0] = sv[0];
	args[1] = (u32)ping;
	args[2] = 4;
	args[3] = 0;
	CHECK(sc(NR_socketcall, SYS_SEND, args, 0) == 4, 21);
	args[0] = sv[1];
	args[1] = (u32)buf;
	args[2] = 16;
	CHECK(sc(NR_socketcall, SYS_RECV, args, 0) == 4, 22);
	/* 32-bit iovecs: { base, len } of 4 bytes each. */
	iov[0] = (u32)hello;
	iov[1] = 2;
	iov[2] = (u32)ping;
	iov[3] = 3;
	CHECK(sc(NR_writev, sv[0], iov, 2) == 5, 23);
	iov[0] = (u32)buf;
	iov[1] = 1;
	iov[2] = (u32)(buf + 10);
	iov[3] = 16;
	CHECK(sc(NR_readv, sv[1], iov, 2) == 5, 24);
	/* A 32-bit msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
	iov[0] = (u32)hello;
	iov[1] = 5;
	msg[2] = (u32)iov;
	msg[3] = 1;
	CHECK(sc(NR_sendmsg, sv[0], msg, 0) == 5, 25);
	iov[0] = (u32)buf;
	iov[1] = 32;
	args[0] = sv[1];
	args[1] = (u32)msg;
	args[2] = 0;
	CHECK(sc(NR_socketcall, SYS_RECVMSG, args, 0) == 5, 26);

	semid = sc6(NR_ipc, SEMGET, IPC_PRIVATE, 1, IPC_CREAT | 0600, 0, 0);
	CHECK(semid >= 0, 30);
	r = sc6(NR_ipc, SEMCTL, semid, 0, IPC_RMID | IPC_64, (long)&zero, 0);
	CHECK(r == 0, 31);
	/* Sub-calls without rows of their own: generic events. */
	r = sc6(NR_ipc, MSGGET, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0);
	CHECK(r >= 0, 32);
	CHECK(sc6(NR_ipc, MSGCTL, r, IPC_RMID | IPC_64, 0, 0, 0) == 0, 33);

	CHECK(sc(NR_getpid, 0, 0, 0) > 0, 40);
	/* Not recorded (a split 64-bit offset, an i386-only call): counted. */
	CHECK(sc6(NR_preadv, 0, 0, 0, 0, 0, 0) <= 0, 41);
	CHECK(sc(NR_waitpid, -1, 0, WNOHANG) == -10 /* ECHILD */, 42);
	r = sc6(NR_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r > 0 || r < -4095, 43);
	CHECK(sc(NR_stat64, tmp, buf, 0) == 0, 44);
	CHECK(sc(NR_lstat64, tmp, buf, 0) == 0, 45);
	CHECK(sc(NR_fstat64, 3, buf, 0) == 0, 46);

	argv[0] = (u32)back_arg0;
	argv[1] = (u32)back_arg1;
	argv[2] = 0;
	envp[0] = 0;
	sc(NR_execve, back_path, argv, envp);
	die(50);
}

/* The stack is as the kernel left it; nothing to set up for the calls above. */
__asm__(".globl _start\n"
	"_start:\n\t"
	"call ia32_main\n\t"
	"hlt\n");
