#!/bin/sh
# Hostile system call arguments while capturing: events stay well formed
# and are cut only at the documented caps (progs/argabuse.c).
# KSCAP_ARGABUSE_SCALE (kernel command line) multiplies the rounds.
. /kscap/t/lib.sh
kt_load
kt_prog argabuse "${KSCAP_ARGABUSE_SCALE:-1}"
kt_unload
kt_pass
