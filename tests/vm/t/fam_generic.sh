#!/bin/sh
# Syscalls without an event of their own: GENERIC_E with the scap code
# (ID) and the x86_64 number (nativeID), then GENERIC_X.
. /kscap/t/lib.sh
kt_load
kt_prog fam_generic
kt_unload
kt_pass
