#!/bin/sh
# File-system syscalls decoded end to end: open/openat/creat, read/write
# and their p/v variants (BYTEBUF at the snaplen), lseek, close, stat,
# access, mkdir..rename..link..symlink, chdir/getcwd, chmod, dup, fcntl,
# flock, getdents, ioctl, sendfile, splice, chroot, mount/umount,
# inotify/eventfd/timerfd/userfaultfd: every parameter, failing calls too.
. /kscap/t/lib.sh
kt_load
kt_prog fam_files
kt_unload
kt_pass
