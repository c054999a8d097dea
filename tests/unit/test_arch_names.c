// SPDX-License-Identifier: MIT
/*
 * Syscall numbers are the architecture's: a capture file records the one
 * it was taken on (the machine block), and its generic events are named
 * with that numbering wherever it is read: an arm64 file on x86_64 and
 * the reverse. A file that does not say is x86_64. scapdump -L --arch
 * lists an architecture's syscalls and the rows none of them becomes.
 */
#include "test.h"
#include "capfile_util.h"
#include "cli_util.h"

#define ARM64_GETPPID	173
#define X86_GETPPID	110
#define SC_GETPPID	41	/* the scap code, the same on both */

static struct evb b;

static void restore_host_arch(void)
{
	assert_int_equal(kscap_set_syscall_arch(kscap_host_arch()), 0);
}

static void arch_names(void **state)
{
	assert_string_equal(kscap_arch_name(KSCAP_ARCH_X86_64), "x86_64");
	assert_string_equal(kscap_arch_name(KSCAP_ARCH_AARCH64), "arm64");
	assert_null(kscap_arch_name(3));
	assert_int_equal(kscap_arch_by_name("aarch64"), KSCAP_ARCH_AARCH64);
	assert_int_equal(kscap_arch_by_name("amd64"), KSCAP_ARCH_X86_64);
	assert_int_equal(kscap_arch_by_name("mips"), -EINVAL);
	assert_int_equal(kscap_set_syscall_arch(3), -EINVAL);
	assert_int_equal(kscap_syscall_arch(), kscap_host_arch());
}

static void numbers_by_arch(void **state)
{
	assert_string_equal(kscap_syscall_name_arch(KSCAP_ARCH_AARCH64, ARM64_GETPPID), "getppid");
	assert_string_equal(kscap_syscall_name_arch(KSCAP_ARCH_X86_64, X86_GETPPID), "getppid");
	/* 64 is write on arm64, getsockname's neighbour semget on x86_64 */
	assert_string_equal(kscap_syscall_name_arch(KSCAP_ARCH_AARCH64, 64), "write");
	assert_string_equal(kscap_syscall_name_arch(KSCAP_ARCH_X86_64, 64), "semget");
	/* arm64 has no open: no number, and its row is not reached */
	assert_int_equal(kscap_syscall_event_arch(KSCAP_ARCH_AARCH64, 2), KSCAP_EV_GENERIC_E);
	assert_int_equal(kscap_syscall_event_arch(KSCAP_ARCH_X86_64, 2), KSCAP_EV_OPEN_E);
	assert_int_equal(kscap_syscall_event_arch(KSCAP_ARCH_AARCH64, 56), KSCAP_EV_OPENAT_E);
	assert_int_equal(kscap_syscall_event_arch(KSCAP_ARCH_AARCH64, 250), -ENOENT);

	assert_int_equal(kscap_set_syscall_arch(KSCAP_ARCH_AARCH64), 0);
	assert_string_equal(kscap_syscall_name(ARM64_GETPPID), "getppid");
	assert_int_equal(kscap_syscall_by_name("getppid"), ARM64_GETPPID);
	assert_int_equal(kscap_syscall_by_name("open"), -ENOENT);
	assert_string_equal(kscap_syscall_code_name(SC_GETPPID), "getppid");
	restore_host_arch();
	assert_string_equal(kscap_syscall_name(X86_GETPPID), "getppid");
}

/* A capture of one getppid, taken on @arch (0: a file that does not say). */
static void write_getppid(const char *path, unsigned int arch, uint16_t nr)
{
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_writer *w;
	const uint8_t *raw;
	uint32_t len;

	if (arch)
		assert_int_equal(kscap_set_syscall_arch(arch), 0);
	assert_int_equal(kscap_writer_open(path, t, &w), 0);
	raw = ev_generic_e(&b, 1000, 7, SC_GETPPID, nr, &len);
	write_evt(w, raw, &len, 0);
	assert_int_equal(kscap_writer_close(w), 0);
	kscap_threads_free(t);
	restore_host_arch();
}

/* Overwrite the machine block's architecture record (offset from capfmt). */
static void zero_arch_record(const char *path)
{
	FILE *f = fopen(path, "r+b");
	uint8_t blk[8], zero[8] = { 0 };
	uint32_t type, len;
	long at = 0;

	assert_non_null(f);
	for (;;) {
		assert_int_equal(fseek(f, at, SEEK_SET), 0);
		assert_int_equal(fread(blk, 1, 8, f), 8);
		memcpy(&type, blk, 4);
		memcpy(&len, blk + 4, 4);
		if (type == 0x201)
			break;
		at += len;
	}
	assert_int_equal(fseek(f, at + 8 + 164, SEEK_SET), 0);
	assert_int_equal(fwrite(zero, 1, 8, f), 8);
	fclose(f);
}

static const char *name_in(const char *path, unsigned int *arch)
{
	static char name[64];
	struct kscap_reader *r;
	struct kscap_evt evt;
	unsigned int cpu;

	assert_int_equal(kscap_reader_open(path, &r), 0);
	*arch = kscap_reader_arch(r);
	assert_int_equal(kscap_reader_next(r, &evt, &cpu), 1);
	snprintf(name, sizeof(name), "%s", kscap_evt_name(&evt));
	kscap_reader_close(r);
	return name;
}

static void file_records_its_arch(void **state)
{
	char arm[128], x86[128];
	unsigned int arch;

	tmp_name(arm, sizeof(arm), "arm64");
	tmp_name(x86, sizeof(x86), "x86");
	write_getppid(arm, KSCAP_ARCH_AARCH64, ARM64_GETPPID);
	write_getppid(x86, KSCAP_ARCH_X86_64, X86_GETPPID);
	/* read in either order, each file names its own numbers */
	assert_string_equal(name_in(arm, &arch), "getppid");
	assert_int_equal(arch, KSCAP_ARCH_AARCH64);
	assert_string_equal(name_in(x86, &arch), "getppid");
	assert_int_equal(arch, KSCAP_ARCH_X86_64);
	assert_string_equal(name_in(arm, &arch), "getppid");
	/* an arm64 number read with x86_64's table would be another call */
	assert_string_equal(kscap_syscall_name_arch(KSCAP_ARCH_X86_64, ARM64_GETPPID),
			    "ioperm");
	restore_host_arch();
	unlink(arm);
	unlink(x86);
}

static void silent_file_is_x86_64(void **state)
{
	char path[128];
	unsigned int arch;

	tmp_name(path, sizeof(path), "noarch");
	write_getppid(path, KSCAP_ARCH_AARCH64, X86_GETPPID);
	zero_arch_record(path);
	assert_string_equal(name_in(path, &arch), "getppid");
	assert_int_equal(arch, KSCAP_ARCH_X86_64);
	restore_host_arch();
	unlink(path);
}

static void scapdump_reads_both(void **state)
{
	char arm[128], x86[128];
	struct cli c;

	tmp_name(arm, sizeof(arm), "arm64-cli");
	tmp_name(x86, sizeof(x86), "x86-cli");
	write_getppid(arm, KSCAP_ARCH_AARCH64, ARM64_GETPPID);
	write_getppid(x86, KSCAP_ARCH_X86_64, X86_GETPPID);
	cli_runf(&c, "$SCAPDUMP -r %s; $SCAPDUMP -r %s", arm, x86);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out_lines, 2);
	assert_non_null(strstr(c.out, "> getppid"));
	assert_null(strstr(c.out, "ioperm"));
	cli_free(&c);
	/* --arch overrides the file's record */
	cli_runf(&c, "$SCAPDUMP --arch x86_64 -r %s", arm);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "> ioperm"));
	cli_free(&c);
	unlink(arm);
	unlink(x86);
}

static void list_by_arch(void **state)
{
	struct cli c;

	cli_run(&c, "$SCAPDUMP -L --arch arm64");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "\n56 openat openat\n"));
	assert_non_null(strstr(c.out, "\n173 getppid generic\n"));
	assert_non_null(strstr(c.out, "\n220 clone clone\n"));
	assert_non_null(strstr(c.out, "\n- - open\n"));
	assert_non_null(strstr(c.out, "\n- - vfork\n"));
	assert_int_equal(c.out_lines, 318 + 18);
	cli_free(&c);
	cli_run(&c, "$SCAPDUMP -L --arch x86_64");
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "\n2 open open\n"));
	assert_non_null(strstr(c.out, "\n110 getppid generic\n"));
	assert_null(strstr(c.out, "- - "));
	cli_free(&c);
	cli_run(&c, "$SCAPDUMP -L --arch sparc");
	assert_int_equal(c.status, 2);
	assert_non_null(strstr(c.err, "unknown architecture 'sparc'"));
	cli_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arch_names),
		cmocka_unit_test(numbers_by_arch),
		cmocka_unit_test(file_records_its_arch),
		cmocka_unit_test(silent_file_is_x86_64),
		cmocka_unit_test(scapdump_reads_both),
		cmocka_unit_test(list_by_arch),
	};

	return RUN(tests);
}
