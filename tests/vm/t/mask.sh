#!/bin/sh
# Event masks: MASK_UNSET/SET/ZERO/ALL on getppid's generic events.
. /kscap/t/lib.sh
kt_load
kt_prog mask
kt_unload
kt_pass
