#!/bin/sh
# insmod/rmmod: the device node appears with the right mode and goes away,
# module parameters shape the rings, and 20 load/unload cycles in a row
# leave a clean kernel log (init checks dmesg after every test).
. /kscap/t/lib.sh

kt_load
[ -c /dev/kscap ] || kt_fail "/dev/kscap is not a character device"
set -- $(stat -c '%a %u %g' /dev/kscap)
[ "$1" = 600 ] || kt_fail "/dev/kscap mode $1, want 600"
[ "$2 $3" = "0 0" ] || kt_fail "/dev/kscap owned by $2:$3, want 0:0"
# Defaults: 8 MiB rings, 1/16 of each kept for process-state events.
kt_prog geom --expect-ring 8388608 --expect-reserve 524288
kt_unload

kt_load ring_size=65536 reserve_div=8
kt_prog geom --expect-ring 65536 --expect-reserve 8192
kt_unload

# A ring size that is not a power of two must be refused, or rounded to
# one: never used as is.
rmmod kscap 2>/dev/null
if insmod "$KT_KO" ring_size=100000 2>/dev/null; then
	kt_prog geom --expect-pow2
	kt_unload
fi
kt_loaded && kt_fail "kscap loaded after a refused insmod"

i=0
while [ $i -lt 20 ]; do
	insmod "$KT_KO" || kt_fail "insmod #$i failed"
	[ -c /dev/kscap ] || kt_fail "insmod #$i: no /dev/kscap"
	rmmod kscap || kt_fail "rmmod #$i failed"
	i=$((i + 1))
done
kt_loaded && kt_fail "kscap loaded after 20 cycles"
[ -e /dev/kscap ] && kt_fail "/dev/kscap left after 20 cycles"
kt_pass
