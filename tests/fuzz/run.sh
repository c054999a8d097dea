#!/bin/bash
# Run the libFuzzer targets (see Makefile) for a bounded time each and
# print one PASS:/FAIL: line per target with what it did.
#
#   tests/fuzz/run.sh [--seconds N] [--only capread,event,nl,ring]
#
# Each target starts from its committed corpus (corpus/<target>: seeds and
# the reproducers of past findings, which therefore rerun every time) and
# from what earlier runs here found (build/work/<target>, not committed).
# A crash, a sanitizer report, a leak or a timeout fails the target; the
# input that caused it is kept under build/artifacts/<target>/.
# `make check` runs 25 s per target, `make stress` 10 minutes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
seconds=25 only="capread event nl ring"
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--only) only=${2//,/ }; shift 2 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
if ! command -v "${CLANG:-clang}" >/dev/null; then
	echo "FAIL: fuzz/build: clang missing (scripts/install-deps.sh)"
	exit 1
fi
if ! make -s all >build.log 2>&1; then
	tail -n 20 build.log >&2
	echo "FAIL: fuzz/build: the fuzz targets do not build (tests/fuzz/build.log)"
	exit 1
fi
echo "PASS: fuzz/build"
# The event target's formatter output must fit its buffers: 256 KiB max.
declare -A max_len=([capread]=262144 [event]=140000 [nl]=65536 [ring]=16384)
failed=0
for t in $only; do
	work=build/work/$t art=build/artifacts/$t log=build/$t.log
	mkdir -p "$work" "$art"
	# -rss_limit_mb: the machine is shared; a target past 1 GiB is a leak.
	./build/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
		-max_len="${max_len[$t]}" -print_final_stats=1 \
		-artifact_prefix="$art/" "$work" "corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
	units=$(find "$work" "corpus/$t" -type f | wc -l)
	if [ $rc -eq 0 ]; then
		echo "PASS: fuzz/$t: ${runs:-?} runs in ${seconds}s, ${cov:-cov: ?}, corpus $units"
	else
		why=$(grep -m1 -E 'ERROR: |runtime error|SUMMARY' "$log")
		echo "FAIL: fuzz/$t: ${why:-exit $rc} (input in tests/fuzz/$art, log tests/fuzz/$log)"
		failed=1
	fi
done
exit $failed
