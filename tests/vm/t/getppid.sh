#!/bin/sh
# The capture core: N getppid() calls give exactly N generic enter and
# exit events, every ring well formed, counters consistent.
. /kscap/t/lib.sh
kt_load
kt_prog getppid
kt_unload
kt_pass
