#!/bin/bash
# Where kscap's per-event cost goes, in instructions: icount boots of the
# benchmark VM that each remove one more piece, compared on getppid (two
# generic events per call).
#
#   tests/bench/profile.sh [--rounds N] [--batch-ms MS]
#
#   none          no tracer
#   empty         empty sys_enter/sys_exit probes: the tracepoint floor
#   kscapmask     kscap, every type masked off: probe, syscall table lookup,
#                 counters and mask test; nothing written
#   notime        kscap writing, consumer not reading, timestamp replaced
#                 by a constant (a patched copy of module/emit.h, built
#                 under build/bench/profile/, never in the repository)
#   kscapnoread   kscap writing, consumer not reading until the end
#   kscap         kscap writing, consumer reading (the benchmark's kscap)
#
# Prints the steps' differences per event (medians over the rounds; the
# consumer's step uses means, as its wakeups land in a few batches only),
# and what the disassembly of kscap_emit() holds in fences and locked or
# indirect instructions. The batches are small so that the consumer that
# does not read never fills its ring. Run after tests/bench/run.sh has
# built build/bench/ (it reuses the programs and the empty probe).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/vm/kernels.sh
. "$repo/tests/vm/kernels.sh"
# shellcheck source=tests/bench/boot.sh
. "$here/boot.sh"

rounds=5 batch=5
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--batch-ms) batch=$2; shift 2 ;;
	*) echo "usage: $0 [--rounds N] [--batch-ms MS]" >&2; exit 2 ;;
	esac
done
die() { echo "profile: $*" >&2; exit 1; }

kscap_kernel 6.1 || die "$KERR"
out=$repo/build/bench/profile
mkdir -p "$out"
progs=$repo/build/bench/progs
[ -x "$progs/kscap_consumer" ] || die "run tests/bench/run.sh first (no $progs)"
make -s -C "$here" O="$progs" || die "programs do not build"

# The module as it is, and a copy whose timestamp is a constant.
ko=$("$repo/scripts/build-module.sh" "$KDIR" "$out/kscap" 2>"$out/build.log") ||
	die "kscap.ko does not build (log: $out/build.log)"
src=$out/src-notime
rm -rf "$src"
mkdir -p "$src"
cp -a "$repo/Kbuild" "$repo/module" "$repo/uapi" "$src/"
mkdir -p "$src/debian" && cp "$repo/debian/changelog" "$src/debian/"	# the version
find "$src" -name '*.o' -delete
# (a constant of the clock's magnitude: a time of 2023)
grep -q 'return kscap_clock();' "$src/module/emit.h" ||
	die "module/emit.h: kscap_now() changed; update the notime patch here"
sed -i 's/return kscap_clock();/return 1700000000000000000ULL;/' "$src/module/emit.h"
ko_notime=$(KSCAP_MODULE_SRC=$src "$repo/scripts/build-module.sh" "$KDIR" "$out/notime" 2>>"$out/build.log") ||
	die "the notime variant does not build (log: $out/build.log)"
empty=$repo/build/bench/emptyprobe/bench_emptyprobe.ko
[ -f "$empty" ] || die "no $empty: run tests/bench/run.sh first"

"$here/mkinitramfs.sh" --kscap "$ko" --empty "$empty" --progs "$progs" \
	--out "$out/initramfs.cpio" >/dev/null || die "mkinitramfs"
"$here/mkinitramfs.sh" --kscap "$ko_notime" --empty "$empty" --progs "$progs" \
	--out "$out/initramfs-notime.cpio" >/dev/null || die "mkinitramfs notime"

boot() {	# NAME SCENARIO INITRD
	timeout -k 10 900 qemu-system-x86_64 \
		-nodefaults -no-reboot -display none -monitor none \
		-accel tcg,thread=single -icount shift=0,sleep=off -smp 1 \
		-cpu max -m 1024 -kernel "$KIMAGE" -initrd "$3" \
		-append "$bench_cmdline kscapbench.scenario=$2 kscapbench.kind=lat kscapbench.rounds=$rounds kscapbench.percent=10 kscapbench.batch=$batch" \
		-serial "file:$out/$1.log" </dev/null >"$out/$1.qemu" 2>&1
}
steps="none empty kscapmask notime kscapnoread kscap"
for s in $steps; do
	case $s in
	notime) boot notime kscapnoread "$out/initramfs-notime.cpio" & ;;
	*) boot "$s" "$s" "$out/initramfs.cpio" & ;;
	esac
	# Two at a time: guest time does not depend on the host's load.
	[ "$(jobs -r | wc -l)" -ge 2 ] && wait -n
done
wait

python3 - "$out" $steps <<'EOF'
import re, sys
out, steps = sys.argv[1], sys.argv[2:]
med, mean = {}, {}
for s in steps:
    try:
        text = open("%s/%s.log" % (out, s), "rb").read().decode("utf-8", "replace")
    except OSError:
        text = ""
    m = re.search(r"wl-op name=getppid \S+ \S+ median=([\d.]+) .* mean=([\d.]+)", text)
    if not m:
        sys.exit("profile: no getppid result in %s/%s.log" % (out, s))
    med[s], mean[s] = float(m.group(1)), float(m.group(2))
    d = re.search(r"cons-final .*dropped=(\d+)", text)
    if d and int(d.group(1)):
        print("profile: warning: %s dropped %s events (smaller --batch-ms)" % (s, d.group(1)))
    if "BENCH-ERR" in text:
        sys.exit("profile: %s: %s" % (s, re.search(r"BENCH-ERR (.*)", text).group(1)))
print("getppid, guest instructions per call (2 events): median, mean")
for s in steps:
    print("  %-12s %8.1f %8.1f" % (s, med[s], mean[s]))
rows = [
    ("tracepoint dispatch + an empty probe", "empty", "none"),
    ("kscap probe, syscall table, counters, mask test", "kscapmask", "empty"),
    ("timestamp (ktime_get_real_fast_ns)", "kscapnoread", "notime"),
    ("ring space, header + params, commit", "notime", "kscapmask"),
    ("consumer: wake, read, count (shares the vCPU; means)", "kscap", "kscapnoread"),
    ("total over no tracer (means)", "kscap", "none"),
]
print()
print("| step | instructions per event |")
print("|---|---|")
for title, a, b in rows:
    src = mean if "means" in title else med
    print("| %s | %.0f |" % (title, (src[a] - src[b]) / 2))
EOF

# What the hot functions hold, statically: the syscall probe (getppid's
# generic events are written inline there) and kscap_emit_sys() (rows of
# their own).
if command -v objdump >/dev/null; then
	for fn in kscap_sys_enter kscap_emit_sys; do
		# -r: calls out of the module show as relocations (retpoline
		# thunks, other functions) rather than as call 0.
		dis=$(objdump -dr --no-show-raw-insn "$ko" | awk "/<$fn>:/,/^\$/")
		echo
		echo "$fn(): $(echo "$dis" | grep -cE '^\s+[0-9a-f]+:') instructions in its body;" \
			"fences: $(echo "$dis" | grep -cE '\s(mfence|lfence|sfence)\b')," \
			"locked: $(echo "$dis" | grep -c 'lock '),"\
			"indirect calls: $(echo "$dis" | grep -cE '__x86_indirect_thunk|call +\*'),"\
			"calls: $(echo "$dis" | grep -cE '^\s+[0-9a-f]+:\s+call')"
		echo "$dis" | grep -oE 'R_X86_64_PLT32\s+\S+' | awk '{print $2}' | sort | uniq -c | sed 's/^/   /'
	done
fi
