#!/bin/sh
# A hostile consumer: random and hostile ioctls, mmaps, read/write, garbage
# in the consumer area while events flow, readers killed mid-read (see
# progs/abuse.c). KSCAP_ABUSE_SCALE (kernel command line) multiplies the
# iterations (make stress). It enables and disables capture while a child
# makes syscalls: single-threaded TCG (see tests/vm/run.sh).
# kscapvm-boot: tcg=single
. /kscap/t/lib.sh
kt_load ring_size=65536
kt_prog abuse "${KSCAP_ABUSE_SCALE:-1}"
kt_unload
kt_pass
