#!/bin/sh
# 32-bit processes on x86_64: an i386 program's int $0x80 calls recorded
# as the x86_64 calls' events (socketcall and ipc by sub-call), execves
# across 32/64 bits as whole pairs, untranslatable calls counted.
. /kscap/t/lib.sh
kt_load
kt_prog fam_ia32
kt_unload
kt_pass
