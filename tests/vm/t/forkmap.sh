#!/bin/sh
# A consumer that forks without exec: its child inherits no mapping, so
# the device can be opened again and the module unloaded once the
# consumer is gone. The program unloads the module.
. /kscap/t/lib.sh
kt_load
kt_prog forkmap
kt_loaded && kt_fail "forkmap: kscap still loaded after its rmmod"
kt_pass
