#!/bin/bash
# Instructions per event of scapdump's live consumer loop, counted on the
# host with callgrind over the unit tests' fake device (consumer_prof.c):
# quicker to iterate on than an icount boot, and as deterministic. What
# is counted is the live step (live_step_stats for --top and --summary,
# live_step_raw for -w) less kscap_next_raw_batch (the library's ring
# reading, the same for all three), divided by the events.
#
#   tests/bench/consumer-prof.sh [MIX...]     (mix getppid pipe; default: all)
#
# Builds scapdump like tools/Makefile does (-O2, no sanitizers) under
# build/consumer-prof/. Needs valgrind.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/consumer-prof
command -v valgrind >/dev/null || { echo "consumer-prof: valgrind missing" >&2; exit 1; }
mkdir -p "$out/obj"

cflags="-O2 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
	-I$repo/tests/unit -I$repo/userlib -I$repo/uapi -I$repo/tools
	$(pkg-config --cflags libnl-genl-3.0)"
libsrcs=$(make -s --no-print-directory -C "$repo/userlib" -f - print <<'EOF'
include sources.mk
print: ; @echo $(KSCAP_LIB_SRCS)
EOF
)
objs=()
build() {	# build SOURCE: an object of it, named after its directory
	local o
	o=$out/obj/$(basename "$(dirname "$1")")_$(basename "$1" .c).o
	# shellcheck disable=SC2086
	gcc $cflags -c -o "$o" "$1"
	objs+=("$o")
}
for s in $libsrcs; do build "$repo/userlib/$s"; done
for s in scapdump output summary latency number top fleet_none; do build "$repo/tools/$s.c"; done
build "$repo/tests/unit/evbuild.c"
build "$repo/tests/unit/fakedev.c"
build "$here/consumer_prof.c"
# shellcheck disable=SC2046
gcc -Wl,--wrap=kscap_open -o "$out/scapdump-prof" "${objs[@]}" -lpthread \
	$(pkg-config --libs ncurses libnl-genl-3.0)

# inclusive instructions of FUNCTION in a callgrind output
incl() {
	callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
		awk -v f="$2" '!done && $0 ~ (":" f " \\[") { gsub(",", "", $1); print $1; done = 1 }'
}

mixes=("$@")
[ ${#mixes[@]} -gt 0 ] || mixes=(mix getppid pipe)
printf '%-8s %12s %12s %12s\n' mix "--top" "--summary" "-w /dev/null"
for mix in "${mixes[@]}"; do
	n=100000
	line=$(printf '%-8s' "$mix")
	for mode in top summary null; do
		case $mode in
		top) args=(--top) step=live_step_stats ;;
		summary) args=(--summary) step=live_step_stats ;;
		null) args=(-w /dev/null) step=live_step_raw ;;
		esac
		cg=$out/callgrind.$mix.$mode
		PROF_MIX=$mix PROF_EVENTS=$n valgrind --tool=callgrind --callgrind-out-file="$cg" \
			"$out/scapdump-prof" "${args[@]}" -n $n --device /fake >/dev/null 2>"$cg.err" ||
			{ echo "consumer-prof: $mix $mode failed: $(tail -n 3 "$cg.err")" >&2; exit 1; }
		step_ir=$(incl "$cg" "$step")
		ring_ir=$(incl "$cg" kscap_next_raw_batch)
		line+=$(printf ' %12s' "$(( (step_ir - ring_ir) / n ))")
	done
	echo "$line"
done
