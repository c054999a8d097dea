#!/bin/sh
# A hostile consumer: random and hostile ioctls, mmaps, read/write, garbage
# in the consumer area while events flow, readers killed mid-read (see
# progs/abuse.c). KSCAP_ABUSE_SCALE multiplies the iterations (make stress).
. /kscap/t/lib.sh
kt_load ring_size=65536
kt_prog abuse "${KSCAP_ABUSE_SCALE:-1}"
kt_unload
kt_pass
