#!/bin/sh
# The misc families: poll/ppoll FDLISTs, kill/tkill/tgkill and
# signaldeliver, nanosleep, rlimits, SysV semaphores, ptrace and bpf DYN
# parameters, quotactl, switch and page_fault (opt-in). Then cpu_hotplug,
# reported as fam_misc_hotplug (SKIP where CPU 1 cannot go offline).
. /kscap/t/lib.sh
kt_load
kt_prog fam_misc
(
	KT_NAME=fam_misc_hotplug
	kt_prog fam_misc hotplug
	kt_pass
)
# A failed hotplug run unloads the module itself (kt_fail).
if kt_loaded; then
	kt_unload
fi
kt_pass
