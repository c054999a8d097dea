#!/bin/sh
# Ring memory: none while no consumer has the device open, one ring per
# online CPU while one has, and a ring for a CPU brought online during
# capture; scapctl info shows it.
. /kscap/t/lib.sh
T=/kscap/tools
kt_load
$T/scapctl info >/tmp/mem.info || kt_fail "scapctl info failed"
grep -q '^ring memory *0 bytes' /tmp/mem.info || kt_fail "scapctl info without consumer: $(cat /tmp/mem.info)"
kt_prog nlraw mem
kt_unload
kt_pass
