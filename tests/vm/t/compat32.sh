#!/bin/sh
# 32-bit (AArch32) processes on arm64: their calls enter the tracepoints
# with ARM EABI numbers (64 is getppid there, write for arm64). None may be
# decoded as a native call: each is counted in compat_untranslated, and the
# capture holds no syscall event of the 32-bit process after its exec
# (its execve enter was made by the arm64 shell before the exec; its
# procexit is no syscall).
. /kscap/t/lib.sh
T=/kscap/tools
B32=/kscap/bin32/busybox
[ "$(uname -m)" = aarch64 ] || kt_skip "an arm64 test"
[ -x $B32 ] || kt_skip "no 32-bit busybox in the initramfs (busybox-static:armhf)"
$B32 true 2>/dev/null || kt_skip "this machine runs no AArch32 programs"

untranslated() {
	$T/scapctl -j stats | sed -n 's/.*"compat_untranslated":\([0-9]*\).*/\1/p'
}

kt_load
$T/scapdump -w /tmp/c32.scap 2>/tmp/c32.err &
dump=$!
i=0
until $T/scapctl -j info 2>/dev/null | grep -q '"enabled":true'; do
	i=$((i + 1))
	[ $i -lt 300 ] || kt_fail "scapdump did not start capturing: $(cat /tmp/c32.err)"
	usleep 100000
done
before=$(untranslated)
# ash reads $PPID with getppid(): EABI 64, arm64's write.
$B32 sh -c 'echo $$; echo ppid=$PPID; echo done' >/tmp/c32.out ||
	kt_fail "the 32-bit busybox failed"
after=$(untranslated)
sleep 1
kill -INT $dump
wait $dump || kt_fail "scapdump -w: $(cat /tmp/c32.err)"
kt_unload

pid=$(head -n 1 /tmp/c32.out)
grep -q "^ppid=$$\$" /tmp/c32.out || kt_fail "the 32-bit shell printed: $(cat /tmp/c32.out)"
[ -n "$before" ] && [ -n "$after" ] || kt_fail "no compat_untranslated in scapctl stats"
# execve's exit, brk, mmap2, getppid, write x3, exit_group...: both halves.
n=$((after - before))
[ $n -ge 10 ] || kt_fail "compat_untranslated grew by $n, want the 32-bit process's calls (>= 10)"
$T/scapdump -r /tmp/c32.scap -j >/tmp/c32.json || kt_fail "scapdump -r failed"
grep -q "\"tid\":$pid," /tmp/c32.json || kt_fail "no event of the 32-bit process ($pid) at all"
# The child is the arm64 shell's until its execve (native calls, named);
# from the execve on it is 32-bit.
bad=$(grep "\"tid\":$pid," /tmp/c32.json | awk '
	exec32 && !/"type":"(procexit|signaldeliver)"/ { print }
	/"dir":">","type":"execve"/ { exec32 = 1 }')
grep "\"tid\":$pid," /tmp/c32.json | grep -q '"dir":">","type":"execve"' ||
	kt_fail "no execve enter of the 32-bit process ($pid)"
[ -z "$bad" ] || kt_fail "events of the 32-bit process decoded as native calls: $(echo "$bad" | head -n 3 | cut -c1-300)"
kt_pass "$n calls counted"
