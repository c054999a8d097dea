# shellcheck shell=bash
# Sourced by tests/vm/run.sh and tests/vm/demo.sh: build the pieces a VM
# boot needs, boot it, and judge its console.

# shellcheck source=tests/vm/kernels.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"
VM_HERE=$KSCAP_REPO/tests/vm

# A stand-in module (KSCAP_MODULE_SRC, for testing this harness) builds
# somewhere else than the real one.
VM_BUILD=$KSCAP_REPO/build
[ -n "${KSCAP_MODULE_SRC:-}" ] && VM_BUILD=$KSCAP_REPO/build/selftest
# KSCAP_VM_ARCH=arm64 (run.sh --arch arm64): everything cross-built into
# build/arm64/, booted with qemu-system-aarch64.
VM_ARCH=${KSCAP_VM_ARCH:-x86_64}
VM_CROSS=
if [ "$VM_ARCH" = arm64 ]; then
	VM_BUILD=$KSCAP_REPO/build/arm64
	VM_CROSS=aarch64-linux-gnu-
	export KSCAP_TOOLS_DIR=${KSCAP_TOOLS_DIR:-$VM_BUILD/user/tools}
fi
VM_PROGS=$VM_BUILD/vm/progs

# Several runs may share a checkout (a developer and .ci/run, say): each
# holds a lock while it builds into or boots from a directory.
vm_lock() {	# FD FILE
	mkdir -p "$(dirname "$2")"
	eval "exec $1>\"\$2\""
	if ! flock -n "$1"; then
		echo "vm: waiting for another run to release $2" >&2
		flock "$1"
	fi
}

vm_build_progs() {
	local rc
	vm_lock 7 "$VM_BUILD/vm/progs.lock"
	if [ "$VM_ARCH" = arm64 ]; then
		make -s -C "$VM_HERE/progs" O="$VM_PROGS" ARCH=arm64 >&2 &&
			"$KSCAP_REPO/scripts/cross-arm64.sh" user >&2
		rc=$?
		exec 7>&-
		return $rc
	fi
	make -s -C "$VM_HERE/progs" O="$VM_PROGS" >&2
	rc=$?
	# The static tools too, unless told to use others: a stale
	# scapdump.static would otherwise be packed without a word.
	if [ $rc -eq 0 ] && [ -z "${KSCAP_TOOLS_DIR:-}" ]; then
		make -s -C "$KSCAP_REPO" lib >&2 && make -s -C "$KSCAP_REPO/tools" static >&2
		rc=$?
	fi
	exec 7>&-
	return $rc
}

# vm_prepare NAME: resolve kernel NAME (kscap_kernel), build kscap.ko for it
# into build/<release>/, the test programs, and the initramfs into
# build/vm/<release>/.
# Sets VM_DIR, VM_KO, VM_INITRD; on failure sets VM_ERR and returns 1.
# Takes the kernel's lock (fd 8) for good: vm_release gives it back once
# the caller is done with the boot and its log.
# shellcheck disable=SC2034 # VM_ERR is for the callers
# kscap.ko for the kernel kscap_kernel chose, cross-built for arm64.
vm_build_module() {
	if [ "$VM_ARCH" = arm64 ]; then
		KSCAP_DEBUG=${1:-} ARCH=arm64 CROSS_COMPILE=$VM_CROSS \
			"$KSCAP_REPO/scripts/build-module.sh" "$KDIR" "$VM_BUILD/$KREL"
	else
		KSCAP_DEBUG=${1:-} "$KSCAP_REPO/scripts/build-module.sh" "$KDIR" "$VM_BUILD/$KREL"
	fi
}

vm_prepare() {
	local debug=
	VM_ERR=
	# On the debug kernel the module checks each value's size against its
	# row's type too (KSCAP_DEBUG, Kbuild).
	[ "$1" = debug ] && debug=1
	kscap_kernel "$1" || { VM_ERR=$KERR; return 1; }
	VM_DIR=$VM_BUILD/vm/$KREL
	vm_lock 8 "$VM_BUILD/vm/$KREL.lock"
	mkdir -p "$VM_DIR"
	# KSCAP_VM_KO: boot with a module built elsewhere (DKMS's, tests/deb).
	if [ -n "${KSCAP_VM_KO:-}" ]; then
		VM_KO=$KSCAP_VM_KO
	elif ! VM_KO=$(vm_build_module "$debug" 2>"$VM_DIR/build.log"); then
		tail -n 30 "$VM_DIR/build.log" >&2
		VM_ERR="kscap.ko does not build against $KREL (log: $VM_DIR/build.log)"
		return 1
	fi
	# (Re)built per boot: test programs may be added while a run goes on.
	if ! vm_build_progs; then
		VM_ERR="the test programs do not build (make -C tests/vm/progs)"
		return 1
	fi
	VM_INITRD=$VM_DIR/initramfs.cpio.gz
	# arm64: a 32-bit busybox for t/compat32.sh, when apt can fetch it
	local bb32=
	if [ "$VM_ARCH" = arm64 ]; then
		bb32=$("$KSCAP_REPO/scripts/arm64-sysroot.sh" armhf 2>"$VM_DIR/armhf.log") &&
			bb32=$bb32/bin/busybox
	fi
	if ! KSCAP_VM_BUSYBOX=${KBUSYBOX:-} KSCAP_VM_BUSYBOX32=$bb32 \
		"$VM_HERE/mkinitramfs.sh" --ko "$VM_KO" \
		--progs "$VM_PROGS" --out "$VM_INITRD" >/dev/null; then
		VM_ERR="mkinitramfs failed"
		return 1
	fi
}

vm_release() {
	exec 8>&-
}

# vm_boot APPEND TIMEOUT SERIAL: boot the prepared kernel and initramfs.
# SERIAL is a qemu -serial backend (file:PATH, stdio). Returns qemu's exit
# status (124 on timeout).
#
# VM_SMP (default 2) vCPUs; VM_TCG=single (one host thread for all, the
# x86_64 default) or multi (one host thread per vCPU, arm64's default).
# qemu 7.2's multi-threaded x86 TCG can hang for good when the kernel
# live-patches a tracepoint's static branch while another vCPU runs
# through it (a vCPU loops on the INT3 of the patch site, the patching CPU
# waits in smp_call_function_many_cond; seen with the kernel's own
# raw_syscalls tracepoints switched through tracefs, no kscap loaded), or
# that vCPU meets an INT3 the kernel no longer expects and oopses: every
# tracepoint registration (each consumer's attach, a mask that adds the
# page-fault tracepoint) is a chance, and 3 boots of ~10 hit it on
# 2026-12-03 and one of three default boots again the next morning (a
# helper's run of 6.1, 6.12 and the debug kernel). Single-threaded
# TCG never did, and costs the tests' default boot about a third more
# time; tests that want vCPUs really in parallel ask for tcg=multi
# (tests/vm/run.sh, "kscapvm-boot:"). arm64 flips one instruction (a
# branch and a NOP, which its architecture lets other CPUs run through
# while it changes), no INT3 dance: never seen there.
# The emulator's text-patching race (see above), from a boot's console
# LOG. Registering a tracepoint patches kernel text (text_poke_bp: an int3
# on the site, the new bytes, the int3 removed, each step synchronised by
# an IPI); a vCPU running a stale translation of the site afterwards shows
# one of three ways:
#  - "Oops: int3": the kernel met an int3 it no longer expected;
#  - a vCPU trapping on the int3 (asm_exc_int3) while text_poke_bp_batch
#    waits for it forever;
#  - a CPU stuck, in a soft lockup or an RCU stall, on the very instruction
#    of a patch site (the Code line's marked byte starts a 2- or 5-byte
#    NOP, a jump or an int3: 66 90, 0f 1f 44 00 00, e9, eb, cc), seen in a
#    bench boot's syscall_trace_enter on 2026-12-03.
# kscap patches no text (no kprobes, no static keys of its own). Each form
# counts only if no kscap function is in the report's RIP or reliable
# frames ("? " marks a stale word of the stack); any other oops or hang is
# a failure. True: the boot may run again, once, saying so.
emulator_race() {	# LOG
	local rep
	if grep -aq 'Oops: int3' "$1"; then
		rep=$(sed -n '/Oops: int3/,/end trace/p' "$1")
	elif grep -aq 'RIP: 0010:asm_exc_int3' "$1" && grep -aq 'text_poke_bp_batch' "$1"; then
		return 0
	elif grep -aqE 'soft lockup|self-detected stall' "$1"; then
		rep=$(sed -n '/soft lockup\|self-detected stall/,/<\/TASK>/p' "$1" | sed '/<\/TASK>/q')
		grep -aqE 'Code: .*<(66> 90|0f> 1f 44 00 00|e9>|eb>|cc>)' <<<"$rep" || return 1
	else
		return 1
	fi
	! grep -aE 'RIP: 0010:|^\[[ 0-9.]*\]  [a-z_]' <<<"$rep" | grep -aq '\[kscap\]'
}

vm_boot() {
	[ "$VM_ARCH" = arm64 ] && { vm_boot_arm64 "$@"; return; }
	# TCG: no KVM on this host. -cpu max emulates SMEP/SMAP, so a stray
	# user access from the module faults here as it would on hardware.
	timeout -k 10 "$2" qemu-system-x86_64 \
		-nodefaults -no-reboot -display none -monitor none \
		-accel "tcg,thread=${VM_TCG:-single}" -cpu max -smp "${VM_SMP:-2}" -m 1024 \
		-kernel "$KIMAGE" -initrd "$VM_INITRD" \
		-append "console=ttyS0 panic=-1 loglevel=7 $1" \
		-serial "$3" </dev/null
}

# Debian's arm64 vmlinuz boots with -kernel, no firmware. pauth-impdef=on:
# QARMA5 pointer authentication is slow under TCG; the implementation
# defined algorithm boots about three times faster (6 s to /init).
vm_boot_arm64() {
	timeout -k 10 "$2" qemu-system-aarch64 \
		-nodefaults -no-reboot -display none -monitor none \
		-M virt -cpu max,pauth-impdef=on \
		-accel "tcg,thread=${VM_TCG:-multi}" -smp "${VM_SMP:-2}" -m 1024 \
		-kernel "$KIMAGE" -initrd "$VM_INITRD" \
		-append "console=ttyAMA0 panic=-1 loglevel=7 $1" \
		-serial "$3" </dev/null
}

# Kernel taint bits an out-of-tree, unsigned module (O=12, E=13) or a
# KUnit run (N=18) set: expected, not a failure.
VM_BENIGN_TAINT=$(( (1 << 12) | (1 << 13) | (1 << 18) ))

# vm_kernel_trouble LOG: print the first sign of a kernel problem in a
# console log (nothing if it is clean).
vm_kernel_trouble() {
	local log=$1 bad tb te
	# Reports anywhere on the console, boot included; not our own lines.
	bad=$(grep -aE -f "$VM_HERE/kernel-bad.re" "$log" | grep -av '^KSCAP-' | head -n 1)
	# Taint letters in a report's "Tainted:" field other than the
	# expected G (no proprietary module), O, E and N.
	[ -n "$bad" ] || bad=$(grep -aoE 'Tainted: [A-Z ]+ ' "$log" |
		awk '{ f = substr($0, 10); gsub(/[ GOEN]/, "", f); if (f != "") { print; exit } }')
	if [ -z "$bad" ]; then
		tb=$(sed -n 's/^KSCAP-TAINT-BOOT \([0-9]*\).*/\1/p' "$log" | head -n 1)
		te=$(sed -n 's/^KSCAP-TAINT-END \([0-9]*\).*/\1/p' "$log" | head -n 1)
		if [ -n "$tb" ] && [ -n "$te" ] && (( (te & ~tb & ~VM_BENIGN_TAINT) != 0 )); then
			bad="kernel taint went from $tb to $te"
		fi
	fi
	[ -z "$bad" ] || echo "${bad:0:200}"
}
