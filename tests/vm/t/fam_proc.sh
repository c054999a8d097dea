#!/bin/sh
# Process syscalls decoded end to end: fork, vfork, clone, clone3 (both
# sides' exit events), execve with known argv/envp and a failing one,
# procexit statuses, setsid, setpgid, uid/gid calls, rlimits, unshare,
# setns, seccomp, kill. The arguments below are checked in the events.
. /kscap/t/lib.sh
kt_load
kt_prog fam_proc alpha "beta gamma"
kt_unload
kt_pass
