#!/bin/sh
# scapdump on the real module names what it can: a syscall without a scap
# code (rseq, which glibc makes at every program start) on both halves
# and as a summary row, and the kernel's restart code a poll interrupted
# by SIGSTOP/SIGCONT returns (ERESTART_RESTARTBLOCK), in text, JSON and
# the summary.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump ] && [ -x $T/scapctl ] || kt_fail "scapdump/scapctl not in the initramfs"

# arm64 has no poll (restart makes a ppoll: -ERESTARTNOHAND, 514) and
# numbers rseq 293: scapdump names arm64's numbers there.
case $(uname -m) in
aarch64) poll=ppoll restart='-514(ERESTARTNOHAND)' nr_rseq=293 ;;
*) poll=poll restart='-516(ERESTART_RESTARTBLOCK)' nr_rseq=334 ;;
esac
code=${restart#*(}
code=${code%)}

kt_load
$T/scapdump -w /tmp/sn.scap 2>/tmp/sn.err &
dump=$!
# Capture is on once scapdump has written the file's state (slow on the
# debug kernel): scapctl tells.
i=0
until $T/scapctl -j info 2>/dev/null | grep -q '"enabled":true'; do
	i=$((i + 1))
	[ $i -lt 300 ] || kt_fail "scapdump did not start capturing: $(cat /tmp/sn.err)"
	usleep 100000
done
child=$("$KT_BIN/restart") || kt_fail "restart: exit status $?"
sleep 1
kill -INT $dump
wait $dump || kt_fail "scapdump -w: $(cat /tmp/sn.err)"
kt_unload

$T/scapdump -r /tmp/sn.scap >/tmp/sn.txt || kt_fail "scapdump -r failed"
$T/scapdump -r /tmp/sn.scap -j >/tmp/sn.json || kt_fail "scapdump -r -j failed"
$T/scapdump -r /tmp/sn.scap --summary >/tmp/sn.sum || kt_fail "scapdump --summary failed"

grep -q "($child) < $poll res=$restart fds=" /tmp/sn.txt ||
	kt_fail "no '< $poll res=$restart' of $child: $(grep "($child)" /tmp/sn.txt | head -n 5)"
grep "\"tid\":$child," /tmp/sn.json | grep "\"dir\":\"<\",\"type\":\"$poll\"" |
	grep -q "\"ret\":${restart%%(*},\"error\":\"$code\"" ||
	kt_fail "JSON $poll exit of $child without $code"
grep -Eq " $poll +.*$code:[1-9]" /tmp/sn.sum ||
	kt_fail "summary $poll row without $code: $(grep " $poll " /tmp/sn.sum)"

ne=$(grep -c "\"dir\":\">\",\"type\":\"rseq\",\"params\":{\"ID\":0,\"nativeID\":$nr_rseq}" /tmp/sn.json)
nx=$(grep -c '"dir":"<","type":"rseq","params":{"ID":0' /tmp/sn.json)
[ "$ne" -gt 0 ] && [ "$ne" = "$nx" ] ||
	kt_fail "rseq: $ne enters, $nx exits named rseq; $(grep -c '"dir":"<","type":"syscall","params":{"ID":0' /tmp/sn.json) unnamed exits; $(cat /tmp/sn.err); $(grep -A1 '"type":"rseq","params":{"ID":0,"nativeID"' /tmp/sn.json | grep -v '"type":"rseq"' | head -c 600)"
grep -q "> rseq ID=0 nativeID=$nr_rseq\$" /tmp/sn.txt || kt_fail "no '> rseq ID=0 nativeID=$nr_rseq' line"
grep -Eq '< rseq ID=0( res=0)?$' /tmp/sn.txt || kt_fail "no '< rseq ID=0' line"
grep -Eq "^ +[0-9.]+ +[0-9.]+ +$nx +[0-9]+ .* rseq " /tmp/sn.sum ||
	kt_fail "summary: no rseq row of $nx calls: $(grep rseq /tmp/sn.sum)"
kt_pass
