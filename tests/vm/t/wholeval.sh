#!/bin/sh
# A small ring: values are whole or their event is dropped and counted,
# never cut for want of room; cuts at the caps and faults are counted,
# and scapctl stats shows the cuts (the counters stay until the next open).
. /kscap/t/lib.sh
T=/kscap/tools
kt_load ring_size=16384
kt_prog wholeval 16384
[ -x $T/scapctl ] || kt_fail "scapctl not in the initramfs"
out=$($T/scapctl -j stats) || kt_fail "scapctl -j stats failed"
n=$(echo "$out" | sed -n 's/^{"total":{[^}]*"truncated":\([0-9]*\).*/\1/p')
[ -n "$n" ] && [ "$n" -ge 4 ] || kt_fail "scapctl -j stats: total truncated '$n', want >= 4: $out"
$T/scapctl stats | grep -qw 'truncated' || kt_fail "scapctl stats: no truncated column"
kt_unload
kt_pass
