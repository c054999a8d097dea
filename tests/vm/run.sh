#!/bin/bash
# End-to-end tests of kscap.ko in qemu (TCG): one boot per kernel runs
# every test of tests/vm/t/ and reports each as vm-<kernel>/<test>.
#
#   tests/vm/run.sh [--kernel 6.1|6.12|debug|all] [--only NAME[,NAME]]
#                   [--timeout SECONDS] [--cmdline 'extra kernel args']
#
# --kernel all (the default) runs 6.1 and 6.12, plus the debug kernel of
# tests/kunit/build-kernel.sh when it has been built. Builds what is
# missing (module per kernel in build/<release>/, test programs, the
# initramfs), boots with a hard timeout and prints PASS:/FAIL:/SKIP:
# lines. Besides the tests' own results a boot fails (vm-<kernel>/kernel,
# vm-<kernel>/boot) if the console shows a kernel warning, BUG, oops,
# sanitizer or lockdep report, a new taint other than the O/E an
# out-of-tree unsigned module brings, or if the VM never reached the end.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/vm/vmlib.sh
. "$here/vmlib.sh"

kernels=all only='' timeout='' cmdline_extra=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--cmdline) cmdline_extra=$2; shift 2 ;;
	-h | --help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
	esac
done
if [ "$kernels" = all ]; then
	kernels="6.1 6.12"
	kscap_debug_built && kernels="$kernels debug"
fi
kernels=${kernels//,/ }

say() { echo "vm: $*" >&2; }
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

# The tests a boot should report, for spotting those that never did: what
# the VM announced it would run, else what it was asked to run.
expected_tests() {	# LOG
	local announced
	announced=$(sed -n 's/^KSCAP-TESTS //p' "$1" | head -n 1 | tr -d '\r')
	if [ -n "$announced" ]; then
		echo "$announced"
	elif [ -n "$only" ]; then
		echo "${only//,/ }"
	else
		for t in "$here"/t/*.sh; do
			t=$(basename "$t" .sh)
			[ "$t" = lib ] || echo "$t"
		done
	fi
}

# Parse one console log into result lines. Returns 1 if anything failed.
check_log() {	# KERNEL LOG QEMU_RC
	local k=$1 log=$2 rc=$3 prefix="vm-$1" bad ok=0 t line st name reason
	local -A status=() why=()
	local order=()

	while IFS= read -r line; do
		line=${line%$'\r'}
		read -r st name reason <<<"$line"
		[ -n "$name" ] || continue
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
			report FAIL "$prefix/boot" "no end marker: timed out after ${tmo}s"
		else
			report FAIL "$prefix/boot" "no end marker (qemu exit status $rc)"
		fi
		ok=1
	fi

	bad=$(vm_kernel_trouble "$log")
	if [ -n "$bad" ]; then
		report FAIL "$prefix/kernel" "${bad:0:200}"
		ok=1
	fi
	return $ok
}

run_kernel() {	# NAME
	local k=$1 log rc t0 t1 tmo append
	t0=$(date +%s)
	if ! vm_prepare "$k"; then
		report FAIL "vm-$k/setup" "$VM_ERR"
		vm_release
		return
	fi
	# One log per boot (console.log points to the latest), so a later
	# run cannot overwrite the log a failure report names.
	log=$VM_DIR/console-$(date +%Y%m%d-%H%M%S)-$$.log
	ln -sfn "$(basename "$log")" "$VM_DIR/console.log"
	# shellcheck disable=SC2012
	ls -t "$VM_DIR"/console-*.log 2>/dev/null | tail -n +20 | xargs -r rm -f
	tmo=${timeout:-$([ "$k" = debug ] && echo 1200 || echo 400)}
	append="kscapvm.mode=test"
	[ -n "$only" ] && append="$append kscapvm.only=$only"
	[ -n "$cmdline_extra" ] && append="$append $cmdline_extra"
	t1=$(date +%s)
	say "$k: booting $KREL (build $((t1 - t0))s; log: $log)"
	vm_boot "$append" "$tmo" "file:$log" >"$VM_DIR/qemu.log" 2>&1
	rc=$?
	say "$k: boot took $(($(date +%s) - t1))s"
	if [ ! -s "$log" ]; then
		report FAIL "vm-$k/boot" "qemu wrote no console output (exit $rc): $(head -c 300 "$VM_DIR/qemu.log")"
	elif ! check_log "$k" "$log" "$rc"; then
		echo "vm-$k: full console log: $log"
	fi
	vm_release
}

command -v qemu-system-x86_64 >/dev/null || { report FAIL vm/setup "qemu-system-x86_64 missing (scripts/install-deps.sh)"; exit 1; }
for k in $kernels; do
	run_kernel "$k"
done
exit $failed
