#!/bin/bash
# The whole test suite, as `make check` runs it. Every layer prints
# PASS:/FAIL:/SKIP: lines; this script runs them in turn, keeps their
# output, and ends with one line: "N passed, N failed[, N skipped]".
#
# Layers: build (both kernels, userspace), lint (sparse, checkpatch),
# unit (cmocka), fuzz (libFuzzer, 25 s per target), top (scapdump --top
# in tmux), fleet (scapdump --publish/--subscribe against a loopback
# nats-server), kunit (debug kernel under qemu), vm (end-to-end under qemu,
# 6.1, 6.12 and the debug kernel), vm-arm64 (the tests that differ by
# architecture on Debian's arm64 6.1 and 6.12 under qemu-system-aarch64),
# dkms (and dkms-arm64: the same dkms.conf cross-building for arm64), deb
# (the Debian packages built, installed, checked and purged), bench (tiny
# scale). The long runs: `make stress`.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log_dir=${KSCAP_LOG_DIR:-$top/build/test-logs}
mkdir -p "$log_dir"
results=$log_dir/results.txt
: > "$results"

# run_layer NAME COMMAND...: run a layer, echo and record its result lines.
# A layer that fails without naming a failed test still counts as one.
run_layer() {
	local name=$1 start rc out
	shift
	out=$log_dir/$name.log
	start=$(date +%s)
	echo "== $name: $*"
	"$@" > "$out" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|SKIP): ' "$out" | tee -a "$results"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		echo "FAIL: $name: exited $rc (see $out)" | tee -a "$results"
	fi
	if [ $rc -ne 0 ]; then
		echo "-- last lines of $out:"
		tail -n 25 "$out" | sed 's/^/   | /'
	fi
	echo "== $name: $(( $(date +%s) - start ))s"
}

# A step that is one test: PASS when the command succeeds.
step() {
	local name=$1
	shift
	if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; return 1; fi
}

# Build against PREEMPT_RT headers @1: true if the build fails with the
# module's own refusal, and with nothing else failing first.
rt_refused() {
	local log
	log=$(scripts/build-module.sh "$1" "build/$(basename "$1" | sed 's/^linux-headers-//')" 2>&1) && {
		echo "the module built against $1: it must refuse PREEMPT_RT" >&2
		return 1
	}
	grep -q 'error: #error "kscap does not support PREEMPT_RT kernels' <<<"$log" || {
		echo "$log" | grep -m5 'error' >&2
		return 1
	}
}

build_layer() {
	local rc=0 k
	for k in $(ls -d /usr/src/linux-headers-6.1.*-cloud-amd64 /usr/src/linux-headers-6.12.*-cloud-amd64 2>/dev/null); do
		step "build/module-$(basename "$k" | sed 's/^linux-headers-//')" \
			scripts/build-module.sh "$k" "build/$(basename "$k" | sed 's/^linux-headers-//')" || rc=1
	done
	# PREEMPT_RT (Debian's rt flavour): the module must refuse to build,
	# saying why (README, "PREEMPT_RT").
	for k in $(ls -d /usr/src/linux-headers-*-rt-amd64 2>/dev/null); do
		step "build/module-refused-$(basename "$k" | sed 's/^linux-headers-//')" \
			rt_refused "$k" || rc=1
	done
	[ -n "$(ls -d /usr/src/linux-headers-*-rt-amd64 2>/dev/null)" ] ||
		echo "SKIP: build/module-refused-rt: no PREEMPT_RT headers (scripts/install-deps.sh)"
	step build/userspace make -s lib tools || rc=1
	# Static tools for the VM initramfs.
	step build/tools-static make -s -C tools static || rc=1
	# arm64, cross-built into build/arm64/ (README, "arm64").
	for k in 6.1 6.12; do
		KSCAP_ARM64_KERNELS=$k step "build/arm64-module-$k" scripts/cross-arm64.sh module || rc=1
	done
	step build/arm64-userspace scripts/cross-arm64.sh user || rc=1
	return $rc
}

lint_layer() {
	local rc=0
	step lint/sparse make -s sparse || rc=1
	step lint/checkpatch scripts/checkpatch.sh || rc=1
	return $rc
}

run_layer build build_layer
run_layer lint lint_layer
run_layer unit make -s -C tests/unit run
run_layer fuzz tests/fuzz/run.sh --seconds 25
run_layer top tests/top/run.sh
run_layer fleet tests/fleet/run.sh
run_layer kunit tests/kunit/run.sh
run_layer vm tests/vm/run.sh --kernel all
run_layer vm-arm64 tests/vm/run.sh --arch arm64 --kernel all
run_layer dkms tests/dkms/run.sh
run_layer dkms-arm64 tests/dkms/run.sh --arch arm64
run_layer deb tests/deb/run.sh
if [ -x tests/bench/run.sh ]; then
	run_layer bench tests/bench/run.sh --tiny
fi

passed=$(grep -c '^PASS: ' "$results")
failed=$(grep -c '^FAIL: ' "$results")
skipped=$(grep -c '^SKIP: ' "$results")
echo
if [ "$failed" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL: ' "$results" | sed 's/^/  /'
fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
