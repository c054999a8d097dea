#!/bin/sh
# scapdump --top live on the real module, its output a file (not a
# terminal): a plain table every second, the -c filter applied, and the
# opens of 20 processes of files that do not exist counted as 20
# errors, ENOENT each.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump ] || kt_fail "scapdump not in the initramfs"

# cat run by its path: by its name, the shell may run its own applet in
# its own process, whose command stays "sh".
mkdir -p /tmp/topbin && ln -sf /bin/busybox /tmp/topbin/cat

kt_load
$T/scapdump --top -c cat >/tmp/top.txt 2>/tmp/top.err &
dump=$!
kt_wait_enabled
i=0
while [ $i -lt 20 ]; do
	/tmp/topbin/cat /nonexistent-$i 2>/dev/null
	i=$((i + 1))
done
sleep 3
kill -INT $dump
wait $dump || kt_fail "scapdump --top: $(cat /tmp/top.err)"
kt_unload

n=$(grep -c '^SYSCALL' /tmp/top.txt)
[ "$n" -ge 3 ] || kt_fail "$n tables in 3 s: $(head -n 5 /tmp/top.txt)"
# the last table: the open row with 20 errors, all ENOENT
last=$(awk '/^--- / { t = "" } { t = t $0 "\n" } END { printf "%s", t }' /tmp/top.txt)
echo "$last" | grep -Eq '^open(at)? +FS +[0-9]+ +20 .*ENOENT:20' ||
	kt_fail "no open row with 20 ENOENT errors: $(echo "$last" | head -n 40 | cut -c1-110)"
# only cat's calls: no scapdump-only syscall (scapdump polls, busybox cat does not)
echo "$last" | grep -Eq '^(poll|ppoll) ' && kt_fail "-c cat let other commands through: $(echo "$last" | grep poll)"
kt_pass
