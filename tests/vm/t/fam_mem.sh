#!/bin/sh
# Memory syscalls decoded end to end: brk, mmap (prot and flags in the
# ABI bits, fd, offset), munmap, with vm_size/vm_rss/vm_swap checked
# against /proc/self/status; mprotect as a generic event.
. /kscap/t/lib.sh
kt_load
kt_prog fam_mem
kt_unload
kt_pass
