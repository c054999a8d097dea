#!/bin/sh
# Mapping permissions, exclusive open, privilege checks, and the module
# staying pinned while open or mapped. The program unloads the module.
. /kscap/t/lib.sh
kt_load
kt_prog perms
kt_loaded && kt_fail "perms: kscap still loaded after its final rmmod"
[ -e /dev/kscap ] && kt_fail "/dev/kscap left after rmmod"
kt_pass
