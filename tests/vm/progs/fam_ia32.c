// SPDX-License-Identifier: GPL-2.0
/*
 * fam_ia32: a 32-bit process's system calls, recorded as the x86_64 calls
 * that do the same. A child execs ia32_child (i386/ia32_child.c: static,
 * no libc, raw int $0x80 calls), so the execve crosses from 64 to 32 bits,
 * and that program ends by running "fam_ia32 --back" (32 to 64 bits).
 * Checked, on the child's thread:
 *
 *   both execves as whole pairs (enter in one ABI, exit in the other)
 *   open, write, read, close: their own rows, registers as arguments
 *   lseek with a negative 32-bit offset (sign-extended), _llseek (llseek
 *   row: the two halves of the offset joined), mmap2, stat64, lstat64
 *   and fstat64 (rows only 32-bit calls have)
 *   socketcall: socketpair, send and recv (send/recv rows), the
 *   arguments read from the array socketcall points to
 *   ipc: semget, semctl (IPC_64 stripped, val read through the pointer);
 *   msgget, msgctl: the generic events of x86_64's msgget and msgctl
 *   getpid: the generic event, ID 16 and nativeID 39 (x86_64's number)
 *   writev, readv, sendmsg, socketcall's recvmsg: 32-bit iovecs and
 *   msghdrs decoded
 *   preadv (a split 64-bit offset) and waitpid (i386 only): not recorded,
 *   and counted in compat_untranslated, enter and exit: 4 in all
 *
 * And a 64-bit process's own int $0x80 (i386 getpid): the same generic
 * event as a 32-bit process's, not a call the capture misses.
 */
#include "fam.h"
#include <sys/ipc.h>
#include <sys/socket.h>

#define CHILD	"/kscap/bin/ia32_child"
#define SELF	"/kscap/bin/fam_ia32"

#define F(n)	ABI_FILE_FLAGS_##n
#define M(n)	ABI_CHMOD_MODE_##n

static void x_exec(pid_t c, const char *exe, const void *args, size_t alen, const char *comm)
{
	X_INT("res", 0);
	X_STR("exe", exe);
	X_BUF("args", args, alen);
	X_INT("tid", c);
	X_INT("pid", c);
	X_STR("comm", comm);
}

static void expect(pid_t c)
{
	fam_call(c, KSCAP_EV_EXECVE_E, "execve(ia32_child): 64 to 32 bits");
	E_STR("filename", CHILD);
	x_exec(c, "ia32_child", "", 0, "ia32_child");

	fam_call(c, KSCAP_EV_OPEN_E, "i386 open(/tmp/ia32.txt, O_RDWR|O_CREAT|O_TRUNC, 0600)");
	X_INT("fd", 3);
	X_STR("name", "/tmp/ia32.txt");
	X_INT("flags", F(O_RDWR) | F(O_CREAT) | F(O_TRUNC));
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR));
	fam_call(c, KSCAP_EV_WRITE_E, "i386 write(3, hello, 5)");
	E_INT("fd", 3);
	E_INT("size", 5);
	X_INT("res", 5);
	X_BUF("data", "hello", 5);
	fam_call(c, KSCAP_EV_LSEEK_E, "i386 lseek(3, -3, SEEK_CUR)");
	E_INT("fd", 3);
	E_INT("offset", -3);
	E_INT("whence", ABI_LSEEK_WHENCE_SEEK_CUR);
	X_INT("res", 2);
	fam_call(c, KSCAP_EV_READ_E, "i386 read(3, buf, 16)");
	E_INT("fd", 3);
	E_INT("size", 16);
	X_INT("res", 3);
	X_BUF("data", "llo", 3);
	fam_call(c, KSCAP_EV_LLSEEK_E, "i386 _llseek(3, 0, 1, &res, SEEK_SET)");
	E_INT("fd", 3);
	E_INT("offset", 1);
	E_INT("whence", ABI_LSEEK_WHENCE_SEEK_SET);
	X_INT("res", 0);
	fam_call(c, KSCAP_EV_CLOSE_E, "i386 close(3)");
	E_INT("fd", 3);
	X_INT("res", 0);

	fam_call(c, KSCAP_EV_SOCKETPAIR_E, "i386 socketcall(SOCKETPAIR, AF_UNIX, SOCK_STREAM)");
	E_INT("domain", ABI_SOCKET_FAMILIES_AF_UNIX);
	E_INT("type", SOCK_STREAM);
	E_INT("proto", 0);
	X_INT("res", 0);
	X_INT("fd1", 3);
	X_INT("fd2", 4);
	fam_call(c, KSCAP_EV_SEND_E, "i386 socketcall(SEND, 3, ping, 4)");
	E_INT("fd", 3);
	E_INT("size", 4);
	X_INT("res", 4);
	X_BUF("data", "ping", 4);
	fam_call(c, KSCAP_EV_RECV_E, "i386 socketcall(RECV, 4, buf, 16)");
	E_INT("fd", 4);
	E_INT("size", 16);
	X_INT("res", 4);
	X_BUF("data", "ping", 4);

	fam_call(c, KSCAP_EV_WRITEV_E, "i386 writev(3, [he, pin])");
	E_INT("fd", 3);
	E_INT("size", 5);
	X_INT("res", 5);
	X_BUF("data", "hepin", 5);
	fam_call(c, KSCAP_EV_READV_E, "i386 readv(4, [1, 16])");
	E_INT("fd", 4);
	X_INT("res", 5);
	X_INT("size", 5);
	X_BUF("data", "hepin", 5);

	fam_call(c, KSCAP_EV_SENDMSG_E, "i386 sendmsg(3, [hello])");
	E_INT("fd", 3);
	E_INT("size", 5);
	X_INT("res", 5);
	X_BUF("data", "hello", 5);
	fam_call(c, KSCAP_EV_RECVMSG_E, "i386 socketcall(RECVMSG, 4, [32])");
	E_INT("fd", 4);
	X_INT("res", 5);
	X_INT("size", 5);
	X_BUF("data", "hello", 5);

	fam_call(c, KSCAP_EV_SEMGET_E, "i386 ipc(SEMGET, IPC_PRIVATE, 1, IPC_CREAT|0600)");
	E_INT("key", IPC_PRIVATE);
	E_INT("nsems", 1);
	E_INT("semflg", ABI_SEMGET_FLAGS_IPC_CREAT);
	X_RANGE("res", 0, 0x7fffffff);
	fam_call(c, KSCAP_EV_SEMCTL_E, "i386 ipc(SEMCTL, semid, 0, IPC_RMID|IPC_64, &0)");
	E_INT("semnum", 0);
	E_INT("cmd", ABI_SEMCTL_COMMANDS_IPC_RMID);
	E_INT("val", 0);
	X_INT("res", 0);

	fam_call(c, KSCAP_EV_GENERIC_E, "i386 ipc(MSGGET): x86_64 msgget's generic event");
	E_INT("ID", fam_sc_code[SYS_msgget]);
	E_INT("nativeID", SYS_msgget);
	X_RANGE("res", 0, 0x7fffffff);
	fam_call(c, KSCAP_EV_GENERIC_E, "i386 ipc(MSGCTL, IPC_RMID): x86_64 msgctl's");
	E_INT("nativeID", SYS_msgctl);
	X_INT("res", 0);

	fam_call(c, KSCAP_EV_GENERIC_E, "i386 getpid (20)");
	E_INT("ID", 16);
	E_INT("nativeID", SYS_getpid);
	X_INT("ID", 16);
	X_INT("res", c);

	fam_call(c, KSCAP_EV_MMAP2_E, "i386 mmap2(0, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
	E_INT("addr", 0);
	E_INT("length", 4096);
	E_INT("prot", ABI_PROT_FLAGS_PROT_READ);
	E_INT("flags", ABI_MMAP_FLAGS_MAP_PRIVATE | ABI_MMAP_FLAGS_MAP_ANONYMOUS);
	E_INT("fd", -1);
	E_INT("pgoffset", 0);
	X_RANGE("res", 4096, 0xffffffffULL);
	fam_call(c, KSCAP_EV_STAT64_E, "i386 stat64(/tmp)");
	X_INT("res", 0);
	X_STR("path", "/tmp");
	fam_call(c, KSCAP_EV_LSTAT64_E, "i386 lstat64(/tmp)");
	X_INT("res", 0);
	X_STR("path", "/tmp");
	fam_call(c, KSCAP_EV_FSTAT64_E, "i386 fstat64(3)");
	E_INT("fd", 3);
	X_INT("res", 0);

	fam_call(c, KSCAP_EV_EXECVE_E, "execve(fam_ia32 --back): 32 to 64 bits");
	E_STR("filename", SELF);
	x_exec(c, "fam_ia32", "--back", sizeof("--back"), "fam_ia32");
}

/* i386 getpid (20) through int $0x80, from this 64-bit process. */
static long int80_getpid(void)
{
	long ret = 20;

	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

int main(int argc, char **argv)
{
	struct kscap_counters c0, c1;
	char *const av[] = { "ia32_child", NULL };
	char *const ev[] = { NULL };
	struct fam f;
	pid_t c;
	int st;

	if (argc > 1 && !strcmp(argv[1], "--back"))
		return 0;
	if (access(CHILD, X_OK))
		kt_fail("%s: %m", CHILD);
	fam_init();
	fam_begin(&f);
	kt_stats(&f.d, KSCAP_ALL_CPUS, &c0);
	c = fork();
	KT_CHECK(c >= 0, "fork: %m");
	if (!c) {
		/*
		 * A fork child has no page table entries for the binary's
		 * read-only data yet, and the module reads user memory
		 * without faulting: the path goes on the stack.
		 */
		char path[] = CHILD;

		execve(path, av, ev);
		/* A kernel without 32-bit support cannot run it. */
		_exit(errno == ENOEXEC ? 77 : 126);
	}
	KT_CHECK(waitpid(c, &st, 0) == c, "waitpid: %m");
	/* Without IA32 emulation int $0x80 is a general protection fault. */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		fam_end(&f);
		kt_skip("this kernel does not run i386 programs (no IA32 emulation)");
	}
	KT_CHECK(int80_getpid() == getpid(), "int $0x80 getpid");
	kt_stats(&f.d, KSCAP_ALL_CPUS, &c1);
	fam_end(&f);
	KT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		 "ia32_child ended with status 0x%x (exit codes: see ia32_child.c)", st);
	expect(c);
	/* The parent's generic events: waitpid's wait4, then int $0x80's getpid. */
	fam_call(getpid(), KSCAP_EV_GENERIC_E, "wait4 (waitpid)");
	E_INT("nativeID", SYS_wait4);
	X_INT("res", c);
	fam_call(getpid(), KSCAP_EV_GENERIC_E, "int $0x80 getpid from a 64-bit process");
	E_INT("ID", 16);
	E_INT("nativeID", SYS_getpid);
	X_INT("res", getpid());
	fam_verify(&f);
	KT_CHECK(c1.compat_untranslated - c0.compat_untranslated == 4,
		 "compat_untranslated grew by %llu, want 4 (preadv, waitpid: enter and exit)",
		 (unsigned long long)(c1.compat_untranslated - c0.compat_untranslated));
	kt_close(&f.d);
	return 0;
}
