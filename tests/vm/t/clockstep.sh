#!/bin/sh
# The wall clock stepped by +1000 s during a capture: timestamps follow.
. /kscap/t/lib.sh
kt_load
kt_prog clockstep
kt_unload
kt_pass
