// SPDX-License-Identifier: MIT
/* Formatting every parameter type, as text and as JSON. */
#include <arpa/inet.h>
#include "test.h"
#include "evbuild.h"
#include "internal.h"

static struct kscap_event_info other_info = {
	.name = "test", .category = KSCAP_CAT_OTHER, .nparams = 1,
};
static struct kscap_event_info proc_info = {
	.name = "test", .category = KSCAP_CAT_PROCESS, .nparams = 1,
};
static char out[1024];
static int last_rc;

/* Format one parameter of the given type from raw bytes. */
static const char *fmt_in(const struct kscap_event_info *info, const char *name,
			  unsigned int type, unsigned int pf, unsigned int aux,
			  const void *v, size_t len, unsigned int flags)
{
	struct kscap_evt evt;

	memset(&evt, 0, sizeof(evt));
	evt.info = info;
	evt.nparams = 1;
	evt.params[0].name = name;
	evt.params[0].val = v;
	evt.params[0].len = (uint16_t)len;
	evt.params[0].type = (uint8_t)type;
	evt.params[0].fmt = (uint8_t)pf;
	evt.params[0].aux = (uint8_t)aux;
	last_rc = kscap_param_format(&evt, 0, out, sizeof(out), flags);
	return out;
}

#define TXT(type, pf, aux, v, len) fmt_in(&other_info, "p", type, pf, aux, v, len, 0)
#define JSN(type, pf, aux, v, len) fmt_in(&other_info, "p", type, pf, aux, v, len, KSCAP_FMT_JSON)

static void integers(void **state)
{
	int8_t i8 = -5;
	uint8_t u8 = 200;
	int16_t i16 = -300;
	uint16_t u16 = 65535;
	int32_t i32 = -70000;
	uint32_t u32 = 4000000000U, hex = 0x803, oct = 0644, zero = 0;
	int64_t i64 = -1;
	uint64_t u64 = UINT64_MAX;

	assert_string_equal(TXT(KSCAP_PT_INT8, KSCAP_PF_DEC, 0, &i8, 1), "-5");
	assert_string_equal(TXT(KSCAP_PT_UINT8, KSCAP_PF_DEC, 0, &u8, 1), "200");
	assert_string_equal(TXT(KSCAP_PT_INT16, KSCAP_PF_DEC, 0, &i16, 2), "-300");
	assert_string_equal(TXT(KSCAP_PT_UINT16, KSCAP_PF_DEC, 0, &u16, 2), "65535");
	assert_string_equal(TXT(KSCAP_PT_INT32, KSCAP_PF_DEC, 0, &i32, 4), "-70000");
	assert_string_equal(TXT(KSCAP_PT_UINT32, KSCAP_PF_DEC, 0, &u32, 4), "4000000000");
	assert_string_equal(TXT(KSCAP_PT_INT64, KSCAP_PF_DEC, 0, &i64, 8), "-1");
	assert_string_equal(TXT(KSCAP_PT_UINT64, KSCAP_PF_DEC, 0, &u64, 8),
			    "18446744073709551615");
	assert_string_equal(TXT(KSCAP_PT_UINT32, KSCAP_PF_HEX, 0, &hex, 4), "0x803");
	assert_string_equal(TXT(KSCAP_PT_UINT32, KSCAP_PF_OCT, 0, &oct, 4), "0644");
	assert_string_equal(TXT(KSCAP_PT_UINT32, KSCAP_PF_OCT, 0, &zero, 4), "0");
	/* JSON: always plain numbers */
	assert_string_equal(JSN(KSCAP_PT_UINT32, KSCAP_PF_HEX, 0, &hex, 4), "2051");
	assert_string_equal(JSN(KSCAP_PT_INT16, KSCAP_PF_DEC, 0, &i16, 2), "-300");
	assert_string_equal(JSN(KSCAP_PT_UINT64, KSCAP_PF_DEC, 0, &u64, 8),
			    "18446744073709551615");
	assert_int_equal(last_rc, 20);
}

static void errno_fd_pid(void **state)
{
	int64_t enoent = -2, ok = 0, fd = 3, cwd = -100, badfd = -9, pid = 1234;

	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &enoent, 8), "-2(ENOENT)");
	assert_string_equal(JSN(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &enoent, 8), "-2");
	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &ok, 8), "0");
	assert_string_equal(TXT(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &fd, 8), "3");
	assert_string_equal(TXT(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &cwd, 8), "AT_FDCWD");
	assert_string_equal(JSN(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &cwd, 8), "-100");
	assert_string_equal(TXT(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &badfd, 8), "-9(EBADF)");
	assert_string_equal(TXT(KSCAP_PT_PID, KSCAP_PF_DEC, 0, &pid, 8), "1234");
}

/*
 * Results far outside the errno range are numbers only. Negating INT64_MIN
 * (or INT32_MIN, once cut to int) to look up a name was undefined
 * behaviour: UBSan stops this test before the fix.
 */
static void errno_extremes(void **state)
{
	int64_t min64 = INT64_MIN, min32 = INT32_MIN, big = -4096, max = -4095;
	int32_t min32_fd = INT32_MIN;

	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &min64, 8),
			    "-9223372036854775808");
	assert_int_equal(last_rc, 20);
	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &min32, 8), "-2147483648");
	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &big, 8), "-4096");
	/* Still named if the C library has a name, never crashing if not. */
	assert_non_null(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &max, 8));
	assert_string_equal(TXT(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &min64, 8), "-9223372036854775808");
	assert_string_equal(TXT(KSCAP_PT_INT32, KSCAP_PF_DEC, 0, &min32_fd, 4), "-2147483648");
	assert_null(kscap_errno_name(INT32_MIN));
	assert_null(kscap_errno_name(0));
	assert_string_equal(kscap_errno_name(-2), "ENOENT");
	assert_string_equal(kscap_errno_name(2), "ENOENT");
}

static void strings_and_paths(void **state)
{
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "hello", 6), "hello");
	assert_string_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "hello", 6), "\"hello\"");
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "a\nb\x01", 5), "a\\nb\\x01");
	assert_string_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "q\"\\", 4), "\"q\\\"\\\\\"");
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "", 0), "NULL");
	assert_string_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "", 0), "null");
	/* no NUL inside the value: only its bytes are read */
	assert_string_equal(TXT(KSCAP_PT_FSPATH, 0, 0, "/etc/passwdXXXX", 11), "/etc/passwd");
	assert_string_equal(TXT(KSCAP_PT_FSRELPATH, 0, KSCAP_AUX_DIRFD1, "rel/x", 6), "rel/x");
	assert_string_equal(JSN(KSCAP_PT_FSPATH, 0, 0, "/tmp/a b", 9), "\"/tmp/a b\"");
}

static void byte_buffers(void **state)
{
	static const char data[] = "hi\0there\x01\xff";

	assert_string_equal(TXT(KSCAP_PT_BYTEBUF, 0, 0, data, 10), "hi\\0there\\x01\\xff");
	assert_string_equal(JSN(KSCAP_PT_BYTEBUF, 0, 0, data, 10),
			    "\"hi\\u0000there\\u0001\\udcff\"");
	assert_string_equal(TXT(KSCAP_PT_BYTEBUF, 0, 0, "", 0), "");
	assert_string_equal(JSN(KSCAP_PT_BYTEBUF, 0, 0, "", 0), "\"\"");
}

/* UTF-8 passes through; what is not UTF-8 gets an escape no character has. */
static void utf8_and_escapes(void **state)
{
	char buf[128];

	/* é, €, U+1F600: well-formed, as they are */
	assert_string_equal(JSN(KSCAP_PT_FSPATH, 0, 0, "/tmp/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 15),
			    "\"/tmp/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	assert_string_equal(TXT(KSCAP_PT_FSPATH, 0, 0, "/tmp/\xc3\xa9", 8), "/tmp/\xc3\xa9");
	/* Latin-1 é, a stray continuation byte, an overlong '/', a surrogate,
	 * a cut sequence: bytes, not text */
	assert_string_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "\xe9|\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82", 14),
			    "\"\\udce9|\\udc80|\\udcc0\\udcaf|\\udced\\udca0\\udc80|\\udce2\\udc82\"");
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "\xe9|\xc0\xaf", 5),
			    "\\xe9|\\xc0\\xaf");
	/* U+00E9 written as an escape is not the byte 0xe9 */
	assert_string_not_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "\xe9", 2), "\"\\u00e9\"");
	/* text: a backslash is doubled, so a literal \t differs from a TAB;
	 * an ESC and a C1 CSI (U+009B) do not reach the terminal */
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "a\\tb\tc", 7), "a\\\\tb\\tc");
	assert_string_equal(TXT(KSCAP_PT_CHARBUF, 0, 0, "\x1b[2J\xc2\x9b", 7),
			    "\\x1b[2J\\xc2\\x9b");
	assert_string_equal(JSN(KSCAP_PT_CHARBUF, 0, 0, "\x1b\x7f", 3), "\"\\u001b\\u007f\"");
	/* the same escapes for anyone's strings */
	assert_int_equal(kscap_str_format("x\xff\\", 3, buf, sizeof(buf), KSCAP_FMT_JSON), 11);
	assert_string_equal(buf, "\"x\\udcff\\\\\"");
	assert_int_equal(kscap_str_format("x\0y", 3, buf, sizeof(buf), 0), 4);
	assert_string_equal(buf, "x\\0y");
}

/* An errno beyond the int range is a number, not an errno cut to 32 bits. */
static void errno_out_of_int_range(void **state)
{
	int64_t big = -4294967298LL, neg = -5000, min = INT64_MIN;

	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &big, 8), "-4294967298");
	assert_string_equal(TXT(KSCAP_PT_FD, KSCAP_PF_DEC, 0, &big, 8), "-4294967298");
	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &neg, 8), "-5000");
	assert_string_equal(TXT(KSCAP_PT_ERRNO, KSCAP_PF_DEC, 0, &min, 8),
			    "-9223372036854775808");
}

static void argument_arrays(void **state)
{
	static const char args[] = "-l\0/tmp/a b";	/* no final NUL: still 2 */

	assert_string_equal(fmt_in(&proc_info, "args", KSCAP_PT_BYTEBUF, 0, 0, args,
				   sizeof(args) - 1, 0), "[-l /tmp/a b]");
	assert_string_equal(fmt_in(&proc_info, "args", KSCAP_PT_BYTEBUF, 0, 0, args,
				   sizeof(args), KSCAP_FMT_JSON), "[\"-l\",\"/tmp/a b\"]");
	assert_string_equal(fmt_in(&proc_info, "env", KSCAP_PT_BYTEBUF, 0, 0, "A=1\0B=2", 8,
				   KSCAP_FMT_JSON), "[\"A=1\",\"B=2\"]");
	assert_string_equal(fmt_in(&proc_info, "args", KSCAP_PT_BYTEBUF, 0, 0, "", 0,
				   KSCAP_FMT_JSON), "[]");
	/* the same bytes in a data buffer are data */
	assert_string_equal(fmt_in(&other_info, "args", KSCAP_PT_BYTEBUF, 0, 0, "a\0b", 3, 0),
			    "a\\0b");
	assert_string_equal(TXT(KSCAP_PT_CHARBUFARRAY, 0, 0, "a\0b\0", 4), "[a b]");
	assert_string_equal(JSN(KSCAP_PT_CHARBUFARRAY, 0, 0, "a\0b\0", 4), "[\"a\",\"b\"]");
	assert_string_equal(TXT(KSCAP_PT_CHARBUF_PAIR_ARRAY, 0, 0, "k\0v\0k2\0v2\0", 10),
			    "[k=v k2=v2]");
	assert_string_equal(JSN(KSCAP_PT_CHARBUF_PAIR_ARRAY, 0, 0, "k\0v\0k2\0v2\0", 10),
			    "{\"k\":\"v\",\"k2\":\"v2\"}");
	/* a key without a value */
	assert_string_equal(TXT(KSCAP_PT_CHARBUF_PAIR_ARRAY, 0, 0, "k\0v\0k2", 6), "<invalid>");
	assert_int_equal(last_rc, -EBADMSG);
}

/* family byte, then addresses and ports as the scap ABI lays them out */
static size_t inet_tuple(uint8_t *b, const char *sip, uint16_t sport, const char *dip,
			 uint16_t dport)
{
	b[0] = 2;
	inet_pton(AF_INET, sip, b + 1);
	memcpy(b + 5, &sport, 2);
	inet_pton(AF_INET, dip, b + 7);
	memcpy(b + 11, &dport, 2);
	return 13;
}

static void socket_addresses(void **state)
{
	uint8_t b[64];
	uint16_t port = 80;
	uint64_t k1 = 0xffff888100000001ULL, k2 = 0xffff888100000002ULL;

	b[0] = 2;
	inet_pton(AF_INET, "10.0.0.1", b + 1);
	memcpy(b + 5, &port, 2);
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 7), "10.0.0.1:80");
	assert_string_equal(JSN(KSCAP_PT_SOCKADDR, 0, 0, b, 7), "\"10.0.0.1:80\"");
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 6), "<invalid>");
	b[0] = 10;
	inet_pton(AF_INET6, "::1", b + 1);
	port = 443;
	memcpy(b + 17, &port, 2);
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 19), "[::1]:443");
	b[0] = 1;
	memcpy(b + 1, "/run/x.sock", 12);
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 13), "/run/x.sock");
	assert_string_equal(JSN(KSCAP_PT_SOCKADDR, 0, 0, b, 13), "\"/run/x.sock\"");
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 0), "NULL");
	b[0] = 99;
	assert_string_equal(TXT(KSCAP_PT_SOCKADDR, 0, 0, b, 3), "family 99");

	assert_string_equal(TXT(KSCAP_PT_SOCKTUPLE, 0, 0, b,
				inet_tuple(b, "127.0.0.1", 5000, "127.0.0.1", 6000)),
			    "127.0.0.1:5000->127.0.0.1:6000");
	assert_string_equal(JSN(KSCAP_PT_SOCKTUPLE, 0, 0, b, 13),
			    "\"127.0.0.1:5000->127.0.0.1:6000\"");
	assert_string_equal(TXT(KSCAP_PT_SOCKTUPLE, 0, 0, b, 12), "<invalid>");
	b[0] = 10;
	inet_pton(AF_INET6, "::1", b + 1);
	port = 5000;
	memcpy(b + 17, &port, 2);
	inet_pton(AF_INET6, "2001:db8::1", b + 19);
	port = 6000;
	memcpy(b + 35, &port, 2);
	assert_string_equal(TXT(KSCAP_PT_SOCKTUPLE, 0, 0, b, 37),
			    "[::1]:5000->[2001:db8::1]:6000");
	b[0] = 1;
	memcpy(b + 1, &k1, 8);
	memcpy(b + 9, &k2, 8);
	memcpy(b + 17, "/tmp/s", 7);
	assert_string_equal(TXT(KSCAP_PT_SOCKTUPLE, 0, 0, b, 24),
			    "ffff888100000001->ffff888100000002 /tmp/s");
	assert_string_equal(JSN(KSCAP_PT_SOCKTUPLE, 0, 0, b, 24),
			    "\"ffff888100000001->ffff888100000002 /tmp/s\"");
	assert_string_equal(TXT(KSCAP_PT_SOCKTUPLE, 0, 0, b, 16), "<invalid>");
}

static void fd_lists(void **state)
{
	uint8_t b[2 + 2 * 10];
	uint16_t n = 2, f1 = 1, f2 = 1 | 4;
	int64_t fd1 = 3, fd2 = 4;

	memcpy(b, &n, 2);
	memcpy(b + 2, &fd1, 8);
	memcpy(b + 10, &f1, 2);
	memcpy(b + 12, &fd2, 8);
	memcpy(b + 20, &f2, 2);
	assert_string_equal(TXT(KSCAP_PT_FDLIST, 0, 0, b, sizeof(b)), "[3:IN 4:IN|OUT]");
	assert_string_equal(JSN(KSCAP_PT_FDLIST, 0, 0, b, sizeof(b)),
			    "[{\"fd\":3,\"events\":\"IN\"},{\"fd\":4,\"events\":\"IN|OUT\"}]");
	assert_string_equal(TXT(KSCAP_PT_FDLIST, 0, 0, b, sizeof(b) - 1), "<invalid>");
	n = 0;
	memcpy(b, &n, 2);
	assert_string_equal(TXT(KSCAP_PT_FDLIST, 0, 0, b, 2), "[]");
}

static void numbers_with_meaning(void **state)
{
	uint16_t code = 3, port = 8080;
	uint8_t sig = 9, proto = 6, fam = 2;
	uint64_t rel = 1500, abs_ts = 1000000001ULL;
	uint32_t yes = 1, uid = 1000, set = 5;
	double d = 1.5;

	assert_string_equal(TXT(KSCAP_PT_SYSCALLID, 0, 0, &code, 2), "read");
	assert_string_equal(JSN(KSCAP_PT_SYSCALLID, 0, 0, &code, 2), "\"read\"");
	assert_string_equal(TXT(KSCAP_PT_SIGTYPE, 0, 0, &sig, 1), "9(SIGKILL)");
	assert_string_equal(JSN(KSCAP_PT_SIGTYPE, 0, 0, &sig, 1), "\"SIGKILL\"");
	assert_string_equal(TXT(KSCAP_PT_RELTIME, 0, 0, &rel, 8), "1500");
	assert_string_equal(TXT(KSCAP_PT_ABSTIME, 0, 0, &abs_ts, 8),
			    "1970-01-01T00:00:01.000000001Z");
	assert_string_equal(JSN(KSCAP_PT_ABSTIME, 0, 0, &abs_ts, 8), "1000000001");
	assert_string_equal(TXT(KSCAP_PT_PORT, 0, 0, &port, 2), "8080");
	assert_string_equal(TXT(KSCAP_PT_L4PROTO, 0, 0, &proto, 1), "6");
	assert_string_equal(TXT(KSCAP_PT_SOCKFAMILY, 0, 0, &fam, 1), "AF_INET");
	assert_string_equal(TXT(KSCAP_PT_BOOL, 0, 0, &yes, 4), "true");
	assert_string_equal(JSN(KSCAP_PT_BOOL, 0, 0, &yes, 4), "true");
	assert_string_equal(TXT(KSCAP_PT_UID, 0, 0, &uid, 4), "1000");
	assert_string_equal(TXT(KSCAP_PT_GID, 0, 0, &uid, 4), "1000");
	assert_string_equal(TXT(KSCAP_PT_SIGSET, 0, 0, &set, 4), "0x5");
	assert_string_equal(JSN(KSCAP_PT_SIGSET, 0, 0, &set, 4), "5");
	assert_string_equal(TXT(KSCAP_PT_DOUBLE, 0, 0, &d, 8), "1.5");
	assert_string_equal(TXT(KSCAP_PT_DOUBLE, 0, 0, &d, 4), "<invalid>");
	assert_string_equal(TXT(KSCAP_PT_NONE, 0, 0, "", 0), "");
	assert_string_equal(JSN(KSCAP_PT_NONE, 0, 0, "", 0), "null");
}

static void ip_addresses(void **state)
{
	uint8_t b[32];

	inet_pton(AF_INET, "192.168.1.1", b);
	assert_string_equal(TXT(KSCAP_PT_IPV4ADDR, 0, 0, b, 4), "192.168.1.1");
	assert_string_equal(JSN(KSCAP_PT_IPV4ADDR, 0, 0, b, 4), "\"192.168.1.1\"");
	assert_string_equal(TXT(KSCAP_PT_IPADDR, 0, 0, b, 4), "192.168.1.1");
	assert_string_equal(TXT(KSCAP_PT_IPV4ADDR, 0, 0, b, 5), "<invalid>");
	inet_pton(AF_INET, "255.0.0.0", b + 4);
	assert_string_equal(TXT(KSCAP_PT_IPV4NET, 0, 0, b, 8), "192.168.1.1/255.0.0.0");
	inet_pton(AF_INET6, "fe80::1", b);
	assert_string_equal(TXT(KSCAP_PT_IPV6ADDR, 0, 0, b, 16), "fe80::1");
	assert_string_equal(TXT(KSCAP_PT_IPADDR, 0, 0, b, 16), "fe80::1");
	inet_pton(AF_INET6, "ffff::", b + 16);
	assert_string_equal(TXT(KSCAP_PT_IPV6NET, 0, 0, b, 32), "fe80::1/ffff::");
	assert_string_equal(TXT(KSCAP_PT_IPNET, 0, 0, b, 32), "fe80::1/ffff::");
	assert_string_equal(TXT(KSCAP_PT_IPNET, 0, 0, b, 7), "<invalid>");
}

static void dynamic_params(void **state)
{
	uint8_t b[16];
	uint32_t v32 = 5;
	int64_t err = -11, fd = 7;

	b[0] = 2;	/* sockopt: UINT32 */
	memcpy(b + 1, &v32, 4);
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_SOCKOPT_DYNAMIC_PARAM, b, 5), "5");
	b[0] = 1;	/* sockopt: ERRNO */
	memcpy(b + 1, &err, 8);
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_SOCKOPT_DYNAMIC_PARAM, b, 9),
			    "-11(EAGAIN)");
	b[0] = 1;	/* ptrace: SIGTYPE */
	b[1] = 9;
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_PTRACE_DYNAMIC_PARAM, b, 2),
			    "9(SIGKILL)");
	b[0] = 0;	/* bpf: FD */
	memcpy(b + 1, &fd, 8);
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_BPF_DYNAMIC_PARAM, b, 9), "7");
	assert_string_equal(JSN(KSCAP_PT_DYN, 0, KSCAP_AUX_BPF_DYNAMIC_PARAM, b, 9), "7");
	/* an index the table has no row for, a value of the wrong size */
	b[0] = 9;
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_BPF_DYNAMIC_PARAM, b, 9), "<invalid>");
	b[0] = 2;
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_SOCKOPT_DYNAMIC_PARAM, b, 4),
			    "<invalid>");
	assert_string_equal(TXT(KSCAP_PT_DYN, 0, KSCAP_AUX_SOCKOPT_DYNAMIC_PARAM, b, 0),
			    "<invalid>");
}

static void flags(void **state)
{
	uint32_t v = (1U << 0) | (1U << 12);
	uint8_t whence = 1, bad_whence = 77;
	uint16_t futex = 1 | (1U << 7);

	assert_string_equal(TXT(KSCAP_PT_FLAGS32, KSCAP_PF_HEX, KSCAP_AUX_FILE_FLAGS, &v, 4),
			    "O_RDONLY|O_CLOEXEC");
	assert_string_equal(JSN(KSCAP_PT_FLAGS32, KSCAP_PF_HEX, KSCAP_AUX_FILE_FLAGS, &v, 4),
			    "\"O_RDONLY|O_CLOEXEC\"");
	v = 3;	/* O_RDWR, a row of two bits, wins over its parts */
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_FILE_FLAGS, &v, 4), "O_RDWR");
	v = 0;
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_FILE_FLAGS, &v, 4), "O_NONE");
	v = (1U << 1) | (1U << 30);	/* a bit without a name */
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_FILE_FLAGS, &v, 4),
			    "O_WRONLY|0x40000000");
	/* values, not bits */
	assert_string_equal(TXT(KSCAP_PT_FLAGS8, 0, KSCAP_AUX_LSEEK_WHENCE, &whence, 1), "SEEK_CUR");
	assert_string_equal(TXT(KSCAP_PT_FLAGS8, 0, KSCAP_AUX_LSEEK_WHENCE, &bad_whence, 1), "0x4d");
	/* a code and flags together */
	assert_string_equal(TXT(KSCAP_PT_FLAGS16, 0, KSCAP_AUX_FUTEX_OPERATIONS, &futex, 2),
			    "FUTEX_WAKE|FUTEX_PRIVATE_FLAG");
	/* no table: hex, and a number in JSON */
	v = 16;
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_NONE, &v, 4), "0x10");
	assert_string_equal(JSN(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_NONE, &v, 4), "16");
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_FILE_FLAGS, &v, 3), "<invalid>");
}

/* One table per aux kind plugs in, and the formatter uses it. */
static void flag_table_plugs_in(void **state)
{
	static const struct kscap_flag_name names[] = { { 1, "ONE" }, { 4, "FOUR" } };
	static const struct kscap_flag_table t = {
		.names = names, .count = 2, .kind = KSCAP_FLAG_KIND_BITS,
	};
	uint32_t v = 5;

	kscap__set_flag_table(KSCAP_AUX_SPLICE_FLAGS, &t);
	assert_string_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_SPLICE_FLAGS, &v, 4), "ONE|FOUR");
	kscap__set_flag_table(KSCAP_AUX_SPLICE_FLAGS, NULL);
	assert_string_not_equal(TXT(KSCAP_PT_FLAGS32, 0, KSCAP_AUX_SPLICE_FLAGS, &v, 4),
				"ONE|FOUR");
}

static void modes(void **state)
{
	uint32_t m = 0755;

	assert_string_equal(TXT(KSCAP_PT_MODE, 0, KSCAP_AUX_CHMOD_MODE, &m, 4),
			    "S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR");
	assert_string_equal(TXT(KSCAP_PT_MODE, 0, KSCAP_AUX_NONE, &m, 4), "0755");
}

static void wrong_sizes_are_invalid(void **state)
{
	uint8_t b[8] = { 0 };

	assert_string_equal(TXT(KSCAP_PT_INT32, 0, 0, b, 3), "<invalid>");
	assert_int_equal(last_rc, -EBADMSG);
	assert_non_null(strstr(kscap_last_error(), "malformed"));
	assert_string_equal(TXT(KSCAP_PT_UINT64, 0, 0, b, 0), "<invalid>");
	assert_string_equal(TXT(KSCAP_PT_ERRNO, 0, 0, b, 4), "<invalid>");
	assert_string_equal(JSN(KSCAP_PT_FD, 0, 0, b, 2), "\"<invalid>\"");
	assert_string_equal(TXT(KSCAP_PT_SIGTYPE, 0, 0, b, 2), "<invalid>");
	assert_string_equal(TXT(KSCAP_PT_SYSCALLID, 0, 0, b, 8), "<invalid>");
}

static void truncation_like_snprintf(void **state)
{
	struct kscap_evt evt;
	struct evb *b = malloc(sizeof(*b));
	uint32_t len;
	const uint8_t *raw = ev_open_x(b, 1, 1, 3, "/etc/passwd", &len);
	char small[4];

	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	assert_int_equal(kscap_param_format(&evt, 1, small, sizeof(small), 0), 11);
	assert_string_equal(small, "/et");
	assert_int_equal(kscap_param_format(&evt, 9, small, sizeof(small), 0), -EINVAL);
	free(b);
}

static void whole_events(void **state)
{
	struct kscap_evt evt;
	struct evb *b = malloc(sizeof(*b));
	uint32_t len;
	const uint8_t *raw = ev_open_x(b, 1, 1, 3, "/etc/passwd", &len);
	char buf[512];
	int n;

	assert_int_equal(kscap_evt_parse(raw, len, &evt), 0);
	n = kscap_evt_format(&evt, buf, sizeof(buf), 0);
	assert_string_equal(buf, "fd=3 name=/etc/passwd flags=O_RDONLY|O_CLOEXEC mode=0 dev=0x803");
	assert_int_equal(n, (int)strlen(buf));
	kscap_evt_format(&evt, buf, sizeof(buf), KSCAP_FMT_JSON);
	assert_string_equal(buf, "{\"fd\":3,\"name\":\"/etc/passwd\","
			    "\"flags\":\"O_RDONLY|O_CLOEXEC\",\"mode\":0,\"dev\":2051}");
	/* a malformed value does not hide the others */
	evt.params[0].len = 3;
	kscap_evt_format(&evt, buf, sizeof(buf), 0);
	assert_string_equal(buf, "fd=<invalid> name=/etc/passwd flags=O_RDONLY|O_CLOEXEC mode=0 dev=0x803");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(errno_fd_pid),
		cmocka_unit_test(errno_extremes),
		cmocka_unit_test(strings_and_paths),
		cmocka_unit_test(byte_buffers),
		cmocka_unit_test(utf8_and_escapes),
		cmocka_unit_test(errno_out_of_int_range),
		cmocka_unit_test(argument_arrays),
		cmocka_unit_test(socket_addresses),
		cmocka_unit_test(fd_lists),
		cmocka_unit_test(numbers_with_meaning),
		cmocka_unit_test(ip_addresses),
		cmocka_unit_test(dynamic_params),
		cmocka_unit_test(flags),
		cmocka_unit_test(flag_table_plugs_in),
		cmocka_unit_test(modes),
		cmocka_unit_test(wrong_sizes_are_invalid),
		cmocka_unit_test(truncation_like_snprintf),
		cmocka_unit_test(whole_events),
	};

	return RUN(tests);
}
