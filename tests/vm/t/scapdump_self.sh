#!/bin/sh
# scapdump printing every event live leaves out its own (its writes of
# the lines would be captured and printed in turn) and counts them on
# its statistics line, while a workload's events are there; with
# --include-self its own are printed too.
. /kscap/t/lib.sh
T=/kscap/tools
[ -x $T/scapdump ] && [ -x $T/scapctl ] || kt_fail "scapdump/scapctl not in the initramfs"

# run NAME [OPTION]: scapdump printing everything for a moment while a
# shell loop writes; sets $dump (its pid) and $work (the loop's).
run() {
	$T/scapdump $2 >/tmp/self.$1.txt 2>/tmp/self.$1.err &
	dump=$!
	kt_wait_enabled 120 || kt_fail "$1: scapdump did not start capturing: $(cat /tmp/self.$1.err)"
	( n=0; while [ $n -lt 200 ]; do echo $n >/dev/null; n=$((n + 1)); done; sleep 1 ) &
	work=$!
	wait $work
	kill -INT $dump
	wait $dump || kt_fail "$1: scapdump: $(cat /tmp/self.$1.err)"
	echo "scapdump_self: $1: $(grep "events captured" /tmp/self.$1.err)"
}

kt_load
run default
grep -q " ($work) > write " /tmp/self.default.txt ||
	kt_fail "default: no write of the workload $work: $(head -n 3 /tmp/self.default.txt)"
own=$(grep -c " ($dump) " /tmp/self.default.txt)
[ "$own" -eq 0 ] || kt_fail "default: $own lines of scapdump $dump: $(grep " ($dump) " /tmp/self.default.txt | head -n 3)"
left=$(sed -n 's/.* \([0-9]*\) of scapdump itself left out$/\1/p' /tmp/self.default.err)
[ "${left:-0}" -gt 0 ] || kt_fail "default: nothing counted as left out: $(cat /tmp/self.default.err)"

run include --include-self
grep -q " ($work) > write " /tmp/self.include.txt ||
	kt_fail "include: no write of the workload $work"
grep -q " ($dump) > write " /tmp/self.include.txt ||
	kt_fail "--include-self: no write of scapdump $dump: $(tail -n 1 /tmp/self.include.err)"
grep -q "left out" /tmp/self.include.err && kt_fail "--include-self: $(cat /tmp/self.include.err)"
kt_unload
kt_pass "$left events of scapdump left out"
