#!/bin/bash
# The long runs (make stress): what `make check` runs for a bounded time,
# run for minutes, with PASS:/FAIL: lines and the figures in the logs.
#
#   tests/stress/run.sh [--minutes-fuzz N] [--storm-seconds N] [--scale N]
#                       [--storm-boots N] [--kernel LIST]
#
#   fuzz       every libFuzzer target for N minutes (default 10)
#   vm         abuse, argabuse, lifecycle at SCALE times their check
#              rounds (default 10: 100 insmod/rmmod cycles under load),
#              storm for N seconds (default 300), per kernel (default:
#              all, the debug kernel included once built)
#   storm-hang N boots (default 10) of the tests that switch capture on
#              and off under load (lifecycle, abuse), each on
#              single-threaded TCG (see tests/vm/vmlib.sh): kscap itself
#              must never hang a boot
#
# Logs: build/stress-logs/. The figures are the tests' own lines there
# (grep -h '^\(abuse\|storm\|lifecycle\|argabuse\):' build/stress-logs/*).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fuzz_min=10 storm_s=300 scale=10 boots=10 kernels=all
while [ $# -gt 0 ]; do
	case $1 in
	--minutes-fuzz) fuzz_min=$2; shift 2 ;;
	--storm-seconds) storm_s=$2; shift 2 ;;
	--scale) scale=$2; shift 2 ;;
	--storm-boots) boots=$2; shift 2 ;;
	--kernel) kernels=$2; shift 2 ;;
	-h | --help) sed -n '2,22s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "stress: unknown argument '$1' (--help)" >&2; exit 2 ;;
	esac
done
logs=$top/build/stress-logs
mkdir -p "$logs"
failed=0
t0=$(date +%s)

# Run a step, keep its output, pass its result lines through.
layer() {	# NAME COMMAND...
	local name=$1 start=$(date +%s)
	shift
	echo "== $name: $*"
	"$@" >"$logs/$name.log" 2>&1 || failed=1
	grep -E '^(PASS|FAIL|SKIP): ' "$logs/$name.log"
	echo "== $name: $(( $(date +%s) - start ))s"
}

layer fuzz tests/fuzz/run.sh --seconds $((fuzz_min * 60))
touch "$logs/.start"

# Long VM runs; the scale reaches the guest through the kernel command
# line (init passes unknown name=value arguments on as environment).
env="KSCAP_ABUSE_SCALE=$scale KSCAP_ARGABUSE_SCALE=$scale KSCAP_LIFECYCLE_SCALE=$scale"
env="$env KSCAP_STORM_SECONDS=$storm_s KSCAP_TEST_TIMEOUT=$((storm_s + 3600))"
layer vm tests/vm/run.sh --kernel "$kernels" --only abuse,argabuse,lifecycle,storm \
	--timeout $((storm_s * 2 + 7200)) --cmdline "$env"

i=1
while [ "$i" -le "$boots" ]; do
	layer "storm-hang-$i" tests/vm/run.sh --kernel 6.1 --only lifecycle,abuse --timeout 900
	i=$((i + 1))
done
# Figures for the closing note: the tests' own lines from this run's boots.
find "$top/build/vm" -name 'console-*.log' -newer "$logs/.start" -print0 2>/dev/null |
	xargs -0 -r grep -aH '^\(abuse\|storm\|lifecycle\|argabuse\|poison\): ' >"$logs/figures.txt"
grep -h '^PASS: fuzz/' "$logs/fuzz.log" >>"$logs/figures.txt"
echo "stress: $(( ($(date +%s) - t0) / 60 )) minutes; figures in $logs/figures.txt"
exit $failed
