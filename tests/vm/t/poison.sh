#!/bin/sh
# No uninitialised byte and no kernel address reaches a ring, the status
# area or a netlink reply: rings poisoned at allocation (debug_poison=1),
# a mixed workload captured and scanned (progs/poison.c).
. /kscap/t/lib.sh
kt_load debug_poison=1
kt_prog poison
kt_unload
kt_pass
