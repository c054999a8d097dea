#!/bin/sh
# MASK_ALL while another CPU makes syscalls: nothing dropped as masked off.
. /kscap/t/lib.sh
kt_load
kt_prog maskload
kt_unload
kt_pass
