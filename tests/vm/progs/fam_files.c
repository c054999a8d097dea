// SPDX-License-Identifier: GPL-2.0
/*
 * fam_files: the file-system syscalls, decoded. Every call is made with a
 * raw syscall(), so the arguments the kernel sees are exactly ours, and
 * failing calls are included (ENOENT, EBADF, EEXIST, EACCES, EINVAL...).
 * For each call the test writes down the parameter values the enter and
 * exit events must carry: fds, paths (FSPATH, and FSRELPATH with a dirfd
 * or AT_FDCWD = -100), open flags and modes in the ABI's bits, the device
 * of an opened file (new_encode_dev of its st_dev), BYTEBUF data cut at
 * the snaplen (80 by default, then changed with SET_SNAPLEN), errnos.
 * See fam.h for how the events are found and compared.
 */
#include "fam.h"
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <linux/fs.h>
#include <time.h>

#define DIR	"/tmp/famf"
#define PA	DIR "/a"
#define PA2	DIR "/a2"
#define PA3	DIR "/a3"
#define PB2	DIR "/b2"
#define PC	DIR "/c"
#define PD	DIR "/d"
#define PS1	DIR "/s1"
#define PSRC	DIR "/src"
#define PSECRET	DIR "/secret"
#define PMNT	DIR "/mnt"
#define MISSING	DIR "/no/such/file"
#define BADFD	987

#define O(n)	ABI_FILE_FLAGS_##n
#define M(n)	ABI_CHMOD_MODE_##n

static pid_t me;
static uint32_t dev;		/* the tmpfs the test works in */
static int dirfd;		/* DIR, opened */
static unsigned char pat[256];	/* what the test writes */

/* An open-like exit: the fd, and the device when it succeeded. */
/*
 * arm64 (asm-generic) has only the *at calls. A call it has under another
 * name whose row has the same parameters is made that way (open as
 * openat, creat as openat(O_CREAT|O_WRONLY|O_TRUNC), rename, link,
 * symlink and chmod as their *at calls, getdents as getdents64,
 * inotify_init as inotify_init1(0)), checked by that row. stat, lstat and
 * access have no row there (newfstatat and faccessat are generic events);
 * mkdir, rmdir and unlink are made as mkdirat and unlinkat, whose rows
 * have other parameters, checked as those rows.
 */
#ifdef SYS_open
#define OPEN(path, fl, mode)	SC(SYS_open, path, fl, mode)
#define CREAT(path, mode)	SC(SYS_creat, path, mode)
#define RENAME(a, b)		SC(SYS_rename, a, b)
#define LINK(a, b)		SC(SYS_link, a, b)
#define SYMLINK(a, b)		SC(SYS_symlink, a, b)
#define CHMOD(path, mode)	SC(SYS_chmod, path, mode)
#define GETDENTS(fd, b, n)	SC(SYS_getdents, fd, b, n)
#define INOTIFY_INIT()		SC(SYS_inotify_init)
#define EV_OPEN		KSCAP_EV_OPEN_E
#define EV_CREAT	KSCAP_EV_CREAT_E
#define EV_RENAME	KSCAP_EV_RENAME_E
#define EV_LINK		KSCAP_EV_LINK_E
#define EV_SYMLINK	KSCAP_EV_SYMLINK_E
#define EV_CHMOD	KSCAP_EV_CHMOD_E
#define EV_GETDENTS	KSCAP_EV_GETDENTS_E
#else
#define OPEN(path, fl, mode)	SC(SYS_openat, AT_FDCWD, path, fl, mode)
#define CREAT(path, mode)	OPEN(path, O_CREAT | O_WRONLY | O_TRUNC, mode)
#define RENAME(a, b)		SC(SYS_renameat, AT_FDCWD, a, AT_FDCWD, b)
#define LINK(a, b)		SC(SYS_linkat, AT_FDCWD, a, AT_FDCWD, b, 0)
#define SYMLINK(a, b)		SC(SYS_symlinkat, a, AT_FDCWD, b)
#define CHMOD(path, mode)	SC(SYS_fchmodat, AT_FDCWD, path, mode)
#define GETDENTS(fd, b, n)	SC(SYS_getdents64, fd, b, n)
#define INOTIFY_INIT()		SC(SYS_inotify_init1, 0)
#define EV_OPEN		KSCAP_EV_OPENAT_E
#define EV_CREAT	KSCAP_EV_OPENAT_E
#define EV_RENAME	KSCAP_EV_RENAMEAT_E
#define EV_LINK		KSCAP_EV_LINKAT_E
#define EV_SYMLINK	KSCAP_EV_SYMLINKAT_E
#define EV_CHMOD	KSCAP_EV_FCHMODAT_E
#define EV_GETDENTS	KSCAP_EV_GETDENTS64_E
#endif

static void x_dev(long fd)
{
	X_INT("dev", fd >= 0 ? dev : 0);
}

static void setup(void)
{
	struct stat st;
	int fd, i;

	for (i = 0; i < (int)sizeof(pat); i++)
		pat[i] = (unsigned char)(i * 7 + 3);	/* NULs and high bytes too */
	if (system("rm -rf " DIR))
		kt_fail("rm -rf %s failed", DIR);
	KT_SYS(mkdir(DIR, 0755));
	KT_SYS(mkdir(PMNT, 0755));
	KT_SYS(stat(DIR, &st));
	dev = fam_encode_dev(st.st_dev);
	dirfd = KT_SYS(open(DIR, O_RDONLY | O_DIRECTORY));
	fd = KT_SYS(open(PSRC, O_WRONLY | O_CREAT, 0644));
	KT_CHECK(write(fd, "0123456789abcdefghijklmnopqrstuvwxyz", 36) == 36, "write src: %m");
	close(fd);
	fd = KT_SYS(open(PSECRET, O_WRONLY | O_CREAT, 0600));
	close(fd);
	KT_SYS(chdir("/"));
}

static void opens(void)
{
	long fa, r;

	fa = OPEN(PA, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	fam_call(me, EV_OPEN, "open(%s, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0640)", PA);
	X_INT("fd", fa);
	X_STR("name", PA);
	X_INT("flags", O(O_WRONLY) | O(O_CREAT) | O(O_TRUNC) | O(O_CLOEXEC));
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR) | M(S_IRGRP));
	x_dev(fa);
	KT_CHECK(fa >= 0, "open %s: %s", PA, strerror((int)-fa));

	/* No O_CREAT: the mode argument means nothing and must read 0. */
	r = OPEN(MISSING, O_RDONLY, 0777);
	fam_call(me, EV_OPEN, "open(missing, O_RDONLY, 0777) = -ENOENT");
	X_INT("fd", -ENOENT);
	X_STR("name", MISSING);
	X_INT("flags", O(O_RDONLY));
	X_INT("mode", 0);
	x_dev(r);
	KT_CHECK(r == -ENOENT, "open missing: %ld", r);

	r = SC(SYS_openat, dirfd, "b", O_RDWR | O_CREAT | O_EXCL, 0600);
	fam_call(me, KSCAP_EV_OPENAT_E, "openat(dirfd, \"b\", O_RDWR|O_CREAT|O_EXCL, 0600)");
	X_INT("fd", r);
	X_INT("dirfd", dirfd);
	X_STR("name", "b");
	X_INT("flags", O(O_RDWR) | O(O_CREAT) | O(O_EXCL));
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR));
	x_dev(r);
	KT_CHECK(r >= 0, "openat b: %s", strerror((int)-r));
	KT_SYS(close((int)r));

	/* Relative to the cwd ("/"): dirfd is AT_FDCWD, -100. */
	r = SC(SYS_openat, AT_FDCWD, "tmp/famf/a", O_RDONLY | O_NONBLOCK | O_DIRECTORY);
	fam_call(me, KSCAP_EV_OPENAT_E, "openat(AT_FDCWD, \"tmp/famf/a\", O_DIRECTORY...) = -ENOTDIR");
	X_INT("fd", -ENOTDIR);
	X_INT("dirfd", -100);
	X_STR("name", "tmp/famf/a");
	X_INT("flags", O(O_RDONLY) | O(O_NONBLOCK) | O(O_DIRECTORY));
	X_INT("mode", 0);
	x_dev(r);
	KT_CHECK(r == -ENOTDIR, "openat a as a directory: %ld", r);

	/* O_TMPFILE holds O_DIRECTORY's bit: both ABI bits, and the mode counts. */
	r = SC(SYS_openat, dirfd, ".", O_TMPFILE | O_RDWR, 0600);
	fam_call(me, KSCAP_EV_OPENAT_E, "openat(dirfd, \".\", O_TMPFILE|O_RDWR, 0600)");
	X_INT("fd", r);
	X_INT("dirfd", dirfd);
	X_STR("name", ".");
	X_INT("flags", O(O_RDWR) | O(O_TMPFILE) | O(O_DIRECTORY));
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR));
	x_dev(r);
	KT_CHECK(r >= 0, "openat O_TMPFILE: %s", strerror((int)-r));
	SC(SYS_close, r);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(tmpfile)");
	E_INT("fd", r);
	X_INT("res", 0);

	r = CREAT(PC, 0644);
	fam_call(me, EV_CREAT, "creat(%s, 0644)", PC);
	X_INT("fd", r);
	X_STR("name", PC);
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR) | M(S_IRGRP) | M(S_IROTH));
	x_dev(r);
	KT_CHECK(r >= 0, "creat: %s", strerror((int)-r));
	SC(SYS_close, r);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(creat's fd)");
	E_INT("fd", r);
	X_INT("res", 0);
	close((int)fa);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(a)");
	E_INT("fd", fa);
	X_INT("res", 0);

	r = SC(SYS_close, BADFD);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(bad fd) = -EBADF");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
}

static void set_snaplen(struct fam *f, uint32_t len)
{
	uint32_t v = len;
	long r = SC(SYS_ioctl, f->d.fd, (unsigned long)KSCAP_IOC_SET_SNAPLEN, &v);

	fam_call(me, KSCAP_EV_IOCTL_E, "ioctl(kscap, SET_SNAPLEN, &%u)", len);
	E_INT("fd", f->d.fd);
	E_INT("request", KSCAP_IOC_SET_SNAPLEN);
	E_INT("argument", (uintptr_t)&v);
	X_INT("res", 0);
	KT_CHECK(r == 0, "SET_SNAPLEN %u: %ld", len, r);
}

static void rw(struct fam *f)
{
	unsigned char rbuf[512];
	struct iovec iov[2];
	char h[6] = "hello ", w[5] = "world";
	long fa, fb, r;

	fa = OPEN(PA, O_WRONLY, 0);
	fam_call(me, EV_OPEN, "open(a, O_WRONLY)");
	X_INT("fd", fa);
	X_INT("flags", O(O_WRONLY));
	KT_CHECK(fa >= 0, "open a: %ld", fa);

	/* 100 bytes written, 80 kept: the default snaplen. */
	r = SC(SYS_write, fa, pat, (size_t)100);
	fam_call(me, KSCAP_EV_WRITE_E, "write(a, pat, 100)");
	E_INT("fd", fa);
	E_INT("size", 100);
	X_INT("res", 100);
	X_BUF("data", pat, 80);

	r = SC(SYS_write, fa, pat, (size_t)0);
	fam_call(me, KSCAP_EV_WRITE_E, "write(a, pat, 0)");
	E_INT("size", 0);
	X_INT("res", 0);
	X_EMPTY("data");

	r = SC(SYS_write, -1, "xyz", (size_t)3);
	fam_call(me, KSCAP_EV_WRITE_E, "write(-1, \"xyz\", 3) = -EBADF");
	E_INT("fd", -1);
	E_INT("size", 3);
	X_INT("res", -EBADF);
	X_BUF("data", "xyz", 3);
	KT_CHECK(r == -EBADF, "write(-1): %ld", r);

	/* A buffer the kernel cannot read: -EFAULT, data empty (a counted fault). */
	r = SC(SYS_write, fa, (void *)8, (size_t)10);
	fam_call(me, KSCAP_EV_WRITE_E, "write(a, bad address, 10) = -EFAULT");
	E_INT("size", 10);
	X_INT("res", -EFAULT);
	X_EMPTY("data");
	KT_CHECK(r == -EFAULT, "write(bad address): %ld", r);

	r = SC(SYS_lseek, fa, (off_t)10, SEEK_SET);
	fam_call(me, KSCAP_EV_LSEEK_E, "lseek(a, 10, SEEK_SET)");
	E_INT("fd", fa);
	E_INT("offset", 10);
	E_INT("whence", ABI_LSEEK_WHENCE_SEEK_SET);
	X_INT("res", 10);
	r = SC(SYS_lseek, fa, (off_t)-5, SEEK_END);
	fam_call(me, KSCAP_EV_LSEEK_E, "lseek(a, -5, SEEK_END)");
	E_INT("offset", -5);
	E_INT("whence", ABI_LSEEK_WHENCE_SEEK_END);
	X_INT("res", 95);
	r = SC(SYS_lseek, fa, (off_t)0, 7);
	fam_call(me, KSCAP_EV_LSEEK_E, "lseek(a, 0, 7) = -EINVAL");
	/* No ABI name for 7: the kernel's number is kept. */
	E_INT("whence", 7);
	X_INT("res", -EINVAL);

	r = SC(SYS_pwrite64, fa, "PWDATA", (size_t)6, (off_t)200);
	fam_call(me, KSCAP_EV_PWRITE_E, "pwrite(a, \"PWDATA\", 6, 200)");
	E_INT("fd", fa);
	E_INT("size", 6);
	E_INT("pos", 200);
	X_INT("res", 6);
	X_BUF("data", "PWDATA", 6);

	r = SC(SYS_fstat, fa, rbuf);
	fam_call(me, KSCAP_EV_FSTAT_E, "fstat(a)");
	E_INT("fd", fa);
	X_INT("res", 0);
	r = SC(SYS_fstat, BADFD, rbuf);
	fam_call(me, KSCAP_EV_FSTAT_E, "fstat(bad fd)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
	SC(SYS_close, fa);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(a)");
	X_INT("res", 0);

	/* The file is now pat[0..100), zeros up to 200, then "PWDATA": 206 bytes. */
	fa = OPEN(PA, O_RDONLY, 0);
	fam_call(me, EV_OPEN, "open(a, O_RDONLY)");
	X_INT("fd", fa);
	X_INT("flags", O(O_RDONLY));
	r = SC(SYS_read, fa, (void *)8, (size_t)16);
	fam_call(me, KSCAP_EV_READ_E, "read(a, bad address, 16) = -EFAULT");
	E_INT("size", 16);
	X_INT("res", -EFAULT);
	X_EMPTY("data");
	KT_CHECK(r == -EFAULT, "read(bad address): %ld", r);
	r = SC(SYS_read, fa, rbuf, (size_t)256);
	fam_call(me, KSCAP_EV_READ_E, "read(a, buf, 256)");
	E_INT("fd", fa);
	E_INT("size", 256);
	X_INT("res", 206);
	X_BUF("data", pat, 80);
	KT_CHECK(r == 206, "read a: %ld", r);

	r = SC(SYS_read, fa, rbuf, (size_t)256);
	fam_call(me, KSCAP_EV_READ_E, "read(a) at EOF");
	X_INT("res", 0);
	X_EMPTY("data");

	/* Larger snaplen: the whole read is kept. */
	set_snaplen(f, 300);
	r = SC(SYS_pread64, fa, rbuf, (size_t)300, (off_t)0);
	fam_call(me, KSCAP_EV_PREAD_E, "pread(a, buf, 300, 0), snaplen 300");
	E_INT("fd", fa);
	E_INT("size", 300);
	E_INT("pos", 0);
	X_INT("res", 206);
	X_BUF("data", rbuf, 206);
	KT_CHECK(r == 206 && !memcmp(rbuf, pat, 100), "pread a: %ld", r);
	r = SC(SYS_write, -1, pat, (size_t)250);
	fam_call(me, KSCAP_EV_WRITE_E, "write(-1, pat, 250), snaplen 300");
	X_INT("res", -EBADF);
	X_BUF("data", pat, 250);
	set_snaplen(f, 5);
	r = SC(SYS_pread64, fa, rbuf, (size_t)10, (off_t)200);
	fam_call(me, KSCAP_EV_PREAD_E, "pread(a, buf, 10, 200), snaplen 5");
	E_INT("size", 10);
	E_INT("pos", 200);
	X_INT("res", 6);
	X_BUF("data", "PWDAT", 5);
	set_snaplen(f, KSCAP_SNAPLEN_DEFAULT);

	r = SC(SYS_lseek, fa, (off_t)0, SEEK_SET);
	fam_call(me, KSCAP_EV_LSEEK_E, "lseek(a, 0, SEEK_SET)");
	X_INT("res", 0);
	iov[0].iov_base = rbuf;
	iov[0].iov_len = 4;
	iov[1].iov_base = rbuf + 100;
	iov[1].iov_len = 4;
	r = SC(SYS_readv, fa, iov, 2);
	fam_call(me, KSCAP_EV_READV_E, "readv(a, [4, 4])");
	E_INT("fd", fa);
	X_INT("res", 8);
	X_INT("size", 8);
	X_BUF("data", pat, 8);

	fb = SC(SYS_openat, dirfd, "b", O_RDWR);
	fam_call(me, KSCAP_EV_OPENAT_E, "openat(dirfd, b, O_RDWR)");
	X_INT("fd", fb);
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = w;
	iov[1].iov_len = sizeof(w);
	r = SC(SYS_writev, fb, iov, 2);
	fam_call(me, KSCAP_EV_WRITEV_E, "writev(b, [\"hello \", \"world\"])");
	E_INT("fd", fb);
	E_INT("size", 11);
	X_INT("res", 11);
	X_BUF("data", "hello world", 11);
	r = SC(SYS_pwritev, fb, iov, 2, (long)100, (long)0);
	fam_call(me, KSCAP_EV_PWRITEV_E, "pwritev(b, [\"hello \", \"world\"], pos 100)");
	E_INT("fd", fb);
	E_INT("size", 11);
	E_INT("pos", 100);
	X_INT("res", 11);
	X_BUF("data", "hello world", 11);
	iov[0].iov_base = rbuf;
	iov[0].iov_len = 4;
	iov[1].iov_base = rbuf + 200;
	iov[1].iov_len = 4;
	r = SC(SYS_preadv, fb, iov, 2, (long)100, (long)0);
	fam_call(me, KSCAP_EV_PREADV_E, "preadv(b, [4, 4], pos 100)");
	E_INT("fd", fb);
	E_INT("pos", 100);
	X_INT("res", 8);
	X_INT("size", 8);
	X_BUF("data", "hello wo", 8);
	/* A vector longer than the snaplen is cut at 80 bytes. */
	iov[0].iov_base = pat;
	iov[0].iov_len = 60;
	iov[1].iov_base = pat + 60;
	iov[1].iov_len = 60;
	r = SC(SYS_writev, fb, iov, 2);
	fam_call(me, KSCAP_EV_WRITEV_E, "writev(b, [60, 60])");
	E_INT("size", 120);
	X_INT("res", 120);
	X_BUF("data", pat, 80);
	(void)r;
	SC(SYS_close, fa);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(a)");
	X_INT("res", 0);
	SC(SYS_close, fb);
	fam_call(me, KSCAP_EV_CLOSE_E, "close(b)");
	X_INT("res", 0);
}

static void names(void)
{
	char buf[256];
	struct stat st;
	long r;

#ifdef SYS_stat
	r = SC(SYS_stat, PA, &st);
	fam_call(me, KSCAP_EV_STAT_E, "stat(a)");
	X_INT("res", 0);
	X_STR("path", PA);
	r = SC(SYS_stat, MISSING, &st);
	fam_call(me, KSCAP_EV_STAT_E, "stat(missing)");
	X_INT("res", -ENOENT);
	X_STR("path", MISSING);

	r = SC(SYS_access, PA, R_OK | W_OK);
	fam_call(me, KSCAP_EV_ACCESS_E, "access(a, R_OK|W_OK)");
	E_INT("mode", ABI_ACCESS_FLAGS_R_OK | ABI_ACCESS_FLAGS_W_OK);
	X_INT("res", 0);
	X_STR("name", PA);
	r = SC(SYS_access, MISSING, F_OK);
	fam_call(me, KSCAP_EV_ACCESS_E, "access(missing, F_OK)");
	E_INT("mode", ABI_ACCESS_FLAGS_F_OK);
	X_INT("res", -ENOENT);
	X_STR("name", MISSING);
	/* Even root may not execute a file without any x bit. */
	r = SC(SYS_access, PA, X_OK);
	fam_call(me, KSCAP_EV_ACCESS_E, "access(a (0640), X_OK) = -EACCES");
	E_INT("mode", ABI_ACCESS_FLAGS_X_OK);
	X_INT("res", -EACCES);
	X_STR("name", PA);
	KT_CHECK(r == -EACCES, "access X_OK: %ld", r);

	r = SC(SYS_mkdir, PD, 0751);
	fam_call(me, KSCAP_EV_MKDIR_E, "mkdir(d, 0751)");
	E_INT("mode", 0751);
	X_INT("res", 0);
	X_STR("path", PD);
	r = SC(SYS_mkdir, PD, 0700);
	fam_call(me, KSCAP_EV_MKDIR_E, "mkdir(d) again = -EEXIST");
	E_INT("mode", 0700);
	X_INT("res", -EEXIST);
	X_STR("path", PD);
#else
	r = SC(SYS_mkdirat, AT_FDCWD, PD, 0751);
	fam_call(me, KSCAP_EV_MKDIRAT_E, "mkdirat(AT_FDCWD, d, 0751)");
	X_INT("res", 0);
	X_INT("dirfd", -100);
	X_STR("path", PD);
	X_INT("mode", 0751);
#endif
	r = SC(SYS_mkdirat, dirfd, "d2", 0700);
	fam_call(me, KSCAP_EV_MKDIRAT_E, "mkdirat(dirfd, d2, 0700)");
	X_INT("res", 0);
	X_INT("dirfd", dirfd);
	X_STR("path", "d2");
	X_INT("mode", 0700);
#ifdef SYS_rmdir
	r = SC(SYS_rmdir, PD);
	fam_call(me, KSCAP_EV_RMDIR_E, "rmdir(d)");
	X_INT("res", 0);
	X_STR("path", PD);
	r = SC(SYS_rmdir, MISSING);
	fam_call(me, KSCAP_EV_RMDIR_E, "rmdir(missing)");
	X_INT("res", -ENOENT);
	X_STR("path", MISSING);
#else
	r = SC(SYS_unlinkat, AT_FDCWD, PD, AT_REMOVEDIR);
	fam_call(me, KSCAP_EV_UNLINKAT_E, "unlinkat(AT_FDCWD, d, AT_REMOVEDIR)");
	X_INT("res", 0);
	X_INT("dirfd", -100);
	X_STR("name", PD);
	X_INT("flags", ABI_UNLINKAT_FLAGS_AT_REMOVEDIR);
#endif
	r = SC(SYS_unlinkat, dirfd, "d2", AT_REMOVEDIR);
	fam_call(me, KSCAP_EV_UNLINKAT_E, "unlinkat(dirfd, d2, AT_REMOVEDIR)");
	X_INT("res", 0);
	X_INT("dirfd", dirfd);
	X_STR("name", "d2");
	X_INT("flags", ABI_UNLINKAT_FLAGS_AT_REMOVEDIR);

	r = RENAME(PA, PA2);
	fam_call(me, EV_RENAME, "rename(a, a2)");
	X_INT("res", 0);
	X_STR("oldpath", PA);
	X_STR("newpath", PA2);
	r = SC(SYS_renameat, dirfd, "b", AT_FDCWD, PB2);
	fam_call(me, KSCAP_EV_RENAMEAT_E, "renameat(dirfd, b, AT_FDCWD, b2)");
	X_INT("res", 0);
	X_INT("olddirfd", dirfd);
	X_STR("oldpath", "b");
	X_INT("newdirfd", -100);
	X_STR("newpath", PB2);
	r = SC(SYS_renameat2, dirfd, "c", dirfd, "a2", RENAME_NOREPLACE);
	fam_call(me, KSCAP_EV_RENAMEAT2_E, "renameat2(dirfd, c, dirfd, a2, RENAME_NOREPLACE) = -EEXIST");
	X_INT("res", -EEXIST);
	X_INT("olddirfd", dirfd);
	X_STR("oldpath", "c");
	X_INT("newdirfd", dirfd);
	X_STR("newpath", "a2");
	X_INT("flags", ABI_RENAMEAT2_FLAGS_RENAME_NOREPLACE);

	r = LINK(PA2, PA3);
	fam_call(me, EV_LINK, "link(a2, a3)");
	X_INT("res", 0);
	X_STR("oldpath", PA2);
	X_STR("newpath", PA3);
	r = SC(SYS_linkat, dirfd, "a3", AT_FDCWD, "tmp/famf/a4", AT_SYMLINK_FOLLOW);
	fam_call(me, KSCAP_EV_LINKAT_E, "linkat(dirfd, a3, AT_FDCWD, tmp/famf/a4, AT_SYMLINK_FOLLOW)");
	X_INT("res", 0);
	X_INT("olddir", dirfd);
	X_STR("oldpath", "a3");
	X_INT("newdir", -100);
	X_STR("newpath", "tmp/famf/a4");
	X_INT("flags", ABI_LINKAT_FLAGS_AT_SYMLINK_FOLLOW);
	r = SYMLINK("a2", PS1);
	fam_call(me, EV_SYMLINK, "symlink(\"a2\", s1)");
	X_INT("res", 0);
	X_STR("target", "a2");
	X_STR("linkpath", PS1);
	r = SC(SYS_symlinkat, "nowhere", dirfd, "s2");
	fam_call(me, KSCAP_EV_SYMLINKAT_E, "symlinkat(\"nowhere\", dirfd, s2)");
	X_INT("res", 0);
	X_STR("target", "nowhere");
	X_INT("linkdirfd", dirfd);
	X_STR("linkpath", "s2");
#ifdef SYS_lstat
	r = SC(SYS_lstat, PS1, &st);
	fam_call(me, KSCAP_EV_LSTAT_E, "lstat(s1)");
	X_INT("res", 0);
	X_STR("path", PS1);
	KT_CHECK(r == 0 && S_ISLNK(st.st_mode), "lstat s1: %ld", r);
	r = SC(SYS_unlink, DIR "/a4");
	fam_call(me, KSCAP_EV_UNLINK_E, "unlink(a4)");
	X_INT("res", 0);
	X_STR("path", DIR "/a4");
	r = SC(SYS_unlink, MISSING);
	fam_call(me, KSCAP_EV_UNLINK_E, "unlink(missing)");
	X_INT("res", -ENOENT);
	X_STR("path", MISSING);
#else
	r = SC(SYS_unlinkat, AT_FDCWD, DIR "/a4", 0);
	fam_call(me, KSCAP_EV_UNLINKAT_E, "unlinkat(AT_FDCWD, a4, 0)");
	X_INT("res", 0);
	X_INT("dirfd", -100);
	X_STR("name", DIR "/a4");
	X_INT("flags", 0);
	(void)st;
#endif

	r = SC(SYS_chdir, DIR);
	fam_call(me, KSCAP_EV_CHDIR_E, "chdir(DIR)");
	X_INT("res", 0);
	X_STR("path", DIR);
	r = SC(SYS_getcwd, buf, sizeof(buf));
	fam_call(me, KSCAP_EV_GETCWD_E, "getcwd(buf, 256)");
	X_INT("res", strlen(DIR) + 1);
	X_STR("path", DIR);
	r = SC(SYS_getcwd, buf, 1);
	fam_call(me, KSCAP_EV_GETCWD_E, "getcwd(buf, 1) = -ERANGE");
	X_INT("res", -ERANGE);
	X_EMPTY("path");
	r = SC(SYS_chdir, MISSING);
	fam_call(me, KSCAP_EV_CHDIR_E, "chdir(missing)");
	X_INT("res", -ENOENT);
	X_STR("path", MISSING);
	r = SC(SYS_chdir, "/");
	fam_call(me, KSCAP_EV_CHDIR_E, "chdir(/)");
	X_INT("res", 0);
	X_STR("path", "/");
	r = SC(SYS_fchdir, dirfd);
	fam_call(me, KSCAP_EV_FCHDIR_E, "fchdir(dirfd)");
	E_INT("fd", dirfd);
	X_INT("res", 0);
	r = SC(SYS_fchdir, BADFD);
	fam_call(me, KSCAP_EV_FCHDIR_E, "fchdir(bad fd)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);
	SC(SYS_chdir, "/");
	fam_call(me, KSCAP_EV_CHDIR_E, "chdir(/)");
	X_INT("res", 0);

	r = CHMOD(PA2, 04755);
	fam_call(me, EV_CHMOD, "chmod(a2, 04755)");
	X_INT("res", 0);
	X_STR("filename", PA2);
	X_INT("mode", M(S_ISUID) | M(S_IRUSR) | M(S_IWUSR) | M(S_IXUSR) | M(S_IRGRP) |
		      M(S_IXGRP) | M(S_IROTH) | M(S_IXOTH));
	/* The file type bits are not part of a MODE. */
	r = CHMOD(PA2, S_IFREG | 0644);
	fam_call(me, EV_CHMOD, "chmod(a2, S_IFREG|0644)");
	X_INT("res", 0);
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR) | M(S_IRGRP) | M(S_IROTH));
	r = CHMOD(MISSING, 0644);
	fam_call(me, EV_CHMOD, "chmod(missing)");
	X_INT("res", -ENOENT);
	X_STR("filename", MISSING);
	r = SC(SYS_fchmodat, dirfd, "c", 01444);
	fam_call(me, KSCAP_EV_FCHMODAT_E, "fchmodat(dirfd, c, 01444)");
	X_INT("res", 0);
	X_INT("dirfd", dirfd);
	X_STR("filename", "c");
	X_INT("mode", M(S_ISVTX) | M(S_IRUSR) | M(S_IRGRP) | M(S_IROTH));
	(void)r;
}

static void fdops(void)
{
	unsigned char dents[4096];
	struct flock fl;
	loff_t off;
	int n, p[2];
	long fb, fs, fw, r;

	fb = OPEN(PB2, O_RDWR | O_APPEND, 0);
	fam_call(me, EV_OPEN, "open(b2, O_RDWR|O_APPEND)");
	X_INT("fd", fb);
	X_STR("name", PB2);
	X_INT("flags", O(O_RDWR) | O(O_APPEND));
	x_dev(fb);
	KT_CHECK(fb >= 0, "open b2: %ld", fb);

	r = SC(SYS_fchmod, fb, 0600);
	fam_call(me, KSCAP_EV_FCHMOD_E, "fchmod(b2, 0600)");
	X_INT("res", 0);
	X_INT("fd", fb);
	X_INT("mode", M(S_IRUSR) | M(S_IWUSR));
	r = SC(SYS_fchmod, BADFD, 0600);
	fam_call(me, KSCAP_EV_FCHMOD_E, "fchmod(bad fd)");
	X_INT("res", -EBADF);
	X_INT("fd", BADFD);

	r = SC(SYS_dup, fb);
	fam_call(me, KSCAP_EV_DUP_E, "dup(b2)");
	E_INT("fd", fb);
	X_INT("res", r);
	KT_CHECK(r > fb, "dup: %ld", r);
	r = SC(SYS_dup, BADFD);
	fam_call(me, KSCAP_EV_DUP_E, "dup(bad fd)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);

	r = SC(SYS_fcntl, fb, F_GETFL);
	fam_call(me, KSCAP_EV_FCNTL_E, "fcntl(b2, F_GETFL)");
	E_INT("fd", fb);
	E_INT("cmd", ABI_FCNTL_COMMANDS_F_GETFL);
	X_INT("res", r);
	KT_CHECK(r >= 0 && (r & O_APPEND), "F_GETFL: %lx", r);
	r = SC(SYS_fcntl, fb, F_DUPFD_CLOEXEC, 50);
	fam_call(me, KSCAP_EV_FCNTL_E, "fcntl(b2, F_DUPFD_CLOEXEC, 50)");
	E_INT("cmd", ABI_FCNTL_COMMANDS_F_DUPFD_CLOEXEC);
	X_INT("res", 50);
	r = SC(SYS_fcntl, fb, F_SETFD, FD_CLOEXEC);
	fam_call(me, KSCAP_EV_FCNTL_E, "fcntl(b2, F_SETFD)");
	E_INT("cmd", ABI_FCNTL_COMMANDS_F_SETFD);
	X_INT("res", 0);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	r = SC(SYS_fcntl, fb, F_SETLK, &fl);
	fam_call(me, KSCAP_EV_FCNTL_E, "fcntl(b2, F_SETLK)");
	E_INT("cmd", ABI_FCNTL_COMMANDS_F_SETLK);
	X_INT("res", 0);
	r = SC(SYS_fcntl, fb, 1234);
	fam_call(me, KSCAP_EV_FCNTL_E, "fcntl(b2, 1234) = -EINVAL");
	E_INT("cmd", ABI_FCNTL_COMMANDS_UNKNOWN);
	X_INT("res", -EINVAL);

	r = SC(SYS_flock, fb, LOCK_EX | LOCK_NB);
	fam_call(me, KSCAP_EV_FLOCK_E, "flock(b2, LOCK_EX|LOCK_NB)");
	E_INT("fd", fb);
	E_INT("operation", ABI_FLOCK_FLAGS_LOCK_EX | ABI_FLOCK_FLAGS_LOCK_NB);
	X_INT("res", 0);
	r = SC(SYS_flock, fb, LOCK_UN);
	fam_call(me, KSCAP_EV_FLOCK_E, "flock(b2, LOCK_UN)");
	E_INT("operation", ABI_FLOCK_FLAGS_LOCK_UN);
	X_INT("res", 0);
	r = SC(SYS_flock, BADFD, LOCK_SH);
	fam_call(me, KSCAP_EV_FLOCK_E, "flock(bad fd, LOCK_SH)");
	E_INT("fd", BADFD);
	E_INT("operation", ABI_FLOCK_FLAGS_LOCK_SH);
	X_INT("res", -EBADF);

	r = SC(SYS_getdents64, dirfd, dents, sizeof(dents));
	fam_call(me, KSCAP_EV_GETDENTS64_E, "getdents64(dirfd)");
	E_INT("fd", dirfd);
	X_INT("res", r);
	KT_CHECK(r > 0, "getdents64: %ld", r);
	r = SC(SYS_lseek, dirfd, (off_t)0, SEEK_SET);
	fam_call(me, KSCAP_EV_LSEEK_E, "lseek(dirfd, 0)");
	X_INT("res", 0);
	r = GETDENTS(dirfd, dents, sizeof(dents));
	fam_call(me, EV_GETDENTS, "getdents(dirfd)");
	E_INT("fd", dirfd);
	X_INT("res", r);
	KT_CHECK(r > 0, "getdents: %ld", r);
	r = SC(SYS_getdents64, BADFD, dents, sizeof(dents));
	fam_call(me, KSCAP_EV_GETDENTS64_E, "getdents64(bad fd)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);

	fs = OPEN(PSRC, O_RDONLY, 0);
	fam_call(me, EV_OPEN, "open(src)");
	X_INT("fd", fs);
	r = SC(SYS_ioctl, fs, (unsigned long)FIONREAD, &n);
	fam_call(me, KSCAP_EV_IOCTL_E, "ioctl(src, FIONREAD, &n)");
	E_INT("fd", fs);
	E_INT("request", FIONREAD);
	E_INT("argument", (uintptr_t)&n);
	X_INT("res", 0);
	KT_CHECK(r == 0 && n == 36, "FIONREAD: %ld, %d", r, n);
	r = SC(SYS_ioctl, BADFD, (unsigned long)FIONREAD, &n);
	fam_call(me, KSCAP_EV_IOCTL_E, "ioctl(bad fd, FIONREAD)");
	E_INT("fd", BADFD);
	X_INT("res", -EBADF);

	/* Neither sendfile nor splice write to an O_APPEND file: another fd. */
	fw = OPEN(PA3, O_WRONLY, 0);
	fam_call(me, EV_OPEN, "open(a3, O_WRONLY)");
	X_INT("fd", fw);
	KT_CHECK(fw >= 0, "open a3: %ld", fw);
	/* sendfile reads and updates *offset: in the enter 5, in the exit 25. */
	off = 5;
	r = SC(SYS_sendfile, fw, fs, &off, (size_t)20);
	fam_call(me, KSCAP_EV_SENDFILE_E, "sendfile(a3, src, &5, 20)");
	E_INT("out_fd", fw);
	E_INT("in_fd", fs);
	E_INT("offset", 5);
	E_INT("size", 20);
	X_INT("res", 20);
	X_INT("offset", 25);
	KT_CHECK(r == 20 && off == 25, "sendfile: %ld, off %lld", r, (long long)off);

	r = SC(SYS_pipe2, p, 0);
	fam_call(me, KSCAP_EV_PIPE_E, "pipe2(p, 0)");
	X_INT("res", 0);
	X_INT("fd1", p[0]);
	X_INT("fd2", p[1]);
	KT_CHECK(r == 0, "pipe2: %ld", r);
	r = SC(SYS_write, p[1], "splicedata", (size_t)10);
	fam_call(me, KSCAP_EV_WRITE_E, "write(pipe, splicedata)");
	E_INT("fd", p[1]);
	X_INT("res", 10);
	X_BUF("data", "splicedata", 10);
	r = SC(SYS_splice, p[0], NULL, fw, NULL, (size_t)10, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	fam_call(me, KSCAP_EV_SPLICE_E, "splice(pipe, a3, 10, SPLICE_F_MOVE|SPLICE_F_NONBLOCK)");
	E_INT("fd_in", p[0]);
	E_INT("fd_out", fw);
	E_INT("size", 10);
	E_INT("flags", ABI_SPLICE_FLAGS_SPLICE_F_MOVE | ABI_SPLICE_FLAGS_SPLICE_F_NONBLOCK);
	X_INT("res", 10);
	KT_CHECK(r == 10, "splice: %ld", r);
	r = SC(SYS_splice, p[0], NULL, fw, NULL, (size_t)10, SPLICE_F_NONBLOCK);
	fam_call(me, KSCAP_EV_SPLICE_E, "splice(empty pipe) = -EAGAIN");
	E_INT("flags", ABI_SPLICE_FLAGS_SPLICE_F_NONBLOCK);
	X_INT("res", -EAGAIN);
}

static void mounts(void)
{
	long r;

	r = SC(SYS_chroot, "/");
	fam_call(me, KSCAP_EV_CHROOT_E, "chroot(/)");
	X_INT("res", 0);
	X_STR("path", "/");
	r = SC(SYS_chroot, MISSING);
	fam_call(me, KSCAP_EV_CHROOT_E, "chroot(missing)");
	X_INT("res", -ENOENT);
	X_STR("path", MISSING);

	r = SC(SYS_mount, "famfs", PMNT, "tmpfs", (unsigned long)(MS_NOSUID | MS_NODEV), "size=1m");
	fam_call(me, KSCAP_EV_MOUNT_E, "mount(famfs, mnt, tmpfs, MS_NOSUID|MS_NODEV)");
	E_INT("flags", ABI_MOUNT_FLAGS_NOSUID | ABI_MOUNT_FLAGS_NODEV);
	X_INT("res", 0);
	X_STR("dev", "famfs");
	X_STR("dir", PMNT);
	X_STR("type", "tmpfs");
	KT_CHECK(r == 0, "mount tmpfs: %ld", r);
	/* The legacy magic number in the top half is not a flag. */
	r = SC(SYS_mount, "none", PMNT, "nosuchfs", (unsigned long)(MS_MGC_VAL | MS_RDONLY), NULL);
	fam_call(me, KSCAP_EV_MOUNT_E, "mount(none, mnt, nosuchfs, MS_MGC_VAL|MS_RDONLY) = -ENODEV");
	E_INT("flags", ABI_MOUNT_FLAGS_RDONLY);
	X_INT("res", -ENODEV);
	X_STR("type", "nosuchfs");
	r = SC(SYS_umount2, PMNT, MNT_DETACH);
	fam_call(me, KSCAP_EV_UMOUNT_E, "umount2(mnt, MNT_DETACH)");
	E_INT("flags", ABI_UMOUNT_FLAGS_DETACH);
	X_INT("res", 0);
	X_STR("name", PMNT);
	r = SC(SYS_umount2, PMNT, 0);
	fam_call(me, KSCAP_EV_UMOUNT_E, "umount2(mnt, 0) = -EINVAL");
	E_INT("flags", 0);
	X_INT("res", -EINVAL);
	X_STR("name", PMNT);
}

static void newfds(void)
{
	long r;

	/*
	 * inotify_init's and timerfd_create's flags are FLAGS8 with no table:
	 * IN_CLOEXEC, IN_NONBLOCK, TFD_* (0x80000, 0x800) have no bit in the
	 * low 8, so the value an 8-bit field can hold is 0 (E_INT masks to
	 * the parameter's size).
	 */
	r = SC(SYS_inotify_init1, IN_CLOEXEC | IN_NONBLOCK);
	fam_call(me, KSCAP_EV_INOTIFY_INIT_E, "inotify_init1(IN_CLOEXEC|IN_NONBLOCK)");
	E_INT("flags", IN_CLOEXEC | IN_NONBLOCK);
	X_INT("res", r);
	KT_CHECK(r >= 0, "inotify_init1: %ld", r);
	r = INOTIFY_INIT();
	fam_call(me, KSCAP_EV_INOTIFY_INIT_E, "inotify_init()");
	E_INT("flags", 0);
	X_INT("res", r);
	KT_CHECK(r >= 0, "inotify_init: %ld", r);

	r = SC(SYS_eventfd2, 7, EFD_CLOEXEC | EFD_NONBLOCK);
	fam_call(me, KSCAP_EV_EVENTFD_E, "eventfd2(7, EFD_CLOEXEC|EFD_NONBLOCK)");
	E_INT("initval", 7);
	E_INT("flags", EFD_CLOEXEC | EFD_NONBLOCK);
	X_INT("res", r);
	KT_CHECK(r >= 0, "eventfd2: %ld", r);

	r = SC(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC);
	fam_call(me, KSCAP_EV_TIMERFD_CREATE_E, "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)");
	E_INT("clockid", CLOCK_MONOTONIC);
	E_INT("flags", TFD_CLOEXEC);
	X_INT("res", r);
	KT_CHECK(r >= 0, "timerfd_create: %ld", r);
	r = SC(SYS_timerfd_create, 99, 0);
	fam_call(me, KSCAP_EV_TIMERFD_CREATE_E, "timerfd_create(99, 0) = -EINVAL");
	E_INT("clockid", 99);
	X_INT("res", -EINVAL);

	/* Root may; a kernel without userfaultfd says ENOSYS: either way res is what we got. */
	r = SC(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	fam_call(me, KSCAP_EV_USERFAULTFD_E, "userfaultfd(O_CLOEXEC|O_NONBLOCK) = %ld", r);
	X_INT("res", r);
	X_INT("flags", ABI_USERFAULTFD_FLAGS_O_NONBLOCK | ABI_USERFAULTFD_FLAGS_O_CLOEXEC);
}

/* EACCES as an unprivileged user: a child that drops to nobody. */
static void unprivileged(void)
{
	pid_t pid = fork();
	long r;

	KT_CHECK(pid >= 0, "fork: %m");
	if (pid) {
		fam_wait(pid, 0, "the unprivileged child");
		return;
	}
	pid = kt_gettid();
	KT_CHECK(!SC(SYS_setresgid, 65534, 65534, 65534) && !SC(SYS_setresuid, 65534, 65534, 65534),
		 "dropping to nobody: %m");
#ifdef SYS_access
	r = SC(SYS_access, PSECRET, R_OK);
	fam_call(pid, KSCAP_EV_ACCESS_E, "access(secret (root 0600), R_OK) as nobody");
	E_INT("mode", ABI_ACCESS_FLAGS_R_OK);
	X_INT("res", -EACCES);
	X_STR("name", PSECRET);
	KT_CHECK(r == -EACCES, "access as nobody: %ld", r);
#endif
	r = OPEN(PSECRET, O_RDONLY, 0);
	KT_CHECK(r == -EACCES, "open as nobody: %ld", r);
	fam_call(pid, EV_OPEN, "open(secret, O_RDONLY) as nobody");
	X_INT("fd", -EACCES);
	X_STR("name", PSECRET);
	X_INT("flags", O(O_RDONLY));
	X_INT("dev", 0);
	_exit(0);
}

int main(void)
{
	struct fam f;

	me = kt_gettid();
	fam_init();
	setup();
	fam_begin(&f);
	opens();
	rw(&f);
	names();
	fdops();
	mounts();
	newfds();
	unprivileged();
	fam_end(&f);
	/* write(bad address): its data could not be read. */
	KT_CHECK(f.faults >= 1, "the module counted %llu user read faults, want >= 1",
		 (unsigned long long)f.faults);
	fam_verify(&f);
	kt_close(&f.d);
	return 0;
}
