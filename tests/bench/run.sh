#!/bin/bash
# The overhead benchmark: what capturing syscalls costs a workload, for no
# tracer, an empty probe, Falco's scap.ko and kscap, each in a fresh boot
# of the same VM (Debian's 6.1 cloud kernel, one initramfs).
#
#   tests/bench/run.sh [--tiny] [--modes tcg,icount] [--scenarios LIST]
#                      [--storm LIST] [--rounds N] [--batch-ms MS]
#                      [--percent P] [--seconds S] [-j N] [--no-results]
#                      [--ops LIST] [--storm-mem MIB]
#                      [--paced N | --storm-rate N] [--cpu MODEL]
#
#   (default)      the full benchmark (`make bench`): every scenario in both
#                  modes, the storms flat out and again paced (--paced);
#                  prints the report and rewrites tests/bench/RESULTS.md
#   --tiny         a few rounds of small batches, icount mode only, four
#                  short storms flat out and kscap's paced, everything in
#                  parallel pairs (`make check`): prints PASS:/FAIL:/SKIP: lines
#                  bench/<name> (each boot ran, the workload and the
#                  consumers did their job, the report was produced) and
#                  the report; numbers are not judged and RESULTS.md is
#                  left alone
#   --modes        latency modes: tcg (2 vCPUs, multi-threaded TCG, wall
#                  clock) and/or icount (-icount shift=0 -smp 1: guest ns
#                  = instructions)
#   --scenarios    latency scenarios: none,empty,falco,kscap,kscap1,
#                  dumpnull,dumpfile,dumptop (scapdump --top),
#                  dumppub (--publish: storm only), sysnull, sysfile
#                  (sysdig -w /dev/null and -w FILE on Falco's scap.ko)
#   --storm        throughput scenarios (always tcg mode), same names; ""
#                  for none
#   --rounds       workload rounds (after a warm-up round)
#   --batch-ms     each operation's batch lasts about MS (guest) ms, sized
#                  from the warm-up round (0: fixed batches, --percent of
#                  the default sizes, which also size the warm-up)
#   --seconds      storm duration
#   --storm-mem    guest RAM of the storm boots, in MiB (default 4096,
#                  --tiny 1024; /tmp, where -w FILE writes, is 3/4 of
#                  it; qemu touches it all before the boot, see boot()):
#                  a 10 s storm captured without drops to a file on
#                  tmpfs is ~2 GB
#   --paced N      the storm scenarios run twice, each in a boot of its
#                  own: flat out (boots and rows named storm-SCENARIO),
#                  then with each storm thread paced to N getppid calls a
#                  second (storm@Nk-SCENARIO; a multiple of 1000; default
#                  100000; 0: no paced pass). Flat out, a slower tracer
#                  slows the storm and faces a lower rate; paced, every
#                  scenario that keeps up faces the same one, and their
#                  drops compare (at 100000 every scenario, Falco's too,
#                  reached it here; at 200000 Falco's probe held the storm
#                  to ~165000 a thread). The report has a throughput table
#                  for each pass. --tiny's paced pass is kscap's alone.
#   --storm-rate N the storm scenarios run once, every thread paced to N
#                  (storm@Nk-SCENARIO; 0: flat out, storm-SCENARIO), e.g.
#                  to try another rate without the flat-out pass; not
#                  with --paced
#   --cpu MODEL    qemu's -cpu for every boot (default max), e.g.
#                  max,erms=off,fsrm=off to try what the guest kernel's
#                  byte-wise string instructions cost under emulation
#   -j N           VMs at a time for icount boots (guest time does not
#                  depend on the host's load); tcg boots run alone except
#                  in --tiny
#   --no-results   do not rewrite RESULTS.md
#   --ops LIST     latency operations to run (workload -o), e.g.
#                  fork,forkexec; the report lists only those
#
# Same layout in every boot. After a fork, parent and child each take a
# copy-on-write fault for every page they write; with user address
# randomisation the stack starts at a random offset in its page, and in
# some boots the stack the workload writes around fork() straddles a page
# boundary: one more fault in each (3 and 7 per fork+exit instead of 2
# and 6), ~14 k instructions per operation, in fork+exit and fork+exec
# alike, more than the difference being measured. Every boot therefore
# runs without user or kernel address randomisation (norandmaps, the one
# that matters; nokaslr), without the per-syscall
# kernel-stack offset (randomize_kstack_offset=off) and without page
# allocator shuffling (page_alloc.shuffle=0): the same for every scenario,
# so the ratios stay fair. The workload prints its VmPTE and mappings
# and its faults per operation (wl-layout, wl-maps, faults= in the console
# log) to check this; tests/bench/RESULTS.md's notes have the spreads.
#
# Logs and parsed results: build/bench/. The Falco module is fetched and
# built under ${KSCAP_CACHE:-/var/cache/kscap}/falco (tests/bench/falco.sh).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# Kernel discovery and the console judge are the VM harness's.
# shellcheck source=tests/vm/kernels.sh
. "$repo/tests/vm/kernels.sh"
# shellcheck source=tests/vm/vmlib.sh
. "$repo/tests/vm/vmlib.sh"
# shellcheck source=tests/bench/boot.sh
. "$here/boot.sh"

all_lat=none,empty,falco,kscap,kscap1,dumpnull,dumpfile,dumptop,sysnull,sysfile
all_storm=none,empty,falco,kscap,dumpnull,dumpfile,dumptop,dumppub,sysnull,sysfile
tiny=0 modes=tcg,icount lat=$all_lat storm=$all_storm
rounds= percent= seconds= batch= jobs=2 results=1 ops=
storm_mem='' storm_rate='' paced='' paced_storm='' cpu=max
cmdline="tests/bench/run.sh${*:+ $*}"
while [ $# -gt 0 ]; do
	case $1 in
	--tiny) tiny=1; shift ;;
	--modes) modes=$2; shift 2 ;;
	--scenarios) lat=$2; shift 2 ;;
	--storm) storm=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--percent) percent=$2; shift 2 ;;
	--batch-ms) batch=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	--no-results) results=0; shift ;;
	--ops) ops=$2; shift 2 ;;
	--storm-mem) storm_mem=$2; shift 2 ;;
	--storm-rate) storm_rate=$2; shift 2 ;;
	--paced) paced=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -uo/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
	esac
done
# The storm passes, by rate per storm thread (0: flat out).
if [ -n "$storm_rate" ] && [ -n "$paced" ]; then
	echo "run.sh: --storm-rate runs one pass at its rate, --paced adds a paced pass to the flat-out one: give one of them" >&2
	exit 2
fi
check_rate() {	# OPTION VALUE ('': not given)
	case $2 in
	'') ;;
	*[!0-9]*) echo "run.sh: $1 wants calls per second, a multiple of 1000" >&2; exit 2 ;;
	*) [ $(($2 % 1000)) = 0 ] || { echo "run.sh: $1 wants a multiple of 1000" >&2; exit 2; } ;;
	esac
}
check_rate --storm-rate "$storm_rate"
check_rate --paced "$paced"
: "${paced:=100000}"
passes="0 $paced"
[ "$paced" = 0 ] && passes=0
[ -n "$storm_rate" ] && passes=$storm_rate
if [ $tiny = 1 ]; then
	: "${rounds:=3}" "${percent:=10}" "${seconds:=2}" "${batch:=5}" "${storm_mem:=1024}"
	results=0
	[ "$modes" = tcg,icount ] && modes=icount
	[ "$lat" = "$all_lat" ] && lat=none,empty,falco,kscap,dumpnull,dumpfile,dumptop,sysnull
	[ "$storm" = "$all_storm" ] && storm=falco,kscap,dumpnull,sysnull paced_storm=kscap
else
	: "${rounds:=15}" "${percent:=10}" "${seconds:=10}" "${batch:=50}" "${storm_mem:=4096}"
fi

out=$repo/build/bench
runs=$out/runs
mkdir -p "$runs"
failed=0
say() { echo "bench: $*" >&2; }
report() {	# STATUS NAME [REASON]
	local st=$1 name=$2
	shift 2
	case $st in
	PASS) echo "PASS: bench/$name" ;;
	SKIP) echo "SKIP: bench/$name: ${*:-skipped}" ;;
	*) echo "FAIL: bench/$name: ${*:-failed}"; failed=1 ;;
	esac
}
t_start=$(date +%s)

# ---------------------------------------------------------------- build
kscap_kernel 6.1 || { report FAIL setup "$KERR"; exit 1; }
if ! command -v qemu-system-x86_64 >/dev/null; then
	report FAIL setup "qemu-system-x86_64 missing (scripts/install-deps.sh)"
	exit 1
fi

ko_kscap= ko_empty= ko_falco=
if ko_kscap=$("$repo/scripts/build-module.sh" "$KDIR" "$out/kscap" 2>"$out/kscap-build.log"); then
	report PASS build-kscap
else
	report FAIL build-kscap "kscap.ko does not build against $KREL: $(grep -m1 -E 'error|Error' "$out/kscap-build.log")"
	ko_kscap=
fi
mkdir -p "$out/emptyprobe"
cp "$here/emptyprobe/Kbuild" "$here/emptyprobe/bench_emptyprobe.c" "$out/emptyprobe/"
if make -C "$KDIR" M="$out/emptyprobe" modules >"$out/emptyprobe-build.log" 2>&1; then
	ko_empty=$out/emptyprobe/bench_emptyprobe.ko
	report PASS build-emptyprobe
else
	report FAIL build-emptyprobe "see $out/emptyprobe-build.log"
fi
if ko_falco=$("$here/falco.sh" "$KDIR" 2>"$out/falco-build.log"); then
	report PASS build-falco
else
	report FAIL build-falco "$(tail -n 1 "$out/falco-build.log")"
	ko_falco=
fi
if make -s -C "$repo/userlib" libkscap.a >"$out/progs-build.log" 2>&1 &&
	make -s -C "$here" O="$out/progs" >>"$out/progs-build.log" 2>&1; then
	report PASS build-progs
else
	report FAIL build-progs "$(grep -m1 -E 'error' "$out/progs-build.log")"
	exit 1
fi
# scapdump is a colleague's work in progress: use the static build for the
# initramfs when its Makefile can make one, else whatever binary is there.
if [ -f "$repo/tools/Makefile" ] && grep -q '^static:' "$repo/tools/Makefile"; then
	make -s -C "$repo/tools" static >"$out/scapdump-build.log" 2>&1 ||
		say "make -C tools static failed (see $out/scapdump-build.log)"
fi
initrd=$out/initramfs.cpio
if ! "$here/mkinitramfs.sh" --kscap "$ko_kscap" --empty "$ko_empty" \
	--falco "$ko_falco" --progs "$out/progs" --out "$initrd" >/dev/null 2>"$out/mkinitramfs.log"; then
	report FAIL initramfs "$(tail -n 1 "$out/mkinitramfs.log")"
	exit 1
fi
have_scapdump=0
for sd in "$repo/tools/scapdump.static" "$repo/tools/scapdump"; do
	[ -x "$sd" ] && [ -f "$sd" ] && have_scapdump=1
done
say "built in $(( $(date +%s) - t_start ))s; kernel $KREL"

# ---------------------------------------------------------------- boots
# A storm pass's KIND: storm flat out, storm@100k paced to 100000 a thread.
storm_kind() {	# RATE
	if [ "$1" = 0 ]; then echo storm; else echo "storm@$(($1 / 1000))k"; fi
}

# boot MODE KIND SCENARIO: one VM, its console in $runs/MODE-KIND-SCENARIO.log.
# A boot that did not reach its end because of the emulator's
# text-patching race (emulator_race, tests/vm/vmlib.sh: a tcg boot's
# vCPU stuck on a tracepoint site the consumer's attach just patched)
# boots again, once, and says so; its first console stays in LOG.race.
boot() {
	local log=$runs/$1-$2-$3.log
	boot_one "$@"
	if ! grep -aq '^BENCH-END' "$log" && emulator_race "$log"; then
		say "$1 $2 $3: the boot died of the emulator's text-patching race (no kscap code in it; log: $log.race): booting again, once"
		mv "$log" "$log.race"
		boot_one "$@"
	fi
}

boot_one() {
	local mode=$1 kind=$2 sc=$3 log accel tmo mem rate=0
	log=$runs/$mode-$kind-$sc.log
	case $kind in
	storm@*k) rate=${kind#storm@}; rate=$((${rate%k} * 1000)) ;;
	esac
	if [ "$mode" = icount ]; then
		# Guest time counts instructions: 1 ns each. One vCPU only:
		# icount cannot run vCPUs in parallel. sleep=off: an idle
		# guest's clock jumps to its next timer instead of waiting for
		# the host's (a busy guest, the only kind measured, is the same).
		accel="-accel tcg,thread=single -icount shift=0,sleep=off -smp 1"
	else
		accel="-accel tcg,thread=multi -smp 2"
	fi
	tmo=$([ $tiny = 1 ] && echo 400 || echo 1500)
	# A storm's guest RAM is allocated and touched by qemu before the
	# guest starts. This host is itself a VM: the first touch of memory
	# it has not used yet cost ~40 us per 4 KiB page (a host program
	# touching 1 GiB of fresh memory: 10.9 s, again: 1.0 s), paid by
	# the vCPU that touches it, in the middle of the storm. -w FILE's
	# page cache is nearly all first touches: writing 128 MiB to tmpfs
	# in the guest cost 22 ns per byte in a fresh guest and 7.5 ns in a
	# preallocated one. No scenario should pay the host's cost.
	mem="-m 1024"
	[ "$kind" != lat ] &&
		mem="-m $storm_mem -object memory-backend-ram,id=ram,size=${storm_mem}M,prealloc=on,prealloc-threads=2 -machine memory-backend=ram"
	# Same kernel command line for every scenario (boot.sh says why).
	# shellcheck disable=SC2086
	timeout -k 10 "$tmo" qemu-system-x86_64 \
		-nodefaults -no-reboot -display none -monitor none \
		$accel -cpu "$cpu" $mem \
		-kernel "$KIMAGE" -initrd "$initrd" \
		-append "$bench_cmdline kscapbench.scenario=$sc kscapbench.kind=${kind%@*} kscapbench.rounds=$rounds kscapbench.percent=$percent kscapbench.batch=$batch kscapbench.seconds=$seconds kscapbench.rate=$rate${ops:+ kscapbench.ops=$ops}" \
		-serial "file:$log" </dev/null >"$log.qemu" 2>&1
	echo $? >"$log.rc"
}

# The boots to make: "MODE KIND SCENARIO" lines, skipping what cannot run.
plan=()
skip_reason() {	# SCENARIO
	case $1 in
	dumpnull | dumpfile | dumptop)
		[ $have_scapdump = 1 ] || { echo "tools/scapdump is not built yet"; return; } ;;
	dumppub)
		case $(ldd "$repo/tools/scapdump" 2>/dev/null) in
		*libnats*) command -v nats-server >/dev/null ||
			{ echo "nats-server is not installed"; return; } ;;
		*) echo "tools/scapdump (with NATS) is not built yet"; return ;;
		esac ;;
	esac
	case $1 in
	kscap | kscap1 | dumpnull | dumpfile | dumptop | dumppub) [ -n "$ko_kscap" ] || echo "kscap.ko did not build" ;;
	falco) [ -n "$ko_falco" ] || echo "scap.ko did not build" ;;
	sysnull | sysfile)
		if [ -z "$ko_falco" ]; then echo "scap.ko did not build"
		elif ! command -v sysdig >/dev/null; then echo "sysdig is not installed (scripts/install-deps.sh)"
		fi ;;
	empty) [ -n "$ko_empty" ] || echo "the empty probe did not build" ;;
	none) ;;
	*) echo "unknown scenario" ;;
	esac
}
for m in ${modes//,/ }; do
	for s in ${lat//,/ }; do
		why=$(skip_reason "$s")
		if [ -n "$why" ]; then report SKIP "$m-$s" "$why"; continue; fi
		plan+=("$m lat $s")
	done
done
for r in $passes; do
	k=$(storm_kind "$r") list=$storm
	# The paced pass after a flat-out one: --tiny's is shorter.
	[ "$r" != 0 ] && [ -z "$storm_rate" ] && list=${paced_storm:-$storm}
	for s in ${list//,/ }; do
		why=$(skip_reason "$s")
		if [ -n "$why" ]; then report SKIP "$k-$s" "$why"; continue; fi
		plan+=("tcg $k $s")
	done
done

# Wall-clock boots alone (unless --tiny), instruction-count boots -j at a
# time: their guest time does not depend on what else the host runs.
rm -f "$runs"/*.log "$runs"/*.rc "$runs"/*.qemu
running=0
for p in "${plan[@]}"; do
	read -r m k s <<<"$p"
	if [ "$m" = tcg ] && [ $tiny = 0 ]; then
		wait
		running=0
		say "boot $m $k $s"
		boot "$m" "$k" "$s"
		continue
	fi
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	say "boot $m $k $s"
	boot "$m" "$k" "$s" &
	running=$((running + 1))
done
wait
say "boots done in $(( $(date +%s) - t_start ))s"

# ---------------------------------------------------------------- checks
# check_boot MODE KIND SCENARIO: the boot's PASS/FAIL line.
check_boot() {
	local m=$1 k=$2 s=$3 log name why bad
	log=$runs/$m-$k-$s.log
	name=$m-$s
	[ "$k" != lat ] && name=$k-$s
	why=$(python3 "$here/report.py" --check "$log" --scenario "$s" --kind "$k")
	if [ -z "$why" ] && ! grep -aq '^BENCH-END' "$log"; then
		why="no end marker (qemu exit status $(cat "$log.rc" 2>/dev/null))"
	fi
	if [ -z "$why" ]; then
		bad=$(vm_kernel_trouble "$log")
		[ -n "$bad" ] && why="kernel: $bad"
	fi
	if [ -n "$why" ]; then
		report FAIL "$name" "$why (log: $log)"
	else
		report PASS "$name"
	fi
}
for p in "${plan[@]}"; do
	# shellcheck disable=SC2086
	check_boot $p
done

# ---------------------------------------------------------------- report
meta=$out/meta.txt
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) x $(nproc)"
	echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "cmdline=$cmdline"
	echo "kernel=$KREL"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "falco=$(dpkg-query -W -f '${Version}' libfalcosecurity0-dev 2>/dev/null)"
	echo "rounds=$rounds batch_ms=$batch percent=$percent storm_seconds=$seconds storm_rates=${passes// /,} storm_mem=${storm_mem}M qemu_cpu=$cpu"
	echo "elapsed=$(( $(date +%s) - t_start ))s"
	echo "scapdump=$have_scapdump"
} >"$meta"
printf '%s\n' "${plan[@]}" >"$out/plan.txt"
report_args=(--runs "$runs" --meta "$meta" --plan "$out/plan.txt")
[ $results = 1 ] && report_args+=(--results "$here/RESULTS.md")
if python3 "$here/report.py" "${report_args[@]}" >"$out/report.md" 2>"$out/report.err"; then
	cat "$out/report.md"
	report PASS report
else
	cat "$out/report.md"
	report FAIL report "$(tail -n 1 "$out/report.err")"
fi
say "total $(( $(date +%s) - t_start ))s"
exit $failed
