#!/bin/sh
# IPC syscalls decoded end to end: pipe/pipe2 (fds, inode; a bad array
# gives fds -1 and inode 0), futex (address, op code and flags,
# value), eventfd/eventfd2 (initial value, flags).
. /kscap/t/lib.sh
kt_load
kt_prog fam_ipc
kt_unload
kt_pass
