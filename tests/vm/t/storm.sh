#!/bin/sh
# Load: a syscall storm on every vCPU with a slow consumer; per CPU hits ==
# written + dropped and read == written (progs/storm.c). 20 s here;
# KSCAP_STORM_SECONDS (kernel command line) for longer runs (make stress).
# Multi-threaded TCG: the producers and the consumer really run at once.
# kscapvm-boot: tcg=multi
. /kscap/t/lib.sh
kt_load ring_size=65536
kt_prog storm "${KSCAP_STORM_SECONDS:-20}" 20000
kt_unload
kt_pass
