#!/bin/sh
# Every new task (fork, vfork, clone, clone3, a thread) has exactly one
# clone exit of its own, res 0, with its ids and comm: from its return
# through sys_exit on x86_64, from sched_process_fork on arm64.
. /kscap/t/lib.sh
kt_load
kt_prog childexit
kt_unload
kt_pass
