#!/bin/bash
# The project's demo: build everything, boot the 6.1 VM, load kscap.ko and
# let scapdump stream the events of a small workload (ls, cat, a TCP and
# UDP exchange on 127.0.0.1, a fork + exec) to this terminal.
#
#   tests/vm/demo.sh [--kernel 6.1|6.12|debug] [--timeout SECONDS]
#
# The console is also kept in build/vm/<release>/demo.log. Exit status 0
# if the demo ran to its end with a clean kernel log.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/vmlib.sh
. "$here/vmlib.sh"
repo=$KSCAP_REPO

kernel=6.1 timeout=300
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	-h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "demo: unknown argument '$1' (--help)" >&2; exit 2 ;;
	esac
done
die() { echo "demo: $*" >&2; exit 1; }

# scapdump (tools/, on libkscap in userlib/) goes into the initramfs.
# KSCAP_TOOLS_DIR points elsewhere (to try the demo with other builds).
tools=${KSCAP_TOOLS_DIR:-$repo/tools}
if [ -z "${KSCAP_TOOLS_DIR:-}" ] && [ -f "$repo/tools/Makefile" ]; then
	# Static, so the initramfs needs no shared libraries.
	make -s -C "$repo/tools" static >&2 || die "'make -C tools static' failed: scapdump does not build"
fi
[ -x "$tools/scapdump.static" ] || [ -x "$tools/scapdump" ] ||
	die "tools/scapdump is missing: the demo streams events with it. Build it with 'make tools' (tools/scapdump on libkscap, userlib/); it is not written yet if tools/Makefile does not exist."

vm_prepare "$kernel" || die "$VM_ERR"
log=$VM_DIR/demo.log
echo "demo: booting $KREL under qemu (TCG); console also in $log" >&2
# loglevel=5: the kernel's warnings and errors, not its boot chatter.
vm_boot "kscapvm.mode=demo loglevel=5" "$timeout" stdio 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
vm_release

grep -aq '^KSCAP-DEMO-OK' "$log" ||
	die "the demo did not finish (qemu status $rc$([ "$rc" = 124 ] && echo ", timed out after ${timeout}s")): $(grep -a '^KSCAP-DEMO-FAIL' "$log" | head -n 1)"
trouble=$(vm_kernel_trouble "$log")
[ -z "$trouble" ] || die "kernel trouble during the demo: $trouble (log: $log)"
echo "demo: done" >&2
