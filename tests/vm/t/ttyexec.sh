#!/bin/sh
# execve's tty under a controlling pty, while it is hung up, and after.
. /kscap/t/lib.sh
[ -e /dev/pts/ptmx ] || { mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; } ||
	kt_skip "cannot mount devpts"
kt_load
kt_prog ttyexec
kt_unload
kt_pass
