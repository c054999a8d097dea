#!/bin/sh
# Capture on and off in a loop under a syscall loop: whole enter/exit pairs.
# Single-threaded TCG: qemu 7.2's multi-threaded TCG can hang or trap in
# the kernel's live code patching when tracepoints are switched while
# another vCPU makes syscalls (seen here as an int3 oops on 6.12).
# kscapvm-boot: tcg=single
. /kscap/t/lib.sh
kt_load
kt_prog pairs
kt_unload
kt_pass
