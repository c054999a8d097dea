#!/bin/sh
# Capture fidelity (issue 12): calls recorded as the reference driver
# records them (dup2/dup3 through dup's row, ...), parameters checked.
. /kscap/t/lib.sh
kt_load
kt_prog fam_fid
kt_unload
kt_pass
