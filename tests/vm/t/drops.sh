#!/bin/sh
# Full rings: exact drop accounting, intact events, and the reserve that
# keeps fork/execve/exit events coming when everything else is dropped.
. /kscap/t/lib.sh
kt_load ring_size=65536
kt_prog drops 65536
kt_unload
kt_pass
