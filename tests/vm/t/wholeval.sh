#!/bin/sh
# A small ring: values are whole or their event is dropped and counted,
# never cut for want of room; cuts at the caps and faults are counted.
. /kscap/t/lib.sh
kt_load ring_size=16384
kt_prog wholeval 16384
kt_unload
kt_pass
