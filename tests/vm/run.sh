#!/bin/bash
# End-to-end tests of kscap.ko in qemu (TCG): one boot per kernel runs
# every test of tests/vm/t/ and reports each as vm-<kernel>/<test>.
#
#   tests/vm/run.sh [--kernel 6.1|6.12|debug|all] [--only NAME[,NAME]]
#                   [--timeout SECONDS] [--cmdline 'extra kernel args']
#                   [--smp N] [--tcg multi|single] [--arch x86_64|arm64]
#
# A test script may ask for a boot of its own with a line
# "# kscapvm-boot: smp=N tcg=single|multi": the tests asking for the same
# get one boot between them, with N vCPUs (default 2, or --smp) and
# single- or multi-threaded TCG (default single on x86_64, multi on
# arm64, or --tcg). qemu 7.2's multi-threaded x86 TCG can hang or oops in
# the kernel's live code patching (see vm_boot in vmlib.sh); tests that
# need vCPUs running really in parallel (the storm) ask for tcg=multi, and
# a boot that died of that race boots again once (emulator_race, vmlib.sh).
# Results of such a boot as a whole are named vm-<kernel>/boot[smp=N,tcg=...]
# and .../kernel[...].
#
# --kernel all (the default) runs 6.1 and 6.12, plus the debug kernel of
# tests/kunit/build-kernel.sh when it has been built. Builds what is
# missing (module per kernel in build/<release>/, test programs, the
# initramfs), boots with a hard timeout and prints PASS:/FAIL:/SKIP:
# lines. Besides the tests' own results a boot fails (vm-<kernel>/kernel,
# vm-<kernel>/boot) if the console shows a kernel warning, BUG, oops,
# sanitizer or lockdep report, a new taint other than the O/E an
# out-of-tree unsigned module brings, or if the VM never reached the end.
#
# --arch arm64 boots Debian's arm64 cloud kernels (6.1, 6.12) under
# qemu-system-aarch64 (-M virt, TCG) with kscap.ko, the test programs and
# the tools cross-built (scripts/cross-arm64.sh): the tests whose programs
# build for arm64 (ARM64_PROGS in progs/Makefile), results vm-arm64-<kernel>/.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)

kernels=all only='' timeout='' cmdline_extra='' smp=2 tcg=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--cmdline) cmdline_extra=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--tcg) tcg=$2; shift 2 ;;
	--arch) export KSCAP_VM_ARCH=$2; shift 2 ;;
	-h | --help) sed -n '2,30s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
	esac
done
case ${KSCAP_VM_ARCH:=x86_64} in
x86_64 | arm64) ;;
*) echo "run.sh: unknown --arch '$KSCAP_VM_ARCH' (x86_64, arm64)" >&2; exit 2 ;;
esac
[ -n "$tcg" ] || tcg=$([ "$KSCAP_VM_ARCH" = arm64 ] && echo multi || echo single)
# after --arch: it picks the build directories and the qemu
# shellcheck source=tests/vm/vmlib.sh
. "$here/vmlib.sh"
if [ "$kernels" = all ]; then
	kernels="6.1 6.12"
	[ "$KSCAP_VM_ARCH" = x86_64 ] && kscap_debug_built && kernels="$kernels debug"
fi
kernels=${kernels//,/ }
# arm64 runs the tests whose programs are ported there: the capture core,
# each new task's own clone exit (childexit), the syscall families (what
# differs by architecture: numbering, the calls asm-generic lacks, struct
# layouts), scapdump naming arm64's calls live, 32-bit (AArch32)
# processes, and a smoke run of loading, masks, pairs, netlink,
# permissions, poisoned input and full rings. Not there: fam_ia32 (x86
# only), poll (poll(2), which arm64 has not), and the long load and
# lifecycle tests, architecture-neutral.
ARM64_TESTS=(load getppid childexit fam_generic fam_net fam_misc fam_ipc fam_mem fam_proc fam_wait
	fam_files fam_fid scapdump_names compat32 mask pairs netlink perms poison drops)
[ "$KSCAP_VM_ARCH" = arm64 ] && [ -z "$only" ] && only=$(IFS=,; echo "${ARM64_TESTS[*]}")

vmname=vm
[ "$KSCAP_VM_ARCH" = arm64 ] && vmname=vm-arm64
say() { echo "$vmname: $*" >&2; }
failed=0
report() {	# STATUS NAME [REASON]
	local st=$1 name=$2
	shift 2
	case $st in
	PASS) echo "PASS: $name" ;;
	SKIP) echo "SKIP: $name: ${*:-skipped}" ;;
	*) echo "FAIL: $name: ${*:-failed}"; failed=1 ;;
	esac
}

# The boot a test asks for: "smp=N,tcg=M" (defaults filled in).
boot_of() {	# TEST
	local line w s=$smp g=$tcg
	line=$(sed -n 's/^# kscapvm-boot://p' "$here/t/$1.sh" 2>/dev/null | head -n 1)
	for w in $line; do
		case $w in
		smp=*) s=${w#smp=} ;;
		tcg=*) g=${w#tcg=} ;;
		esac
	done
	echo "smp=$s,tcg=$g"
}

# The tests to run: --only's, else every script of t/.
all_tests() {
	if [ -n "$only" ]; then
		echo "${only//,/ }" | tr ' ' '\n'
	else
		for t in "$here"/t/*.sh; do
			t=$(basename "$t" .sh)
			[ "$t" = lib ] || echo "$t"
		done
	fi
}

# The tests a boot should report, for spotting those that never did: what
# the VM announced it would run, else what it was asked to run.
expected_tests() {	# LOG
	local announced
	announced=$(sed -n 's/^KSCAP-TESTS //p' "$1" | head -n 1 | tr -d '\r')
	if [ -n "$announced" ]; then
		echo "$announced"
	else
		echo "$boot_tests"
	fi
}

# Parse one console log into result lines. Returns 1 if anything failed.
# Boot-wide results carry the boot's options unless it is the default one.
check_log() {	# KERNEL LOG QEMU_RC BOOT
	local k=$1 log=$2 rc=$3 prefix="$vmname-$1" bad ok=0 t line st name reason
	local sfx=
	[ "$4" = "smp=$smp,tcg=$tcg" ] || sfx="[$4]"
	local -A status=() why=()
	local order=()

	while IFS= read -r line; do
		line=${line%$'\r'}
		read -r st name reason <<<"$line"
		[ -n "$name" ] || continue
		# Every boot of a debug kernel scans for leaks: say which boot.
		[ "$name" = kmemleak ] && name=kmemleak$sfx
		[ -n "${status[$name]:-}" ] || order+=("$name")
		# A FAIL anywhere for a test (its own or the kernel's) wins.
		if [ "${status[$name]:-}" != FAIL ]; then
			status[$name]=$st
			why[$name]=$reason
		fi
	done < <(grep -aoE 'KSCAP-RESULT (PASS|FAIL|SKIP) .*' "$log" | cut -d' ' -f2-)

	for t in $(expected_tests "$log"); do
		if [ -z "${status[$t]:-}" ]; then
			order+=("$t")
			status[$t]=FAIL
			why[$t]="no result (the VM stopped before it finished)"
		fi
	done
	for t in "${order[@]}"; do
		report "${status[$t]}" "$prefix/$t" "${why[$t]}"
		[ "${status[$t]}" = FAIL ] && ok=1
	done

	if ! grep -aq '^KSCAP-END' "$log"; then
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			report FAIL "$prefix/boot$sfx" "no end marker: timed out after ${tmo}s"
		else
			report FAIL "$prefix/boot$sfx" "no end marker (qemu exit status $rc)"
		fi
		ok=1
	fi

	bad=$(vm_kernel_trouble "$log")
	if [ -n "$bad" ]; then
		report FAIL "$prefix/kernel$sfx" "${bad:0:200}"
		ok=1
	fi
	return $ok
}

# emulator_race (vmlib.sh): a boot that died of the emulator's
# text-patching race runs again, once, and says so.

# One boot of the prepared kernel running $boot_tests with options BOOT.
# DEFAULT_ALL: the default boot of a run without --only, which runs every
# test but those of the other boots (and so the kmemleak scan).
boot_once() {	# KERNEL BOOT DEFAULT_ALL SKIP [AGAIN]
	local k=$1 boot=$2 log rc t1 tmo append vsmp
	# One log per boot (console.log points to the latest), so a later
	# run cannot overwrite the log a failure report names.
	log=$VM_DIR/console-$(date +%Y%m%d-%H%M%S)-$$.log
	ln -sfn "$(basename "$log")" "$VM_DIR/console.log"
	# shellcheck disable=SC2012
	ls -t "$VM_DIR"/console-*.log 2>/dev/null | tail -n +20 | xargs -r rm -f
	tmo=${timeout:-$([ "$k" = debug ] && echo 1200 || echo 400)}
	append="kscapvm.mode=test"
	if [ "$3" = 1 ]; then
		[ -n "$4" ] && append="$append kscapvm.skip=$4"
	else
		append="$append kscapvm.only=$(echo $boot_tests | tr ' ' ',')"
		# A whole run's boots of their own scan for leaks as well.
		[ -z "$only" ] && append="$append kscapvm.kmemleak=1"
	fi
	[ -n "$cmdline_extra" ] && append="$append $cmdline_extra"
	t1=$(date +%s)
	say "$k: booting $KREL [$boot] (log: $log)"
	vsmp=${boot#smp=}
	VM_SMP=${vsmp%%,*} VM_TCG=${boot##*tcg=} \
		vm_boot "$append" "$tmo" "file:$log" >"$VM_DIR/qemu.log" 2>&1
	rc=$?
	say "$k: boot took $(($(date +%s) - t1))s"
	if [ -z "${5:-}" ] && [ -s "$log" ] && emulator_race "$log"; then
		say "$k: the boot died of the emulator's text-patching race (no kscap code in it; log: $log): booting again, once"
		boot_once "$1" "$2" "$3" "$4" again
		return
	fi
	if [ ! -s "$log" ]; then
		report FAIL "$vmname-$k/boot" "qemu wrote no console output (exit $rc): $(head -c 300 "$VM_DIR/qemu.log")"
	elif ! check_log "$k" "$log" "$rc" "$boot"; then
		echo "$vmname-$k: full console log: $log"
	fi
}

run_kernel() {	# NAME
	local k=$1 t0 t boot boots def="smp=$smp,tcg=$tcg" skip=''
	local -A group=()
	t0=$(date +%s)
	if ! vm_prepare "$k"; then
		report FAIL "$vmname-$k/setup" "$VM_ERR"
		vm_release
		return
	fi
	say "$k: build $(($(date +%s) - t0))s"
	for t in $(all_tests); do
		boot=$(boot_of "$t")
		group[$boot]="${group[$boot]:+${group[$boot]} }$t"
		[ "$boot" = "$def" ] || skip="${skip:+$skip,}$t"
	done
	# The default boot first, then the others in a stable order.
	boots=$( (for boot in "${!group[@]}"; do echo "$boot"; done) | sort |
		awk -v d="$def" '$0 == d { print; next } { rest = rest $0 "\n" } END { printf "%s", rest }')
	for boot in $boots; do
		boot_tests=${group[$boot]}
		if [ "$boot" = "$def" ] && [ -z "$only" ]; then
			boot_once "$k" "$boot" 1 "$skip"
		else
			boot_once "$k" "$boot" 0 ''
		fi
	done
	vm_release
}

qemu="qemu-system-x86_64"
[ "$KSCAP_VM_ARCH" = arm64 ] && qemu="qemu-system-aarch64"
command -v $qemu >/dev/null || { report FAIL "$vmname/setup" "$qemu missing (scripts/install-deps.sh)"; exit 1; }
for k in $kernels; do
	run_kernel "$k"
done
exit $failed
