#!/bin/sh
# A thread scapdump's table does not know is looked up in /proc at first
# sight. With clone, fork, vfork and execve masked off from the side, the
# table cannot learn of a new process from events: the child restart
# forks (and that does not exec, so its comm is restart from its first
# event on) must still show its pid and comm, not null.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump ] && [ -x $T/scapctl ] || kt_fail "scapdump/scapctl not in the initramfs"

kt_load
$T/scapdump -j >/tmp/sl.json 2>/tmp/sl.err &
dump=$!
i=0
until $T/scapctl -j info 2>/dev/null | grep -q '"enabled":true'; do
	i=$((i + 1))
	[ $i -lt 300 ] || kt_fail "scapdump did not start capturing: $(cat /tmp/sl.err)"
	usleep 100000
done
$T/scapctl mask off clone,fork,vfork,execve || kt_fail "scapctl mask off failed"
"$KT_BIN/restart" 4000 >/tmp/sl.child &
parent=$!
wait $parent || kt_fail "restart: exit status $?"
child=$(cat /tmp/sl.child)
sleep 1
kill -INT $dump
wait $dump || kt_fail "scapdump: $(cat /tmp/sl.err)"
kt_unload

grep -q '"type":"execve"' /tmp/sl.json && grep "\"tid\":$parent," /tmp/sl.json |
	grep -q '"type":"execve"' && kt_fail "execve of $parent captured: the mask did not hold"
p=$child
grep -q "\"tid\":$p," /tmp/sl.json || kt_fail "no event of $p"
grep "\"tid\":$p," /tmp/sl.json | grep -q '"comm":null' &&
	kt_fail "$p shown with comm null: $(grep "\"tid\":$p," /tmp/sl.json | head -n 1)"
grep "\"tid\":$p," /tmp/sl.json | grep -vq "\"pid\":$p,\"tid\":$p,\"comm\":\"restart\"" &&
	kt_fail "$p not named restart: $(grep "\"tid\":$p," /tmp/sl.json |
		grep -v "\"pid\":$p,\"tid\":$p,\"comm\":\"restart\"" | head -n 3)"
kt_pass
