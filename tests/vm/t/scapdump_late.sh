#!/bin/sh
# A thread scapdump's table does not know is looked up in /proc at first
# sight. With clone, fork, vfork and execve masked off from the side, the
# table cannot learn of a new process from events: the child restart
# forks (and that does not exec, so its comm is restart from its first
# event on) must still show its pid and comm, not null. Live (-j), and
# through a file (-w, where events are copied from the rings undecoded,
# then -r -j): the file announces the thread among its events.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump ] && [ -x $T/scapctl ] || kt_fail "scapdump/scapctl not in the initramfs"

# late_child OUT ARGS...: scapdump ARGS >OUT while restart forks a child,
# clone and fork masked off; sets $parent and $child.
late_child() {
	out=$1
	shift
	$T/scapdump "$@" >"$out" 2>/tmp/sl.err &
	dump=$!
	i=0
	until $T/scapctl -j info 2>/dev/null | grep -q '"enabled":true'; do
		i=$((i + 1))
		[ $i -lt 300 ] || kt_fail "scapdump $* did not start capturing: $(cat /tmp/sl.err)"
		usleep 100000
	done
	$T/scapctl mask off clone,fork,vfork,execve || kt_fail "scapctl mask off failed"
	"$KT_BIN/restart" 4000 >/tmp/sl.child &
	parent=$!
	wait $parent || kt_fail "restart: exit status $?"
	child=$(cat /tmp/sl.child)
	sleep 1
	kill -INT $dump
	wait $dump || kt_fail "scapdump $*: $(cat /tmp/sl.err)"
}

# check JSON PARENT CHILD
check() {
	grep -q '"type":"execve"' "$1" && grep "\"tid\":$2," "$1" |
		grep -q '"type":"execve"' && kt_fail "$1: execve of $2 captured: the mask did not hold"
	p=$3
	grep -q "\"tid\":$p," "$1" || kt_fail "$1: no event of $p"
	grep "\"tid\":$p," "$1" | grep -q '"comm":null' &&
		kt_fail "$1: $p shown with comm null: $(grep "\"tid\":$p," "$1" | head -n 1)"
	grep "\"tid\":$p," "$1" | grep -vq "\"pid\":$p,\"tid\":$p,\"comm\":\"restart\"" &&
		kt_fail "$1: $p not named restart: $(grep "\"tid\":$p," "$1" |
			grep -v "\"pid\":$p,\"tid\":$p,\"comm\":\"restart\"" | head -n 3)"
}

kt_load
late_child /tmp/sl.json -j
check /tmp/sl.json "$parent" "$child"
late_child /dev/null -w /tmp/sl.scap
kt_unload
$T/scapdump -r /tmp/sl.scap -j >/tmp/slw.json 2>/tmp/slw.err ||
	kt_fail "scapdump -r: $(cat /tmp/slw.err)"
check /tmp/slw.json "$parent" "$child"
kt_pass
